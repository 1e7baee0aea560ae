/*
 * check_report.c: Check suite for the analysis pipeline and its report
 * writers (lib/analysis/analysis.c, lib/report/report_*.c): small captures written
 * here with libpcap, analysed with analysis_run(), the JSON document's
 * keys and values checked exactly.
 */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis_int.h"
#include "report/report.h"
#include "testutil.h"

#define T0	(1767225600LL * MT_NS_PER_S)	/* 2026-01-01T00:00:00Z */
#define MS	MT_NS_PER_MS
#define US	1000LL

static const uint8_t VMMAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t CLMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t SRCMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t DSTMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 };
static const uint8_t PEERMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x02, 0x01 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t VMIP[4] = { 192, 0, 2, 10 };
static const uint8_t CLIP[4] = { 192, 0, 2, 1 };
static const uint8_t SRCIP[4] = { 198, 51, 100, 1 };
static const uint8_t DSTIP[4] = { 198, 51, 100, 2 };
static const uint8_t PEERIP[4] = { 203, 0, 113, 5 };

static char tmpdir[64];

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* ---------------------------------------------------------------------
 * Frames, collected and written in time order.
 */
struct frame {
	mt_ns ts;
	size_t idx;		/* order made, for equal times */
	uint32_t caplen, wirelen;
	uint8_t b[96];
};

struct capture {
	struct frame *f;
	size_t n, cap;
	uint64_t wire_bytes;
};

static struct frame *
newframe(struct capture *c, mt_ns ts)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		c->f = realloc(c->f, c->cap * sizeof(*c->f));
		ck_assert_ptr_nonnull(c->f);
	}
	memset(&c->f[c->n], 0, sizeof(c->f[0]));
	c->f[c->n].ts = ts;
	c->f[c->n].idx = c->n;
	return &c->f[c->n++];
}

/* A frame written with tests/testutil.c into the capture at ts. */
static void
keep(struct capture *c, mt_ns ts, const struct fb *fb)
{
	struct frame *f = newframe(c, ts);

	ck_assert_uint_le(fb->n, sizeof(f->b));
	memcpy(f->b, fb->b, fb->n);
	f->caplen = (uint32_t)fb->n;
	f->wirelen = fb->wire;
}

static void
eth(struct fb *f, const uint8_t *dst, const uint8_t *src, unsigned type)
{
	pbytes(f, dst, 6);
	pbytes(f, src, 6);
	p16(f, type);
}

static void
ipv4(struct fb *f, const uint8_t *src, const uint8_t *dst, unsigned proto,
    unsigned total)
{
	p8(f, 0x45);
	p8(f, 0);
	p16(f, total);
	p16(f, 0);
	p16(f, 0x4000);
	p8(f, 64);
	p8(f, proto);
	p16(f, 0);
	pbytes(f, src, 4);
	pbytes(f, dst, 4);
	f->wire = 14 + total;
}

/* An echo request (type 8) or reply (type 0) with 56 bytes of data on the wire. */
static void
echo(struct capture *c, mt_ns ts, int reply, uint16_t seq)
{
	struct fb fbuf = { .n = 0 }, *f = &fbuf;

	if (reply) {
		eth(f, CLMAC, VMMAC, 0x0800);
		ipv4(f, VMIP, CLIP, 1, 20 + 8 + 56);
	} else {
		eth(f, VMMAC, CLMAC, 0x0800);
		ipv4(f, CLIP, VMIP, 1, 20 + 8 + 56);
	}
	p8(f, reply ? 0 : 8);
	p8(f, 0);
	p16(f, 0);
	p16(f, 0x77);
	p16(f, seq);
	keep(c, ts, f);
}

static void
rarp(struct capture *c, mt_ns ts)
{
	struct fb fbuf = { .n = 0 }, *f = &fbuf;

	eth(f, BCAST, VMMAC, 0x8035);
	p16(f, 1);
	p16(f, 0x0800);
	p8(f, 6);
	p8(f, 4);
	p16(f, 3);
	pbytes(f, VMMAC, 6);
	p32(f, 0);
	pbytes(f, VMMAC, 6);
	p32(f, 0);
	f->wire = 60;
	while (f->n < 60)
		p8(f, 0);
	keep(c, ts, f);
}

static void
tcp(struct capture *c, mt_ns ts, const uint8_t *smac, const uint8_t *sip,
    unsigned sport, const uint8_t *dmac, const uint8_t *dip, unsigned dport,
    uint32_t seq, uint32_t ack, unsigned flags, unsigned len, int magic)
{
	struct fb fbuf = { .n = 0 }, *f = &fbuf;

	eth(f, dmac, smac, 0x0800);
	ipv4(f, sip, dip, 6, 20 + 20 + len);
	p16(f, sport);
	p16(f, dport);
	p32(f, seq);
	p32(f, ack);
	p8(f, 5 << 4);
	p8(f, flags);
	p16(f, 65535);
	p16(f, 0);
	p16(f, 0);
	if (magic) {		/* "QEVM", version 3: the first 8 payload bytes */
		pbytes(f, "QEVM", 4);
		p32(f, 3);
	}
	keep(c, ts, f);
}

