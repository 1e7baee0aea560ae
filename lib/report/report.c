/*
 * report.c: write one run's measures as the JSON document (the contract
 * other tools rely on: see migtrace-analyze(1)), a text report for people
 * and a CSV timeline for gnuplot.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis/analysis_int.h"

/* ---- JSON ---------------------------------------------------------- */

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
	json_object_set_new(o, "probe_interval_s", echo ? j_s(a->er.interval) : json_null());
	json_object_set_new(o, "min_gap_s", echo ? j_s(a->er.min_gap) : json_null());
	json_object_set_new(o, "probes_sent", echo ? j_u64(a->er.requests) : json_null());
	json_object_set_new(o, "probes_answered", echo ? j_u64(a->er.matched) : json_null());
	json_object_set_new(o, "probes_lost", echo ? j_u64(a->er.lost) : json_null());
	json_object_set_new(o, "replies", echo ? j_u64(a->er.replies) : json_null());
	for (size_t i = 0; echo && i < a->er.ngaps; i++) {
		const struct echo_gap *g = &a->er.gaps[i];
		json_array_append_new(gaps, json_pack("{s:I, s:I, s:o, s:I}",
		    "start_ns", (json_int_t)g->start, "end_ns", (json_int_t)g->end,
		    "duration_s", j_s(g->end - g->start),
		    "lost_probes", (json_int_t)g->lost));
	}
	json_object_set_new(o, "gaps", gaps);
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
		json_object_set_new(o, "interruption", g == NULL ? json_null() :
		    json_pack("{s:I, s:I, s:o, s:I, s:o, s:o}",
		    "last_reply_before_ns", (json_int_t)g->start,
		    "first_reply_after_ns", (json_int_t)g->end,
		    "duration_s", j_s(g->end - g->start),
		    "lost_probes", (json_int_t)g->lost,
		    "announce_ns", j_ns(m->announce),
		    "announce_to_first_reply_s", j_s(m->announce == MT_NS_NONE ?
		    MT_NS_NONE : g->end - m->announce)));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
analysis_to_json(const struct analysis *a)
{
	json_t *doc = json_object(), *notes = json_array();

	json_object_set_new(doc, "program", json_pack("{s:s, s:s}",
	    "name", "migtrace-analyze", "version", PACKAGE_VERSION));
	json_object_set_new(doc, "inputs", inputs_json(a));
	json_object_set_new(doc, "packets", j_u64(a->packets));
	json_object_set_new(doc, "first_ns", j_ns(a->first_ts));
	json_object_set_new(doc, "last_ns", j_ns(a->last_ts));
	json_object_set_new(doc, "vm", json_pack("{s:o, s:o, s:s}",
	    "ip", a->vm_found ? j_addr(&a->vm.ip) : json_null(),
	    "mac", j_mac(&a->vm.mac, a->vm_found && a->vm.have_mac),
	    "reason", a->vm.reason));
	json_object_set_new(doc, "interruption", interruption_json(a));
	json_object_set_new(doc, "announce", announce_json(a));
	json_object_set_new(doc, "migration", migration_json(a));
	json_object_set_new(doc, "migrations", migrations_json(a));
	for (size_t i = 0; i < a->nnotes; i++)
		json_array_append_new(notes, json_string(a->notes[i]));
	json_object_set_new(doc, "notes", notes);
	return doc;
}

/* ---- text ---------------------------------------------------------- */

/* "21:15:20.123456789" in local time (tests run with TZ=UTC). */
static const char *
clock_str(mt_ns t, char *buf, size_t len)
{
	time_t sec = (time_t)(t / MT_NS_PER_S);
	struct tm tm;
	long ns = (long)(t % MT_NS_PER_S);

	if (t == MT_NS_NONE)
		return "-";
	if (ns < 0) {
		ns += MT_NS_PER_S;
		sec--;
	}
	localtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%09ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
	return buf;
}

static const char *
rate_str(double bps, char *buf, size_t len)
{
	if (bps >= 1e9)
		snprintf(buf, len, "%.3f Gbit/s", bps / 1e9);
	else if (bps >= 1e6)
		snprintf(buf, len, "%.2f Mbit/s", bps / 1e6);
	else
		snprintf(buf, len, "%.1f kbit/s", bps / 1e3);
	return buf;
}

static double
ms(mt_ns d)
{
	return (double)d / 1e6;
}

