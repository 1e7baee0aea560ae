/*
 * check_explain.c: Check suite for lib/explain (decomposition,
 * crosschecks, model section) and analyze/explain_report (the report's
 * JSON sections and text).
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/explain.h"
#include "report/explain_report.h"
#include "virt/jobstats.h"

#define NEAR(x, want) ck_assert_msg(fabs((double)(x) - (double)(want)) <= \
	1e-9 * fmax(1, fabs((double)(want))), #x " = %.12g, want %.12g", \
	(double)(x), (double)(want))

/* An arbitrary epoch time for the capture's timestamps. */
#define T0 1764278100000000000LL
#define MS 1000000LL

/*
 * The lab run of docs/probing.md: probes every 10 ms, reply gap
 * 336 ms, first RARP 38 ms before the first reply, libvirt downtime 297.
 */
static void
lab_run(struct explain_in *in)
{
	explain_in_init(in);
	in->last_reply_before_ns = T0;
	in->first_reply_after_ns = T0 + 336 * MS;
	in->announce_first_ns = T0 + 336 * MS - 38 * MS;
	in->interruption_s = 0.336;
	in->probe_interval_s = 0.010;
	in->downtime_s = 0.297;
}

/* The docs/libvirt-jobstats.md job, and a capture that agrees with it. */
static void
reference_run(struct explain_in *in)
{
	lab_run(in);
	in->downtime_s = 0.313;
	in->time_elapsed_s = 8.712;
	in->setup_s = 0.001;
	in->memory_total = 269090816;
	in->memory_processed = 95449776;
	in->memory_bps = 11844714;
	in->memory_constant = 42654;
	in->page_size = 4096;
	in->dirty_rate = 0;
	in->iterations = 4;
	in->stream_bytes = 95800000;		/* + device state, framing */
	in->stream_duration_s = 8.09;
	in->stream_mean_bps = 95800000 * 8 / 8.09;
	in->link_bps = 100e6;
}

START_TEST(decomposition_exact)
{
	struct explain_in in;
	struct explain_result r;

	lab_run(&in);
	explain_run(&in, &r);
	NEAR(r.dec.interruption_s, 0.336);
	NEAR(r.dec.paused_s, 0.297);
	NEAR(r.dec.convergence_s, 0.038);
	NEAR(r.dec.resolution_s, 0.336 - 0.297 - 0.038);	/* 1 ms */
	NEAR(r.dec.paused_s + r.dec.convergence_s + r.dec.resolution_s,
	    r.dec.interruption_s);
	ck_assert(r.dec.rest_checked);
	ck_assert(r.dec.rest_ok);
	ck_assert_int_eq(r.dec.dominant, EXPLAIN_PAUSED);
	ck_assert_str_eq(explain_part_name(r.dec.dominant), "paused");
	ck_assert_str_eq(r.dec.finding, "");
}
END_TEST

/* The interruption from the timestamps when duration_s is absent. */
START_TEST(decomposition_from_ns)
{
	struct explain_in in;
	struct explain_result r;

	lab_run(&in);
	in.interruption_s = NAN;
	explain_run(&in, &r);
	NEAR(r.dec.interruption_s, 0.336);
	ck_assert(r.dec.rest_ok);
}
END_TEST

/*
 * The destination's clock 100 ms ahead of the source's: libvirt's
 * downtime ("now - stopped" across hosts) reads 397 ms, more than the
 * network's whole interruption can hold: flagged as clock skew.
 */
START_TEST(decomposition_skewed_clock)
{
	struct explain_in in;
	struct explain_result r;

	lab_run(&in);
	in.downtime_s = 0.397;
	explain_run(&in, &r);
	NEAR(r.dec.resolution_s, 0.336 - 0.397 - 0.038);
	ck_assert(r.dec.rest_checked);
	ck_assert(!r.dec.rest_ok);
	ck_assert_ptr_nonnull(strstr(r.dec.finding, "clock skew"));
	ck_assert_ptr_nonnull(strstr(r.dec.finding, "99.0 ms more"));

	/* The other way: 100 ms behind leaves 99 ms unexplained. */
	in.downtime_s = 0.197;
	explain_run(&in, &r);
	NEAR(r.dec.resolution_s, 0.101);
	ck_assert(!r.dec.rest_ok);
	ck_assert_ptr_nonnull(strstr(r.dec.finding, "101.0 ms of the "
	    "interruption is unexplained"));

	/* Within the 1 ms slack of libvirt's whole-ms downtime: ok. */
	in.downtime_s = 0.2985;
	explain_run(&in, &r);
	ck_assert(r.dec.rest_ok);
}
END_TEST