static int
cmp_frame(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;

	if (x->ts != y->ts)
		return (x->ts > y->ts) - (x->ts < y->ts);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Write the capture (nanosecond pcap) as tmpdir/name; return the path. */
static char *
write_pcap(struct capture *c, const char *name)
{
	char *path;
	pcap_t *pd;
	pcap_dumper_t *d;

	ck_assert_int_ge(asprintf(&path, "%s/%s", tmpdir, name), 0);
	qsort(c->f, c->n, sizeof(*c->f), cmp_frame);
	pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
	    PCAP_TSTAMP_PRECISION_NANO);
	ck_assert_ptr_nonnull(pd);
	d = pcap_dump_open(pd, path);
	ck_assert_ptr_nonnull(d);
	c->wire_bytes = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct pcap_pkthdr h;
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)(c->f[i].ts / MT_NS_PER_S);
		h.ts.tv_usec = (suseconds_t)(c->f[i].ts % MT_NS_PER_S);
		h.caplen = c->f[i].caplen;
		h.len = c->f[i].wirelen;
		ck_assert_uint_ge(h.len, h.caplen);
		pcap_dump((u_char *)d, &h, c->f[i].b);
		c->wire_bytes += h.len;
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return path;
}

/* ---------------------------------------------------------------------
 * The scenario: a client pings the VM every 10 ms (first at +5 ms,
 * replies 500 us later) and requests 100..129 go unanswered (the
 * outage); RARP announces of the VM's MAC at +1250, +1300, +1450 ms; the
 * migration stream 198.51.100.1:40000 -> 198.51.100.2:49152, handshake
 * at +1 ms, 1000 segments of 1448 bytes at +10 ms + i ms, the first one
 * starting with "QEVM", each acked 100 us later.
 */
enum { NPROBES = 200, LOST_LO = 100, LOST_HI = 130, NSEG = 1000, MSS = 1448 };

static void
add_echo(struct capture *c, int lost_lo, int lost_hi)
{
	for (int k = 0; k < NPROBES; k++) {
		echo(c, T0 + 5 * MS + k * 10 * MS, 0, (uint16_t)k);
		if (k < lost_lo || k >= lost_hi)
			echo(c, T0 + 5 * MS + k * 10 * MS + 500 * US, 1, (uint16_t)k);
	}
}

static void
add_rarp(struct capture *c)
{
	rarp(c, T0 + 1250 * MS);
	rarp(c, T0 + 1300 * MS);
	rarp(c, T0 + 1450 * MS);
}

static void
add_stream(struct capture *c)
{
	uint32_t isn = 1000, peer = 5000;

	tcp(c, T0 + 1 * MS, SRCMAC, SRCIP, 40000, DSTMAC, DSTIP, 49152,
	    isn, 0, 0x02, 0, 0);
	tcp(c, T0 + 1 * MS + 100 * US, DSTMAC, DSTIP, 49152, SRCMAC, SRCIP, 40000,
	    peer, isn + 1, 0x12, 0, 0);
	tcp(c, T0 + 1 * MS + 200 * US, SRCMAC, SRCIP, 40000, DSTMAC, DSTIP, 49152,
	    isn + 1, peer + 1, 0x10, 0, 0);
	for (int i = 0; i < NSEG; i++) {
		uint32_t seq = isn + 1 + (uint32_t)i * MSS;
		tcp(c, T0 + 10 * MS + i * MS, SRCMAC, SRCIP, 40000, DSTMAC,
		    DSTIP, 49152, seq, peer + 1, 0x18, MSS, i == 0);
		tcp(c, T0 + 10 * MS + i * MS + 100 * US, DSTMAC, DSTIP, 49152,
		    SRCMAC, SRCIP, 40000, peer + 1, seq + MSS, 0x10, 0, 0);
	}
}

/* ---------------------------------------------------------------------
 * JSON checks.
 */

/* Keys a migration or interruption object has only when they apply. */
static const char *const OPTIONAL_KEYS[] = { "postcopy", "storage",
    "blackout_s", "brownout_s", NULL };

/* obj has exactly these keys (NULL-terminated), and of OPTIONAL_KEYS
 * those that apply. */
static void
keys_are(const json_t *obj, const char *const *keys, const char *what)
{
	size_t n = 0;

	ck_assert_msg(json_is_object(obj), "%s is not an object", what);
	for (; keys[n] != NULL; n++)
		ck_assert_msg(json_object_get(obj, keys[n]) != NULL,
		    "%s has no key \"%s\"", what, keys[n]);
	/* Keys present only for some migrations (post-copy, storage copy). */
	for (size_t i = 0; OPTIONAL_KEYS[i] != NULL; i++)
		if (json_object_get(obj, OPTIONAL_KEYS[i]) != NULL) {
			int listed = 0;
			for (size_t j = 0; j < n; j++)
				listed |= strcmp(keys[j], OPTIONAL_KEYS[i]) == 0;
			n += !listed;
		}
	ck_assert_msg(json_object_size(obj) == n, "%s has %zu keys, not %zu",
	    what, json_object_size(obj), n);
}

static const char *const TOP_KEYS[] = { "program", "inputs", "clocks",
    "packets", "first_ns", "last_ns", "vm", "interruption", "announce",
    "migration", "migrations", "notes", NULL };
static const char *const PROGRAM_KEYS[] = { "name", "version", NULL };
static const char *const INPUT_KEYS[] = { "file", "link_type", "packets",
    "bytes", "first_ns", "last_ns", "truncated_headers", "invalid_headers",
    "backwards_timestamps", "damaged", NULL };
