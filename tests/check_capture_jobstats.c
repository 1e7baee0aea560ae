/*
 * check_capture_jobstats.c: jobstats.json as migtrace-capture writes it:
 * typed parameter arrays built by virTypedParamsAdd* (as libvirt's
 * JOB_COMPLETED event and virDomainGetJobStats deliver them,
 * docs/libvirt-jobstats.md), turned into the document by lib/virt/jobstats.h the way capture/virt.c
 * does (iterations as the events come, then the job), written by
 * lib/base/outfile.c (atomic, 0640, never through a link), and read back
 * by the analyzer's reader with every value exact. No libvirtd needed.
 */
#include "config.h"

#include <sys/stat.h>
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "base/outfile.h"
#include "virt/jobstats.h"

static virTypedParameterPtr params;
static int nparams, maxparams;
static char dir[] = "/tmp/check_capture_jobstats.XXXXXX";
static int dirfd_ = -1;

static void
setup(void)
{
	ck_assert_int_eq(virInitialize(), 0);
	params = NULL;
	nparams = maxparams = 0;
	strcpy(dir, "/tmp/check_capture_jobstats.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dirfd_, 0);
}

static void
teardown(void)
{
	char cmd[128];

	virTypedParamsFree(params, nparams);
	close(dirfd_);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The completed outgoing job of the lab (docs/libvirt-jobstats.md), exact bytes. */
static void
add_lab_params(void)
{
#define ADD(fn, name, v) \
	ck_assert_int_eq(fn(&params, &nparams, &maxparams, name, v), 0)
	ADD(virTypedParamsAddInt, VIR_DOMAIN_JOB_OPERATION,
	    VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_TIME_ELAPSED, 8712);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_TIME_ELAPSED_NET, 8710);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_DOWNTIME, 313);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_DOWNTIME_NET, 311);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_SETUP_TIME, 1);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_TOTAL, 269090816ULL);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_PROCESSED,
	    95449088ULL);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_BPS, 11844608ULL);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_ITERATION, 4);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_CONSTANT, 42654);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_NORMAL, 23164);
	ADD(virTypedParamsAddULLong, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096);
	ADD(virTypedParamsAddInt, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE, 0);
	ADD(virTypedParamsAddBoolean, VIR_DOMAIN_JOB_SUCCESS, 1);
#undef ADD
}

/* What capture/virt.c builds: doc, iterations as they come, the job. */
static json_t *
capture_doc(mt_ns completed)
{
	char err[MT_ERRBUF_SIZE];
	json_t *doc;

	doc = jobstats_doc_new("guest1", "qemu:///system",
	    "qemu+tcp://192.0.2.2/system");
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(jobstats_doc_add_iteration(doc, 1,
	    1795814519638699411LL), 0);
	ck_assert_int_eq(jobstats_doc_add_iteration(doc, 2,
	    1795814523000000001LL), 0);
	ck_assert_int_eq(jobstats_doc_set_job(doc, VIR_DOMAIN_JOB_COMPLETED,
	    params, nparams, completed, err), 0);
	return doc;
}

static json_t *
param_named(json_t *doc, const char *name)
{
	json_t *arr = json_object_get(json_object_get(doc, "job"), "params");
	size_t i;
	json_t *p;

	json_array_foreach(arr, i, p)
		if (strcmp(json_string_value(json_object_get(p, "name")),
		    name) == 0)
			return p;
	ck_abort_msg("parameter %s missing", name);
	return NULL;
}

