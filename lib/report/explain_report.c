/*
 * explain_report.c: one migration explained, in the report: libvirt's job
 * statistics next to the capture's measures (lib/analysis/explain.h), as JSON
 * sections of the report document and as text.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/explain.h"
#include "report/explain_report.h"
#include "report/report.h"
#include "base/jpath.h"

#define KNOWN(x) (!isnan(x))

void
explain_opts_init(struct explain_opts *o)
{
	o->downtime_limit_s = MODEL_DEFAULT_LIMIT_S;
	o->what_if_link_bps = 0;
}

int
explain_parse_limit(const char *s, double *seconds)
{
	char *end;
	double v;
	mt_ns ns;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtod(s, &end);
	if (end != s && *end == '\0') {
		/* A bare number: ms, like virsh migrate-setmaxdowntime. */
		if (!(v > 0) || !isfinite(v) || v > 1e9)
			return -1;
		*seconds = v / 1e3;
		return 0;
	}
	if (mt_parse_duration(s, &ns) < 0 || ns <= 0)
		return -1;
	*seconds = (double)ns / 1e9;
	return 0;
}

/* ---- reading the document ---- */

/* A timestamp of the document: integer ns only (what analysis writes). */
static mt_ns
doc_ns(const json_t *doc, const char *path)
{
	const json_t *v = jpath(doc, path);

	return json_is_integer(v) ? (mt_ns)json_integer_value(v) : MT_NS_NONE;
}

static double
js_d(const struct jobstats_val *v)
{
	return v->present ? (double)v->v : NAN;
}

/* ---- writing the document ---- */