static const char *const VM_KEYS[] = { "ip", "mac", "reason", NULL };
static const char *const INT_KEYS[] = { "method", "chosen_by", "last_reply_before_ns",
    "first_reply_after_ns", "duration_s", "lost_probes", "lost_x_interval_s",
    "probe_interval_s", "min_gap_s", "probes_sent", "probes_answered", "probes_lost", "replies",
    "gaps", "source_host", "source_last_frame_ns", "destination_host",
    "destination_first_frame_ns", "tcp_stall", NULL };
static const char *const GAP_KEYS[] = { "start_ns", "end_ns", "duration_s",
    "lost_probes", NULL };
static const char *const STALL_KEYS[] = { "src", "sport", "dst", "dport",
    "start_ns", "end_ns", "duration_s", "retransmissions", NULL };
static const char *const ANN_KEYS[] = { "first_ns", "count", "rarp", "garp",
    "mac", "to_first_reply_s", NULL };
static const char *const MIG_KEYS[] = { "flows", "bytes", "first_data_ns",
    "last_data_ns", "duration_s", "mean_bps", "peak_bps", "wire_mean_bps",
    "wire_peak_bps", "bin_s", "retransmissions", "zero_windows", "link_bps",
    "utilisation",
    "bottleneck", "bins_at_90pct", "bins_inside", "streams", "transport",
    "channels", "outcome", "link_share", NULL };
static const char *const MIGS_KEYS[] = { "first_data_ns", "last_data_ns",
    "duration_s", "streams", "bytes", "mean_bps", "peak_bps",
    "retransmissions", "utilisation", "bottleneck", "bins_at_90pct",
    "bins_inside", "interruption", "transport", "channels", "outcome",
    "link_share", NULL };
static const char *const CHANNEL_KEYS[] = { "role", "by", "src", "sport",
    "dst", "dport", "bytes", "first_ns", "last_ns", "by_volume", NULL };
static const char *const MIGS_INT_KEYS[] = { "last_reply_before_ns",
    "first_reply_after_ns", "duration_s", "lost_probes", "announce_ns",
    "announce_to_first_reply_s", NULL };
static const char *const STREAM_KEYS[] = { "src", "sport", "dst", "dport",
    "magic", "bytes", "segments", "first_data_ns", "last_data_ns",
    "duration_s", "retransmissions", "zero_windows", "handshake_rtt_ns",
    NULL };

static json_t *
get(const json_t *doc, const char *path)
{
	char buf[256], *save, *tok;
	json_t *v = (json_t *)doc;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL;
	    tok = strtok_r(NULL, ".", &save)) {
		if (json_is_array(v))
			v = json_array_get(v, (size_t)atoi(tok));
		else
			v = json_object_get(v, tok);
		ck_assert_msg(v != NULL, "no %s in the report", path);
	}
	return v;
}

static void
is_int(const json_t *doc, const char *path, long long want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_integer(v), "%s is not an integer", path);
	ck_assert_msg(json_integer_value(v) == want, "%s is %lld, not %lld",
	    path, (long long)json_integer_value(v), want);
}

static void
is_real(const json_t *doc, const char *path, double want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_real(v), "%s is not a real", path);
	ck_assert_msg(fabs(json_real_value(v) - want) <= 1e-9 * fabs(want) + 1e-12,
	    "%s is %.12g, not %.12g", path, json_real_value(v), want);
}

static void
is_str(const json_t *doc, const char *path, const char *want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_string(v), "%s is not a string", path);
	ck_assert_str_eq(json_string_value(v), want);
}

static void
is_null(const json_t *doc, const char *path)
{
	ck_assert_msg(json_is_null(get(doc, path)), "%s is not null", path);
}

static void
is_bool(const json_t *doc, const char *path, int want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_boolean(v), "%s is not a boolean", path);
	ck_assert_int_eq(json_is_true(v), want);
}

static void
all_keys(const json_t *doc)
{
	json_t *v;
	size_t i;

	keys_are(doc, TOP_KEYS, "the report");
	keys_are(get(doc, "program"), PROGRAM_KEYS, "program");
	json_array_foreach(get(doc, "inputs"), i, v)
		keys_are(v, INPUT_KEYS, "inputs[]");
	keys_are(get(doc, "vm"), VM_KEYS, "vm");
	/* One clock (no --host): clocks and the hosts' view are null. */
	ck_assert(json_is_null(get(doc, "clocks")));
	ck_assert(json_is_null(get(doc, "interruption.source_last_frame_ns")));
	ck_assert(json_is_null(get(doc, "interruption.destination_first_frame_ns")));
	keys_are(get(doc, "interruption"), INT_KEYS, "interruption");
	json_array_foreach(get(doc, "interruption.gaps"), i, v)
		keys_are(v, GAP_KEYS, "interruption.gaps[]");
	if (!json_is_null(get(doc, "interruption.tcp_stall")))
		keys_are(get(doc, "interruption.tcp_stall"), STALL_KEYS,
		    "interruption.tcp_stall");
	keys_are(get(doc, "announce"), ANN_KEYS, "announce");
	keys_are(get(doc, "migration"), MIG_KEYS, "migration");
	json_array_foreach(get(doc, "migration.streams"), i, v)
		keys_are(v, STREAM_KEYS, "migration.streams[]");
	json_array_foreach(get(doc, "migration.channels"), i, v)
		keys_are(v, CHANNEL_KEYS, "migration.channels[]");
	ck_assert(json_is_array(get(doc, "migrations")));
	json_array_foreach(get(doc, "migrations"), i, v) {
		keys_are(v, MIGS_KEYS, "migrations[]");
		if (!json_is_null(json_object_get(v, "interruption")))
			keys_are(json_object_get(v, "interruption"),
			    MIGS_INT_KEYS, "migrations[].interruption");
	}
	ck_assert(json_is_array(get(doc, "notes")));
}