START_TEST(decomposition_partial)
{
	struct explain_in in;
	struct explain_result r;

	/* No announce captured: no convergence, no rest, no verdict. */
	lab_run(&in);
	in.announce_first_ns = MT_NS_NONE;
	explain_run(&in, &r);
	NEAR(r.dec.paused_s, 0.297);
	ck_assert(isnan(r.dec.convergence_s));
	ck_assert(isnan(r.dec.resolution_s));
	ck_assert(!r.dec.rest_checked);
	ck_assert_int_eq(r.dec.dominant, EXPLAIN_PAUSED);

	/* No job statistics: convergence only, and it dominates. */
	lab_run(&in);
	in.downtime_s = NAN;
	explain_run(&in, &r);
	NEAR(r.dec.convergence_s, 0.038);
	ck_assert(isnan(r.dec.paused_s));
	ck_assert_int_eq(r.dec.dominant, EXPLAIN_CONVERGENCE);

	/* Nothing at all. */
	explain_in_init(&in);
	explain_run(&in, &r);
	ck_assert(isnan(r.dec.interruption_s));
	ck_assert_int_eq(r.dec.dominant, EXPLAIN_NONE);
	ck_assert(!r.ck[EXPLAIN_CK_BYTES].checked);
	ck_assert(!r.model.run);
	ck_assert_ptr_nonnull(strstr(r.model.note, "no model"));

	/* A slow network after resumption: convergence dominates. */
	lab_run(&in);
	in.interruption_s = 0.800;
	in.first_reply_after_ns = T0 + 800 * MS;
	in.announce_first_ns = T0 + 300 * MS;
	in.downtime_s = 0.295;
	explain_run(&in, &r);
	NEAR(r.dec.convergence_s, 0.5);
	NEAR(r.dec.resolution_s, 0.005);
	ck_assert(r.dec.rest_ok);
	ck_assert_int_eq(r.dec.dominant, EXPLAIN_CONVERGENCE);
}
END_TEST

START_TEST(crosscheck_clean)
{
	struct explain_in in;
	struct explain_result r;
	const struct explain_check *c;

	reference_run(&in);
	explain_run(&in, &r);
	c = &r.ck[EXPLAIN_CK_BYTES];
	ck_assert(c->checked && c->ok);
	NEAR(c->rel_diff, (95800000.0 - 95449776) / 95449776);
	NEAR(c->tolerance, EXPLAIN_TOL_BYTES);
	c = &r.ck[EXPLAIN_CK_RATE];
	ck_assert(c->checked && c->ok);
	NEAR(c->libvirt, 11844714.0 * 8);
	NEAR(c->rel_diff, (95800000 * 8 / 8.09 - 11844714.0 * 8) /
	    (11844714.0 * 8));
	c = &r.ck[EXPLAIN_CK_DURATION];
	ck_assert(c->checked && c->ok);
	NEAR(c->rel_diff, (8.09 - 8.712) / 8.712);
	for (int i = 0; i < EXPLAIN_NCHECKS; i++)
		ck_assert_str_eq(r.ck[i].finding, "");
}
END_TEST

/* A capture on the wrong interface saw only part of the stream. */
START_TEST(crosscheck_wrong_capture)
{
	struct explain_in in;
	struct explain_result r;
	const struct explain_check *c;

	reference_run(&in);
	in.stream_bytes = 40e6;
	in.stream_duration_s = 3.4;
	in.stream_mean_bps = 40e6 * 8 / 3.4;
	explain_run(&in, &r);
	c = &r.ck[EXPLAIN_CK_BYTES];
	ck_assert(c->checked && !c->ok);
	ck_assert_ptr_nonnull(strstr(c->finding, "fewer stream bytes"));
	ck_assert_ptr_nonnull(strstr(c->finding, "missed part of the stream"));
	c = &r.ck[EXPLAIN_CK_DURATION];
	ck_assert(!c->ok);
	ck_assert_ptr_nonnull(strstr(c->finding, "less than libvirt's job"));
}
END_TEST

