/* check_jobstats.c: Check suite for lib/jobstats (readers, writer, fetch). */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virt/jobstats.h"

struct warns {
	int n;
	char last[MT_ERRBUF_SIZE];
};

static void
collect(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

static char path_buf[4096];

/* tests/jobstats/NAME under $top_srcdir (set by make check). */
static const char *
data(const char *name)
{
	const char *top = getenv("top_srcdir");

	snprintf(path_buf, sizeof(path_buf), "%s/tests/jobstats/%s",
	    top != NULL ? top : ".", name);
	return path_buf;
}

static struct jobstats *
load(const char *name, struct warns *w, char *err)
{
	memset(w, 0, sizeof(*w));
	err[0] = '\0';
	return jobstats_load(data(name), collect, w, err);
}

#define VAL(js, f, want) do {						\
	ck_assert_msg((js)->f.present, #f " absent");			\
	ck_assert_msg((js)->f.v == (uint64_t)(want), #f " = %llu, want %llu", \
	    (unsigned long long)(js)->f.v, (unsigned long long)(want));	\
} while (0)

/* The real `virsh domjobinfo --completed` of docs/libvirt-jobstats.md. */
static void
check_reference_text(const struct jobstats *js)
{
	ck_assert_int_eq(js->form, JOBSTATS_FORM_TEXT);
	ck_assert_int_eq(js->job_type, 3);	/* Completed */
	VAL(js, operation, 4);			/* Incoming migration */
	VAL(js, time_elapsed, 8712);
	VAL(js, time_elapsed_net, 8710);
	/* 91.028 MiB = 95449776.128 bytes, rounded, and marked so. */
	VAL(js, data_processed, 95449776);
	ck_assert(js->data_processed.approximate);
	VAL(js, data_remaining, 0);
	ck_assert(!js->data_remaining.approximate);	/* "0.000 B" */
	VAL(js, data_total, 269090816);		/* 256.625 MiB */
	VAL(js, memory_processed, 95449776);
	VAL(js, memory_remaining, 0);
	VAL(js, memory_total, 269090816);
	ck_assert(js->memory_total.approximate);
	VAL(js, memory_bps, 11844714);		/* 11.296 MiB/s */
	ck_assert(js->memory_bps.approximate);
	VAL(js, memory_dirty_rate, 0);
	VAL(js, memory_page_size, 4096);
	ck_assert(!js->memory_page_size.approximate);
	VAL(js, memory_iteration, 4);
	VAL(js, memory_postcopy_reqs, 0);
	VAL(js, memory_constant, 42654);
	VAL(js, memory_normal, 23164);
	VAL(js, memory_normal_bytes, 94879351);	/* 90.484 MiB */
	VAL(js, downtime, 313);
	VAL(js, downtime_net, 311);
	VAL(js, setup_time, 1);
	ck_assert(!js->success.present);	/* virsh does not print it */
	ck_assert(!js->auto_converge_throttle.present);
}

START_TEST(text_reference)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("domjobinfo.txt", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	check_reference_text(js);
	ck_assert_int_eq(w.n, 0);
	ck_assert_str_eq(js->source, data("domjobinfo.txt"));
	jobstats_free(js);
}
END_TEST

START_TEST(text_crlf_trailing_spaces)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("domjobinfo-crlf.txt", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	check_reference_text(js);
	ck_assert_int_eq(w.n, 0);
	jobstats_free(js);
}
END_TEST

/* virsh in a locale with a decimal comma ("91,028 MiB"). */
START_TEST(text_decimal_comma)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("domjobinfo-comma.txt", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	check_reference_text(js);
	ck_assert_int_eq(w.n, 0);
	jobstats_free(js);
}
END_TEST

START_TEST(text_unknown_lines)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("unknown-lines.txt", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	check_reference_text(js);
	ck_assert_int_eq(w.n, 2);	/* "Frobnication", the line w/o ':' */
	ck_assert_ptr_nonnull(strstr(w.last, "unknown-lines.txt:5"));
	jobstats_free(js);
}
END_TEST

START_TEST(text_duplicate_same_warns)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("duplicate-same.txt", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	ck_assert_int_eq(w.n, 1);
	ck_assert_ptr_nonnull(strstr(w.last, "twice"));
	VAL(js, downtime, 313);
	jobstats_free(js);
}
END_TEST

START_TEST(rawstats_exact)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("domjobinfo-raw.txt", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	ck_assert_int_eq(js->form, JOBSTATS_FORM_RAWSTATS);
	ck_assert_int_eq(js->job_type, 3);
	VAL(js, operation, 4);
	VAL(js, time_elapsed, 8712);
	VAL(js, memory_processed, 95449791);
	VAL(js, memory_total, 269090816);
	VAL(js, memory_bps, 11844712);
	VAL(js, memory_normal_bytes, 94879744);
	VAL(js, memory_constant, 42654);
	VAL(js, memory_page_size, 4096);
	VAL(js, success, 1);
	for (const struct jobstats_val *v = &js->operation;
	    v <= &js->success; v++)
		ck_assert(!v->approximate);
	ck_assert_int_eq(w.n, 0);
	jobstats_free(js);
}
END_TEST

START_TEST(json_capture_file)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("jobstats.json", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	ck_assert_int_eq(js->form, JOBSTATS_FORM_JSON);
	ck_assert_int_eq(js->job_type, 3);
	VAL(js, time_elapsed, 8712);
	VAL(js, memory_processed, 95449791);
	VAL(js, success, 1);
	ck_assert_str_eq(js->domain, "vm1");
	ck_assert_str_eq(js->dest_uri, "qemu+tcp://198.51.100.2/system");
	ck_assert_int_eq(js->niters, 4);
	ck_assert_int_eq(js->iters[3].iteration, 4);
	ck_assert(js->iters[3].ts_ns == 1764278104000000000LL);
	ck_assert(js->completed_ts_ns == 1764278108712000000LL);
	ck_assert_int_eq(w.n, 0);	/* disk_total is known, job_source extra */
	jobstats_free(js);
}
END_TEST

START_TEST(json_ullong_max)
{
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load("ullong-max.json", &w, err);

	ck_assert_msg(js != NULL, "%s", err);
	ck_assert(js->time_elapsed.v == UINT64_MAX);
	jobstats_free(js);
}
END_TEST

/* Bad input: NULL, one line naming the file and saying what is wrong. */
static const struct bad {
	const char *file, *says;
} bad[] = {
	{ "empty.txt", "empty file" },
	{ "blank.txt", "white space only" },
	{ "binary.bin", "binary data" },
	{ "garbage.txt", "not libvirt job statistics" },
	{ "truncated.json", "bad JSON" },
	{ "overflow.txt", "out of range" },
	{ "overflow-raw.txt", "out of range" },
	{ "overflow.json", "bad JSON" },		/* too big integer */
	{ "overflow-string.json", "out of range" },
	{ "negative.txt", "negative" },
	{ "negative-raw.txt", "negative" },
	{ "negative.json", "negative" },
	{ "duplicate-key.json", "duplicate" },
	{ "duplicate-conflict.txt", "twice with different values" },
	{ "none.txt", "Job type: None" },
	{ "localized.txt", "no statistics this reader knows" },
	{ "bad-number.txt", "cannot read the value of 'Memory total'" },
	{ "job-null.json", "no completed job" },
	{ "no-params.json", "has no parameters" },
	{ "wrong-format.json", "not job statistics" },
	{ "not-jobstats.json", "not job statistics" },
	{ "version2.json", "not supported" },
	{ "wrong-type.json", "is a string" },
	{ "no-such-file.txt", "No such file" },
};

START_TEST(bad_input)
{
	const struct bad *b = &bad[_i];
	struct warns w;
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = load(b->file, &w, err);

	ck_assert_msg(js == NULL, "%s: accepted", b->file);
	ck_assert_msg(strncmp(err, data(b->file), strlen(data(b->file))) == 0,
	    "%s: error does not name the file: %s", b->file, err);
	ck_assert_msg(strstr(err, b->says) != NULL, "%s: '%s' lacks '%s'",
	    b->file, err, b->says);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(bad_directory)
{
	char err[MT_ERRBUF_SIZE];
	const char *top = getenv("top_srcdir");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tests/jobstats", top ? top : ".");
	ck_assert_ptr_null(jobstats_load(dir, NULL, NULL, err));
	ck_assert_ptr_nonnull(strstr(err, "is a directory"));
}
END_TEST

/* Typed parameters as virDomainGetJobStats() returns them. */
static virTypedParameterPtr
reference_params(int *n)
{
	virTypedParameterPtr p = NULL;
	int max = 0;

	*n = 0;
	ck_assert_int_eq(virTypedParamsAddInt(&p, n, &max,
	    VIR_DOMAIN_JOB_OPERATION, VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_TIME_ELAPSED, 8712), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_DOWNTIME, 313), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_MEMORY_TOTAL, 269090816), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_MEMORY_PROCESSED, 95449791), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_MEMORY_BPS, 11844712), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    VIR_DOMAIN_JOB_DISK_TOTAL, 0), 0);
	ck_assert_int_eq(virTypedParamsAddBoolean(&p, n, &max,
	    VIR_DOMAIN_JOB_SUCCESS, 1), 0);
	ck_assert_int_eq(virTypedParamsAddString(&p, n, &max,
	    VIR_DOMAIN_JOB_ERRMSG, "none"), 0);
	/* Beyond JSON's signed integers: written as a string. */
	ck_assert_int_eq(virTypedParamsAddULLong(&p, n, &max,
	    "future_counter", UINT64_MAX), 0);
	ck_assert_int_eq(virTypedParamsAddDouble(&p, n, &max,
	    "future_ratio", NAN), 0);
	ck_assert_int_eq(virTypedParamsAddDouble(&p, n, &max,
	    "future_double", 0.25), 0);
	return p;
}