START_TEST(exact_format_and_order)
{
	static const char *const keys[] = { "format", "version", "domain",
	    "source_uri", "dest_uri", "job", "iterations", "completed_ts_ns" };
	json_t *doc, *v, *arr;
	const char *key;
	char *text;
	size_t i = 0;

	add_lab_params();
	doc = capture_doc(1795814528350699411LL);
	json_object_foreach(doc, key, v) {
		ck_assert_uint_lt(i, 8);
		ck_assert_str_eq(key, keys[i]);
		i++;
	}
	ck_assert_uint_eq(i, 8);
	/* Every parameter, in libvirt's order. */
	arr = json_object_get(json_object_get(doc, "job"), "params");
	ck_assert_uint_eq(json_array_size(arr), (size_t)nparams);
	for (i = 0; i < (size_t)nparams; i++)
		ck_assert_str_eq(json_string_value(json_object_get(
		    json_array_get(arr, i), "name")), params[i].field);
	text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_COMPACT);
	ck_assert_ptr_nonnull(strstr(text, "{\"format\":\"migtrace-jobstats\","
	    "\"version\":1,\"domain\":\"guest1\","
	    "\"source_uri\":\"qemu:///system\","
	    "\"dest_uri\":\"qemu+tcp://192.0.2.2/system\",\"job\":{\"type\":3,"
	    "\"params\":[{\"name\":\"operation\",\"type\":\"int\",\"value\":5},"
	    "{\"name\":\"time_elapsed\",\"type\":\"ullong\",\"value\":8712},"));
	ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"success\","
	    "\"type\":\"boolean\",\"value\":true}"));
	ck_assert_ptr_nonnull(strstr(text, "\"iterations\":[{\"iteration\":1,"
	    "\"ts_ns\":1795814519638699411},{\"iteration\":2,"
	    "\"ts_ns\":1795814523000000001}],"
	    "\"completed_ts_ns\":1795814528350699411}"));
	free(text);
	json_decref(doc);
}
END_TEST

START_TEST(integers_exact)
{
	json_t *doc, *back, *p;
	char *text;

	/* 2^53 + 1 is no double; 2^63 + 5 is beyond a jansson integer. */
	ck_assert_int_eq(virTypedParamsAddULLong(&params, &nparams, &maxparams,
	    VIR_DOMAIN_JOB_DATA_TOTAL, 9007199254740993ULL), 0);
	ck_assert_int_eq(virTypedParamsAddULLong(&params, &nparams, &maxparams,
	    VIR_DOMAIN_JOB_DATA_PROCESSED, 9223372036854775813ULL), 0);
	ck_assert_int_eq(virTypedParamsAddLLong(&params, &nparams, &maxparams,
	    "future_llong", -9007199254740993LL), 0);
	ck_assert_int_eq(virTypedParamsAddUInt(&params, &nparams, &maxparams,
	    "future_uint", 4294967295U), 0);
	ck_assert_int_eq(virTypedParamsAddString(&params, &nparams, &maxparams,
	    VIR_DOMAIN_JOB_ERRMSG, "said \"no\"\n"), 0);
	doc = capture_doc(MT_NS_NONE);
	text = json_dumps(doc, JSON_COMPACT);
	back = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(back);
	p = param_named(back, "data_total");
	ck_assert_str_eq(json_string_value(json_object_get(p, "type")), "ullong");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "value")),
	    9007199254740993LL);
	p = param_named(back, "data_processed");
	ck_assert_str_eq(json_string_value(json_object_get(p, "value")),
	    "9223372036854775813");
	p = param_named(back, "future_llong");
	ck_assert_str_eq(json_string_value(json_object_get(p, "type")), "llong");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "value")),
	    -9007199254740993LL);
	p = param_named(back, "future_uint");
	ck_assert_str_eq(json_string_value(json_object_get(p, "type")), "uint");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "value")),
	    4294967295LL);
	p = param_named(back, "errmsg");
	ck_assert_str_eq(json_string_value(json_object_get(p, "value")),
	    "said \"no\"\n");
	ck_assert(json_is_null(json_object_get(back, "completed_ts_ns")));
	free(text);
	json_decref(back);
	json_decref(doc);
}
END_TEST