/* libvirt's time_elapsed from a destination clock 2 s ahead. */
START_TEST(crosscheck_skewed_clock)
{
	struct explain_in in;
	struct explain_result r;
	const struct explain_check *c;

	reference_run(&in);
	in.time_elapsed_s = 8.712 - 2;
	explain_run(&in, &r);
	c = &r.ck[EXPLAIN_CK_DURATION];
	ck_assert(c->checked && !c->ok);
	NEAR(c->rel_diff, (8.09 - 6.712) / 6.712);
	ck_assert_ptr_nonnull(strstr(c->finding, "clock skew between the "
	    "hosts"));
	ck_assert(r.ck[EXPLAIN_CK_BYTES].ok);	/* the bytes still agree */
}
END_TEST

/* the model through explain: within 15% of 8712 ms. */
START_TEST(model_reference)
{
	struct explain_in in;
	struct explain_result r;
	double v = 23042.0 * 4104 + 42654.0 * 9, rate = 95800000 / 8.09;

	reference_run(&in);
	explain_run(&in, &r);
	ck_assert(r.model.run);
	ck_assert(r.model.out.converges);
	NEAR(r.model.in.v_bytes, v);
	NEAR(r.model.in.rate_Bps, rate);
	ck_assert_ptr_nonnull(strstr(r.model.r_source, "capture"));
	NEAR(r.model.out.total_s, 0.001 + v / rate);
	NEAR(r.model.measured_time_s, 8.712);
	NEAR(r.model.time_rel_diff, (0.001 + v / rate - 8.712) / 8.712);
	ck_assert(fabs(r.model.time_rel_diff) <= 0.15);
	NEAR(r.model.out.downtime_s, 0);
	NEAR(r.model.downtime_diff_s, 0.313);
	ck_assert(!r.model.what_if);
}
END_TEST

/*
 * "Is our 100 Mbit/s link the problem?": at 1 Gbit/s the stream gets
 * the share of the link it had (95.8 MB in 8.09 s of a 100 Mbit/s link),
 * the memory copy shrinks tenfold, the fixed costs stay.
 */
START_TEST(model_what_if)
{
	struct explain_in in;
	struct explain_result r;
	double v = 23042.0 * 4104 + 42654.0 * 9, rate = 95800000 / 8.09;
	double eff = rate * 8 / 100e6, r2 = 1e9 / 8 * eff;
	double fixed_t = 8.712 - (0.001 + v / rate);

	reference_run(&in);
	in.what_if_bps = 1e9;
	explain_run(&in, &r);
	ck_assert(r.model.what_if);
	NEAR(r.model.wi_efficiency, eff);
	NEAR(r.model.wi_rate_Bps, r2);
	NEAR(r.model.wi_fixed_time_s, fixed_t);
	NEAR(r.model.wi_fixed_downtime_s, 0.313);
	NEAR(r.model.wi_time_s, 0.001 + v / r2 + fixed_t);
	NEAR(r.model.wi_downtime_s, 0.313);

	/* Without --link, TCP's payload share of Ethernet. */
	in.link_bps = NAN;
	explain_run(&in, &r);
	NEAR(r.model.wi_efficiency, 1448.0 / 1538.0);
}
END_TEST

/*
 * Calibration: a guest dirtying 200 pages/s (819.2 kB/s) on the 11.84
 * MB/s stream: lambda = 0.0692, passes V and V.l (6.57 MB) live, then
 * V.l^2 = 0.455 MB (under the 300 ms x R = 3.55 MB threshold) while
 * paused: 38.4 ms of the 313 ms downtime and 336 ms interruption, and
 * 8.61 s of the 8.712 s job. The rest is the fixed term; a what-if at the
 * measured 100 Mbit/s link must give the measurements back, at 1 Gbit/s
 * less (V live, then V.l/10 = 0.66 MB paused: 5.5 ms + fixed).
 */