START_TEST(params_in)
{
	struct warns w = { 0 };
	char err[MT_ERRBUF_SIZE];
	int n;
	virTypedParameterPtr p = reference_params(&n);
	struct jobstats *js = jobstats_from_params("live", 3, p, n, collect, &w,
	    err);

	ck_assert_msg(js != NULL, "%s", err);
	ck_assert_int_eq(js->form, JOBSTATS_FORM_PARAMS);
	VAL(js, operation, 4);
	VAL(js, time_elapsed, 8712);
	VAL(js, downtime, 313);
	VAL(js, memory_processed, 95449791);
	VAL(js, success, 1);
	ck_assert_str_eq(js->errmsg, "none");
	ck_assert(!js->memory_constant.present);	/* never invented */
	ck_assert_int_eq(w.n, 3);	/* the three future_* parameters */
	jobstats_free(js);
	virTypedParamsFree(p, n);
}
END_TEST

START_TEST(params_bad)
{
	virTypedParameterPtr p = NULL;
	int n = 0, max = 0;
	char err[MT_ERRBUF_SIZE];

	/* A string where libvirt documents a number. */
	virTypedParamsAddString(&p, &n, &max, VIR_DOMAIN_JOB_TIME_ELAPSED,
	    "8712");
	ck_assert_ptr_null(jobstats_from_params("x", 3, p, n, NULL, NULL, err));
	ck_assert_str_eq(err, "x: 'time_elapsed' is a string, libvirt "
	    "documents an integer");
	virTypedParamsFree(p, n);

	/* A negative size. */
	p = NULL;
	n = max = 0;
	virTypedParamsAddLLong(&p, &n, &max, VIR_DOMAIN_JOB_MEMORY_TOTAL, -1);
	ck_assert_ptr_null(jobstats_from_params("x", 3, p, n, NULL, NULL, err));
	ck_assert_ptr_nonnull(strstr(err, "negative"));
	virTypedParamsFree(p, n);

	/* The same parameter twice, different values. */
	p = NULL;
	n = max = 0;
	virTypedParamsAddULLong(&p, &n, &max, VIR_DOMAIN_JOB_DOWNTIME, 300);
	virTypedParamsAddULLong(&p, &n, &max, VIR_DOMAIN_JOB_DOWNTIME, 301);
	ck_assert_ptr_null(jobstats_from_params("x", 3, p, n, NULL, NULL, err));
	ck_assert_ptr_nonnull(strstr(err, "twice"));
	virTypedParamsFree(p, n);
}
END_TEST