/* Bytes and counts: an integer when it is one (exact below 2^53). */
static json_t *
jcount(double x)
{
	if (KNOWN(x) && x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	return mt_json_num(x);
}

static json_t *
jstr(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

/* fmt: a short prefix and one %s; what: at most MT_ERRBUF_SIZE - 1. */
static void
add_note(json_t *doc, const char *fmt, const char *what)
{
	char buf[MT_ERRBUF_SIZE + 64];

	snprintf(buf, sizeof(buf), fmt, what);
	report_add_note(doc, buf);
}

static json_t *
decomposition_json(const struct explain_decomp *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "interruption_s",
	    mt_json_num(d->interruption_s));
	json_object_set_new(o, "paused_s", mt_json_num(d->paused_s));
	json_object_set_new(o, "convergence_s", mt_json_num(d->convergence_s));
	json_object_set_new(o, "resolution_s", mt_json_num(d->resolution_s));
	json_object_set_new(o, "probe_interval_s",
	    mt_json_num(d->probe_interval_s));
	json_object_set_new(o, "rest_ok", d->rest_checked ?
	    json_boolean(d->rest_ok) : json_null());
	json_object_set_new(o, "dominant", jstr(explain_part_name(d->dominant)));
	json_object_set_new(o, "finding", jstr(d->finding));
	return o;
}

static json_t *
crosscheck_json(const struct explain_check *ck)
{
	static const char *const units[EXPLAIN_NCHECKS] = {
		[EXPLAIN_CK_BYTES] = "bytes",
		[EXPLAIN_CK_RATE] = "bits/s",
		[EXPLAIN_CK_DURATION] = "s",
	};
	static const char *const lv[EXPLAIN_NCHECKS] = {
		[EXPLAIN_CK_BYTES] = "jobstats.memory_processed",
		[EXPLAIN_CK_RATE] = "jobstats.memory_bps",
		[EXPLAIN_CK_DURATION] = "jobstats.time_elapsed_ms / 1000",
	};
	static const char *const cv[EXPLAIN_NCHECKS] = {
		[EXPLAIN_CK_BYTES] = "migration.bytes",
		[EXPLAIN_CK_RATE] = "migration.mean_bps",
		[EXPLAIN_CK_DURATION] = "migration.duration_s",
	};
	json_t *o = json_object();
	int checked = 0, all_ok = 1;

	for (int i = 0; i < EXPLAIN_NCHECKS; i++) {
		const struct explain_check *c = &ck[i];

		json_object_set_new(o, c->name, json_pack("{s:o, s:o, s:s, s:s, "
		    "s:s, s:o, s:f, s:o, s:o}",
		    "capture", i == EXPLAIN_CK_BYTES ? jcount(c->capture) :
		    mt_json_num(c->capture), "libvirt", i == EXPLAIN_CK_BYTES ?
		    jcount(c->libvirt) : mt_json_num(c->libvirt),
		    "unit", units[i], "capture_key", cv[i], "libvirt_key", lv[i],
		    "rel_diff", mt_json_num(c->rel_diff),
		    "tolerance", c->tolerance,
		    "ok", c->checked ? json_boolean(c->ok) : json_null(),
		    "finding", jstr(c->finding)));
		if (c->checked) {
			checked++;
			all_ok &= c->ok;
		}
	}
	json_object_set_new(o, "ok", checked ? json_boolean(all_ok) :
	    json_null());
	return o;
}

static json_t *
model_json(const struct explain_model *m, const struct explain_in *in)
{
	json_t *o = json_object(), *wi = json_null();
	int run = m->run, conv = m->run && m->out.converges;

	json_object_set_new(o, "v_bytes", run ? jcount(m->in.v_bytes) :
	    json_null());
	json_object_set_new(o, "v_source", jstr(run ? m->v_source : NULL));
	json_object_set_new(o, "link_bps", run ?
	    mt_json_num(m->in.rate_Bps * 8) :
	    json_null());
	json_object_set_new(o, "link_source", jstr(run ? m->r_source : NULL));
	json_object_set_new(o, "dirty_bytes_per_s", run ?
	    mt_json_num(m->in.dirty_Bps) : json_null());
	json_object_set_new(o, "lambda", run ? mt_json_num(m->out.lambda) :
	    json_null());
	json_object_set_new(o, "downtime_limit_s", mt_json_num(in->limit_s));
	json_object_set_new(o, "setup_s", run ? mt_json_num(m->in.setup_s) :
	    json_null());
	json_object_set_new(o, "converges", run ? json_boolean(conv) :
	    json_null());
	json_object_set_new(o, "passes", conv ? json_integer(m->out.passes) :
	    json_null());
	json_object_set_new(o, "measured_iterations", jcount(in->iterations));
	json_object_set_new(o, "predicted_time_s", conv ?
	    mt_json_num(m->out.total_s) : json_null());
	json_object_set_new(o, "predicted_downtime_s", conv ?
	    mt_json_num(m->out.downtime_s) : json_null());
	json_object_set_new(o, "predicted_last_pass_bytes", conv ?
	    mt_json_num(m->out.last_pass_bytes) : json_null());
	json_object_set_new(o, "measured_time_s", run ?
	    mt_json_num(m->measured_time_s) : json_null());
	json_object_set_new(o, "measured_downtime_s", run ?
	    mt_json_num(m->measured_downtime_s) : json_null());
	json_object_set_new(o, "measured_interruption_s", run ?
	    mt_json_num(in->interruption_s) : json_null());
	json_object_set_new(o, "time_rel_diff", conv ?
	    mt_json_num(m->time_rel_diff) :
	    json_null());
	json_object_set_new(o, "unexplained_downtime_s", conv ?
	    mt_json_num(m->downtime_diff_s) : json_null());
	if (m->what_if) {
		int wc = m->wi.converges;

		wi = json_object();
		json_object_set_new(wi, "link_bps",
		    mt_json_num(m->wi_link_bps));
		json_object_set_new(wi, "efficiency",
		    mt_json_num(m->wi_efficiency));
		json_object_set_new(wi, "stream_bps",
		    mt_json_num(m->wi_rate_Bps * 8));
		json_object_set_new(wi, "lambda", mt_json_num(m->wi.lambda));
		json_object_set_new(wi, "converges", json_boolean(wc));
		json_object_set_new(wi, "passes", wc ?
		    json_integer(m->wi.passes) : json_null());
		json_object_set_new(wi, "fixed_time_s",
		    mt_json_num(m->wi_fixed_time_s));
		json_object_set_new(wi, "fixed_downtime_s",
		    mt_json_num(m->wi_fixed_downtime_s));
		json_object_set_new(wi, "predicted_time_s", wc ?
		    mt_json_num(m->wi_time_s) : json_null());
		json_object_set_new(wi, "predicted_downtime_s", wc ?
		    mt_json_num(m->wi_downtime_s) : json_null());
		json_object_set_new(wi, "fixed_interruption_s",
		    mt_json_num(m->wi_fixed_interruption_s));
		json_object_set_new(wi, "predicted_interruption_s", wc ?
		    mt_json_num(m->wi_interruption_s) : json_null());
		json_object_set_new(wi, "calibrated",
		    json_boolean(m->wi_calibrated));
		json_object_set_new(wi, "calibration", json_string(
		    m->wi_calibrated ? "calibrated on this run: the part of "
		    "the measured time, downtime and interruption that the "
		    "model's remaining-bytes / stream-rate terms do not explain "
		    "is kept as a fixed term, so at the measured link the "
		    "what-if gives the measurement back" :
		    !m->out.converges ? "not calibrated: the model does not "
		    "converge at the measured rate" :
		    "not calibrated: the model's memory terms exceed the "
		    "measurement, so the fixed terms are 0 and the what-if "
		    "at the measured link does not give the measurement back"));
		{
			static const char *const nc[] = {
			    "device state transfer and resuming the guest "
			    "(a fixed term, not modelled)",
			    "libvirt's prepare, handover and finish (a fixed "
			    "term)",
			    "the announce and the network catching up, and "
			    "the probes' resolution (a fixed term of the "
			    "interruption)",
			    "a dirty rate that changes during the run (the "
			    "model takes one rate), auto-converge throttling, "
			    "multifd, compression and post-copy",
			};
			json_t *a = json_array();

			for (size_t i = 0; i < sizeof(nc) / sizeof(nc[0]); i++)
				json_array_append_new(a, json_string(nc[i]));
			json_object_set_new(wi, "not_covered", a);
		}
	}
	json_object_set_new(o, "what_if", wi);
	json_object_set_new(o, "note", jstr(m->note));
	return o;
}

int
explain_add_json(json_t *doc, const struct jobstats *js,
    const struct explain_opts *o, char *errbuf)
{
	struct explain_in in;
	struct explain_result *r;
	struct explain_opts defaults;

	if (!json_is_object(doc)) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "explain: the report is not a "
		    "JSON object");
		return -1;
	}
	if (o == NULL) {
		explain_opts_init(&defaults);
		o = &defaults;
	}
	explain_in_init(&in);
	in.last_reply_before_ns = doc_ns(doc, "interruption.last_reply_before_ns");
	in.first_reply_after_ns = doc_ns(doc, "interruption.first_reply_after_ns");
	in.interruption_s = jpath_num(doc, "interruption.duration_s");
	in.probe_interval_s = jpath_num(doc, "interruption.probe_interval_s");
	in.announce_first_ns = doc_ns(doc, "announce.first_ns");
	in.stream_bytes = jpath_num(doc, "migration.bytes");
	in.stream_duration_s = jpath_num(doc, "migration.duration_s");
	in.stream_mean_bps = jpath_num(doc, "migration.mean_bps");
	in.link_bps = jpath_num(doc, "migration.link_bps");
	in.aborted = json_is_string(jpath(doc, "migration.outcome")) &&
	    strcmp(json_string_value(jpath(doc, "migration.outcome")),
	    "aborted") == 0;
	in.postcopy = json_is_object(jpath(doc, "migration.postcopy"));
	if (js != NULL) {
		in.downtime_s = js_d(&js->downtime) / 1e3;
		in.time_elapsed_s = js_d(&js->time_elapsed) / 1e3;
		in.setup_s = js_d(&js->setup_time) / 1e3;
		in.memory_total = js_d(&js->memory_total);
		in.memory_processed = js_d(&js->memory_processed);
		in.memory_bps = js_d(&js->memory_bps);
		in.memory_constant = js_d(&js->memory_constant);
		in.page_size = js_d(&js->memory_page_size);
		in.dirty_rate = js_d(&js->memory_dirty_rate);
		in.iterations = js_d(&js->memory_iteration);
	}
	in.limit_s = o->downtime_limit_s > 0 ? o->downtime_limit_s :
	    MODEL_DEFAULT_LIMIT_S;
	in.what_if_bps = o->what_if_link_bps;

	if ((r = malloc(sizeof(*r))) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "explain: out of memory");
		return -1;
	}
	explain_run(&in, r);

	json_object_set_new(doc, "jobstats", jobstats_to_json(js));
	json_object_set_new(doc, "decomposition", decomposition_json(&r->dec));
	json_object_set_new(doc, "crosscheck", crosscheck_json(r->ck));
	json_object_set_new(doc, "model", model_json(&r->model, &in));

	if (js == NULL)
		add_note(doc, "%s", "no job statistics (--jobstats or --libvirt):"
		    " no decomposition of the downtime, no crosschecks");
	else {
		if (!KNOWN(in.interruption_s))
			add_note(doc, "%s", "decomposition: no interruption "
			    "measured (no echo probes to the VM?)");
		else if (in.announce_first_ns == MT_NS_NONE)
			add_note(doc, "%s", "decomposition: no RARP announce "
			    "captured, so no convergence time (capture the "
			    "network the guest is on)");
		if (!KNOWN(in.stream_bytes))
			add_note(doc, "%s", "crosschecks: no migration stream "
			    "in the capture (capture the management network, "
			    "or see --mig-ports)");
	}
	if (r->dec.finding[0] != '\0')
		add_note(doc, "decomposition: %s", r->dec.finding);
	for (int i = 0; i < EXPLAIN_NCHECKS; i++)
		if (r->ck[i].finding[0] != '\0')
			add_note(doc, "crosscheck: %s", r->ck[i].finding);
	if (!r->model.run && r->model.note[0] != '\0')
		add_note(doc, "model: %s", r->model.note);
	free(r);
	return 0;
}

