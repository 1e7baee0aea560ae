/*
 * check_report_util.c: the analysis and report Check suite's captures
 * (frames written with tests/testutil.c, in time order, to a pcap file),
 * its scenario and its checks of the JSON document.
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
#include "check_report.h"

const uint8_t VMMAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
const uint8_t CLMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
const uint8_t SRCMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
const uint8_t DSTMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 };
const uint8_t PEERMAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x02, 0x01 };
const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const uint8_t VMIP[4] = { 192, 0, 2, 10 };
const uint8_t CLIP[4] = { 192, 0, 2, 1 };
const uint8_t SRCIP[4] = { 198, 51, 100, 1 };
const uint8_t DSTIP[4] = { 198, 51, 100, 2 };
const uint8_t PEERIP[4] = { 203, 0, 113, 5 };

char tmpdir[64];

void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

void
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

struct frame *
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
void
keep(struct capture *c, mt_ns ts, const struct fb *fb)
{
	struct frame *f = newframe(c, ts);

	ck_assert_uint_le(fb->n, sizeof(f->b));
	memcpy(f->b, fb->b, fb->n);
	f->caplen = (uint32_t)fb->n;
	f->wirelen = fb->wire;
}

void
eth(struct fb *f, const uint8_t *dst, const uint8_t *src, unsigned type)
{
	pbytes(f, dst, 6);
	pbytes(f, src, 6);
	p16(f, type);
}

void
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
void
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

void
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

void
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

int
cmp_frame(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;

	if (x->ts != y->ts)
		return (x->ts > y->ts) - (x->ts < y->ts);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Write the capture (nanosecond pcap) as tmpdir/name; return the path. */
char *
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

void
add_echo(struct capture *c, int lost_lo, int lost_hi)
{
	for (int k = 0; k < NPROBES; k++) {
		echo(c, T0 + 5 * MS + k * 10 * MS, 0, (uint16_t)k);
		if (k < lost_lo || k >= lost_hi)
			echo(c, T0 + 5 * MS + k * 10 * MS + 500 * US, 1, (uint16_t)k);
	}
}

void
add_rarp(struct capture *c)
{
	rarp(c, T0 + 1250 * MS);
	rarp(c, T0 + 1300 * MS);
	rarp(c, T0 + 1450 * MS);
}

void
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
void
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
    "probe_interval_s", "min_gap_s", "probes_sent", "probes_answered", "probes_lost", "replies", "late_replies",
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

json_t *
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

void
is_int(const json_t *doc, const char *path, long long want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_integer(v), "%s is not an integer", path);
	ck_assert_msg(json_integer_value(v) == want, "%s is %lld, not %lld",
	    path, (long long)json_integer_value(v), want);
}

void
is_real(const json_t *doc, const char *path, double want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_real(v), "%s is not a real", path);
	ck_assert_msg(fabs(json_real_value(v) - want) <= 1e-9 * fabs(want) + 1e-12,
	    "%s is %.12g, not %.12g", path, json_real_value(v), want);
}

void
is_str(const json_t *doc, const char *path, const char *want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_string(v), "%s is not a string", path);
	ck_assert_str_eq(json_string_value(v), want);
}

void
is_null(const json_t *doc, const char *path)
{
	ck_assert_msg(json_is_null(get(doc, path)), "%s is not null", path);
}

void
is_bool(const json_t *doc, const char *path, int want)
{
	json_t *v = get(doc, path);

	ck_assert_msg(json_is_boolean(v), "%s is not a boolean", path);
	ck_assert_int_eq(json_is_true(v), want);
}

void
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

struct analysis *
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
void
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

void
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