START_TEST(model_what_if_calibrated)
{
	struct explain_in in;
	struct explain_result r;
	double v = 23042.0 * 4104 + 42654.0 * 9, rate = 95800000 / 8.09;
	double lambda = 200.0 * 4096 / rate;
	double last = v * lambda * lambda, copy = last / rate;

	reference_run(&in);
	in.dirty_rate = 200;
	in.what_if_bps = 100e6;		/* the measured link */
	explain_run(&in, &r);
	ck_assert(r.model.what_if && r.model.wi_calibrated);
	ck_assert_int_eq(r.model.out.passes, 3);
	NEAR(r.model.out.downtime_s, copy);
	ck_assert(copy > 0.038 && copy < 0.039);
	NEAR(r.model.out.total_s, 0.001 + (v + v * lambda) / rate + copy);
	NEAR(r.model.wi_fixed_downtime_s, 0.313 - copy);
	NEAR(r.model.wi_fixed_interruption_s, 0.336 - copy);
	ck_assert(fabs(r.model.wi_downtime_s - 0.313) <= EXPLAIN_WI_TOL_S);
	ck_assert(fabs(r.model.wi_interruption_s - 0.336) <= EXPLAIN_WI_TOL_S);
	ck_assert(fabs(r.model.wi_time_s - 8.712) <= EXPLAIN_WI_TOL_S);

	in.what_if_bps = 1e9;
	explain_run(&in, &r);
	ck_assert_int_eq(r.model.wi.passes, 2);
	NEAR(r.model.wi.downtime_s, v * (200.0 * 4096 / (rate * 10)) /
	    (rate * 10));
	ck_assert(r.model.wi_downtime_s <= 0.313);
	ck_assert(r.model.wi_interruption_s <= 0.336);
	NEAR(r.model.wi_interruption_s, r.model.wi.downtime_s + 0.336 - copy);

	/* A model whose memory term exceeds the measurement: not calibrated. */
	in.downtime_s = 0.030;		/* under the 38.4 ms memory term */
	explain_run(&in, &r);
	ck_assert(!r.model.wi_calibrated);
	NEAR(r.model.wi_fixed_downtime_s, 0);
}
END_TEST

/* A guest dirtying 20 MB/s on a 11.8 MB/s stream never converges. */
START_TEST(model_non_convergence)
{
	struct explain_in in;
	struct explain_result r;

	reference_run(&in);
	in.dirty_rate = 5000;		/* pages/s x 4096 = 20.48 MB/s */
	in.what_if_bps = 1e9;
	explain_run(&in, &r);
	ck_assert(r.model.run);
	ck_assert(!r.model.out.converges);
	NEAR(r.model.in.dirty_Bps, 5000.0 * 4096);
	ck_assert(r.model.out.lambda > 1);
	ck_assert_ptr_nonnull(strstr(r.model.note, "does not converge"));
	ck_assert(isnan(r.model.time_rel_diff));
	/*
	 * At 1 Gbit/s it would: lambda = 0.17, one live pass of V, then
	 * V*lambda (16 MB) fits the 300 ms limit (35 MB at that rate).
	 */
	ck_assert(r.model.what_if);
	ck_assert(r.model.wi.converges);
	ck_assert_int_eq(r.model.wi.passes, 2);
	NEAR(r.model.wi.lambda, 5000.0 * 4096 / r.model.wi_rate_Bps);
	NEAR(r.model.wi.downtime_s, r.model.in.v_bytes * r.model.wi.lambda /
	    r.model.wi_rate_Bps);
	NEAR(r.model.wi_fixed_time_s, 0);	/* nothing to calibrate on */
}
END_TEST

START_TEST(model_without_jobstats)
{
	struct explain_in in;
	struct explain_result r;

	reference_run(&in);
	in.downtime_s = in.time_elapsed_s = in.setup_s = NAN;
	in.memory_total = in.memory_processed = in.memory_bps = NAN;
	in.memory_constant = in.page_size = in.dirty_rate = NAN;
	explain_run(&in, &r);
	ck_assert(r.model.run);
	NEAR(r.model.in.v_bytes, 95800000);
	ck_assert_ptr_nonnull(strstr(r.model.v_source, "capture"));
	ck_assert_ptr_nonnull(strstr(r.model.note, "dirty rate unknown"));
	NEAR(r.model.measured_time_s, 8.09);
	NEAR(r.model.out.total_s, 8.09);
	ck_assert(!r.ck[EXPLAIN_CK_BYTES].checked);
}
END_TEST

/* ---- analyze/explain_report ---- */