static struct analysis *
run(struct analysis_opts *o, char *path)
{
	char errbuf[MT_ERRBUF_SIZE] = "";
	struct analysis *a;

	o->progress = 0;
	a = analysis_run(o, &path, 1, errbuf);
	ck_assert_msg(a != NULL, "analysis_run: %s", errbuf);
	return a;
}

/* The echo measures of the scenario (when the VM is known). */
static void
check_echo(const json_t *doc)
{
	is_str(doc, "interruption.method", "icmp-echo");
	is_int(doc, "interruption.last_reply_before_ns", T0 + 5 * MS + 990 * MS + 500 * US);
	is_int(doc, "interruption.first_reply_after_ns", T0 + 5 * MS + 1300 * MS + 500 * US);
	is_real(doc, "interruption.duration_s", 0.31);
	is_int(doc, "interruption.lost_probes", 30);
	is_real(doc, "interruption.probe_interval_s", 0.01);
	/* Tempest's figure: 30 lost probes x 10 ms. */
	is_real(doc, "interruption.lost_x_interval_s", 0.3);
	is_real(doc, "interruption.min_gap_s", 0.03);
	is_int(doc, "interruption.probes_sent", NPROBES);
	is_int(doc, "interruption.probes_answered", NPROBES - 30);
	is_int(doc, "interruption.probes_lost", 30);
	is_int(doc, "interruption.replies", NPROBES - 30);
	ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 1);
	is_int(doc, "interruption.gaps.0.start_ns", T0 + 995 * MS + 500 * US);
	is_int(doc, "interruption.gaps.0.end_ns", T0 + 1305 * MS + 500 * US);
	is_real(doc, "interruption.gaps.0.duration_s", 0.31);
	is_int(doc, "interruption.gaps.0.lost_probes", 30);
}

static void
check_stream(const json_t *doc)
{
	double span = 0.999;

	is_int(doc, "migration.flows", 1);
	is_int(doc, "migration.bytes", (long long)NSEG * MSS);
	is_int(doc, "migration.first_data_ns", T0 + 10 * MS);
	is_int(doc, "migration.last_data_ns", T0 + 1009 * MS);
	is_real(doc, "migration.duration_s", span);
	is_real(doc, "migration.mean_bps", (double)NSEG * MSS * 8 / span);
	/* Bins start at the first packet (+1 ms): 100 segments in a full bin. */
	is_real(doc, "migration.peak_bps", 100.0 * MSS * 8 / 0.1);
	is_real(doc, "migration.bin_s", 0.1);
	is_int(doc, "migration.retransmissions", 0);
	is_int(doc, "migration.zero_windows", 0);
	ck_assert_uint_eq(json_array_size(get(doc, "migration.streams")), 1);
	is_str(doc, "migration.streams.0.src", "198.51.100.1");
	is_int(doc, "migration.streams.0.sport", 40000);
	is_str(doc, "migration.streams.0.dst", "198.51.100.2");
	is_int(doc, "migration.streams.0.dport", 49152);
	is_bool(doc, "migration.streams.0.magic", 1);
	is_int(doc, "migration.streams.0.bytes", (long long)NSEG * MSS);
	/* SYN at 1 ms, SYN/ACK 100 us later (mgmt_stream). */
	is_int(doc, "migration.streams.0.handshake_rtt_ns", 100 * US);
	is_int(doc, "migration.streams.0.segments", NSEG);
	is_int(doc, "migration.streams.0.first_data_ns", T0 + 10 * MS);
	is_int(doc, "migration.streams.0.last_data_ns", T0 + 1009 * MS);
	is_real(doc, "migration.streams.0.duration_s", span);
	is_int(doc, "migration.streams.0.retransmissions", 0);
	is_int(doc, "migration.streams.0.zero_windows", 0);
}

/* Everything in one capture, the VM found by itself, a link given. */
/*
 * Which gap is the interruption: 30 probes lost in a 310 ms gap (A), and
 * later a longer gap of 604.5 ms whose probes were all answered, late (B:
 * a guest that stalls but loses nothing). Without an announce, A (most
 * probes lost); with the first RARP inside A, A; inside B, B.
 */
static void
late_burst(struct capture *c)
{
	for (int k = 0; k < 160; k++) {
		echo(c, T0 + 5 * MS + k * 10 * MS, 0, (uint16_t)k);
		if (k < 100 || (k >= 130 && k < 150))
			echo(c, T0 + 5 * MS + k * 10 * MS + 500 * US, 1, (uint16_t)k);
		else if (k >= 150)
			echo(c, T0 + 2100 * MS + (k - 150) * 100 * US, 1, (uint16_t)k);
	}
}

