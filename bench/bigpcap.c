/*
 * bigpcap.c: write large, realistic, headers-only captures of VM live
 * migrations for the benchmarks (bench/analyze, bench/scale), streaming,
 * in constant memory, in pcap (nanosecond) or pcapng.
 *
 * Two files, one per capture point, as migtrace-capture writes them:
 *   ext   the external network: ICMP echo probes from a client to the VM
 *         every --probe-interval (10 ms), replies 300 us later unless the
 *         VM is paused (the outage), QEMU's RARP announces after each
 *         switchover (docs/wire-formats.md: ethertype 0x8035, opcode 3, at +0,
 *         +50, +200, +450, +800 ms), background UDP and ARP of other
 *         hosts, and --flows concurrent TCP flows (half of them to the
 *         VM's port 80, half between other hosts) that each live
 *         --flow-life data segments, close with FIN and are replaced by a
 *         new flow on a new client port (so flows are retired all along);
 *   mgmt  the management network: one migration TCP stream per cycle,
 *         source host -> destination host port 49152, payload starting
 *         with "QEVM" 0x5145564d and version 3, MSS segments (1514-byte
 *         frames) at --rate with an ACK every second segment.
 *
 * A cycle (--cycle) starts a migration; the stream runs --mig-time; the
 * VM is paused for a downtime (100..600 ms, pseudo-random, seeded) at the
 * end of the stream; the RARP announces follow the resume. Frames are cut
 * at --snaplen (128) with the wire length kept, as a headers-only capture.
 * Writing stops when both files together reach --size bytes, or after
 * --duration of capture time, whichever comes first.
 *
 * Frames come from a set of sources (the stream, the prober, the flows,
 * the background), each with its next frame time, merged in time order;
 * the N flows are one source that picks one at random per frame, so the
 * memory is O(N) and nothing grows with the size.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_US	1000LL
#define NS_PER_MS	1000000LL
#define NS_PER_S	1000000000LL

#define MSS		1448		/* payload of a 1514-byte frame */
#define MIG_PORT	49152		/* qemu.conf migration_port_min */
#define QEVM_MAGIC	0x5145564dU	/* migration/savevm.c */
#define MAX_FRAME	1514

static const char *progname = "bigpcap";

struct opts {
	const char *ext_path, *mgmt_path;
	int pcapng;
	uint64_t size;		/* stop at this many bytes (both files) */
	int64_t duration;	/* or after this much capture time */
	double rate;		/* migration stream, bits/s on the wire */
	int64_t cycle, mig_time, probe_interval;
	uint32_t flows, flow_life;
	double flow_pps, bg_pps;
	uint32_t snaplen;
	uint64_t seed;
	int64_t start;		/* first timestamp */
};

/* ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* splitmix64: fast, and the same sequence for the same seed. */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng_below(uint64_t n)
{
	return n ? rng() % n : 0;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ------------------------------------------------------------------
 * Writers: pcap with the nanosecond magic, or pcapng with if_tsresol 9.
 */

struct writer {
	FILE *f;
	const char *path;
	int pcapng;
	uint32_t snaplen;
	uint64_t bytes, packets;
};

static void
w_put(struct writer *w, const void *p, size_t n)
{
	if (fwrite(p, 1, n, w->f) != n)
		die("%s: write error (%s)", w->path, strerror(errno));
	w->bytes += n;
}

static void
le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	le16(p, (uint16_t)v);
	le16(p + 2, (uint16_t)(v >> 16));
}