static json_t *
report_doc(void)
{
	json_error_t e;
	json_t *doc = json_loads("{"
	    "\"interruption\": {\"method\": \"icmp-echo\","
	    "  \"last_reply_before_ns\": 1764278100000000000,"
	    "  \"first_reply_after_ns\": 1764278100336000000,"
	    "  \"duration_s\": 0.336, \"probe_interval_s\": 0.01,"
	    "  \"lost_probes\": 33},"
	    "\"announce\": {\"first_ns\": 1764278100298000000, \"count\": 5},"
	    "\"migration\": {\"bytes\": 95800000, \"duration_s\": 8.09,"
	    "  \"first_data_ns\": 1764278092000000000,"
	    "  \"last_data_ns\": 1764278100090000000,"
	    "  \"mean_bps\": 94734239.8, \"link_bps\": 100000000.0},"
	    "\"notes\": []}", 0, &e);

	ck_assert_msg(doc != NULL, "%s", e.text);
	return doc;
}

static const char *
data(const char *name, char *buf, size_t len)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, len, "%s/tests/jobstats/%s", top ? top : ".", name);
	return buf;
}

static double
num(const json_t *doc, const char *sect, const char *key)
{
	const json_t *v = json_object_get(json_object_get(doc, sect), key);

	ck_assert_msg(json_is_number(v), "%s.%s is not a number", sect, key);
	return json_number_value(v);
}

static int
is_null(const json_t *doc, const char *sect, const char *key)
{
	const json_t *o = json_object_get(doc, sect);

	return json_is_object(o) && json_object_get(o, key) != NULL &&
	    json_is_null(json_object_get(o, key));
}

START_TEST(report_json)
{
	char p[4096], err[MT_ERRBUF_SIZE];
	struct jobstats *js = jobstats_load(data("domjobinfo.txt", p,
	    sizeof(p)), NULL, NULL, err);
	struct explain_opts o;
	json_t *doc = report_doc(), *ck, *wi;

	ck_assert_msg(js != NULL, "%s", err);
	explain_opts_init(&o);
	o.what_if_link_bps = 1e9;
	ck_assert_int_eq(explain_add_json(doc, js, &o, err), 0);

	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    doc, "jobstats"), "downtime_ms")), 313);
	ck_assert(json_is_true(json_object_get(json_object_get(doc,
	    "jobstats"), "approximate")));
	NEAR(num(doc, "decomposition", "paused_s"), 0.313);
	NEAR(num(doc, "decomposition", "convergence_s"), 0.038);
	NEAR(num(doc, "decomposition", "resolution_s"), 0.336 - 0.313 - 0.038);
	/* 313 ms paused + 38 ms convergence > 336 ms: flagged. */
	ck_assert(json_is_false(json_object_get(json_object_get(doc,
	    "decomposition"), "rest_ok")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    doc, "decomposition"), "dominant")), "paused");

	ck = json_object_get(json_object_get(doc, "crosscheck"), "bytes");
	NEAR(json_number_value(json_object_get(ck, "libvirt")), 95449776);
	NEAR(json_number_value(json_object_get(ck, "capture")), 95800000);
	ck_assert(json_is_true(json_object_get(ck, "ok")));
	ck_assert(json_is_true(json_object_get(json_object_get(doc,
	    "crosscheck"), "ok")));

	NEAR(num(doc, "model", "v_bytes"), 23042.0 * 4104 + 42654.0 * 9);
	NEAR(num(doc, "model", "link_bps"), 94734239.8);
	NEAR(num(doc, "model", "downtime_limit_s"), 0.3);
	ck_assert(json_is_true(json_object_get(json_object_get(doc, "model"),
	    "converges")));
	ck_assert(fabs(num(doc, "model", "time_rel_diff")) <= 0.15);
	NEAR(num(doc, "model", "measured_iterations"), 4);
	wi = json_object_get(json_object_get(doc, "model"), "what_if");
	ck_assert(json_is_object(wi));
	NEAR(json_number_value(json_object_get(wi, "link_bps")), 1e9);
	ck_assert(json_is_number(json_object_get(wi, "predicted_time_s")));
	NEAR(json_number_value(json_object_get(wi, "predicted_downtime_s")),
	    0.313);
	/* The decomposition's finding went into the notes. */
	ck_assert_int_eq(json_array_size(json_object_get(doc, "notes")), 1);
	json_decref(doc);
	jobstats_free(js);
}
END_TEST