START_TEST(gap_choice)
{
	static const struct {
		mt_ns rarp;		/* 0: none */
		const char *by;
		mt_ns start, end;
		long long lost;
	} cases[] = {
		{ 0, "lost-probes", T0 + 995500 * US, T0 + 1305500 * US, 30 },
		{ T0 + 1250 * MS, "announce", T0 + 995500 * US, T0 + 1305500 * US, 30 },
		{ T0 + 1800 * MS, "announce", T0 + 1495500 * US, T0 + 2100 * MS, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct capture c = { 0 };
		struct analysis_opts o;
		struct analysis *a;
		char name[32], *path;
		json_t *doc;

		late_burst(&c);
		if (cases[i].rarp != 0)
			rarp(&c, cases[i].rarp);
		snprintf(name, sizeof(name), "gaps%zu.pcap", i);
		path = write_pcap(&c, name);
		analysis_opts_init(&o);
		ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
		a = run(&o, path);
		doc = analysis_to_json(a);
		ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 2);
		is_str(doc, "interruption.chosen_by", cases[i].by);
		is_int(doc, "interruption.last_reply_before_ns", cases[i].start);
		is_int(doc, "interruption.first_reply_after_ns", cases[i].end);
		is_int(doc, "interruption.lost_probes", cases[i].lost);
		json_decref(doc);
		analysis_free(a);
		free(path);
		free(c.f);
	}
}
END_TEST

/*
 * "the gap that lost the most probes, else the longest": two gaps that
 * lost 5 probes each, one 10 ms longer (the reply to the request after
 * the lost ones came late, after the next one); the longer one is the
 * interruption, whether it comes first or second. Two gaps that lost
 * nothing (the held replies all come in a burst just after the next
 * reply): the longer one, chosen by "longest".
 */
static void
two_gaps(struct capture *c, int lost, int longer_first)
{
	int g[2] = { 50, 120 };	/* the first request held in each gap */

	for (int k = 0; k < 200; k++) {
		mt_ns t = T0 + 5 * MS + k * 10 * MS + 500 * US;
		int held = 0;

		echo(c, T0 + 5 * MS + k * 10 * MS, 0, (uint16_t)k);
		for (int i = 0; i < 2; i++) {
			int n = (i == 0) == (longer_first != 0) ? 6 : 5;
			if (k >= g[i] && k < g[i] + n) {
				held = 1;
				if (lost && k < g[i] + 5)
					break;	/* never answered */
				/* answered just after the reply to g + n */
				echo(c, T0 + 5 * MS + (g[i] + n) * 10 * MS +
				    500 * US + (k - g[i] + 1) * US, 1, (uint16_t)k);
			}
		}
		if (!held)
			echo(c, t, 1, (uint16_t)k);
	}
}

START_TEST(gap_tie)
{
	for (int lost = 0; lost <= 1; lost++)
		for (int first = 0; first <= 1; first++) {
			struct capture c = { 0 };
			struct analysis_opts o;
			struct analysis *a;
			char name[32], *path;
			json_t *doc;
			int g = first ? 50 : 120;
			mt_ns start = T0 + 5 * MS + (g - 1) * 10 * MS + 500 * US;

			two_gaps(&c, lost, first);
			snprintf(name, sizeof(name), "tie%d%d.pcap", lost, first);
			path = write_pcap(&c, name);
			analysis_opts_init(&o);
			ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
			a = run(&o, path);
			doc = analysis_to_json(a);
			ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 2);
			is_int(doc, "interruption.gaps.0.lost_probes", lost ? 5 : 0);
			is_int(doc, "interruption.gaps.1.lost_probes", lost ? 5 : 0);
			is_str(doc, "interruption.chosen_by", lost ? "lost-probes" : "longest");
			is_int(doc, "interruption.last_reply_before_ns", start);
			is_int(doc, "interruption.first_reply_after_ns", start + 70 * MS);
			is_real(doc, "interruption.duration_s", 0.07);
			json_decref(doc);
			analysis_free(a);
			free(path);
			free(c.f);
		}
}
END_TEST

/*
 * The same capture from memory (analysis_run_mem, fmemopen: the fuzzing
 * path) and from the file gives the same document, both passes included
 * (no --vm), when given the same name.
 */
START_TEST(from_memory)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a, *m;
	char errbuf[MT_ERRBUF_SIZE] = "", *path, *buf = NULL;
	json_t *da, *dm;
	size_t len = 0;
	FILE *f;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	path = write_pcap(&c, "mem.pcap");
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	buf = malloc(4 << 20);
	ck_assert_ptr_nonnull(buf);
	len = fread(buf, 1, 4 << 20, f);
	fclose(f);
	ck_assert_uint_gt(len, 24);

	analysis_opts_init(&o);
	a = run(&o, path);
	m = analysis_run_mem(&o, path, (const uint8_t *)buf, len, errbuf);
	ck_assert_msg(m != NULL, "analysis_run_mem: %s", errbuf);
	da = analysis_to_json(a);
	dm = analysis_to_json(m);
	ck_assert(json_equal(da, dm));
	is_str(dm, "vm.ip", "192.0.2.10");
	is_int(dm, "interruption.lost_probes", 30);
	json_decref(da);
	json_decref(dm);
	analysis_free(a);
	analysis_free(m);

	/* Garbage from memory: an error naming the given name. */
	m = analysis_run_mem(&o, "junk.bin", (const uint8_t *)"not a capture", 13,
	    errbuf);
	ck_assert_ptr_null(m);
	ck_assert_ptr_nonnull(strstr(errbuf, "junk.bin"));
	free(buf);
	free(path);
	free(c.f);
}
END_TEST