START_TEST(writer_roundtrip)
{
	char dir[] = "/tmp/check_jobstats.XXXXXX", path[256], err[MT_ERRBUF_SIZE];
	struct warns w = { 0 };
	virTypedParameterPtr p;
	json_t *doc, *pa, *v;
	struct jobstats *js;
	int n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/jobstats.json", dir);
	p = reference_params(&n);
	doc = jobstats_doc_new("vm1", "qemu:///system", NULL);
	ck_assert_int_eq(jobstats_doc_add_iteration(doc, 1, 1000), 0);
	ck_assert_int_eq(jobstats_doc_add_iteration(doc, 2, 2000), 0);
	ck_assert_int_eq(jobstats_doc_set_job(doc, 3, p, n, 5000, err), 0);

	/* Exact integers, the big ULLONG as a string, NaN as null. */
	pa = json_object_get(json_object_get(doc, "job"), "params");
	ck_assert_int_eq(json_array_size(pa), n);
	v = json_array_get(pa, 1);
	ck_assert_str_eq(json_string_value(json_object_get(v, "name")),
	    "time_elapsed");
	ck_assert_str_eq(json_string_value(json_object_get(v, "type")),
	    "ullong");
	ck_assert_int_eq(json_integer_value(json_object_get(v, "value")), 8712);
	v = json_array_get(pa, 10);
	ck_assert_str_eq(json_string_value(json_object_get(v, "value")),
	    "18446744073709551615");
	ck_assert(json_is_null(json_object_get(json_array_get(pa, 11),
	    "value")));
	ck_assert(json_is_null(json_object_get(doc, "dest_uri")));

	ck_assert_msg(jobstats_json_write(path, doc, err) == 0, "%s", err);
	ck_assert_int_eq(access(path, R_OK), 0);
	js = jobstats_load(path, collect, &w, err);
	ck_assert_msg(js != NULL, "%s", err);
	ck_assert_int_eq(js->form, JOBSTATS_FORM_JSON);
	VAL(js, time_elapsed, 8712);
	VAL(js, memory_bps, 11844712);
	VAL(js, success, 1);
	ck_assert_int_eq(js->niters, 2);
	ck_assert(js->iters[1].ts_ns == 2000);
	ck_assert(js->completed_ts_ns == 5000);
	ck_assert_ptr_null(js->dest_uri);
	ck_assert_int_eq(w.n, 2);	/* future_counter, future_double */
	jobstats_free(js);

	/* Writing into a missing directory fails with the path. */
	snprintf(path, sizeof(path), "%s/none/jobstats.json", dir);
	ck_assert_int_eq(jobstats_json_write(path, doc, err), -1);
	ck_assert_ptr_nonnull(strstr(err, path));

	snprintf(path, sizeof(path), "%s/jobstats.json", dir);
	unlink(path);
	rmdir(dir);
	json_decref(doc);
	virTypedParamsFree(p, n);
}
END_TEST