/* ---- text ---- */

static double
tnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *
tstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* "313 ms", "8.712 s"; "-" when absent. */
static const char *
fmt_s(double s, char *buf, size_t len)
{
	if (!KNOWN(s))
		snprintf(buf, len, "-");
	else if (fabs(s) < 1)
		snprintf(buf, len, "%.3f ms", s * 1e3);
	else
		snprintf(buf, len, "%.3f s", s);
	return buf;
}

/* 269090816 -> "269090816 B (256.625 MiB)" */
static const char *
fmt_bytes(double b, char *buf, size_t len)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double x = b;
	int i = 0;

	if (!KNOWN(b)) {
		snprintf(buf, len, "-");
		return buf;
	}
	while (x >= 1024 && i < 4) {
		x /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f B", b);
	else
		snprintf(buf, len, "%.0f B (%.3f %s)", b, x, u[i]);
	return buf;
}

/* bits/s -> "96.3 Mbit/s" */
static const char *
fmt_bps(double bps, char *buf, size_t len)
{
	if (!KNOWN(bps))
		snprintf(buf, len, "-");
	else if (bps >= 1e9)
		snprintf(buf, len, "%.3g Gbit/s", bps / 1e9);
	else if (bps >= 1e6)
		snprintf(buf, len, "%.3g Mbit/s", bps / 1e6);
	else if (bps >= 1e3)
		snprintf(buf, len, "%.3g kbit/s", bps / 1e3);
	else
		snprintf(buf, len, "%.0f bit/s", bps);
	return buf;
}