static void
writer_open(struct writer *w, const char *path, int pcapng, uint32_t snaplen)
{
	static char *bufs[2];
	static int nbuf;
	uint8_t h[64];

	memset(w, 0, sizeof(*w));
	w->path = path;
	w->pcapng = pcapng;
	w->snaplen = snaplen;
	if ((w->f = fopen(path, "wb")) == NULL)
		die("%s: cannot create (%s)", path, strerror(errno));
	if (nbuf < 2 && (bufs[nbuf] = malloc(1 << 20)) != NULL)
		setvbuf(w->f, bufs[nbuf++], _IOFBF, 1 << 20);
	if (!pcapng) {
		le32(h, 0xa1b23c4d);		/* nanosecond pcap */
		le16(h + 4, 2);
		le16(h + 6, 4);
		le32(h + 8, 0);
		le32(h + 12, 0);
		le32(h + 16, snaplen);
		le32(h + 20, 1);		/* LINKTYPE_ETHERNET */
		w_put(w, h, 24);
		return;
	}
	/* Section header block (28 bytes, no options). */
	le32(h, 0x0a0d0d0a);
	le32(h + 4, 28);
	le32(h + 8, 0x1a2b3c4d);
	le16(h + 12, 1);
	le16(h + 14, 0);
	le32(h + 16, 0xffffffff);		/* section length unknown */
	le32(h + 20, 0xffffffff);
	le32(h + 24, 28);
	w_put(w, h, 28);
	/* Interface description block with if_tsresol = 9 (ns). */
	le32(h, 1);
	le32(h + 4, 32);
	le16(h + 8, 1);				/* LINKTYPE_ETHERNET */
	le16(h + 10, 0);
	le32(h + 12, snaplen);
	le16(h + 16, 9);			/* if_tsresol */
	le16(h + 18, 1);
	h[20] = 9;
	h[21] = h[22] = h[23] = 0;
	le16(h + 24, 0);			/* opt_endofopt */
	le16(h + 26, 0);
	le32(h + 28, 32);
	w_put(w, h, 32);
}

static void
writer_frame(struct writer *w, int64_t ts, const uint8_t *data, uint32_t len)
{
	uint32_t cap = len < w->snaplen ? len : w->snaplen;
	uint8_t h[32];
	static const uint8_t zero[4];

	if (!w->pcapng) {
		le32(h, (uint32_t)(ts / NS_PER_S));
		le32(h + 4, (uint32_t)(ts % NS_PER_S));
		le32(h + 8, cap);
		le32(h + 12, len);
		w_put(w, h, 16);
		w_put(w, data, cap);
	} else {
		uint32_t pad = (4 - cap % 4) % 4, blen = 32 + cap + pad;
		le32(h, 6);			/* enhanced packet block */
		le32(h + 4, blen);
		le32(h + 8, 0);
		le32(h + 12, (uint32_t)((uint64_t)ts >> 32));
		le32(h + 16, (uint32_t)ts);
		le32(h + 20, cap);
		le32(h + 24, len);
		w_put(w, h, 28);
		w_put(w, data, cap);
		w_put(w, zero, pad);
		le32(h, blen);
		w_put(w, h, 4);
	}
	w->packets++;
}

static void
writer_close(struct writer *w)
{
	if (fclose(w->f) != 0)
		die("%s: write error (%s)", w->path, strerror(errno));
}

/* ------------------------------------------------------------------
 * Frames. Addresses from the documentation ranges (RFC 5737).
 */

struct host {
	uint8_t mac[6];
	uint8_t ip[4];
};

static struct host
host(uint8_t net, uint8_t last)
{
	static const uint8_t nets[3][3] = {
		{ 192, 0, 2 }, { 198, 51, 100 }, { 203, 0, 113 }
	};
	struct host h = { { 0x52, 0x54, 0x00, net, 0, last },
	    { nets[net][0], nets[net][1], nets[net][2], last } };
	return h;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void
be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
}

static uint16_t
csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 header; returns the offset of the transport header. */
static size_t
eth_ip(uint8_t *f, const struct host *s, const struct host *d,
    uint8_t proto, uint16_t iplen, uint16_t ipid)
{
	memcpy(f, d->mac, 6);
	memcpy(f + 6, s->mac, 6);
	be16(f + 12, 0x0800);
	f[14] = 0x45;
	f[15] = 0;
	be16(f + 16, iplen);
	be16(f + 18, ipid);
	be16(f + 20, 0x4000);			/* DF */
	f[22] = 64;
	f[23] = proto;
	be16(f + 24, 0);
	memcpy(f + 26, s->ip, 4);
	memcpy(f + 30, d->ip, 4);
	be16(f + 24, csum(f + 14, 20));
	return 34;
}

/*
 * A TCP segment of 'payload' bytes (only the first bytes are written:
 * the capture keeps 128). Returns the frame length on the wire.
 */