START_TEST(full_run)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;
	size_t npk;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	npk = c.n;
	ck_assert_uint_eq(npk, 200 + 170 + 3 + 3 + 2 * NSEG);
	path = write_pcap(&c, "full.pcap");

	analysis_opts_init(&o);
	ck_assert_int_eq(mt_parse_rate("13M", &o.link_bps), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_OK);
	doc = analysis_to_json(a);
	all_keys(doc);

	is_str(doc, "program.name", "migtrace-analyze");
	is_str(doc, "program.version", PACKAGE_VERSION);
	ck_assert_uint_eq(json_array_size(get(doc, "inputs")), 1);
	is_str(doc, "inputs.0.file", path);
	is_str(doc, "inputs.0.link_type", "EN10MB");
	is_int(doc, "inputs.0.packets", (long long)npk);
	is_int(doc, "inputs.0.bytes", (long long)c.wire_bytes);
	is_int(doc, "inputs.0.first_ns", T0 + MS);
	is_int(doc, "inputs.0.last_ns", T0 + 1995 * MS + 500 * US);
	is_int(doc, "inputs.0.truncated_headers", 0);
	is_int(doc, "inputs.0.invalid_headers", 0);
	is_int(doc, "inputs.0.backwards_timestamps", 0);
	is_bool(doc, "inputs.0.damaged", 0);
	is_int(doc, "packets", (long long)npk);
	is_int(doc, "first_ns", T0 + MS);
	is_int(doc, "last_ns", T0 + 1995 * MS + 500 * US);

	is_str(doc, "vm.ip", "192.0.2.10");
	is_str(doc, "vm.mac", "52:54:00:12:34:56");
	is_str(doc, "vm.reason", "192.0.2.10 answers echo requests (170 replies) "
	    "and its MAC 52:54:00:12:34:56 is announced by RARP");

	check_echo(doc);
	is_null(doc, "interruption.tcp_stall");	/* the VM has no TCP flow */

	is_int(doc, "announce.first_ns", T0 + 1250 * MS);
	is_int(doc, "announce.count", 3);
	is_int(doc, "announce.rarp", 3);
	is_int(doc, "announce.garp", 0);
	is_str(doc, "announce.mac", "52:54:00:12:34:56");
	is_real(doc, "announce.to_first_reply_s", 0.0555);

	check_stream(doc);
	is_real(doc, "migration.link_bps", 13e6);
	is_real(doc, "migration.utilisation",
	    (double)NSEG * (14 + 20 + 20 + MSS) * 8 / 0.999 / 13e6);
	/* Bins wholly inside the stream: +101 ms .. +1001 ms, 9 of them, each
	 * 100 frames of 1502 bytes = 12.016 Mbit/s >= 90% of 13 Mbit/s. */
	is_int(doc, "migration.bins_inside", 9);
	is_int(doc, "migration.bins_at_90pct", 9);
	is_bool(doc, "migration.bottleneck", 1);
	/* One migration: its entry repeats the stream's figures. */
	ck_assert_uint_eq(json_array_size(get(doc, "migrations")), 1);
	is_int(doc, "migrations.0.streams", 1);
	is_int(doc, "migrations.0.bytes", (long long)NSEG * MSS);
	ck_assert(json_equal(get(doc, "migrations.0.first_data_ns"),
	    get(doc, "migration.first_data_ns")));
	ck_assert(json_equal(get(doc, "migrations.0.last_data_ns"),
	    get(doc, "migration.last_data_ns")));
	is_real(doc, "migrations.0.utilisation",
	    (double)NSEG * (14 + 20 + 20 + MSS) * 8 / 0.999 / 13e6);
	is_int(doc, "migrations.0.bins_inside", 9);
	is_int(doc, "migrations.0.bins_at_90pct", 9);
	is_bool(doc, "migrations.0.bottleneck", 1);
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 0);
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* Without --link: the link measures are null, the bottleneck unknown. */
START_TEST(no_link)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	path = write_pcap(&c, "nolink.pcap");
	analysis_opts_init(&o);
	a = run(&o, path);
	doc = analysis_to_json(a);
	all_keys(doc);
	check_stream(doc);
	is_null(doc, "migration.link_bps");
	is_null(doc, "migration.utilisation");
	is_null(doc, "migration.bottleneck");
	is_null(doc, "migration.bins_at_90pct");
	is_null(doc, "migration.bins_inside");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* Only the stream: no VM can be told (exit 3), its measures are null. */
