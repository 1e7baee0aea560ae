/*
 * report_text.c: the text report for people, rendered from the report
 * document alone (report.h): one function per section, each reading the
 * keys the man page documents. A new measure goes into the document first
 * (report_json.c), then here.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "base/jpath.h"
#include "report/budget.h"
#include "report/explain_report.h"
#include "report/pause_report.h"
#include "report/report.h"
#include "report/report_overlay.h"

/* ---- reading the document ---- */

/* Whether the value at path is there and not null. */
static int
has(const json_t *o, const char *path)
{
	const json_t *v = jpath(o, path);

	return v != NULL && !json_is_null(v);
}

/* The string at path, or NULL. */
static const char *
str(const json_t *o, const char *path)
{
	return json_string_value(jpath(o, path));
}

/* The count at path (a JSON integer), or 0. */
static unsigned long long
count(const json_t *o, const char *path)
{
	const json_t *v = jpath(o, path);

	return json_is_integer(v) ? (unsigned long long)json_integer_value(v) : 0;
}

/* The number at path, or 0 when null (a stream whose data all came at
 * one instant has no mean rate: the text says 0). */
static double
num(const json_t *o, const char *path)
{
	double v = jpath_num(o, path);

	return isnan(v) ? 0 : v;
}

/* The timestamp at path (integer ns), or MT_NS_NONE. */
static mt_ns
ns(const json_t *o, const char *path)
{
	return jpath_ns(o, path);
}

/*
 * The duration at path (seconds in the document) in ns, or MT_NS_NONE.
 * The document holds ns / 1e9, rounded once; times 1e9, rounded, is the
 * same ns for any duration below a day, so the text prints what it would
 * print from the measure itself.
 */
static mt_ns
dur(const json_t *o, const char *path)
{
	double s = jpath_num(o, path);

	return isnan(s) ? MT_NS_NONE : (mt_ns)llround(s * 1e9);
}

/* ---- formatting ---- */

/* The report being written gives local time (REPORT_LOCAL_TIME): set
 * by report_write_text for its own thread. */
static _Thread_local int text_local_time;

/* The width clock_str's output takes (for the Migrations table). */
#define CLOCK_WIDTH (text_local_time ? 35 : 30)

/*
 * "2026-01-01 21:15:20.123456789Z": UTC, marked, as tcpdump -tttt users
 * paste into a log search; with --local-time the local zone and its
 * offset ("2026-01-01 22:15:20.123456789+01:00", ISO 8601).
 */