static uint32_t
tcp_frame(uint8_t *f, const struct host *s, const struct host *d,
    uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    uint16_t win, uint32_t payload, const uint8_t *head, size_t headlen)
{
	static uint16_t ipid;
	size_t o = eth_ip(f, s, d, 6, (uint16_t)(40 + payload), ipid++);
	uint32_t len;

	be16(f + o, sport);
	be16(f + o + 2, dport);
	be32(f + o + 4, seq);
	be32(f + o + 8, ack);
	f[o + 12] = 5 << 4;
	f[o + 13] = flags;
	be16(f + o + 14, win);
	be16(f + o + 16, 0);			/* checksum: offloaded */
	be16(f + o + 18, 0);
	o += 20;
	if (payload > 0) {
		size_t n = payload < 128 ? payload : 128;
		memset(f + o, 0x5a, n);
		if (head != NULL)
			memcpy(f + o, head, headlen < n ? headlen : n);
	}
	len = (uint32_t)(o + payload);
	return len < 60 ? 60 : len;		/* Ethernet minimum */
}

static uint32_t
icmp_echo(uint8_t *f, const struct host *s, const struct host *d,
    uint8_t type, uint16_t id, uint16_t seq)
{
	size_t o = eth_ip(f, s, d, 1, 84, seq);

	f[o] = type;
	f[o + 1] = 0;
	be16(f + o + 2, 0);
	be16(f + o + 4, id);
	be16(f + o + 6, seq);
	memset(f + o + 8, 0x61, 56);
	be16(f + o + 2, csum(f + o, 64));
	return (uint32_t)(o + 64);
}

static uint32_t
udp_frame(uint8_t *f, const struct host *s, const struct host *d,
    uint16_t sport, uint16_t dport, uint16_t payload)
{
	size_t o = eth_ip(f, s, d, 17, (uint16_t)(28 + payload), sport);

	be16(f + o, sport);
	be16(f + o + 2, dport);
	be16(f + o + 4, (uint16_t)(8 + payload));
	be16(f + o + 6, 0);
	memset(f + o + 8, 0x33, payload < 120 ? payload : 120);
	return (uint32_t)(o + 8 + payload) < 60 ? 60 : (uint32_t)(o + 8 + payload);
}

/* ARP (1, 2) or RARP (3) for Ethernet/IPv4, RFC 826 / RFC 903. */
static uint32_t
arp_frame(uint8_t *f, uint16_t ethertype, uint16_t op, const uint8_t *dmac,
    const uint8_t *sha, const uint8_t *spa, const uint8_t *tha,
    const uint8_t *tpa)
{
	memcpy(f, dmac, 6);
	memcpy(f + 6, sha, 6);
	be16(f + 12, ethertype);
	be16(f + 14, 1);
	be16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	be16(f + 20, op);
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, spa, 4);
	memcpy(f + 32, tha, 6);
	memcpy(f + 38, tpa, 4);
	memset(f + 42, 0, 18);
	return 60;
}

/* ------------------------------------------------------------------
 * The scenario.
 */

static struct host h_client, h_vm, h_bga, h_bgb, h_web, h_src, h_dst;

/* Cycle k: its stream runs [start, start + mig_time); the VM is paused
 * for the downtime ending when the stream ends. */
struct cycle {
	int64_t start, stream_end, pause, resume;
	uint64_t k;
};

static void
cycle_of(const struct opts *o, uint64_t k, struct cycle *c)
{
	uint64_t save = rng_state;

	/* The downtime of cycle k depends on k only, not on the order of
	 * the questions, so every source sees the same outages. */
	rng_state = o->seed * 1000003 + k;
	c->k = k;
	c->start = o->start + 2 * NS_PER_S + (int64_t)k * o->cycle;
	c->stream_end = c->start + o->mig_time;
	c->pause = c->stream_end - (100 + (int64_t)rng_below(500)) * NS_PER_MS;
	c->resume = c->stream_end;
	rng_state = save;
}

static int
vm_paused(const struct opts *o, int64_t ts)
{
	struct cycle c;

	if (ts < o->start + 2 * NS_PER_S)
		return 0;
	cycle_of(o, (uint64_t)(ts - o->start - 2 * NS_PER_S) / (uint64_t)o->cycle, &c);
	return ts >= c.pause && ts < c.resume;
}

/* A source of frames: its next time, and a step that writes one frame. */
struct source;
typedef void (*step_fn)(struct source *, const struct opts *);

struct source {
	int64_t next;
	step_fn step;
	struct writer *w;
	uint8_t frame[MAX_FRAME];
	/* per-source state */
	union {
		struct {		/* the migration stream */
			uint64_t k;	/* current cycle */
			int phase;	/* 0 syn, 1 synack, 2 ack, 3 data, 4 fin */
			uint32_t iss, irs, sent, segs;
			int64_t data_next, ack_at;
			uint16_t sport;
		} mig;
		struct {		/* the prober */
			uint16_t seq;
			int64_t reply_at;	/* 0: none pending */
		} probe;
		struct {		/* announces after each resume */
			uint64_t k;
			int i;
		} rarp;
	} u;
};