START_TEST(report_section)
{
	char err[MT_ERRBUF_SIZE];
	struct jobstats *js = jobstats_load(data("domjobinfo.txt"), NULL, NULL,
	    err);
	json_t *o;

	ck_assert_msg(js != NULL, "%s", err);
	o = jobstats_to_json(js);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "downtime_ms")),
	    313);
	ck_assert_int_eq(json_integer_value(json_object_get(o,
	    "memory_processed")), 95449776);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "page_size")),
	    4096);
	/* bits/s in the report, as every *_bps: 11.296 MiB/s x 8. */
	ck_assert_int_eq(json_integer_value(json_object_get(o, "memory_bps")),
	    11844714LL * 8);
	ck_assert(json_is_true(json_object_get(o, "approximate")));
	ck_assert_str_eq(json_string_value(json_object_get(o, "form")), "text");
	ck_assert(json_is_null(json_object_get(o, "success")));
	json_decref(o);
	jobstats_free(js);

	js = jobstats_load(data("domjobinfo-raw.txt"), NULL, NULL, err);
	ck_assert_msg(js != NULL, "%s", err);
	o = jobstats_to_json(js);
	ck_assert(json_is_false(json_object_get(o, "approximate")));
	ck_assert_int_eq(json_integer_value(json_object_get(o,
	    "memory_processed")), 95449791);
	json_decref(o);
	jobstats_free(js);
	ck_assert(json_is_null(o = jobstats_to_json(NULL)));
	json_decref(o);
}
END_TEST