static const char *
clock_str(mt_ns t, char *buf, size_t len)
{
	time_t sec = (time_t)(t / MT_NS_PER_S);
	struct tm tm;
	long frac = (long)(t % MT_NS_PER_S), off;
	char zone[8];

	if (t == MT_NS_NONE)
		return "-";
	if (frac < 0) {
		frac += MT_NS_PER_S;
		sec--;
	}
	if (text_local_time) {
		localtime_r(&sec, &tm);
		off = tm.tm_gmtoff;
		snprintf(zone, sizeof(zone), "%c%02d:%02d", off < 0 ? '-' :
		    '+', (int)(labs(off) / 3600 % 24), (int)(labs(off) % 3600 / 60));
	} else {
		gmtime_r(&sec, &tm);
		snprintf(zone, sizeof(zone), "Z");
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%09ld%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
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

/* "192.0.2.1:49152": a flow's end, its address and port keys in o. */
static const char *
endpoint_str(const json_t *o, const char *addr, const char *port, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s:%llu", str(o, addr) ? str(o, addr) : "-",
	    count(o, port));
	return buf;
}

/* ---- the sections ---- */

static void
text_inputs(const json_t *doc, FILE *f)
{
	const json_t *inputs = json_object_get(doc, "inputs"), *in;
	mt_ns first = ns(doc, "first_ns"), last = ns(doc, "last_ns");
	unsigned long long packets = count(doc, "packets");
	size_t n = json_array_size(inputs), i;

	fprintf(f, "%s %s: %zu file%s, %llu packets, %.3f s\n",
	    str(doc, "program.name"), str(doc, "program.version"), n,
	    n == 1 ? "" : "s", packets,
	    packets ? (double)(last - first) / 1e9 : 0.0);
	json_array_foreach(inputs, i, in)
		fprintf(f, "  %-32s %-10s %10llu packets%s\n", str(in, "file"),
		    str(in, "link_type"), count(in, "packets"),
		    json_is_true(json_object_get(in, "damaged")) ?
		    "  (damaged: read up to the damage)" : "");
}

static void
text_vm(const json_t *doc, FILE *f)
{
	const json_t *vm = json_object_get(doc, "vm");

	fprintf(f, "\nVM\n");
	if (has(vm, "ip")) {
		fprintf(f, "  address               %s%s%s\n", str(vm, "ip"),
		    has(vm, "mac") ? "  " : "",
		    has(vm, "mac") ? str(vm, "mac") : "");
		fprintf(f, "  why                   %s\n", str(vm, "reason"));
		overlay_write_text(vm, ns(doc, "first_ns"), f);
	} else
		fprintf(f, "  not found: %s (use --vm)\n", str(vm, "reason"));
}

/* The interruption as measured: method, its ends, duration, lost probes. */
static void
text_interruption_chosen(const json_t *it, FILE *f)
{
	const char *method = str(it, "method"), *by = str(it, "chosen_by");
	int echo = strcmp(method, "icmp-echo") == 0;
	int silence = strcmp(method, "silence") == 0;
	mt_ns start = ns(it, "last_reply_before_ns");
	mt_ns end = ns(it, "first_reply_after_ns");
	char b[64];

	fprintf(f, "  method                %s%s%s\n", method,
	    echo ? ", the gap " : "", !echo ? "" :
	    by != NULL && strcmp(by, "announce") == 0 ?
	    "holding the first announce" :
	    by != NULL && strcmp(by, "lost-probes") == 0 ?
	    "that lost the most probes" : "that lasted longest");
	fprintf(f, "  %-21s %s\n", echo ? "last reply before" :
	    silence ? "last frame before" : "stall from",
	    clock_str(start, b, sizeof(b)));
	fprintf(f, "  %-21s %s\n", echo ? "first reply after" :
	    silence ? "first frame after" : "stall until",
	    clock_str(end, b, sizeof(b)));
	fprintf(f, "  duration              %.6f ms", ms(end - start));
	if (echo && has(it, "probe_interval_s"))
		fprintf(f, "  (the outage began up to one probe interval, %.3f ms, after the last reply)",
		    ms(dur(it, "probe_interval_s")));
	fputc('\n', f);
	if (echo)
		fprintf(f, "  lost probes           %llu\n", count(it, "lost_probes"));
	if (echo && has(it, "lost_x_interval_s"))
		fprintf(f, "  lost x interval       %.3f ms (%llu x %.6f ms: how "
		    "OpenStack Tempest's check counts downtime)\n",
		    ms(dur(it, "lost_x_interval_s")), count(it, "lost_probes"),
		    ms(dur(it, "probe_interval_s")));
	/* Post-copy: split at the destination's first announce. */
	if (json_object_get(it, "blackout_s") != NULL) {
		if (has(it, "blackout_s"))
			fprintf(f, "  post-copy             blackout %.3f ms "
			    "(nobody runs the guest), brownout %.3f ms (it runs "
			    "on the destination, waiting for its pages)\n",
			    ms(dur(it, "blackout_s")), ms(dur(it, "brownout_s")));
		else
			fprintf(f, "  post-copy             no announce in the "
			    "gap: no blackout/brownout split\n");
	}
}

/* The echo probes (the keys are null when there were none) and gaps. */
static void
text_probes(const json_t *it, FILE *f)
{
	const json_t *gaps = json_object_get(it, "gaps"), *g;
	size_t i;
	char b[64];

	if (count(it, "probes_sent") > 0 && has(it, "probe_interval_s"))
		fprintf(f, "  probe interval        %.3f ms (median of %llu requests; "
		    "%llu answered, %llu lost)\n", ms(dur(it, "probe_interval_s")),
		    count(it, "probes_sent"), count(it, "probes_answered"),
		    count(it, "probes_lost"));
	else if (count(it, "probes_sent") > 0)
		fprintf(f, "  probe interval        - (%llu request%s: no spacing to "
		    "measure; %llu answered, %llu lost)\n",
		    count(it, "probes_sent"), count(it, "probes_sent") == 1 ? "" : "s",
		    count(it, "probes_answered"), count(it, "probes_lost"));
	if (count(it, "late_replies") > 0)
		fprintf(f, "  late replies          %llu (back after the next probe "
		    "went out: slower than the probe interval)\n",
		    count(it, "late_replies"));
	if (json_array_size(gaps) > 1) {
		fprintf(f, "  gaps > %.3f ms        %zu:\n",
		    ms(dur(it, "min_gap_s")), json_array_size(gaps));
		json_array_foreach(gaps, i, g)
			fprintf(f, "    %s  %10.3f ms  %llu lost\n",
			    clock_str(ns(g, "start_ns"), b, sizeof(b)),
			    ms(ns(g, "end_ns") - ns(g, "start_ns")),
			    count(g, "lost_probes"));
	}
}

static void
text_interruption(const json_t *doc, FILE *f)
{
	const json_t *it = json_object_get(doc, "interruption");
	const json_t *st = json_object_get(it, "tcp_stall");
	char b1[64], b2[64];

	fprintf(f, "\nService interruption\n");
	if (!has(it, "method"))
		fprintf(f, "  none found\n");
	else
		text_interruption_chosen(it, f);
	/* An aborted migration has no switchover: its gap is no downtime. */
	if (has(it, "method") && str(doc, "migration.outcome") != NULL &&
	    strcmp(str(doc, "migration.outcome"), "aborted") == 0)
		fprintf(f, "  no switchover         the migration was aborted: "
		    "the guest stayed on the source, and this gap is the "
		    "longest in its replies, not a migration's downtime\n");
	text_probes(it, f);
	if (json_is_object(st))
		fprintf(f, "  longest TCP stall     %.3f ms on %s -> %s, %llu retransmissions\n",
		    ms(ns(st, "end_ns") - ns(st, "start_ns")),
		    endpoint_str(st, "src", "sport", b1, sizeof(b1)),
		    endpoint_str(st, "dst", "dport", b2, sizeof(b2)),
		    count(st, "retransmissions"));
}

static void
text_announce(const json_t *doc, FILE *f)
{
	const json_t *an = json_object_get(doc, "announce");
	char b[64];

	fprintf(f, "\nAnnounce\n");
	if (!has(an, "first_ns")) {
		fprintf(f, "  none seen for the VM's MAC\n");
		return;
	}
	fprintf(f, "  first                 %s  (%llu RARP, %llu gratuitous ARP)\n",
	    clock_str(ns(an, "first_ns"), b, sizeof(b)), count(an, "rarp"),
	    count(an, "garp"));
	if (has(an, "to_first_reply_s"))
		fprintf(f, "  to first reply        %.6f ms (the network catching up)\n",
		    ms(ns(doc, "interruption.first_reply_after_ns") -
		    ns(an, "first_ns")));
}

/* How a stream was found: its channel's role (channels[] lists the same
 * directions as streams[], in the same order). */
static const char *
stream_label(const json_t *ch)
{
	const char *role = str(ch, "role"), *by = str(ch, "by");

	if (role == NULL)
		return "";
	if (by != NULL && strcmp(by, "port") == 0)
		return strcmp(role, "preempt") == 0 ? " (preempt, by port)" :
		    " (by port)";
	return strcmp(role, "main") == 0 ? " (QEVM magic)" :
	    strcmp(role, "multifd") == 0 ? " (multifd magic)" :
	    strcmp(role, "rpc") == 0 ? " (libvirt RPC tunnel)" :
	    strcmp(role, "tls") == 0 ? " (TLS)" : "";
}

static void
text_streams(const json_t *mig, FILE *f)
{
	const json_t *streams = json_object_get(mig, "streams"), *s;
	const json_t *chans = json_object_get(mig, "channels");
	size_t i;
	char b1[64], b2[64];

	json_array_foreach(streams, i, s) {
		fprintf(f, "  flow                  %s -> %s%s, %llu bytes\n",
		    endpoint_str(s, "src", "sport", b1, sizeof(b1)),
		    endpoint_str(s, "dst", "dport", b2, sizeof(b2)),
		    stream_label(json_array_get(chans, i)), count(s, "bytes"));
		if (has(s, "handshake_rtt_ns"))
			fprintf(f, "    handshake RTT       %.3f ms (SYN to "
			    "SYN/ACK where captured)\n",
			    ms(ns(s, "handshake_rtt_ns")));
	}
}

/* How the migration moved: transport, outcome, post-copy, storage copy,
 * the link's share. */
static void
text_modes(const json_t *mig, FILE *f)
{
	const char *tr = str(mig, "transport");
	const json_t *sh = json_object_get(mig, "link_share");
	char b1[64], b2[64];
	double all;

	if (tr != NULL)
		fprintf(f, "  transport             %s%s\n", tr,
		    strcmp(tr, "tunnelled") == 0 ? " (libvirt RPC STREAM "
		    "messages: the bytes are their data)" :
		    strcmp(tr, "tls") == 0 ? " (QEMU's TLS: the bytes are the "
		    "records' payload)" : "");
	if (has(mig, "outcome"))
		fprintf(f, "  outcome               %s\n", str(mig, "outcome"));
	if (has(mig, "libvirt_outcome.status"))
		fprintf(f, "  libvirt says          %s (%s)\n",
		    str(mig, "libvirt_outcome.status"),
		    str(mig, "libvirt_outcome.source"));
	if (has(mig, "postcopy"))
		fprintf(f, "  post-copy             from %s (first page request), "
		    "%llu page requests, the last at %s, %llu bytes after\n",
		    clock_str(ns(mig, "postcopy.start_ns"), b1, sizeof(b1)),
		    count(mig, "postcopy.page_requests"),
		    clock_str(ns(mig, "postcopy.last_request_ns"), b2, sizeof(b2)),
		    count(mig, "postcopy.bytes_after_start"));
	if (has(mig, "storage"))
		fprintf(f, "  storage copy          %llu bytes on %llu NBD "
		    "connection%s, %s to %s\n", count(mig, "storage.bytes"),
		    count(mig, "storage.channels"),
		    count(mig, "storage.channels") == 1 ? "" : "s",
		    clock_str(ns(mig, "storage.first_ns"), b1, sizeof(b1)),
		    clock_str(ns(mig, "storage.last_ns"), b2, sizeof(b2)));
	all = !json_is_object(sh) ? 0 : num(sh, "migration") +
	    num(sh, "storage") + num(sh, "libvirt_rpc") + num(sh, "nfs") +
	    num(sh, "other");
	if (all > 0)
		fprintf(f, "  link share            migration %.1f%%, storage "
		    "%.1f%%, libvirt RPC %.1f%%, NFS %.1f%%, other %.1f%% "
		    "(frame bytes on its link)\n",
		    100 * num(sh, "migration") / all, 100 * num(sh, "storage") / all,
		    100 * num(sh, "libvirt_rpc") / all, 100 * num(sh, "nfs") / all,
		    100 * num(sh, "other") / all);
}

static void
text_migration(const json_t *doc, FILE *f)
{
	const json_t *mig = json_object_get(doc, "migration");
	mt_ns first = ns(mig, "first_data_ns"), last = ns(mig, "last_data_ns");
	char b1[64], b2[64];

	fprintf(f, "\nMigration stream\n");
	if (count(mig, "flows") == 0) {
		fprintf(f, "  none found\n");
		return;
	}
	text_streams(mig, f);
	fprintf(f, "  bytes                 %llu\n", count(mig, "bytes"));
	fprintf(f, "  first data            %s\n", clock_str(first, b1, sizeof(b1)));
	fprintf(f, "  last data             %s\n", clock_str(last, b1, sizeof(b1)));
	fprintf(f, "  duration              %.3f s\n", (double)(last - first) / 1e9);
	fprintf(f, "  payload               mean %s, peak %s (%.0f ms bins)\n",
	    rate_str(num(mig, "mean_bps"), b1, sizeof(b1)),
	    rate_str(num(mig, "peak_bps"), b2, sizeof(b2)),
	    ms(dur(mig, "bin_s")));
	fprintf(f, "  on the wire           mean %s, peak %s (Ethernet frames)\n",
	    rate_str(num(mig, "wire_mean_bps"), b1, sizeof(b1)),
	    rate_str(num(mig, "wire_peak_bps"), b2, sizeof(b2)));
	fprintf(f, "  retransmissions       %llu\n", count(mig, "retransmissions"));
	fprintf(f, "  zero windows          %llu\n", count(mig, "zero_windows"));
	if (has(mig, "link_bps")) {
		fprintf(f, "  link                  %s, utilisation %.1f%% (wire rate)\n",
		    rate_str(num(mig, "link_bps"), b1, sizeof(b1)),
		    100 * num(mig, "utilisation"));
		if (num(mig, "mean_bps") > num(mig, "link_bps") ||
		    num(mig, "peak_bps") > num(mig, "link_bps") ||
		    num(mig, "wire_mean_bps") > num(mig, "link_bps") ||
		    num(mig, "wire_peak_bps") > num(mig, "link_bps"))
			fprintf(f, "  above the link        a rate above the link's: "
			    "frames are timed when captured, in bursts, so a "
			    "bin can hold some sent in the one before; a mean "
			    "runs from first to last data, leaving out the last "
			    "segment's own time\n");
		fprintf(f, "  bottleneck            %s (>= 90%% of the link in %llu of %llu bins)\n",
		    json_is_true(json_object_get(mig, "bottleneck")) ?
		    "yes: the link limited the migration" :
		    "no: the link was not the limit", count(mig, "bins_at_90pct"),
		    count(mig, "bins_inside"));
	}
	text_modes(mig, f);
}

/* One line of the Migrations table. */
static void
text_migration_row(size_t i, const json_t *m, int link, FILE *f)
{
	const json_t *g = json_object_get(m, "interruption");
	mt_ns first = ns(m, "first_data_ns"), last = ns(m, "last_data_ns");
	char b1[64], b2[32], b3[32], b4[32];

	if (link)
		snprintf(b2, sizeof(b2), " %3.0f%%%s", 100 * num(m, "utilisation"),
		    json_is_true(json_object_get(m, "bottleneck")) ? "*" : " ");
	else
		b2[0] = '\0';
	if (json_is_object(g))
		snprintf(b3, sizeof(b3), "%9.3f ms  %5llu",
		    ms(ns(g, "first_reply_after_ns") - ns(g, "last_reply_before_ns")),
		    count(g, "lost_probes"));
	else
		snprintf(b3, sizeof(b3), "%12s  %5s", "-", "-");
	if (has(g, "announce_ns"))
		snprintf(b4, sizeof(b4), "%9.3f ms",
		    ms(ns(g, "first_reply_after_ns") - ns(g, "announce_ns")));
	else
		snprintf(b4, sizeof(b4), "%12s", "-");
	fprintf(f, "  %3zu  %-*s  %8.3f s  %8.1f  %6.2f Mb/s%s %s  %s\n",
	    i + 1, CLOCK_WIDTH, clock_str(first, b1, sizeof(b1)),
	    (double)(last - first) / 1e9, (double)count(m, "bytes") / 1e6,
	    num(m, "mean_bps") / 1e6, b2, b3, b4);
}

/* Several migrations in the capture: one line each. */
static void
text_migrations(const json_t *doc, FILE *f)
{
	const json_t *migs = json_object_get(doc, "migrations"), *m;
	int link = has(doc, "migration.link_bps");
	size_t i;
	char b[64];

	if (json_array_size(migs) <= 1)
		return;
	fprintf(f, "\nMigrations (%zu: streams that overlap in time are one; "
	    "the interruption is the reply gap around its last data)\n",
	    json_array_size(migs));
	fprintf(f, "  %3s  %-*s  %10s  %8s  %11s%s %12s  %5s  %12s\n", "#",
	    CLOCK_WIDTH, "first data", "duration", "MB", "mean", link ? " link " : "",
	    "interruption", "lost", "caught up");
	json_array_foreach(migs, i, m)
		text_migration_row(i, m, link, f);
	fprintf(f, "  (caught up: the VM's first announce in the gap to the "
	    "first reply after it%s%s%s)\n", link ? "; link: utilisation of " : "",
	    link ? rate_str(num(doc, "migration.link_bps"), b, sizeof(b)) : "",
	    link ? ", * the link limited it" : "");
}

static void
text_notes(const json_t *doc, FILE *f)
{
	const json_t *notes = json_object_get(doc, "notes"), *n;
	size_t i;

	if (json_array_size(notes) == 0)
		return;
	fprintf(f, "\nNotes\n");
	json_array_foreach(notes, i, n)
		fprintf(f, "  - %s\n", json_string_value(n));
}

void
report_write_text(const json_t *doc, unsigned flags, FILE *f)
{
	text_local_time = (flags & REPORT_LOCAL_TIME) != 0;
	text_inputs(doc, f);
	report_clocks_text(doc, f);
	text_vm(doc, f);
	text_interruption(doc, f);
	text_announce(doc, f);
	text_migration(doc, f);
	text_migrations(doc, f);
	explain_write_text(doc, f);
	budget_write_text(doc, f);
	pause_write_text(doc, f);
	text_notes(doc, f);
}