static const char *
fmt_int(double v, const char *unit, char *buf, size_t len)
{
	if (!KNOWN(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%s%s", v, *unit ? " " : "", unit);
	return buf;
}

#define ROW(f, label, val) fprintf(f, "  %-26s %s\n", label, val)

static void
text_jobstats(const json_t *j, FILE *f)
{
	char b[64];

	fprintf(f, "\nJob statistics (libvirt, %s%s): %s\n",
	    tstr(j, "form") ? tstr(j, "form") : "?",
	    json_is_true(json_object_get(j, "approximate")) ?
	    ", sizes rounded by virsh" : "",
	    tstr(j, "source") ? tstr(j, "source") : "");
	if (tstr(j, "job_type") != NULL || tstr(j, "operation") != NULL) {
		snprintf(b, sizeof(b), "%s%s%s", tstr(j, "job_type") ?
		    tstr(j, "job_type") : "", tstr(j, "job_type") &&
		    tstr(j, "operation") ? ", " : "", tstr(j, "operation") ?
		    tstr(j, "operation") : "");
		ROW(f, "Job:", b);
	}
	ROW(f, "Time elapsed:", fmt_int(tnum(j, "time_elapsed_ms"), "ms", b,
	    sizeof(b)));
	ROW(f, "Setup time:", fmt_int(tnum(j, "setup_time_ms"), "ms", b,
	    sizeof(b)));
	ROW(f, "Total downtime:", fmt_int(tnum(j, "downtime_ms"), "ms", b,
	    sizeof(b)));
	ROW(f, "Downtime w/o network:", fmt_int(tnum(j, "downtime_net_ms"),
	    "ms", b, sizeof(b)));
	ROW(f, "Memory total:", fmt_bytes(tnum(j, "memory_total"), b,
	    sizeof(b)));
	ROW(f, "Memory processed:", fmt_bytes(tnum(j, "memory_processed"), b,
	    sizeof(b)));
	ROW(f, "Memory bandwidth:", fmt_bps(tnum(j, "memory_bps"), b,
	    sizeof(b)));
	ROW(f, "Dirty rate:", fmt_int(tnum(j, "memory_dirty_rate"), "pages/s",
	    b, sizeof(b)));
	ROW(f, "Iteration:", fmt_int(tnum(j, "memory_iteration"), "", b,
	    sizeof(b)));
	ROW(f, "Constant pages:", fmt_int(tnum(j, "memory_constant"), "", b,
	    sizeof(b)));
	ROW(f, "Normal pages:", fmt_int(tnum(j, "memory_normal"), "", b,
	    sizeof(b)));
	ROW(f, "Page size:", fmt_int(tnum(j, "page_size"), "bytes", b,
	    sizeof(b)));
}

static void
text_decomposition(const json_t *d, FILE *f)
{
	static const char *const what[] = {
		"paused", "the guest being paused (libvirt downtime)",
		"convergence", "the network catching up after the guest resumed "
		    "(first RARP announce to first reply)",
		"resolution", "the probes' resolution (the outage began "
		    "between the last answered probe and the pause)",
		NULL, NULL
	};
	double tot = tnum(d, "interruption_s"), pi = tnum(d, "probe_interval_s");
	const char *dom = tstr(d, "dominant");
	const json_t *rest_ok = json_object_get(d, "rest_ok");
	char b[64], l[128];

	fprintf(f, "\nInterruption, decomposed\n");
	ROW(f, "Interruption (network):", fmt_s(tot, b, sizeof(b)));
	ROW(f, "Paused (libvirt):", fmt_s(tnum(d, "paused_s"), b, sizeof(b)));
	ROW(f, "Convergence (RARP->reply):", fmt_s(tnum(d, "convergence_s"), b,
	    sizeof(b)));
	fmt_s(tnum(d, "resolution_s"), b, sizeof(b));
	if (json_is_boolean(rest_ok)) {
		char p[32];

		snprintf(l, sizeof(l), "%s (%s one probe interval, %s)", b,
		    json_is_true(rest_ok) ? "within" : "OUTSIDE",
		    fmt_s(pi, p, sizeof(p)));
		ROW(f, "Resolution (rest):", l);
	} else
		ROW(f, "Resolution (rest):", b);
	for (int i = 0; dom != NULL && what[i] != NULL; i += 2) {
		double part;

		if (strcmp(what[i], dom) != 0)
			continue;
		snprintf(l, sizeof(l), "%s_s", dom);
		part = tnum(d, l);
		if (KNOWN(tot) && tot > 0)
			fprintf(f, "  Most of the %.1f ms interruption is %s: "
			    "%.1f ms (%.0f%%).\n", tot * 1e3, what[i + 1],
			    part * 1e3, 100 * part / tot);
		break;
	}
	if (tstr(d, "finding") != NULL)
		fprintf(f, "  Finding: %s.\n", tstr(d, "finding"));
	else if (json_is_true(rest_ok) && tnum(d, "resolution_s") < 0)
		fprintf(f, "  Paused and convergence overlap by %.1f ms: QEMU sends "
		    "the first RARP when the last state arrives, and libvirt's "
		    "downtime ends only after libvirt resumed the guest ('cont').\n",
		    -tnum(d, "resolution_s") * 1e3);
}

static void
text_crosscheck(const json_t *c, FILE *f)
{
	static const char *const names[] = { "bytes", "throughput",
	    "duration", NULL };
	static const char *const labels[] = { "Stream bytes:",
	    "Mean throughput:", "Duration:" };
	int any = 0;

	for (int i = 0; names[i] != NULL; i++) {
		const json_t *k = json_object_get(c, names[i]);
		const json_t *ok = json_object_get(k, "ok");
		char a[64], b[64], l[192];
		double ca = tnum(k, "capture"), lv = tnum(k, "libvirt");

		if (!json_is_boolean(ok))
			continue;
		if (!any++)
			fprintf(f, "\nCrosschecks (capture vs libvirt)\n");
		if (i == 0) {
			fmt_int(ca, "B", a, sizeof(a));
			fmt_int(lv, "B", b, sizeof(b));
		} else if (i == 1) {
			fmt_bps(ca, a, sizeof(a));
			fmt_bps(lv, b, sizeof(b));
		} else {
			fmt_s(ca, a, sizeof(a));
			fmt_s(lv, b, sizeof(b));
		}
		snprintf(l, sizeof(l), "%s vs %s  %+.1f%% (tolerance %.0f%%)  %s",
		    a, b, 100 * tnum(k, "rel_diff"), 100 * tnum(k, "tolerance"),
		    json_is_true(ok) ? "ok" : "MISMATCH");
		ROW(f, labels[i], l);
		if (tstr(k, "finding") != NULL)
			fprintf(f, "    Finding: %s.\n", tstr(k, "finding"));
	}
}

static void
text_model(const json_t *m, FILE *f)
{
	const json_t *wi = json_object_get(m, "what_if");
	char a[64], b[64], l[192];
	double pt = tnum(m, "predicted_time_s"), mt = tnum(m, "measured_time_s");
	double pd = tnum(m, "predicted_downtime_s");
	double md = tnum(m, "measured_downtime_s");

	if (!json_is_boolean(json_object_get(m, "converges"))) {
		if (tstr(m, "note") != NULL)
			fprintf(f, "\nPre-copy model: %s\n", tstr(m, "note"));
		return;
	}
	fprintf(f, "\nPre-copy model (Clark et al. 2005; QEMU migration/ram.c)\n");
	ROW(f, "Memory to send (V):", fmt_bytes(tnum(m, "v_bytes"), a,
	    sizeof(a)));
	snprintf(l, sizeof(l), "%s (%s)", fmt_bps(tnum(m, "link_bps"), a,
	    sizeof(a)), tstr(m, "link_source") ? tstr(m, "link_source") : "");
	ROW(f, "Link rate (R):", l);
	snprintf(l, sizeof(l), "%.0f B/s (lambda = D/R = %.3f)",
	    tnum(m, "dirty_bytes_per_s"), tnum(m, "lambda"));
	ROW(f, "Dirty rate (D):", l);
	ROW(f, "Downtime limit:", fmt_s(tnum(m, "downtime_limit_s"), a,
	    sizeof(a)));
	if (!json_is_true(json_object_get(m, "converges"))) {
		fprintf(f, "  The model does not converge: %s.\n",
		    tstr(m, "note") ? tstr(m, "note") : "lambda >= 1");
	} else {
		snprintf(l, sizeof(l), "%.0f (measured iterations: %s)",
		    tnum(m, "passes"), fmt_int(tnum(m, "measured_iterations"),
		    "", a, sizeof(a)));
		ROW(f, "Passes:", l);
		snprintf(l, sizeof(l), "%s predicted, %s measured (%+.1f%%)",
		    fmt_s(pt, a, sizeof(a)), fmt_s(mt, b, sizeof(b)),
		    100 * tnum(m, "time_rel_diff"));
		ROW(f, "Migration time:", l);
		snprintf(l, sizeof(l), "%s predicted, %s measured",
		    fmt_s(pd, a, sizeof(a)), fmt_s(md, b, sizeof(b)));
		ROW(f, "Downtime:", l);
		if (KNOWN(md) && KNOWN(pd) && md > 0)
			fprintf(f, "  The memory copy explains %.1f ms of the "
			    "%.1f ms downtime; the rest is fixed cost (device "
			    "state, resuming the guest, libvirt's handover).\n",
			    fmax(0, pd) * 1e3, md * 1e3);
	}
	if (!json_is_object(wi))
		return;
	{
		double wl = tnum(wi, "link_bps"), wt = tnum(wi, "predicted_time_s");
		double wd = tnum(wi, "predicted_downtime_s");
		double base_t = KNOWN(mt) ? mt : pt, base_d = KNOWN(md) ? md : pd;
		int link_t, link_d;

		fprintf(f, "\nWhat if the link were %s\n", fmt_bps(wl, a,
		    sizeof(a)));
		if (!json_is_true(json_object_get(wi, "converges"))) {
			fprintf(f, "  The model does not converge at %s: the "
			    "guest dirties memory faster than the stream.\n",
			    fmt_bps(wl, a, sizeof(a)));
			return;
		}
		snprintf(l, sizeof(l), "%s (now %s)", fmt_s(wt, a, sizeof(a)),
		    fmt_s(base_t, b, sizeof(b)));
		ROW(f, "Migration time:", l);
		snprintf(l, sizeof(l), "%s (now %s)", fmt_s(wd, a, sizeof(a)),
		    fmt_s(base_d, b, sizeof(b)));
		ROW(f, "Downtime:", l);
		if (KNOWN(tnum(wi, "predicted_interruption_s"))) {
			snprintf(l, sizeof(l), "%s (now %s)",
			    fmt_s(tnum(wi, "predicted_interruption_s"), a,
			    sizeof(a)), fmt_s(tnum(m, "measured_interruption_s"),
			    b, sizeof(b)));
			ROW(f, "Interruption:", l);
		}
		if (tstr(wi, "calibration") != NULL)
			fprintf(f, "  The model is %s (fixed: %s of the "
			    "downtime, %s of the interruption).\n",
			    tstr(wi, "calibration"),
			    fmt_s(tnum(wi, "fixed_downtime_s"), a, sizeof(a)),
			    fmt_s(tnum(wi, "fixed_interruption_s"), b,
			    sizeof(b)));
		{
			const json_t *nc = json_object_get(wi, "not_covered");
			size_t i;
			const json_t *v;

			if (json_array_size(nc) > 0)
				fprintf(f, "  Not covered by the model:\n");
			json_array_foreach(nc, i, v)
				if (json_is_string(v))
					fprintf(f, "    - %s\n",
					    json_string_value(v));
		}
		/* The link "is the problem" for a measure it changes by 20%. */
		link_t = KNOWN(base_t) && KNOWN(wt) &&
		    fabs(wt - base_t) > 0.2 * base_t;
		link_d = KNOWN(base_d) && KNOWN(wd) &&
		    fabs(wd - base_d) > 0.2 * base_d;
		fmt_bps(wl, a, sizeof(a));
		if (link_t && link_d)
			fprintf(f, "  At %s the migration would take %.1f s "
			    "instead of %.1f s and the downtime %.0f ms instead "
			    "of %.0f ms: the link is the problem for both.\n",
			    a, wt, base_t, wd * 1e3, base_d * 1e3);
		else if (link_t)
			fprintf(f, "  At %s the migration would take %.1f s "
			    "instead of %.1f s, but the downtime would stay "
			    "about %.0f ms: the link sets the migration time, "
			    "not the downtime.\n", a, wt, base_t, wd * 1e3);
		else if (link_d)
			fprintf(f, "  At %s the downtime would be %.0f ms "
			    "instead of %.0f ms, the migration time about the "
			    "same: the link sets the downtime.\n", a, wd * 1e3,
			    base_d * 1e3);
		else if (KNOWN(base_t) || KNOWN(base_d))
			fprintf(f, "  At %s neither the migration time nor the "
			    "downtime would change much: the link is not the "
			    "problem.\n", a);
	}
}

void
explain_write_text(const json_t *doc, FILE *f)
{
	const json_t *j = json_object_get(doc, "jobstats");
	const json_t *d = json_object_get(doc, "decomposition");
	const json_t *c = json_object_get(doc, "crosscheck");
	const json_t *m = json_object_get(doc, "model");

	if (json_is_object(j))
		text_jobstats(j, f);
	if (json_is_object(d) && json_is_object(j))
		text_decomposition(d, f);
	if (json_is_object(c))
		text_crosscheck(c, f);
	if (json_is_object(m))
		text_model(m, f);
}