/* Several migrations in the capture: one line each. */
static void
write_migrations(const struct analysis *a, FILE *f)
{
	char b1[64], b2[32], b3[32], b4[32];
	int link = a->o.link_bps > 0;

	fprintf(f, "\nMigrations (%zu: streams that overlap in time are one; "
	    "the interruption is the reply gap around its last data)\n", a->nmigs);
	fprintf(f, "  %3s  %-29s  %10s  %8s  %11s%s %12s  %5s  %12s\n", "#",
	    "first data", "duration", "MB", "mean", link ? " link " : "",
	    "interruption", "lost", "caught up");
	for (size_t i = 0; i < a->nmigs; i++) {
		const struct migration *m = &a->migs[i];

		if (link)
			snprintf(b2, sizeof(b2), " %3.0f%%%s", 100 * m->utilisation,
			    m->bottleneck ? "*" : " ");
		else
			b2[0] = '\0';
		if (m->gap != NULL)
			snprintf(b3, sizeof(b3), "%9.3f ms  %5llu",
			    ms(m->gap->end - m->gap->start),
			    (unsigned long long)m->gap->lost);
		else
			snprintf(b3, sizeof(b3), "%12s  %5s", "-", "-");
		if (m->gap != NULL && m->announce != MT_NS_NONE)
			snprintf(b4, sizeof(b4), "%9.3f ms",
			    ms(m->gap->end - m->announce));
		else
			snprintf(b4, sizeof(b4), "%12s", "-");
		fprintf(f, "  %3zu  %-29s  %8.3f s  %8.1f  %6.2f Mb/s%s %s  %s\n",
		    i + 1, clock_str(m->first, b1, sizeof(b1)),
		    (double)(m->last - m->first) / 1e9, (double)m->bytes / 1e6,
		    m->mean_bps / 1e6, b2, b3, b4);
	}
	fprintf(f, "  (caught up: the VM's first announce in the gap to the "
	    "first reply after it%s%s%s)\n", link ? "; link: utilisation of " : "",
	    link ? rate_str(a->o.link_bps, b1, sizeof(b1)) : "",
	    link ? ", * the link limited it" : "");
}

