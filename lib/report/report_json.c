/*
 * report_json.c: the report document, filled once from one run's measures.
 * It is the contract other tools rely on (its keys: migtrace-analyze(1))
 * and the one model the text report is rendered from (report_text.c).
 */
#include "config.h"

#include "analysis/analysis_int.h"
#include "report/report.h"
#include "report/modes_report.h"
#include "report/report_overlay.h"

static json_t *
j_ns(mt_ns t)
{
	return t == MT_NS_NONE ? json_null() : json_integer(t);
}

static json_t *
j_s(mt_ns d)
{
	return d == MT_NS_NONE ? json_null() : json_real((double)d / 1e9);
}

static json_t *
j_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
j_addr(const struct mt_addr *x)
{
	char buf[64];

	return x->family ? json_string(mt_addr_str(x, buf, sizeof(buf))) : json_null();
}

static json_t *
j_mac(const struct mt_mac *m, int have)
{
	char buf[24];

	return have ? json_string(mt_mac_str(m, buf, sizeof(buf))) : json_null();
}

static json_t *
j_u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *
inputs_json(const struct analysis *a)
{
	json_t *arr = json_array();

	for (int i = 0; i < a->nfiles; i++) {
		const struct src_stats *st = &a->inputs[i].st;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
		    "file", a->inputs[i].path,
		    "link_type", pkt_dlt_name(st->dlt),
		    "packets", j_u64(st->packets),
		    "bytes", j_u64(st->bytes),
		    "first_ns", j_ns(st->packets ? st->first_ts : MT_NS_NONE),
		    "last_ns", j_ns(st->packets ? st->last_ts : MT_NS_NONE),
		    "truncated_headers", j_u64(st->truncated),
		    "invalid_headers", j_u64(st->invalid),
		    "backwards_timestamps", j_u64(st->backwards),
		    "damaged", st->damaged));
	}
	return arr;
}

static const char *
method_name(enum int_method m)
{
	switch (m) {
	case INT_ECHO: return "icmp-echo";
	case INT_SILENCE: return "silence";
	case INT_TCP_STALL: return "tcp-stall";
	default: return NULL;
	}
}

static json_t *
interruption_json(const struct analysis *a)
{
	json_t *o = json_object(), *gaps = json_array();
	int echo = a->vm_found && a->er.requests + a->er.replies > 0;
	int have = a->method != INT_NONE;

	json_object_set_new(o, "method", j_str(method_name(a->method)));
	json_object_set_new(o, "chosen_by", j_str(a->method == INT_ECHO ?
	    a->int_chosen_by : NULL));
	json_object_set_new(o, "last_reply_before_ns", j_ns(have ? a->int_start : MT_NS_NONE));
	json_object_set_new(o, "first_reply_after_ns", j_ns(have ? a->int_end : MT_NS_NONE));
	json_object_set_new(o, "duration_s", j_s(have ? a->int_end - a->int_start : MT_NS_NONE));
	json_object_set_new(o, "lost_probes", a->method == INT_ECHO ? j_u64(a->int_lost) : json_null());
	/* OpenStack Tempest's figure (lost probes times the interval), for
	 * comparison with what a CI already measures that way. */
	json_object_set_new(o, "lost_x_interval_s", a->method == INT_ECHO &&
	    a->er.interval != MT_NS_NONE ?
	    j_s((mt_ns)a->int_lost * a->er.interval) : json_null());
	json_object_set_new(o, "probe_interval_s", echo ? j_s(a->er.interval) : json_null());
	json_object_set_new(o, "min_gap_s", echo ? j_s(a->er.min_gap) : json_null());
	json_object_set_new(o, "probes_sent", echo ? j_u64(a->er.requests) : json_null());
	json_object_set_new(o, "probes_answered", echo ? j_u64(a->er.matched) : json_null());
	json_object_set_new(o, "probes_lost", echo ? j_u64(a->er.lost) : json_null());
	json_object_set_new(o, "replies", echo ? j_u64(a->er.replies) : json_null());
	/* Replies overtaken by a newer request (slower than the probe
	 * interval); the timeline counts every probe where it was sent. */
	json_object_set_new(o, "late_replies", echo ? j_u64(a->late_replies) : json_null());
	for (size_t i = 0; echo && i < a->er.ngaps; i++) {
		const struct echo_gap *g = &a->er.gaps[i];
		json_array_append_new(gaps, json_pack("{s:I, s:I, s:o, s:I}",
		    "start_ns", (json_int_t)g->start, "end_ns", (json_int_t)g->end,
		    "duration_s", j_s(g->end - g->start),
		    "lost_probes", (json_int_t)g->lost));
	}
	json_object_set_new(o, "gaps", gaps);
	report_clocks_interruption(a, o);
	if (a->stall != NULL) {
		char s[64], d[64];
		json_object_set_new(o, "tcp_stall", json_pack("{s:s, s:i, s:s, s:i, s:I, s:I, s:o, s:I}",
		    "src", mt_addr_str(&a->stall->src, s, sizeof(s)),
		    "sport", a->stall->sport,
		    "dst", mt_addr_str(&a->stall->dst, d, sizeof(d)),
		    "dport", a->stall->dport,
		    "start_ns", (json_int_t)a->stall->stall_start,
		    "end_ns", (json_int_t)a->stall->stall_end,
		    "duration_s", j_s(a->stall->stall_end - a->stall->stall_start),
		    "retransmissions", (json_int_t)a->stall->stall_retrans));
	} else
		json_object_set_new(o, "tcp_stall", json_null());
	if (a->method == INT_ECHO && a->main_mig != NULL && a->main_mig->gap != NULL &&
	    a->main_mig->gap->start == a->int_start)
		modes_interruption_add(a->main_mig, a->main_mig->gap, o);
	return o;
}