/* Written the way capture writes it, read back by the analyzer. */
START_TEST(written_and_read_back)
{
	char err[MT_ERRBUF_SIZE], path[256];
	struct jobstats *js;
	struct stat sb;
	json_t *doc;

	add_lab_params();
	doc = capture_doc(1795814528350699411LL);
	/* The two keys capture/virt.c adds: where "job" came from, and the
	 * destination's own statistics. The reader must take them. */
	json_object_set_new(doc, "job_source", json_string("event"));
	json_object_set_new(doc, "dest_job", json_pack("{s:i, s:o}", "type", 3,
	    "params", jobstats_params_to_json(params, nparams)));
	ck_assert_int_eq(out_json_atomic(dirfd_, dir, "jobstats.json", doc,
	    err, sizeof(err)), 0);
	json_decref(doc);
	snprintf(path, sizeof(path), "%s/jobstats.json", dir);
	ck_assert_int_eq(lstat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0640);
	js = jobstats_load(path, NULL, NULL, err);
	ck_assert_msg(js != NULL, "%s", err);
	ck_assert_int_eq(js->form, JOBSTATS_FORM_JSON);
	ck_assert_str_eq(js->domain, "guest1");
	ck_assert_int_eq(js->job_type, VIR_DOMAIN_JOB_COMPLETED);
	ck_assert(js->downtime.present && !js->downtime.approximate);
	ck_assert_uint_eq(js->downtime.v, 313);
	ck_assert_uint_eq(js->time_elapsed.v, 8712);
	ck_assert_uint_eq(js->memory_total.v, 269090816ULL);
	ck_assert_uint_eq(js->memory_bps.v, 11844608ULL);
	ck_assert_uint_eq(js->memory_iteration.v, 4);
	ck_assert_uint_eq(js->operation.v, 5);
	ck_assert_int_eq(js->niters, 2);
	ck_assert_int_eq(js->iters[1].iteration, 2);
	ck_assert_int_eq(js->iters[1].ts_ns, 1795814523000000001LL);
	ck_assert_int_eq(js->completed_ts_ns, 1795814528350699411LL);
	jobstats_free(js);
}
END_TEST

/* The document before any job: null job, readable as "no statistics". */
START_TEST(no_job_yet)
{
	json_t *doc;

	doc = jobstats_doc_new("g", "test:///default", NULL);
	ck_assert(json_is_null(json_object_get(doc, "job")));
	ck_assert(json_is_null(json_object_get(doc, "dest_uri")));
	ck_assert(json_is_null(json_object_get(doc, "completed_ts_ns")));
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "iterations")),
	    0);
	json_decref(doc);
}
END_TEST

/* Output files: no overwrite without force, never through a link. */
START_TEST(outfile_safety)
{
	char err[MT_ERRBUF_SIZE], path[256], buf[16];
	json_t *doc = json_pack("{s:i}", "a", 1);
	int fd;

	fd = out_create(dirfd_, dir, "f.pcap", 0, err, sizeof(err));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	close(fd);
	ck_assert_int_eq(out_create(dirfd_, dir, "f.pcap", 0, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "f.pcap: already exists"));
	fd = out_create(dirfd_, dir, "f.pcap", 1, err, sizeof(err));
	ck_assert_int_ge(fd, 0);
	close(fd);

	snprintf(path, sizeof(path), "%s/target", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_eq(write(fd, "keep", 4), 4);
	close(fd);
	ck_assert_int_eq(symlinkat("target", dirfd_, "l.pcap"), 0);
	ck_assert_int_eq(out_create(dirfd_, dir, "l.pcap", 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "l.pcap: is a symbolic link"));
	/* The atomic writer replaces a link by a file, never writes
	 * through it. */
	ck_assert_int_eq(symlinkat("target", dirfd_, "m.json"), 0);
	ck_assert_int_eq(out_json_atomic(dirfd_, dir, "m.json", doc, err,
	    sizeof(err)), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 4);
	close(fd);
	ck_assert_int_eq(memcmp(buf, "keep", 4), 0);
	json_decref(doc);
}
END_TEST

static Suite *
capture_jobstats_suite(void)
{
	Suite *s = suite_create("capture_jobstats");
	TCase *tc;

	tc = tcase_create("document");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exact_format_and_order);
	tcase_add_test(tc, integers_exact);
	tcase_add_test(tc, written_and_read_back);
	tcase_add_test(tc, no_job_yet);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, outfile_safety);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(capture_jobstats_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