/* Missing measures: null outputs and notes, never a crash. */
START_TEST(report_json_null_safe)
{
	char err[MT_ERRBUF_SIZE];
	json_t *doc = json_object();
	FILE *f;
	char *text = NULL;
	size_t len = 0;

	ck_assert_int_eq(explain_add_json(doc, NULL, NULL, err), 0);
	ck_assert(json_is_null(json_object_get(doc, "jobstats")));
	ck_assert(is_null(doc, "decomposition", "paused_s"));
	ck_assert(is_null(doc, "decomposition", "rest_ok"));
	ck_assert(is_null(doc, "crosscheck", "ok"));
	ck_assert(is_null(doc, "model", "predicted_time_s"));
	ck_assert(is_null(doc, "model", "what_if"));
	ck_assert(json_array_size(json_object_get(doc, "notes")) >= 1);

	/* Absent sections, wrong types: the text writer copes. */
	json_object_set_new(doc, "model", json_string("nonsense"));
	f = open_memstream(&text, &len);
	explain_write_text(doc, f);
	fclose(f);
	free(text);
	json_decref(doc);

	ck_assert_int_eq(explain_add_json(NULL, NULL, NULL, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a JSON object"));
}
END_TEST

START_TEST(report_text)
{
	char p[4096], err[MT_ERRBUF_SIZE];
	struct jobstats *js = jobstats_load(data("domjobinfo-raw.txt", p,
	    sizeof(p)), NULL, NULL, err);
	struct explain_opts o;
	json_t *doc = report_doc();
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_msg(js != NULL, "%s", err);
	/* The lab's 297 ms downtime with this job's other numbers. */
	js->downtime.v = 297;
	explain_opts_init(&o);
	o.what_if_link_bps = 1e9;
	ck_assert_int_eq(explain_add_json(doc, js, &o, err), 0);
	f = open_memstream(&text, &len);
	explain_write_text(doc, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "Total downtime:            297 ms"));
	ck_assert_ptr_nonnull(strstr(text, "Most of the 336.0 ms interruption "
	    "is the guest being paused (libvirt downtime): 297.0 ms (88%)."));
	ck_assert_ptr_nonnull(strstr(text, "within one probe interval"));
	ck_assert_ptr_nonnull(strstr(text, "Stream bytes:"));
	ck_assert_ptr_nonnull(strstr(text, "ok\n"));
	ck_assert_ptr_nonnull(strstr(text, "What if the link were 1 Gbit/s"));
	ck_assert_ptr_nonnull(strstr(text, "the link sets the migration time, "
	    "not the downtime."));
	free(text);
	json_decref(doc);
	jobstats_free(js);
}
END_TEST

START_TEST(parse_limit)
{
	double s;

	ck_assert_int_eq(explain_parse_limit("300", &s), 0);
	NEAR(s, 0.3);
	ck_assert_int_eq(explain_parse_limit("500ms", &s), 0);
	NEAR(s, 0.5);
	ck_assert_int_eq(explain_parse_limit("1.5s", &s), 0);
	NEAR(s, 1.5);
	ck_assert_int_eq(explain_parse_limit("0", &s), -1);
	ck_assert_int_eq(explain_parse_limit("-5", &s), -1);
	ck_assert_int_eq(explain_parse_limit("abc", &s), -1);
	ck_assert_int_eq(explain_parse_limit("", &s), -1);
	ck_assert_int_eq(explain_parse_limit(NULL, &s), -1);
}
END_TEST

static Suite *
explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *t;

	t = tcase_create("decomposition");
	tcase_add_test(t, decomposition_exact);
	tcase_add_test(t, decomposition_from_ns);
	tcase_add_test(t, decomposition_skewed_clock);
	tcase_add_test(t, decomposition_partial);
	suite_add_tcase(s, t);

	t = tcase_create("crosscheck");
	tcase_add_test(t, crosscheck_clean);
	tcase_add_test(t, crosscheck_wrong_capture);
	tcase_add_test(t, crosscheck_skewed_clock);
	suite_add_tcase(s, t);

	t = tcase_create("model");
	tcase_add_test(t, model_reference);
	tcase_add_test(t, model_what_if);
	tcase_add_test(t, model_what_if_calibrated);
	tcase_add_test(t, model_non_convergence);
	tcase_add_test(t, model_without_jobstats);
	suite_add_tcase(s, t);

	t = tcase_create("report");
	tcase_add_test(t, report_json);
	tcase_add_test(t, report_json_null_safe);
	tcase_add_test(t, report_text);
	tcase_add_test(t, parse_limit);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *r;
	int failed;

	if (virInitialize() < 0)
		return EXIT_FAILURE;
	r = srunner_create(explain_suite());
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