static json_t *
announce_json(const struct analysis *a)
{
	const struct announce_info *ai = &a->ann;
	int have = a->have_ann;
	mt_ns to_reply = MT_NS_NONE;

	if (have && a->method == INT_ECHO && a->int_end >= ai->first)
		to_reply = a->int_end - ai->first;
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
	    "first_ns", j_ns(have ? ai->first : MT_NS_NONE),
	    "count", have ? j_u64(ai->rarp + ai->garp) : json_integer(0),
	    "rarp", have ? j_u64(ai->rarp) : json_integer(0),
	    "garp", have ? j_u64(ai->garp) : json_integer(0),
	    "mac", j_mac(&a->vm.mac, a->vm_found && a->vm.have_mac),
	    "to_first_reply_s", j_s(to_reply));
}

static json_t *
migration_json(const struct analysis *a)
{
	json_t *o = json_object(), *streams = json_array();
	int have = a->mig_flows > 0;
	int link = a->o.link_bps > 0;

	json_object_set_new(o, "flows", json_integer(a->mig_flows));
	json_object_set_new(o, "bytes", have ? j_u64(a->mig_bytes) : json_null());
	json_object_set_new(o, "first_data_ns", j_ns(have ? a->mig_first : MT_NS_NONE));
	json_object_set_new(o, "last_data_ns", j_ns(have ? a->mig_last : MT_NS_NONE));
	json_object_set_new(o, "duration_s", j_s(have ? a->mig_last - a->mig_first : MT_NS_NONE));
	json_object_set_new(o, "mean_bps", have && a->mig_last > a->mig_first ?
	    json_real(a->mig_mean_bps) : json_null());
	json_object_set_new(o, "peak_bps", have ? json_real(a->mig_peak_bps) : json_null());
	/* On the wire: Ethernet frames (IP length + 14), what a link
	 * carries and what utilisation compares with the link. */
	json_object_set_new(o, "wire_mean_bps", have && a->mig_last > a->mig_first ?
	    json_real(a->mig_wire_mean_bps) : json_null());
	json_object_set_new(o, "wire_peak_bps", have ? json_real(a->mig_wire_peak_bps) : json_null());
	json_object_set_new(o, "bin_s", j_s(a->o.bin));
	json_object_set_new(o, "retransmissions", have ? j_u64(a->mig_retrans) : json_null());
	json_object_set_new(o, "zero_windows", have ? j_u64(a->mig_zero_windows) : json_null());
	json_object_set_new(o, "link_bps", link ? json_real(a->o.link_bps) : json_null());
	json_object_set_new(o, "utilisation", link && have ? json_real(a->utilisation) : json_null());
	json_object_set_new(o, "bottleneck", link && have ? json_boolean(a->bottleneck) : json_null());
	json_object_set_new(o, "bins_at_90pct", link && have ? j_u64(a->full_bins) : json_null());
	json_object_set_new(o, "bins_inside", link && have ? j_u64(a->inside_bins) : json_null());
	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *d = &a->dirs[i];
		char s[64], t[64];
		if (!d->migration)
			continue;
		json_array_append_new(streams, json_pack("{s:s, s:i, s:s, s:i, s:b, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:o}",
		    "src", mt_addr_str(&d->src, s, sizeof(s)), "sport", d->sport,
		    "dst", mt_addr_str(&d->dst, t, sizeof(t)), "dport", d->dport,
		    "magic", d->magic,
		    "bytes", (json_int_t)d->bytes,
		    "segments", (json_int_t)d->segments,
		    "first_data_ns", (json_int_t)d->first_data,
		    "last_data_ns", (json_int_t)d->last_data,
		    "duration_s", j_s(d->last_data - d->first_data),
		    "retransmissions", (json_int_t)d->retrans,
		    "zero_windows", (json_int_t)d->zero_windows,
		    "handshake_rtt_ns", j_ns(d->handshake_rtt)));
	}
	json_object_set_new(o, "streams", streams);
	modes_json_add(a, a->main_mig, 1, o);
	return o;
}