static const int64_t rarp_at_ms[] = { 0, 50, 200, 450, 800 };

static void
mig_step(struct source *s, const struct opts *o)
{
	static const uint8_t head[8] = { 0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3 };
	struct cycle c;
	uint32_t len = 0;
	int is_fin = 0;	/* this frame is the FIN */
	double seg_ns = (double)MAX_FRAME * 8 * 1e9 / o->rate;
	int64_t ts = s->next;

	cycle_of(o, s->u.mig.k, &c);
	switch (s->u.mig.phase) {
	case 0:
		s->u.mig.sport = (uint16_t)(40000 + s->u.mig.k % 20000);
		s->u.mig.iss = (uint32_t)rng();
		s->u.mig.irs = (uint32_t)rng();
		s->u.mig.sent = s->u.mig.segs = 0;
		len = tcp_frame(s->frame, &h_src, &h_dst, s->u.mig.sport,
		    MIG_PORT, s->u.mig.iss, 0, 0x02, 64240, 0, NULL, 0);
		s->next = ts + 200 * NS_PER_US;
		break;
	case 1:
		len = tcp_frame(s->frame, &h_dst, &h_src, MIG_PORT,
		    s->u.mig.sport, s->u.mig.irs, s->u.mig.iss + 1, 0x12, 65160,
		    0, NULL, 0);
		s->next = ts + 100 * NS_PER_US;
		break;
	case 2:
		len = tcp_frame(s->frame, &h_src, &h_dst, s->u.mig.sport,
		    MIG_PORT, s->u.mig.iss + 1, s->u.mig.irs + 1, 0x10, 502,
		    0, NULL, 0);
		s->u.mig.data_next = ts + 100 * NS_PER_US;
		s->u.mig.ack_at = 0;
		s->next = s->u.mig.data_next;
		break;
	case 3:
		if (s->u.mig.ack_at != 0 && s->u.mig.ack_at <= s->u.mig.data_next) {
			len = tcp_frame(s->frame, &h_dst, &h_src, MIG_PORT,
			    s->u.mig.sport, s->u.mig.irs + 1,
			    s->u.mig.iss + 1 + s->u.mig.sent, 0x10, 8192, 0,
			    NULL, 0);
			s->u.mig.ack_at = 0;
		} else {
			len = tcp_frame(s->frame, &h_src, &h_dst,
			    s->u.mig.sport, MIG_PORT,
			    s->u.mig.iss + 1 + s->u.mig.sent, s->u.mig.irs + 1,
			    0x18, 502, MSS, s->u.mig.sent == 0 ? head : NULL,
			    sizeof(head));
			s->u.mig.sent += MSS;
			/* An ACK 40 us after every second segment; at rates
			 * where segments come faster, the pending one is
			 * kept (not pushed back), so ACKs still go out. */
			if (++s->u.mig.segs % 2 == 0 && s->u.mig.ack_at == 0)
				s->u.mig.ack_at = ts + 40 * NS_PER_US;
			/* Paced from the first segment, which follows the
			 * handshake's ACK (c.start + 300 us) by 100 us. */
			s->u.mig.data_next = c.start + 400 * NS_PER_US +
			    (int64_t)((double)s->u.mig.segs * seg_ns);
		}
		if (s->u.mig.data_next >= c.stream_end && s->u.mig.ack_at == 0) {
			s->u.mig.phase = 4;	/* the last ack is out: close */
			s->next = ts + 50 * NS_PER_US;
			break;
		}
		s->next = s->u.mig.ack_at != 0 &&
		    s->u.mig.ack_at < s->u.mig.data_next ?
		    s->u.mig.ack_at : s->u.mig.data_next;
		break;
	case 4:
		is_fin = 1;
		len = tcp_frame(s->frame, &h_src, &h_dst, s->u.mig.sport,
		    MIG_PORT, s->u.mig.iss + 1 + s->u.mig.sent,
		    s->u.mig.irs + 1, 0x11, 502, 0, NULL, 0);
		break;
	case 5:
		len = tcp_frame(s->frame, &h_dst, &h_src, MIG_PORT,
		    s->u.mig.sport, s->u.mig.irs + 1,
		    s->u.mig.iss + 2 + s->u.mig.sent, 0x11, 8192, 0, NULL, 0);
		break;
	}
	writer_frame(s->w, ts, s->frame, len);
	if (s->u.mig.phase == 4 && is_fin) {
		s->u.mig.phase = 5;
		s->next = ts + 100 * NS_PER_US;
	} else if (s->u.mig.phase == 5) {
		s->u.mig.phase = 0;
		cycle_of(o, ++s->u.mig.k, &c);
		s->next = c.start;
	} else if (s->u.mig.phase < 3)
		s->u.mig.phase++;
}