void
analysis_write_text(const struct analysis *a, FILE *f)
{
	char b1[64], b2[64], b3[64];

	fprintf(f, "migtrace-analyze %s: %d file%s, %llu packets, %.3f s\n",
	    PACKAGE_VERSION, a->nfiles, a->nfiles == 1 ? "" : "s",
	    (unsigned long long)a->packets,
	    a->packets ? (double)(a->last_ts - a->first_ts) / 1e9 : 0.0);
	for (int i = 0; i < a->nfiles; i++) {
		const struct src_stats *st = &a->inputs[i].st;
		fprintf(f, "  %-32s %-10s %10llu packets%s\n", a->inputs[i].path,
		    pkt_dlt_name(st->dlt), (unsigned long long)st->packets,
		    st->damaged ? "  (damaged: read up to the damage)" : "");
	}

	fprintf(f, "\nVM\n");
	if (a->vm_found) {
		fprintf(f, "  address               %s%s%s\n",
		    mt_addr_str(&a->vm.ip, b1, sizeof(b1)),
		    a->vm.have_mac ? "  " : "",
		    a->vm.have_mac ? mt_mac_str(&a->vm.mac, b2, sizeof(b2)) : "");
		fprintf(f, "  why                   %s\n", a->vm.reason);
	} else
		fprintf(f, "  not found: %s (use --vm)\n", a->vm.reason);

	fprintf(f, "\nService interruption\n");
	if (a->method == INT_NONE)
		fprintf(f, "  none found\n");
	else {
		fprintf(f, "  method                %s%s%s\n", method_name(a->method),
		    a->method == INT_ECHO ? ", the gap " : "",
		    a->method != INT_ECHO ? "" :
		    strcmp(a->int_chosen_by, "announce") == 0 ?
		    "holding the first announce" :
		    strcmp(a->int_chosen_by, "lost-probes") == 0 ?
		    "that lost the most probes" : "that lasted longest");
		fprintf(f, "  %-21s %s\n", a->method == INT_ECHO ? "last reply before" :
		    a->method == INT_SILENCE ? "last frame before" : "stall from",
		    clock_str(a->int_start, b1, sizeof(b1)));
		fprintf(f, "  %-21s %s\n", a->method == INT_ECHO ? "first reply after" :
		    a->method == INT_SILENCE ? "first frame after" : "stall until",
		    clock_str(a->int_end, b1, sizeof(b1)));
		fprintf(f, "  duration              %.6f ms", ms(a->int_end - a->int_start));
		if (a->method == INT_ECHO && a->er.interval != MT_NS_NONE)
			fprintf(f, "  (the outage began up to one probe interval, %.3f ms, after the last reply)",
			    ms(a->er.interval));
		fputc('\n', f);
		if (a->method == INT_ECHO)
			fprintf(f, "  lost probes           %llu\n",
			    (unsigned long long)a->int_lost);
	}
	if (a->vm_found && a->er.requests > 0) {
		fprintf(f, "  probe interval        %.3f ms (median of %llu requests; "
		    "%llu answered, %llu lost)\n", ms(a->er.interval),
		    (unsigned long long)a->er.requests,
		    (unsigned long long)a->er.matched,
		    (unsigned long long)a->er.lost);
	}
	if (a->vm_found && a->er.ngaps > 1) {
		fprintf(f, "  gaps > %.3f ms        %zu:\n", ms(a->er.min_gap), a->er.ngaps);
		for (size_t i = 0; i < a->er.ngaps; i++)
			fprintf(f, "    %s  %10.3f ms  %llu lost\n",
			    clock_str(a->er.gaps[i].start, b1, sizeof(b1)),
			    ms(a->er.gaps[i].end - a->er.gaps[i].start),
			    (unsigned long long)a->er.gaps[i].lost);
	}
	if (a->stall != NULL)
		fprintf(f, "  longest TCP stall     %.3f ms on %s:%u -> %s:%u, %llu retransmissions\n",
		    ms(a->stall->stall_end - a->stall->stall_start),
		    mt_addr_str(&a->stall->src, b1, sizeof(b1)), a->stall->sport,
		    mt_addr_str(&a->stall->dst, b2, sizeof(b2)), a->stall->dport,
		    (unsigned long long)a->stall->stall_retrans);

	fprintf(f, "\nAnnounce\n");
	if (!a->have_ann)
		fprintf(f, "  none seen for the VM's MAC\n");
	else {
		fprintf(f, "  first                 %s  (%llu RARP, %llu gratuitous ARP)\n",
		    clock_str(a->ann.first, b1, sizeof(b1)),
		    (unsigned long long)a->ann.rarp, (unsigned long long)a->ann.garp);
		if (a->method == INT_ECHO && a->int_end >= a->ann.first)
			fprintf(f, "  to first reply        %.6f ms (the network catching up)\n",
			    ms(a->int_end - a->ann.first));
	}

	fprintf(f, "\nMigration stream\n");
	if (a->mig_flows == 0)
		fprintf(f, "  none found\n");
	else {
		for (size_t i = 0; i < a->ndirs; i++) {
			const struct tcp_dir_info *d = &a->dirs[i];
			if (!d->migration)
				continue;
			fprintf(f, "  flow                  %s:%u -> %s:%u%s, %llu bytes\n",
			    mt_addr_str(&d->src, b1, sizeof(b1)), d->sport,
			    mt_addr_str(&d->dst, b2, sizeof(b2)), d->dport,
			    d->magic ? " (QEVM magic)" : " (by port)",
			    (unsigned long long)d->bytes);
			if (d->handshake_rtt != MT_NS_NONE)
				fprintf(f, "    handshake RTT       %.3f ms (SYN to "
				    "SYN/ACK where captured)\n",
				    ms(d->handshake_rtt));
		}
		fprintf(f, "  bytes                 %llu\n", (unsigned long long)a->mig_bytes);
		fprintf(f, "  first data            %s\n", clock_str(a->mig_first, b1, sizeof(b1)));
		fprintf(f, "  last data             %s\n", clock_str(a->mig_last, b1, sizeof(b1)));
		fprintf(f, "  duration              %.3f s\n", (double)(a->mig_last - a->mig_first) / 1e9);
		fprintf(f, "  throughput            mean %s, peak %s (%.0f ms bins)\n",
		    rate_str(a->mig_mean_bps, b1, sizeof(b1)),
		    rate_str(a->mig_peak_bps, b2, sizeof(b2)), ms(a->o.bin));
		fprintf(f, "  retransmissions       %llu\n", (unsigned long long)a->mig_retrans);
		fprintf(f, "  zero windows          %llu\n", (unsigned long long)a->mig_zero_windows);
		if (a->o.link_bps > 0) {
			fprintf(f, "  link                  %s, utilisation %.1f%%\n",
			    rate_str(a->o.link_bps, b3, sizeof(b3)), 100 * a->utilisation);
			fprintf(f, "  bottleneck            %s (>= 90%% of the link in %zu of %zu bins)\n",
			    a->bottleneck ? "yes: the link limited the migration" :
			    "no: the link was not the limit", a->full_bins, a->inside_bins);
		}
	}
	if (a->nmigs > 1)
		write_migrations(a, f);
}

/* ---- CSV ----------------------------------------------------------- */

void
analysis_write_csv(const struct analysis *a, FILE *f)
{
	size_t n = timeline_count(a->tl);
	mt_ns t0 = timeline_start(a->tl), w = a->o.bin;
	double bin_s = (double)w / 1e9;

	fprintf(f, "bin_start_ns,bin_start_s,stream_bps,probes_sent,"
	    "probes_answered,announces%s\n", a->o.link_bps > 0 ? ",utilisation" : "");
	for (size_t i = 0; i < n; i++) {
		const struct tbin *b = timeline_bin(a->tl, i);

		if (b == NULL)		/* the temporary file failed: said in notes */
			break;
		fprintf(f, "%lld,%.9f,%.1f,%u,%u,%u", (long long)(t0 + (mt_ns)i * w),
		    (double)((mt_ns)i * w) / 1e9,
		    (double)b->stream_bytes * 8 / bin_s, b->probes_sent,
		    b->probes_answered, b->announces);
		if (a->o.link_bps > 0)
			fprintf(f, ",%.4f", (double)b->stream_frame_bytes * 8 /
			    bin_s / a->o.link_bps);
		fputc('\n', f);
	}
}