/*
 * Live fetch against libvirt's test driver: it has domains but no job
 * statistics (docs/libvirt-jobstats.md), so the honest outcome is a clear
 * error, which is what is checked here.
 */
START_TEST(fetch_test_driver)
{
	char err[MT_ERRBUF_SIZE];

	ck_assert_ptr_null(jobstats_fetch("test:///default", "test", NULL,
	    NULL, err));
	ck_assert_msg(strstr(err, "test:///default: domain 'test': cannot get "
	    "job statistics") == err, "%s", err);
	ck_assert_ptr_null(jobstats_fetch("test:///default", "no-such-vm",
	    NULL, NULL, err));
	ck_assert_msg(strstr(err, "domain 'no-such-vm'") != NULL, "%s", err);
	ck_assert_ptr_null(jobstats_fetch("nosuchdriver:///x", "vm", NULL,
	    NULL, err));
	ck_assert_msg(strstr(err, "cannot connect") != NULL, "%s", err);
}
END_TEST

static Suite *
jobstats_suite(void)
{
	Suite *s = suite_create("jobstats");
	TCase *t;

	t = tcase_create("text");
	tcase_add_test(t, text_reference);
	tcase_add_test(t, text_crlf_trailing_spaces);
	tcase_add_test(t, text_decimal_comma);
	tcase_add_test(t, text_unknown_lines);
	tcase_add_test(t, text_duplicate_same_warns);
	tcase_add_test(t, rawstats_exact);
	suite_add_tcase(s, t);

	t = tcase_create("json");
	tcase_add_test(t, json_capture_file);
	tcase_add_test(t, json_ullong_max);
	tcase_add_test(t, writer_roundtrip);
	suite_add_tcase(s, t);

	t = tcase_create("bad");
	tcase_add_loop_test(t, bad_input, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(t, bad_directory);
	suite_add_tcase(s, t);

	t = tcase_create("params");
	tcase_add_test(t, params_in);
	tcase_add_test(t, params_bad);
	tcase_add_test(t, report_section);
	suite_add_tcase(s, t);

	t = tcase_create("fetch");
	tcase_add_test(t, fetch_test_driver);
	tcase_set_timeout(t, 30);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *r;
	int failed;

	/* virTypedParamsAdd* without a connection (see jobstats.h). */
	if (virInitialize() < 0)
		return EXIT_FAILURE;
	r = srunner_create(jobstats_suite());
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