static void
probe_step(struct source *s, const struct opts *o)
{
	int64_t ts = s->next;
	uint32_t len;

	if (s->u.probe.reply_at == ts) {
		len = icmp_echo(s->frame, &h_vm, &h_client, 0, 0x4d54,
		    s->u.probe.seq);
		s->u.probe.reply_at = 0;
		s->next = ts - 300 * NS_PER_US + o->probe_interval;
		s->u.probe.seq++;
	} else {
		len = icmp_echo(s->frame, &h_client, &h_vm, 8, 0x4d54,
		    s->u.probe.seq);
		if (!vm_paused(o, ts + 300 * NS_PER_US)) {
			s->u.probe.reply_at = ts + 300 * NS_PER_US;
			s->next = s->u.probe.reply_at;
		} else {
			s->next = ts + o->probe_interval;
			s->u.probe.seq++;
		}
	}
	writer_frame(s->w, ts, s->frame, len);
}

static void
rarp_step(struct source *s, const struct opts *o)
{
	static const uint8_t zero4[4];
	struct cycle c;
	uint32_t len;

	len = arp_frame(s->frame, 0x8035, 3, bcast, h_vm.mac, zero4, h_vm.mac,
	    zero4);
	writer_frame(s->w, s->next, s->frame, len);
	if (++s->u.rarp.i == 5) {
		s->u.rarp.i = 0;
		s->u.rarp.k++;
	}
	cycle_of(o, s->u.rarp.k, &c);
	s->next = c.resume + rarp_at_ms[s->u.rarp.i] * NS_PER_MS;
}

/* Background: UDP queries and answers, and ARP, between other hosts. */
static void
bg_step(struct source *s, const struct opts *o)
{
	uint64_t r = rng();
	uint32_t len;

	if (r % 50 == 0)
		len = arp_frame(s->frame, 0x0806, 1, bcast, h_bga.mac, h_bga.ip,
		    (const uint8_t[6]){ 0 }, h_bgb.ip);
	else if (r % 2)
		len = udp_frame(s->frame, &h_bga, &h_bgb, (uint16_t)(1024 + r % 60000),
		    53, (uint16_t)(30 + r % 40));
	else
		len = udp_frame(s->frame, &h_bgb, &h_bga, 53,
		    (uint16_t)(1024 + r % 60000), (uint16_t)(100 + r % 1300));
	writer_frame(s->w, s->next, s->frame, len);
	s->next += (int64_t)(1e9 / o->bg_pps * (0.5 + (double)(r >> 40) / (double)(1 << 24)));
}

/* The N concurrent flows: one slot each, replaced when it closes. */
struct flow {
	uint32_t id;		/* flow number: fixes client address and port */
	uint32_t cseq, sseq;
	uint32_t step;		/* 0 syn, 1 synack, 2 ack, then data/acks, fin */
};

static struct flow *flows;
static uint32_t next_flow_id;

static void
flow_new(struct flow *f)
{
	f->id = next_flow_id++;
	f->cseq = (uint32_t)rng();
	f->sseq = (uint32_t)rng();
	f->step = 0;
}