START_TEST(no_vm)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_stream(&c);
	path = write_pcap(&c, "novm.pcap");
	analysis_opts_init(&o);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_NO_VM);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_null(doc, "vm.ip");
	is_null(doc, "vm.mac");
	is_str(doc, "vm.reason", "no echo replies and no RARP announce");
	is_null(doc, "interruption.method");
	is_null(doc, "interruption.last_reply_before_ns");
	is_null(doc, "interruption.first_reply_after_ns");
	is_null(doc, "interruption.duration_s");
	is_null(doc, "interruption.lost_probes");
	is_null(doc, "interruption.probe_interval_s");
	is_null(doc, "interruption.lost_x_interval_s");
	is_null(doc, "interruption.min_gap_s");
	is_null(doc, "interruption.probes_sent");
	is_null(doc, "interruption.probes_answered");
	is_null(doc, "interruption.probes_lost");
	is_null(doc, "interruption.replies");
	ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 0);
	is_null(doc, "interruption.tcp_stall");
	is_null(doc, "announce.first_ns");
	is_int(doc, "announce.count", 0);
	is_int(doc, "announce.rarp", 0);
	is_int(doc, "announce.garp", 0);
	is_null(doc, "announce.mac");
	is_null(doc, "announce.to_first_reply_s");
	check_stream(doc);	/* still measured */
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 0);
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* The VM given by IP, no stream (exit 4): its MAC is learnt. */
START_TEST(no_stream)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	path = write_pcap(&c, "nostream.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_NO_STREAM);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_str(doc, "vm.ip", "192.0.2.10");
	is_str(doc, "vm.mac", "52:54:00:12:34:56");
	is_str(doc, "vm.reason", "given with --vm");
	check_echo(doc);
	is_int(doc, "announce.count", 3);
	is_real(doc, "announce.to_first_reply_s", 0.0555);
	is_int(doc, "migration.flows", 0);
	is_null(doc, "migration.bytes");
	is_null(doc, "migration.first_data_ns");
	is_null(doc, "migration.last_data_ns");
	is_null(doc, "migration.duration_s");
	is_null(doc, "migration.mean_bps");
	is_null(doc, "migration.peak_bps");
	is_real(doc, "migration.bin_s", 0.1);
	is_null(doc, "migration.retransmissions");
	is_null(doc, "migration.zero_windows");
	is_null(doc, "migration.link_bps");
	ck_assert_uint_eq(json_array_size(get(doc, "migration.streams")), 0);
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 1);
	is_str(doc, "notes.0", "no migration stream: no TCP flow begins with "
	    "QEMU's magic \"QEVM\" or uses ports 49152-49215 (--mig-ports)");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* --min-gap given, and every probe answered: no interruption, a note. */
START_TEST(min_gap_and_no_gap)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_echo(&c, LOST_LO, LOST_HI);
	add_stream(&c);
	path = write_pcap(&c, "mingap.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_parse_duration("400ms", &o.min_gap), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_OK);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_null(doc, "interruption.method");
	is_null(doc, "interruption.duration_s");
	is_null(doc, "interruption.lost_probes");
	is_real(doc, "interruption.min_gap_s", 0.4);
	is_real(doc, "interruption.probe_interval_s", 0.01);
	is_int(doc, "interruption.probes_lost", 30);
	ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 0);
	/* No announce seen: counts are 0, the MAC is still known. */
	is_null(doc, "announce.first_ns");
	is_int(doc, "announce.count", 0);
	is_str(doc, "announce.mac", "52:54:00:12:34:56");
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 1);
	/* 30 probes lost: never "answered every probe" beside them. */
	is_str(doc, "notes.0", "no gap in the VM's echo replies is longer "
	    "than 400.000 ms (--min-gap), yet 30 probe(s) were never "
	    "answered: lower --min-gap to see where");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/*
 * No probes: the interruption is the VM's longest silence, and its TCP
 * flow's longest stall is reported. The VM (192.0.2.10) sends 100 bytes
 * to 203.0.113.5:443 every 10 ms, acked 1 ms later, and is silent from
 * +290 ms to +700 ms.
 */
START_TEST(silence_and_stall)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;
	uint32_t seq = 1;

	for (int i = 0; i < 100; i++) {
		if (i >= 30 && i < 70)
			continue;
		tcp(&c, T0 + i * 10 * MS, VMMAC, VMIP, 50000, PEERMAC, PEERIP, 443,
		    seq, 1, 0x18, 100, 0);
		seq += 100;
		tcp(&c, T0 + i * 10 * MS + MS, PEERMAC, PEERIP, 443, VMMAC, VMIP,
		    50000, 1, seq, 0x10, 0, 0);
	}
	path = write_pcap(&c, "silence.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_NO_STREAM);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_str(doc, "vm.mac", "52:54:00:12:34:56");
	is_str(doc, "interruption.method", "silence");
	is_int(doc, "interruption.last_reply_before_ns", T0 + 290 * MS);
	is_int(doc, "interruption.first_reply_after_ns", T0 + 700 * MS);
	is_real(doc, "interruption.duration_s", 0.41);
	is_null(doc, "interruption.lost_probes");
	is_null(doc, "interruption.probes_sent");
	/* Each segment was acked in 1 ms: the first such stall is kept. */
	is_str(doc, "interruption.tcp_stall.src", "192.0.2.10");
	is_int(doc, "interruption.tcp_stall.sport", 50000);
	is_str(doc, "interruption.tcp_stall.dst", "203.0.113.5");
	is_int(doc, "interruption.tcp_stall.dport", 443);
	is_int(doc, "interruption.tcp_stall.start_ns", T0);
	is_int(doc, "interruption.tcp_stall.end_ns", T0 + MS);
	is_real(doc, "interruption.tcp_stall.duration_s", 0.001);
	is_int(doc, "interruption.tcp_stall.retransmissions", 0);
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 2);
	is_str(doc, "notes.0", "no echo probes to the VM in the capture: the "
	    "interruption is its longest silence (no frame from 192.0.2.10)");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* The CSV timeline and the text report of the full scenario. */