/* One entry per migration (analysis_int.h), in time order. */
static json_t *
migrations_json(const struct analysis *a)
{
	json_t *arr = json_array();
	int link = a->o.link_bps > 0;

	for (size_t i = 0; i < a->nmigs; i++) {
		const struct migration *m = &a->migs[i];
		const struct echo_gap *g = m->gap;
		json_t *o = json_object();

		json_object_set_new(o, "first_data_ns", j_ns(m->first));
		json_object_set_new(o, "last_data_ns", j_ns(m->last));
		json_object_set_new(o, "duration_s", j_s(m->last - m->first));
		json_object_set_new(o, "streams", json_integer(m->streams));
		json_object_set_new(o, "bytes", j_u64(m->bytes));
		json_object_set_new(o, "mean_bps", m->last > m->first ?
		    json_real(m->mean_bps) : json_null());
		json_object_set_new(o, "peak_bps", json_real(m->peak_bps));
		json_object_set_new(o, "retransmissions", j_u64(m->retrans));
		json_object_set_new(o, "utilisation", link ? json_real(m->utilisation) : json_null());
		json_object_set_new(o, "bottleneck", link ? json_boolean(m->bottleneck) : json_null());
		json_object_set_new(o, "bins_at_90pct", link ? j_u64(m->full_bins) : json_null());
		json_object_set_new(o, "bins_inside", link ? j_u64(m->inside_bins) : json_null());
		modes_json_add(a, m, 0, o);
		json_object_set_new(o, "interruption", g == NULL ? json_null() :
		    json_pack("{s:I, s:I, s:o, s:I, s:o, s:o}",
		    "last_reply_before_ns", (json_int_t)g->start,
		    "first_reply_after_ns", (json_int_t)g->end,
		    "duration_s", j_s(g->end - g->start),
		    "lost_probes", (json_int_t)g->lost,
		    "announce_ns", j_ns(m->announce),
		    "announce_to_first_reply_s", j_s(m->announce == MT_NS_NONE ?
		    MT_NS_NONE : g->end - m->announce)));
		modes_interruption_add(m, g, json_object_get(o, "interruption"));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
analysis_to_json(const struct analysis *a)
{
	json_t *doc = json_object(), *notes = json_array(), *vm;

	json_object_set_new(doc, "program", json_pack("{s:s, s:s}",
	    "name", "migtrace-analyze", "version", PACKAGE_VERSION));
	json_object_set_new(doc, "inputs", inputs_json(a));
	json_object_set_new(doc, "clocks", report_clocks_json(a));
	json_object_set_new(doc, "packets", j_u64(a->packets));
	json_object_set_new(doc, "first_ns", j_ns(a->first_ts));
	json_object_set_new(doc, "last_ns", j_ns(a->last_ts));
	vm = json_pack("{s:o, s:o, s:s}",
	    "ip", a->vm_found ? j_addr(&a->vm.ip) : json_null(),
	    "mac", j_mac(&a->vm.mac, a->vm_found && a->vm.have_mac),
	    "reason", a->vm.reason);
	overlay_vm_json(a, vm);
	json_object_set_new(doc, "vm", vm);
	json_object_set_new(doc, "interruption", interruption_json(a));
	json_object_set_new(doc, "announce", announce_json(a));
	json_object_set_new(doc, "migration", migration_json(a));
	json_object_set_new(doc, "migrations", migrations_json(a));
	for (size_t i = 0; i < a->nnotes; i++)
		json_array_append_new(notes, json_string(a->notes[i]));
	json_object_set_new(doc, "notes", notes);
	return doc;
}

void
report_add_note(json_t *doc, const char *text)
{
	json_t *notes = json_object_get(doc, "notes");

	if (!json_is_array(notes)) {
		notes = json_array();
		json_object_set_new(doc, "notes", notes);
	}
	json_array_append_new(notes, json_string(text));
}