static void
flows_step(struct source *s, const struct opts *o)
{
	struct flow *f = &flows[rng_below(o->flows)];
	struct host cl = host(2, (uint8_t)(1 + f->id / 2 % 250));
	uint16_t cport = (uint16_t)(1024 + f->id / 500 % 64000);
	int to_vm = f->id % 2 == 0;
	const struct host *sv = to_vm ? &h_vm : &h_web;
	uint16_t sport = to_vm ? 80 : 443;
	uint32_t data = o->flow_life, len;
	int64_t ts = s->next;

	s->next += (int64_t)(1e9 / o->flow_pps);
	if (to_vm && vm_paused(o, ts))
		return;		/* the paused VM sends and answers nothing */
	if (f->step == 0)
		len = tcp_frame(s->frame, &cl, sv, cport, sport, f->cseq, 0,
		    0x02, 64240, 0, NULL, 0);
	else if (f->step == 1)
		len = tcp_frame(s->frame, sv, &cl, sport, cport, f->sseq,
		    f->cseq + 1, 0x12, 65160, 0, NULL, 0);
	else if (f->step == 2)
		len = tcp_frame(s->frame, &cl, sv, cport, sport, f->cseq + 1,
		    f->sseq + 1, 0x10, 502, 0, NULL, 0);
	else if (f->step < 3 + 2 * data) {
		uint32_t i = (f->step - 3) / 2;
		if ((f->step - 3) % 2 == 0)	/* server data */
			len = tcp_frame(s->frame, sv, &cl, sport, cport,
			    f->sseq + 1 + i * MSS, f->cseq + 1, 0x18, 509, MSS,
			    NULL, 0);
		else				/* client ack */
			len = tcp_frame(s->frame, &cl, sv, cport, sport,
			    f->cseq + 1, f->sseq + 1 + (i + 1) * MSS, 0x10,
			    2048, 0, NULL, 0);
	} else if (f->step == 3 + 2 * data)
		len = tcp_frame(s->frame, sv, &cl, sport, cport,
		    f->sseq + 1 + data * MSS, f->cseq + 1, 0x11, 509, 0, NULL, 0);
	else
		len = tcp_frame(s->frame, &cl, sv, cport, sport, f->cseq + 1,
		    f->sseq + 2 + data * MSS, 0x11, 2048, 0, NULL, 0);
	writer_frame(s->w, ts, s->frame, len);
	if (f->step++ > 3 + 2 * data)
		flow_new(f);
}

/* ------------------------------------------------------------------ */

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [options] EXT-FILE MGMT-FILE\n"
"Write a large headers-only capture pair of repeated VM live migrations.\n"
"  --size BYTES         stop when both files hold this much (K, M, G; 1G)\n"
"  --duration SECONDS   or after this much capture time (default: none)\n"
"  --format pcap|pcapng (default pcap, nanosecond)\n"
"  --rate BITS          migration stream on the wire (default 100M)\n"
"  --cycle SECONDS      one migration every (default 60)\n"
"  --mig-time SECONDS   stream length per migration (default 30)\n"
"  --probe-interval MS  echo probes (default 10)\n"
"  --flows N            concurrent other TCP flows (default 1000)\n"
"  --flow-life N        data segments per flow before it closes (default 200)\n"
"  --flow-pps PPS       frames/s of all those flows (default 5000)\n"
"  --bg-pps PPS         background UDP/ARP frames/s (default 500)\n"
"  --snaplen N          bytes kept per frame (default 128)\n"
"  --seed N             (default 1)\n", progname);
}