START_TEST(csv_and_text)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path, *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *f;
	json_t *doc;
	int rows = 0;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	path = write_pcap(&c, "csv.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_parse_rate("13M", &o.link_bps), 0);
	a = run(&o, path);

	f = open_memstream(&buf, &len);
	report_write_csv(a, f);
	fclose(f);
	line = strtok_r(buf, "\n", &save);
	ck_assert_str_eq(line, "bin_start_ns,bin_start_s,stream_bps,probes_sent,"
	    "probes_answered,announces,utilisation");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char want[160];
		if (rows == 1) {
			/* +101 ms: 100 segments, probes +105..+195 ms */
			snprintf(want, sizeof(want), "%lld,0.100000000,11584000.0,10,10,0,%.4f",
			    (long long)(T0 + 101 * MS), 100.0 * 1502 * 8 / 0.1 / 13e6);
			ck_assert_str_eq(line, want);
		}
		if (rows == 12) {
			/* +1201 ms: probes 120..129 lost, RARPs at +1250, +1300 */
			snprintf(want, sizeof(want), "%lld,1.200000000,0.0,10,0,2,0.0000",
			    (long long)(T0 + 1201 * MS));
			ck_assert_str_eq(line, want);
		}
		rows++;
	}
	/* Bins from +1 ms to the last packet at +1995.5 ms: 20. */
	ck_assert_int_eq(rows, 20);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	doc = analysis_to_json(a);
	report_write_text(doc, 0, f);
	json_decref(doc);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "  method                icmp-echo, the gap holding the first announce\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  last reply before     2026-01-01 00:00:00.995500000Z\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  first reply after     2026-01-01 00:00:01.305500000Z\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  duration              310.000000 ms"));
	ck_assert_ptr_nonnull(strstr(buf, "  lost probes           30\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  bytes                 1448000\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  to first reply        55.500000 ms"));
	ck_assert_ptr_nonnull(strstr(buf, "QEVM magic"));
	free(buf);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* Two captures (external and management network) merged by time. */
START_TEST(two_files)
{
	struct capture ext = { 0 }, mgmt = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *paths[2], errbuf[MT_ERRBUF_SIZE] = "";
	json_t *doc;

	add_echo(&ext, LOST_LO, LOST_HI);
	add_rarp(&ext);
	add_stream(&mgmt);
	paths[0] = write_pcap(&ext, "ext.pcap");
	paths[1] = write_pcap(&mgmt, "mgmt.pcap");
	analysis_opts_init(&o);
	o.progress = 0;
	a = analysis_run(&o, paths, 2, errbuf);
	ck_assert_msg(a != NULL, "analysis_run: %s", errbuf);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_OK);
	doc = analysis_to_json(a);
	all_keys(doc);
	ck_assert_uint_eq(json_array_size(get(doc, "inputs")), 2);
	is_str(doc, "inputs.0.file", paths[0]);
	is_int(doc, "inputs.0.packets", (long long)ext.n);
	is_int(doc, "inputs.0.bytes", (long long)ext.wire_bytes);
	is_int(doc, "inputs.0.first_ns", T0 + 5 * MS);
	is_int(doc, "inputs.0.last_ns", T0 + 1995 * MS + 500 * US);
	is_str(doc, "inputs.1.file", paths[1]);
	is_int(doc, "inputs.1.packets", (long long)mgmt.n);
	is_int(doc, "inputs.1.bytes", (long long)mgmt.wire_bytes);
	is_int(doc, "inputs.1.first_ns", T0 + MS);
	is_int(doc, "inputs.1.last_ns", T0 + 1009 * MS + 100 * US);
	is_int(doc, "packets", (long long)(ext.n + mgmt.n));
	is_int(doc, "first_ns", T0 + MS);
	is_int(doc, "last_ns", T0 + 1995 * MS + 500 * US);
	is_str(doc, "vm.ip", "192.0.2.10");
	check_echo(doc);
	is_int(doc, "announce.count", 3);
	check_stream(doc);
	json_decref(doc);
	analysis_free(a);
	free(paths[0]);
	free(paths[1]);
	free(ext.f);
	free(mgmt.f);
}
END_TEST

/* Not a capture: NULL and one line naming the file. */
START_TEST(bad_input)
{
	struct analysis_opts o;
	char errbuf[MT_ERRBUF_SIZE] = "";
	char *path;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "%s/notes.txt", tmpdir), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a capture file, just some text in it\n", f);
	fclose(f);
	analysis_opts_init(&o);
	o.progress = 0;
	ck_assert_ptr_null(analysis_run(&o, &path, 1, errbuf));
	ck_assert_msg(strncmp(errbuf, path, strlen(path)) == 0 &&
	    errbuf[strlen(path)] == ':', "message does not name the file: %s", errbuf);
	ck_assert_ptr_null(strchr(errbuf, '\n'));

	/* With --vm given (one pass), the same. */
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	errbuf[0] = '\0';
	ck_assert_ptr_null(analysis_run(&o, &path, 1, errbuf));
	ck_assert_msg(strncmp(errbuf, path, strlen(path)) == 0, "%s", errbuf);
	free(path);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, full_run);
	tcase_add_test(tc, gap_choice);
	tcase_add_test(tc, gap_tie);
	tcase_add_test(tc, from_memory);
	tcase_add_test(tc, no_link);
	tcase_add_test(tc, no_vm);
	tcase_add_test(tc, no_stream);
	tcase_add_test(tc, min_gap_and_no_gap);
	tcase_add_test(tc, silence_and_stall);
	tcase_add_test(tc, csv_and_text);
	tcase_add_test(tc, two_files);
	tcase_add_test(tc, bad_input);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("TZ", "UTC", 1);	/* the text report's clock times */
	tzset();
	sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