static double
num(const char *opt, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || v < 0)
		die("%s: bad number '%s'", opt, s);
	switch (*end) {
	case 'k': case 'K': v *= 1e3; end++; break;
	case 'm': case 'M': v *= 1e6; end++; break;
	case 'g': case 'G': v *= 1e9; end++; break;
	}
	if (*end != '\0')
		die("%s: bad number '%s'", opt, s);
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "cycle", required_argument, NULL, 'c' },
		{ "mig-time", required_argument, NULL, 'm' },
		{ "probe-interval", required_argument, NULL, 'p' },
		{ "flows", required_argument, NULL, 'n' },
		{ "flow-life", required_argument, NULL, 'l' },
		{ "flow-pps", required_argument, NULL, 'F' },
		{ "bg-pps", required_argument, NULL, 'b' },
		{ "snaplen", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.size = 0, .duration = 0, .rate = 100e6, .cycle = 60 * NS_PER_S,
		.mig_time = 30 * NS_PER_S, .probe_interval = 10 * NS_PER_MS,
		.flows = 1000, .flow_life = 200, .flow_pps = 5000, .bg_pps = 500,
		.snaplen = 128, .seed = 1,
		.start = 1764201600LL * NS_PER_S,	/* 2025-11-27 00:00 UTC */
	};
	struct writer wext, wmgmt;
	struct source *src[5];
	size_t nsrc = 0;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.size = (uint64_t)num("--size", optarg); break;
		case 'd': o.duration = (int64_t)(num("--duration", optarg) * 1e9); break;
		case 'f':
			if (strcmp(optarg, "pcap") == 0)
				o.pcapng = 0;
			else if (strcmp(optarg, "pcapng") == 0)
				o.pcapng = 1;
			else
				die("--format: pcap or pcapng, not '%s'", optarg);
			break;
		case 'r': o.rate = num("--rate", optarg); break;
		case 'c': o.cycle = (int64_t)(num("--cycle", optarg) * 1e9); break;
		case 'm': o.mig_time = (int64_t)(num("--mig-time", optarg) * 1e9); break;
		case 'p': o.probe_interval = (int64_t)(num("--probe-interval", optarg) * 1e6); break;
		case 'n': o.flows = (uint32_t)num("--flows", optarg); break;
		case 'l': o.flow_life = (uint32_t)num("--flow-life", optarg); break;
		case 'F': o.flow_pps = num("--flow-pps", optarg); break;
		case 'b': o.bg_pps = num("--bg-pps", optarg); break;
		case 'S': o.snaplen = (uint32_t)num("--snaplen", optarg); break;
		case 'e': o.seed = (uint64_t)num("--seed", optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 1;
	}
	if (o.size == 0 && o.duration == 0)
		die("give --size or --duration");
	if (o.rate < 1e6 || o.cycle <= o.mig_time + NS_PER_S ||
	    o.mig_time < NS_PER_S || o.probe_interval <= NS_PER_MS ||
	    o.snaplen < 60 || o.snaplen > MAX_FRAME)
		die("need --rate >= 1M, --mig-time >= 1 s, --cycle > mig-time "
		    "+ 1 s, --probe-interval > 1 ms, 60 <= --snaplen <= 1514");
	o.ext_path = argv[optind];
	o.mgmt_path = argv[optind + 1];
	rng_state = o.seed;

	h_client = host(0, 10);
	h_vm = host(0, 100);
	h_bga = host(0, 21);
	h_bgb = host(0, 22);
	h_web = host(0, 30);
	h_src = host(1, 1);
	h_dst = host(1, 2);

	writer_open(&wext, o.ext_path, o.pcapng, o.snaplen);
	writer_open(&wmgmt, o.mgmt_path, o.pcapng, o.snaplen);

	for (int i = 0; i < 5; i++)
		if ((src[i] = calloc(1, sizeof(*src[i]))) == NULL)
			die("out of memory");
	src[nsrc]->step = mig_step;
	src[nsrc]->w = &wmgmt;
	src[nsrc++]->next = o.start + 2 * NS_PER_S;
	src[nsrc]->step = probe_step;
	src[nsrc]->w = &wext;
	src[nsrc++]->next = o.start + 1000;
	src[nsrc]->step = rarp_step;
	src[nsrc]->w = &wext;
	{
		struct cycle cy;
		cycle_of(&o, 0, &cy);
		src[nsrc++]->next = cy.resume;
	}
	if (o.bg_pps > 0) {
		src[nsrc]->step = bg_step;
		src[nsrc]->w = &wext;
		src[nsrc++]->next = o.start + 3000;
	}
	if (o.flows > 0 && o.flow_pps > 0) {
		if ((flows = calloc(o.flows, sizeof(*flows))) == NULL)
			die("out of memory");
		for (uint32_t i = 0; i < o.flows; i++)
			flow_new(&flows[i]);
		src[nsrc]->step = flows_step;
		src[nsrc]->w = &wext;
		src[nsrc++]->next = o.start + 7000;
	}

	/* A handful of sources: a linear scan for the earliest is enough. */
	for (;;) {
		struct source *s = src[0];
		for (size_t i = 1; i < nsrc; i++)
			if (src[i]->next < s->next)
				s = src[i];
		if (o.duration > 0 && s->next - o.start >= o.duration)
			break;
		if (o.size > 0 && wext.bytes + wmgmt.bytes >= o.size)
			break;
		s->step(s, &o);
	}
	writer_close(&wext);
	writer_close(&wmgmt);
	printf("%s: %" PRIu64 " packets, %" PRIu64 " bytes\n", o.ext_path,
	    wext.packets, wext.bytes);
	printf("%s: %" PRIu64 " packets, %" PRIu64 " bytes\n", o.mgmt_path,
	    wmgmt.packets, wmgmt.bytes);
	for (size_t i = 0; i < 5; i++)
		free(src[i]);
	free(flows);
	return 0;
}
