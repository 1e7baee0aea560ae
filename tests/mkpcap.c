/*
 * mkpcap.c: write synthetic captures of a VM live migration whose every
 * measure is known exactly, and write those values (the truth) as JSON.
 *
 * Two capture points, one file each (--role):
 *   ext   the external network: ICMP/ICMPv6 echo between a client and the
 *         VM, ARP, QEMU's RARP announces after the switchover
 *         (docs/wire-formats.md: ethertype 0x8035, opcode 3, broadcast, source =
 *         guest MAC, 5 frames at +0, +50, +200, +450, +800 ms), and the
 *         background traffic of other hosts (echo between two other hosts,
 *         UDP queries);
 *   mgmt  the management network: the migration TCP stream source host ->
 *         destination host port 49152 whose payload starts with "QEVM"
 *         0x5145564d and version 3 (docs/wire-formats.md), MSS-sized segments at
 *         a given payload rate, ACKs back, optional retransmissions and
 *         zero-window ACKs, optional multifd channels (magic 0x11223344),
 *         an unrelated bulk TCP flow on port 22 and libvirtd RPC on 16509.
 * Options for other cases: gratuitous ARPs, the VM's own traffic (for
 * captures without probes), frames of random bytes, link types the
 * analyzer does not read, pcapng with two interfaces, a timestamp going
 * backwards (tests/README.md has them all).
 *
 * pcap is written with libpcap (pcap_open_dead_with_tstamp_precision +
 * pcap_dump), or by hand in the other byte order with --swapped; pcapng
 * by hand (SHB, IDB with if_tsresol, EPB). Every timestamp is a whole
 * microsecond (plus --ns-offset nanoseconds with --precision ns), so
 * microsecond and nanosecond files hold the same times.
 *
 * The truth is computed from the frames actually written, not from the
 * parameters, so it holds whatever the options do to the scenario.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcap/pcap.h>

#define NS_PER_US	1000LL
#define NS_PER_MS	1000000LL
#define NS_PER_S	1000000000LL

#define MAX_OUTAGES	8
#define MAX_FRAME	2048

/* Link types as written in files (LINKTYPE_*, tcpdump.org/linktypes). */
#define LT_NULL		0
#define LT_EN10MB	1
#define LT_RAW		101
#define LT_LOOP		108
#define LT_SLL		113
#define LT_SLL2		276

enum linkkind { LK_EN10MB, LK_SLL, LK_SLL2, LK_RAW, LK_NULL, LK_LOOP };

static const struct {
	const char *name;
	enum linkkind kind;
	int linktype;		/* in the file */
	int dlt;		/* for pcap_open_dead() on this system */
} linktypes[] = {
	{ "en10mb", LK_EN10MB, LT_EN10MB, DLT_EN10MB },
	{ "sll", LK_SLL, LT_SLL, DLT_LINUX_SLL },
	{ "sll2", LK_SLL2, LT_SLL2, DLT_LINUX_SLL2 },
	{ "raw", LK_RAW, LT_RAW, DLT_RAW },
	{ "null", LK_NULL, LT_NULL, DLT_NULL },
	{ "loop", LK_LOOP, LT_LOOP, DLT_LOOP },
};

/* The hosts of the scenario (documentation ranges, RFC 5737 / 3849). */
enum host {
	H_CLIENT, H_VM, H_BGA, H_BGB, H_BGC, H_BGD,	/* external network */
	H_SRC, H_DST, H_ADMIN,				/* management network */
	H_BCAST, H_NONE,
	NHOSTS
};

static const struct {
	uint8_t mac[6];
	uint8_t ip4[4];
	uint8_t ip6[16];
} hosts[NHOSTS] = {
	[H_CLIENT] = { {2, 0, 0, 0, 1, 1}, {192, 0, 2, 1},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x01} },
	[H_VM] = { {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, {192, 0, 2, 10},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10} },
	[H_BGA] = { {2, 0, 0, 0, 1, 0x20}, {192, 0, 2, 20},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x20} },
	[H_BGB] = { {2, 0, 0, 0, 1, 0x21}, {192, 0, 2, 21},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x21} },
	[H_BGC] = { {2, 0, 0, 0, 1, 0x30}, {192, 0, 2, 30},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x30} },
	[H_BGD] = { {2, 0, 0, 0, 1, 0x31}, {192, 0, 2, 31},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x31} },
	[H_SRC] = { {2, 0, 0, 0, 2, 1}, {198, 51, 100, 1},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x01} },
	[H_DST] = { {2, 0, 0, 0, 2, 2}, {198, 51, 100, 2},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x02} },
	[H_ADMIN] = { {2, 0, 0, 0, 2, 9}, {198, 51, 100, 9},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x09} },
	[H_BCAST] = { {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0}, {0} },
	[H_NONE] = { {0}, {0}, {0} },
};

/* Ports of the management flows. */
#define PORT_MIG_SRC	45678	/* outside 49152-49215 on purpose */
#define PORT_MIG_DST	49152	/* docs/wire-formats.md: first port libvirt picks */
#define PORT_LIBVIRT	16509
#define PORT_LIBVIRT_CL	41000
#define PORT_SSH	22
#define PORT_SSH_CL	51000
#define ECHO_ID		0x4d54	/* client's probes */
#define ECHO_ID_BG	0x0bad	/* background echo between two other hosts */

enum evkind { EV_ECHO, EV_ARP, EV_UDP, EV_TCP, EV_GARBAGE };

/* Payload contents. */
enum paykind { PAY_ZERO, PAY_QEVM, PAY_MULTIFD, PAY_RPC, PAY_PATTERN };

/* What an event is, for the truth. */
enum mark {
	M_NONE, M_PROBE_REQ, M_PROBE_REP, M_ANNOUNCE, M_MIG_DATA,
	M_MIG_RETRANS, M_MIG_ACK, M_MIG_ZEROWIN, M_MIG_CTRL, M_VM_OTHER,
	M_UP_DATA, M_UP_ACK
};

struct ev {
	int64_t ts;		/* ns since the epoch */
	uint64_t order;		/* creation order: ties keep it */
	uint8_t kind;		/* enum evkind */
	uint8_t mark;		/* enum mark */
	uint8_t smac, dmac;	/* link addresses (enum host) */
	uint8_t sip, dip;	/* IP addresses (enum host) */
	uint8_t echo_reply;	/* EV_ECHO */
	uint8_t tcp_flags;
	uint8_t paykind;
	uint16_t arp_op;	/* EV_ARP: 1, 2 or 3 (RARP request) */
	uint16_t arp_ethertype;
	uint8_t arp_sha, arp_spa, arp_tha, arp_tpa;
	uint16_t sport, dport;	/* UDP/TCP; echo id in sport, seq in dport */
	uint32_t seq, ack;	/* TCP */
	uint16_t win;
	uint32_t len;		/* L4 payload bytes (echo data, UDP, TCP) */
	uint32_t payoff;	/* offset of the payload in its stream */
	int syn_opts;		/* TCP SYN options instead of timestamps */
	uint8_t flow;		/* migration flow: 0 main, 1.. multifd */
};

struct evlist {
	struct ev *v;
	size_t n, cap;
};

struct outage {
	int64_t start, dur;	/* ns relative to the scenario start */
};

struct opts {
	int link;		/* index in linktypes[], -1: raw number */
	int link_number;	/* --linktype NUM */
	int nano;
	int pcapng;
	int swapped;
	int vlan;
	int ipv6;
	int role_ext, role_mgmt;
	const char *out;
	const char *truth;
	int64_t t0;		/* scenario start, ns since the epoch */
	int64_t probe_interval;
	struct outage outages[MAX_OUTAGES];
	int noutages;
	int64_t announce_lead;
	uint64_t stream_rate;	/* payload bits per second */
	uint64_t stream_bytes;
	int64_t stream_start;
	int retrans;
	int overlaps;
	int zero_windows;
	int64_t zero_window_pause;
	uint32_t snaplen;
	uint64_t seed;
	int64_t duration;	/* 0: automatic */
	int ns_offset;
	int af_inet6;
	int extra_if;		/* pcapng: a second IDB of this link type, -1 none */
	int backwards;
	int no_probes, no_announce, no_background, no_stream, no_arp;
	int64_t min_gap;	/* for the truth's gaps; 0: 3 intervals */
	int multifd;		/* extra migration channels */
	int garp;		/* a gratuitous ARP after each RARP */
	int64_t vm_chatter;	/* the VM sends UDP this often; 0: never */
	int garbage;		/* random frames per file */
	int64_t vm_upload;	/* client -> VM TCP segment spacing; 0: none */
	int64_t bin;		/* for the truth's bins (--bin), default 100ms */
	uint64_t link_bps;	/* for the truth's utilisation (--link); 0: none */
};

/* What one file holds, for the truth's inputs[]. */
struct filestat {
	uint64_t packets, bytes;
	uint64_t truncated;	/* TCP frames whose header the snaplen cuts */
	int64_t first, last;
};

static const char *progname = "mkpcap";
/* Where the main migration flow's payload starts in its frames (bytes
 * from the link header on): the magic is in the file only if the
 * snapshot length reaches 4 bytes past it. */
static size_t mig_payload_off;

static int64_t	add_handshake(struct evlist *, int64_t, int, int, uint16_t,
		    uint16_t, uint32_t, uint32_t, enum mark);
static json_t	*truth_stall(const struct opts *, const struct evlist *);
static uint64_t rng_state;
static uint16_t ip_id;

/* xorshift64*: a small generator that gives the same numbers everywhere. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A uniform integer in [0, n). */
static uint64_t
rng_below(uint64_t n)
{
	return n ? rng() % n : 0;
}

static void
die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static struct ev *
ev_add(struct evlist *l, int64_t ts, enum evkind kind, enum mark mark)
{
	struct ev *e;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL)
			die(2, "out of memory");
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof *e);
	e->ts = ts;
	e->order = l->n;
	e->kind = kind;
	e->mark = mark;
	e->dmac = H_NONE;
	l->n++;
	return e;
}

static int
ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- option values ---------------------------------------------------- */

/*
 * A duration: "10ms", "1.5s", "250us", "100ns", "0.3" (seconds when
 * unitless). Decimal digits are read exactly (no binary rounding).
 */
static int
parse_duration(const char *s, int64_t *ns)
{
	int64_t ip = 0, frac = 0, fscale = 1, unit;
	const char *p = s;
	int digits = 0;

	if (*p == '\0')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (ip > INT64_MAX / 100)
			return -1;
		ip = ip * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (fscale < NS_PER_S) {
				frac = frac * 10 + (*p - '0');
				fscale *= 10;
			}
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	if (*p == '\0' || strcmp(p, "s") == 0)
		unit = NS_PER_S;
	else if (strcmp(p, "ms") == 0)
		unit = NS_PER_MS;
	else if (strcmp(p, "us") == 0)
		unit = NS_PER_US;
	else if (strcmp(p, "ns") == 0)
		unit = 1;
	else
		return -1;
	if (ip > INT64_MAX / unit)
		return -1;
	*ns = ip * unit + frac * unit / fscale;
	return 0;
}

/* A rate in bits/s: "100M", "1G", "95000000", "100mbit", "10Mbit/s". */
static int
parse_rate(const char *s, uint64_t *bps)
{
	char *end;
	double v;
	uint64_t mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v <= 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1000; end++; break;
	case 'm': case 'M': mul = 1000000; end++; break;
	case 'g': case 'G': mul = 1000000000; end++; break;
	default: break;
	}
	if (*end != '\0' && strcmp(end, "bit") != 0 && strcmp(end, "bit/s") != 0 &&
	    strcmp(end, "bps") != 0)
		return -1;
	v = v * (double)mul;
	if (v < 1 || v > 1e13)
		return -1;
	*bps = (uint64_t)llround(v);
	return 0;
}

/* An unsigned integer with an optional k/M/G (powers of 1000) suffix. */
static int
parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-')
		return -1;
	v = strtoull(s, &end, 10);
	if (end == s || errno != 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1000, end++;
	else if (*end == 'M')
		v *= 1000000, end++;
	else if (*end == 'G')
		v *= 1000000000, end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* ---- the scenario ----------------------------------------------------- */

static int
in_outage(const struct opts *o, int64_t ts)
{
	int i;

	for (i = 0; i < o->noutages; i++) {
		int64_t s = o->t0 + o->outages[i].start;

		if (ts >= s && ts < s + o->outages[i].dur)
			return 1;
	}
	return 0;
}

/* The outage the migration ends: the longest (the first of equals). */
static const struct outage *
main_outage(const struct opts *o)
{
	const struct outage *m = NULL;
	int i;

	for (i = 0; i < o->noutages; i++)
		if (m == NULL || o->outages[i].dur > m->dur)
			m = &o->outages[i];
	return m;
}

static uint32_t
mss(const struct opts *o)
{
	/* 1500-byte MTU, TCP header with the timestamp option (32 bytes). */
	return o->ipv6 ? 1500 - 40 - 32 : 1500 - 20 - 32;
}

/* Nanoseconds to send 'bytes' payload bytes at 'rate' bits/s, floored
 * to a whole microsecond. */
static int64_t
rate_offset(uint64_t rate, uint64_t bytes)
{
	unsigned __int128 us = (unsigned __int128)bytes * 8 * 1000000 / rate;

	return (int64_t)us * NS_PER_US;
}

/* Payload bytes of migration flow k: an equal share, the rest on the
 * main channel (k = 0). */
static uint64_t
flow_bytes(const struct opts *o, int k)
{
	uint64_t share = o->stream_bytes / (uint64_t)(o->multifd + 1);

	return k == 0 ? o->stream_bytes - share * (uint64_t)o->multifd : share;
}

/* Each flow's payload rate: an equal share of --stream-rate. */
static uint64_t
flow_rate(const struct opts *o)
{
	uint64_t r = o->stream_rate / (uint64_t)(o->multifd + 1);

	return r ? r : 1;
}

/* The end of the stream (after its last segment), relative to the start. */
static int64_t
stream_end(const struct opts *o)
{
	if (o->no_stream)
		return o->stream_start;
	/* The main channel is the longest: the most bytes, the pauses. */
	return o->stream_start + rate_offset(flow_rate(o), flow_bytes(o, 0)) +
	    (int64_t)o->zero_windows * o->zero_window_pause;
}

/* The scenario's end, relative to its start. */
static int64_t
scenario_end(const struct opts *o)
{
	const struct outage *m = main_outage(o);
	int64_t end = stream_end(o);
	int i;

	if (o->duration > 0)
		return o->duration;
	for (i = 0; i < o->noutages; i++)
		if (o->outages[i].start + o->outages[i].dur > end)
			end = o->outages[i].start + o->outages[i].dur;
	if (m != NULL && m->start + m->dur - o->announce_lead + 800 * NS_PER_MS > end)
		end = m->start + m->dur - o->announce_lead + 800 * NS_PER_MS;
	return end + 500 * NS_PER_MS;
}

static void
add_echo(struct evlist *l, int64_t ts, int src, int dst, uint16_t id,
    uint16_t seq, int reply, enum mark mark)
{
	struct ev *e = ev_add(l, ts, EV_ECHO, mark);

	e->smac = (uint8_t)src;
	e->dmac = (uint8_t)dst;
	e->sip = (uint8_t)src;
	e->dip = (uint8_t)dst;
	e->echo_reply = (uint8_t)reply;
	e->sport = id;
	e->dport = seq;
	e->len = 56;		/* iputils ping's default data size */
	e->paykind = PAY_PATTERN;
}

static void
add_arp(struct evlist *l, int64_t ts, uint16_t op, int smac, int dmac,
    int sha, int spa, int tha, int tpa, enum mark mark)
{
	struct ev *e = ev_add(l, ts, EV_ARP, mark);

	e->arp_ethertype = op >= 3 ? 0x8035 : 0x0806;
	e->arp_op = op;
	e->smac = (uint8_t)smac;
	e->dmac = (uint8_t)dmac;
	e->arp_sha = (uint8_t)sha;
	e->arp_spa = (uint8_t)spa;
	e->arp_tha = (uint8_t)tha;
	e->arp_tpa = (uint8_t)tpa;
}

static struct ev *
add_udp(struct evlist *l, int64_t ts, int src, int dst, uint16_t sport,
    uint16_t dport, uint32_t len)
{
	struct ev *e = ev_add(l, ts, EV_UDP, M_NONE);

	e->smac = e->sip = (uint8_t)src;
	e->dmac = e->dip = (uint8_t)dst;
	e->sport = sport;
	e->dport = dport;
	e->len = len;
	e->paykind = PAY_PATTERN;
	return e;
}

static struct ev *
add_tcp(struct evlist *l, int64_t ts, int src, int dst, uint16_t sport,
    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
    uint32_t len, enum mark mark)
{
	struct ev *e = ev_add(l, ts, EV_TCP, mark);

	e->smac = e->sip = (uint8_t)src;
	e->dmac = e->dip = (uint8_t)dst;
	e->sport = sport;
	e->dport = dport;
	e->seq = seq;
	e->ack = ack;
	e->tcp_flags = flags;
	e->win = win;
	e->len = len;
	e->syn_opts = (flags & 0x02) != 0;
	return e;
}

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

#define PORT_UP_CL	40100
#define PORT_UP_VM	5201

/*
 * --vm-upload D: the client uploads to the VM over TCP, one MSS segment
 * every D. The VM acks each 100 us later; a segment whose ack would fall
 * in an outage is lost (the VM is paused). The client's retransmission
 * timer starts at 200 ms from the first loss and doubles (RFC 6298); the
 * first retransmission the VM receives gets an ack of that segment only,
 * then the client resends each missing segment as soon as the previous
 * one is acked; segments sent meanwhile arrive out of order and get
 * duplicate acks. So the stall outlasts the outage, as in a real guest.
 */
static void
gen_upload(const struct opts *o, struct evlist *l)
{
	int64_t t0 = o->t0, end = t0 + scenario_end(o), start = t0 + 4 * NS_PER_MS;
	int64_t slot, rto_at = 0, rto = 0, busy = 0, t;
	uint32_t seg = mss(o), iss = 300000000, riss = 400000000;
	size_t nmax = (size_t)((end - start) / o->vm_upload) + 2, n = 0, una = 0;
	uint8_t *got = calloc(nmax, 1);
	struct ev *e;

	if (got == NULL)
		die(2, "out of memory");
	add_handshake(l, start - 1 * NS_PER_MS, H_CLIENT, H_VM, PORT_UP_CL,
	    PORT_UP_VM, iss - 1, riss - 1, M_NONE);
	for (slot = start; slot < end && n < nmax; slot += o->vm_upload) {
		/* Retransmission timeouts due by this slot. */
		while (rto_at != 0 && rto_at <= slot) {
			e = add_tcp(l, rto_at, H_CLIENT, H_VM, PORT_UP_CL, PORT_UP_VM,
			    iss + (uint32_t)(una * seg), riss, TH_ACK, 502, seg,
			    M_UP_DATA);
			e->paykind = PAY_PATTERN;
			if (in_outage(o, rto_at + 100 * NS_PER_US)) {
				rto *= 2;
				rto_at += rto;
				continue;
			}
			/* Received: ack what is in order, resend the next hole. */
			got[una] = 1;
			t = rto_at + 100 * NS_PER_US;
			for (;;) {
				while (una < n && got[una])
					una++;
				add_tcp(l, t, H_VM, H_CLIENT, PORT_UP_VM, PORT_UP_CL,
				    riss, iss + (uint32_t)(una * seg), TH_ACK, 3000, 0,
				    M_UP_ACK);
				if (una == n)
					break;
				e = add_tcp(l, t + 50 * NS_PER_US, H_CLIENT, H_VM,
				    PORT_UP_CL, PORT_UP_VM, iss + (uint32_t)(una * seg),
				    riss, TH_ACK, 502, seg, M_UP_DATA);
				e->paykind = PAY_PATTERN;
				got[una] = 1;
				t += 150 * NS_PER_US;
			}
			rto_at = 0;
			busy = t;
		}
		if (slot <= busy)
			continue;
		/* A new segment. */
		e = add_tcp(l, slot, H_CLIENT, H_VM, PORT_UP_CL, PORT_UP_VM,
		    iss + (uint32_t)(n * seg), riss, TH_ACK | TH_PSH, 502, seg,
		    M_UP_DATA);
		e->paykind = PAY_PATTERN;
		e->payoff = (uint32_t)(n * seg);
		t = slot + 100 * NS_PER_US;
		if (in_outage(o, t)) {
			if (rto_at == 0) {
				rto = 200 * NS_PER_MS;
				rto_at = slot + rto;
			}
			n++;
			continue;
		}
		got[n++] = 1;
		while (una < n && got[una])
			una++;
		/* An ack, or a duplicate one while a hole is open. */
		add_tcp(l, t, H_VM, H_CLIENT, PORT_UP_VM, PORT_UP_CL, riss,
		    iss + (uint32_t)(una * seg), TH_ACK, 3000, 0, M_UP_ACK);
	}
	free(got);
}

/* The external network. */
static void
gen_ext(const struct opts *o, struct evlist *l)
{
	int64_t t0 = o->t0, end = t0 + scenario_end(o), t;
	const struct outage *m = main_outage(o);
	uint32_t n;

	/* ARP: the client resolves the VM, host A resolves host B (not
	 * gratuitous: sender and target addresses differ). IPv4 only. */
	if (!o->no_arp && !o->ipv6) {
		add_arp(l, t0 + 1 * NS_PER_MS, 1, H_CLIENT, H_BCAST,
		    H_CLIENT, H_CLIENT, H_NONE, H_VM, M_NONE);
		if (!in_outage(o, t0 + 1 * NS_PER_MS + 80 * NS_PER_US))
			add_arp(l, t0 + 1 * NS_PER_MS + 80 * NS_PER_US, 2,
			    H_VM, H_CLIENT, H_VM, H_VM, H_CLIENT, H_CLIENT,
			    M_VM_OTHER);
		if (!o->no_background) {
			add_arp(l, t0 + 2 * NS_PER_MS, 1, H_BGA, H_BCAST,
			    H_BGA, H_BGA, H_NONE, H_BGB, M_NONE);
			add_arp(l, t0 + 2 * NS_PER_MS + 120 * NS_PER_US, 2,
			    H_BGB, H_BGA, H_BGB, H_BGB, H_BGA, H_BGA, M_NONE);
		}
	}

	/* Probes: requests every interval, whatever happens; a reply
	 * 150-250 us later unless it would fall in an outage. */
	if (!o->no_probes) {
		for (n = 0, t = t0 + 5 * NS_PER_MS; t < end;
		    n++, t = t0 + 5 * NS_PER_MS + (int64_t)n * o->probe_interval) {
			int64_t rt = t + (150 + (int64_t)rng_below(101)) * NS_PER_US;
			uint16_t seq = (uint16_t)(n + 1);

			add_echo(l, t, H_CLIENT, H_VM, ECHO_ID, seq, 0, M_PROBE_REQ);
			if (!in_outage(o, rt))
				add_echo(l, rt, H_VM, H_CLIENT, ECHO_ID, seq, 1,
				    M_PROBE_REP);
		}
	}

	/* QEMU's announce from the destination: docs/wire-formats.md. The only
	 * frames with the VM's address inside the outage. */
	if (!o->no_announce && m != NULL) {
		static const int64_t off_ms[] = { 0, 50, 200, 450, 800 };
		int64_t a = t0 + m->start + m->dur - o->announce_lead;
		size_t i;

		for (i = 0; i < sizeof off_ms / sizeof off_ms[0]; i++) {
			add_arp(l, a + off_ms[i] * NS_PER_MS, 3, H_VM, H_BCAST,
			    H_VM, H_NONE, H_VM, H_NONE, M_ANNOUNCE);
			/* The guest's own announce (virtio-net
			 * GUEST_ANNOUNCE): a gratuitous ARP request, sender
			 * address = target address = the VM's. */
			if (o->garp && !o->ipv6)
				add_arp(l, a + off_ms[i] * NS_PER_MS + NS_PER_MS,
				    1, H_VM, H_BCAST, H_VM, H_VM, H_NONE, H_VM,
				    M_ANNOUNCE);
		}
	}

	/* The VM's own traffic: a UDP datagram to the client (port 9999) every
	 * --vm-chatter, except in an outage. Lets a capture without probes
	 * show the VM's silence. */
	if (o->vm_chatter > 0) {
		for (t = t0 + 3 * NS_PER_MS; t < end; t += o->vm_chatter) {
			struct ev *e;

			if (in_outage(o, t))
				continue;
			e = add_udp(l, t, H_VM, H_CLIENT, 40514, 9999, 60);
			e->mark = M_VM_OTHER;
		}
	}

	if (o->vm_upload > 0)
		gen_upload(o, l);

	if (o->no_background)
		return;
	/* Host A pings host B once a second. */
	for (n = 0, t = t0 + 300 * NS_PER_MS; t < end;
	    n++, t = t0 + 300 * NS_PER_MS + (int64_t)n * NS_PER_S) {
		add_echo(l, t, H_BGA, H_BGB, ECHO_ID_BG, (uint16_t)(n + 1), 0, M_NONE);
		add_echo(l, t + 400 * NS_PER_US, H_BGB, H_BGA, ECHO_ID_BG,
		    (uint16_t)(n + 1), 1, M_NONE);
	}
	/* Host C queries host D over UDP about every 37 ms. */
	for (t = t0 + 7 * NS_PER_MS; t < end;
	    t += (30 + (int64_t)rng_below(15)) * NS_PER_MS + 13 * NS_PER_US) {
		uint16_t sport = (uint16_t)(33000 + rng_below(20000));

		add_udp(l, t, H_BGC, H_BGD, sport, 5000, 40);
		add_udp(l, t + (2000 + (int64_t)rng_below(500)) * NS_PER_US,
		    H_BGD, H_BGC, 5000, sport, 80);
	}
}

/* A TCP handshake client -> server; returns the time of its last ACK. */
static int64_t
add_handshake(struct evlist *l, int64_t t, int c, int s, uint16_t cp,
    uint16_t sp, uint32_t ciss, uint32_t siss, enum mark mark)
{
	add_tcp(l, t, c, s, cp, sp, ciss, 0, TH_SYN, 64240, 0, mark);
	add_tcp(l, t + 100 * NS_PER_US, s, c, sp, cp, siss, ciss + 1,
	    TH_SYN | TH_ACK, 65160, 0, mark);
	add_tcp(l, t + 200 * NS_PER_US, c, s, cp, sp, ciss + 1, siss + 1,
	    TH_ACK, 502, 0, mark);
	return t + 200 * NS_PER_US;
}

static void
add_close(struct evlist *l, int64_t t, int c, int s, uint16_t cp,
    uint16_t sp, uint32_t cseq, uint32_t sseq, enum mark mark)
{
	add_tcp(l, t, c, s, cp, sp, cseq, sseq, TH_FIN | TH_ACK, 502, 0, mark);
	add_tcp(l, t + 50 * NS_PER_US, s, c, sp, cp, sseq, cseq + 1,
	    TH_FIN | TH_ACK, 3000, 0, mark);
	add_tcp(l, t + 100 * NS_PER_US, c, s, cp, sp, cseq + 1, sseq + 1,
	    TH_ACK, 502, 0, mark);
}

/* libvirtd RPC: n request/reply pairs starting at t, 10 ms apart. */
static void
add_rpc(struct evlist *l, int64_t t, int n, uint32_t *cseq, uint32_t *sseq)
{
	int i;

	for (i = 0; i < n; i++, t += 10 * NS_PER_MS) {
		struct ev *e;

		e = add_tcp(l, t, H_SRC, H_DST, PORT_LIBVIRT_CL, PORT_LIBVIRT,
		    *cseq, *sseq, TH_PSH | TH_ACK, 502, 200, M_NONE);
		e->paykind = PAY_RPC;
		*cseq += 200;
		e = add_tcp(l, t + 300 * NS_PER_US, H_DST, H_SRC, PORT_LIBVIRT,
		    PORT_LIBVIRT_CL, *sseq, *cseq, TH_PSH | TH_ACK, 3000, 120,
		    M_NONE);
		e->paykind = PAY_RPC;
		*sseq += 120;
		add_tcp(l, t + 340 * NS_PER_US, H_SRC, H_DST, PORT_LIBVIRT_CL,
		    PORT_LIBVIRT, *cseq, *sseq, TH_ACK, 502, 0, M_NONE);
	}
}

/* Is segment i a retransmitted one / one followed by a zero window? */
static int
idx_in(const uint64_t *v, int n, uint64_t i)
{
	int k;

	for (k = 0; k < n; k++)
		if (v[k] == i)
			return 1;
	return 0;
}

/*
 * Migration flow k (0: the main channel, "QEVM"; 1..: multifd channels,
 * which QEMU opens to the same port and which start with the multifd
 * magic 0x11223344 instead). Retransmissions and zero windows only on
 * the main channel.
 */
static void
gen_flow(const struct opts *o, struct evlist *l, int k)
{
	int64_t t0 = o->t0, t, pause = 0;
	uint32_t seg = mss(o), iss = 100000000 + 10000000 * (uint32_t)k;
	uint32_t riss = 200000000 + 10000000 * (uint32_t)k;
	uint16_t sport = (uint16_t)(PORT_MIG_SRC + k);
	uint64_t bytes = flow_bytes(o, k), rate = flow_rate(o);
	uint64_t nseg = (bytes + seg - 1) / seg, i;
	int nrtx = k == 0 ? o->retrans : 0, nzw = k == 0 ? o->zero_windows : 0;
	int nov = k == 0 ? o->overlaps : 0;
	uint64_t *rtx, *zw, *ov;
	uint64_t hole = UINT64_MAX;	/* lost segment not yet resent */
	uint64_t received = 0;		/* bytes acked in order */
	int j;

	rtx = calloc((size_t)nrtx + 1, sizeof *rtx);
	zw = calloc((size_t)nzw + 1, sizeof *zw);
	ov = calloc((size_t)nov + 1, sizeof *ov);
	if (rtx == NULL || zw == NULL || ov == NULL)
		die(2, "out of memory");
	if ((nrtx + nzw + nov) > 0 && (uint64_t)(nrtx + nzw + nov) * 8 + 8 > nseg)
		die(1, "--retrans and --zero-windows need a longer stream "
		    "(%" PRIu64 " segments)", nseg);
	/* Evenly spread, retransmissions at odd eighths of a slot,
	 * zero windows at the slot starts: never closer than 4. */
	for (j = 0; j < nrtx; j++)
		rtx[j] = 2 + ((uint64_t)j * 2 + 1) * (nseg - 8) /
		    ((uint64_t)nrtx * 2);
	for (j = 0; j < nzw; j++) {
		zw[j] = 3 + ((uint64_t)j + 1) * (nseg - 8) / ((uint64_t)nzw + 1);
		while (idx_in(rtx, nrtx, zw[j]) || idx_in(rtx, nrtx, zw[j] - 1) ||
		    idx_in(rtx, nrtx, zw[j] - 2) || idx_in(rtx, nrtx, zw[j] - 3))
			zw[j] += 4;
	}
	/* Overlapping resends: clear of the holes and the zero windows. */
	for (j = 0; j < nov; j++) {
		ov[j] = 4 + ((uint64_t)j * 4 + 3) * (nseg - 8) / ((uint64_t)nov * 4);
		while (idx_in(zw, nzw, ov[j]) || idx_in(rtx, nrtx, ov[j]) ||
		    idx_in(rtx, nrtx, ov[j] - 1) || idx_in(rtx, nrtx, ov[j] - 2) ||
		    idx_in(rtx, nrtx, ov[j] - 3) || idx_in(ov, j, ov[j]))
			ov[j] += 5;
	}

	add_handshake(l, t0 + o->stream_start - 3 * NS_PER_MS +
	    k * 100 * NS_PER_US, H_SRC, H_DST, sport, PORT_MIG_DST, iss - 1,
	    riss - 1, M_MIG_CTRL);
	for (i = 0; i < nseg; i++) {
		uint64_t off = i * seg;
		uint32_t len = (uint32_t)(bytes - off < seg ? bytes - off : seg);
		struct ev *e;

		t = t0 + o->stream_start + rate_offset(rate, off) + pause;
		if (idx_in(ov, nov, i) && hole == UINT64_MAX && len == seg) {
			/* The first half of the segment alone, lost after
			 * the capture point; 1 us later the whole segment:
			 * a resend that overlaps old data and extends it. */
			e = add_tcp(l, t, H_SRC, H_DST, sport, PORT_MIG_DST,
			    iss + (uint32_t)off, riss, TH_ACK, 502, seg / 2,
			    M_MIG_DATA);
			e->paykind = PAY_QEVM;
			e->payoff = (uint32_t)off;
			e->flow = (uint8_t)k;
			t += NS_PER_US;
		}
		e = add_tcp(l, t, H_SRC, H_DST, sport, PORT_MIG_DST,
		    iss + (uint32_t)off, riss, TH_ACK | (i + 1 == nseg ?
		    TH_PSH : 0), 502, len, M_MIG_DATA);
		e->paykind = k == 0 ? PAY_QEVM : PAY_MULTIFD;
		e->payoff = (uint32_t)off;
		e->flow = (uint8_t)k;

		/* The retransmission of the lost segment, 3 later. */
		if (hole != UINT64_MAX && i == hole + 3) {
			uint64_t hoff = hole * seg;

			e = add_tcp(l, t + 10 * NS_PER_US, H_SRC, H_DST, sport,
			    PORT_MIG_DST, iss + (uint32_t)hoff, riss, TH_ACK,
			    502, seg, M_MIG_RETRANS);
			e->paykind = PAY_QEVM;
			e->payoff = (uint32_t)hoff;
			e->flow = (uint8_t)k;
			received = off + len;
			hole = UINT64_MAX;
			add_tcp(l, t + 40 * NS_PER_US, H_DST, H_SRC, PORT_MIG_DST,
			    sport, riss, iss + (uint32_t)received, TH_ACK, 3000,
			    0, M_MIG_ACK);
			continue;
		}
		if (idx_in(rtx, nrtx, i)) {
			/* Lost after the capture point: the receiver acks
			 * what it has, and dup-acks from now on. */
			hole = i;
			continue;
		}
		if (hole != UINT64_MAX) {
			add_tcp(l, t + 30 * NS_PER_US, H_DST, H_SRC, PORT_MIG_DST,
			    sport, riss, iss + (uint32_t)received, TH_ACK, 3000,
			    0, M_MIG_ACK);
			continue;
		}
		received = off + len;
		if (idx_in(zw, nzw, i)) {
			/* The receiver's buffer is full: window 0, then an
			 * update; the sender waits for it. */
			add_tcp(l, t + 30 * NS_PER_US, H_DST, H_SRC, PORT_MIG_DST,
			    sport, riss, iss + (uint32_t)received, TH_ACK, 0, 0,
			    M_MIG_ZEROWIN);
			add_tcp(l, t + o->zero_window_pause - 100 * NS_PER_US,
			    H_DST, H_SRC, PORT_MIG_DST, sport, riss,
			    iss + (uint32_t)received, TH_ACK, 3000, 0, M_MIG_ACK);
			pause += o->zero_window_pause;
			continue;
		}
		if (i % 2 == 1 || i + 1 == nseg)
			add_tcp(l, t + 30 * NS_PER_US, H_DST, H_SRC, PORT_MIG_DST,
			    sport, riss, iss + (uint32_t)received, TH_ACK, 3000,
			    0, M_MIG_ACK);
	}
	t = t0 + stream_end(o) + 1 * NS_PER_MS + k * 100 * NS_PER_US;
	add_close(l, t, H_SRC, H_DST, sport, PORT_MIG_DST,
	    iss + (uint32_t)bytes, riss, M_MIG_CTRL);
	free(rtx);
	free(zw);
	free(ov);
}

/* The management network. */
static void
gen_mgmt(const struct opts *o, struct evlist *l)
{
	int64_t t0 = o->t0, end = t0 + scenario_end(o);
	uint32_t rpc_c = 1000001, rpc_s = 2000001;
	int64_t t;

	/* libvirtd: a connection before the stream, calls before and after. */
	add_handshake(l, t0 + 20 * NS_PER_MS, H_SRC, H_DST, PORT_LIBVIRT_CL,
	    PORT_LIBVIRT, rpc_c - 1, rpc_s - 1, M_NONE);
	add_rpc(l, t0 + 25 * NS_PER_MS, 6, &rpc_c, &rpc_s);

	/* An unrelated bulk flow: 1 MB over ssh from the source host to an
	 * admin host at 10 Mbit/s from the start, ACK every second segment. */
	if (!o->no_background) {
		uint32_t iss = 3000001, ack = 4000001, seg = mss(o);
		uint64_t off, total = 1000000;
		int k = 0;

		add_handshake(l, t0 + 3 * NS_PER_MS, H_ADMIN, H_SRC, PORT_SSH_CL,
		    PORT_SSH, ack - 1, iss - 1, M_NONE);
		for (off = 0; off < total; off += seg, k++) {
			uint32_t len = (uint32_t)(total - off < seg ? total - off : seg);
			struct ev *e;

			t = t0 + 4 * NS_PER_MS + (int64_t)(off * 8 * 100) * NS_PER_US / 1000;
			t -= t % NS_PER_US;
			e = add_tcp(l, t, H_SRC, H_ADMIN, PORT_SSH, PORT_SSH_CL,
			    iss + (uint32_t)off, ack, TH_ACK | TH_PSH, 502, len,
			    M_NONE);
			e->paykind = PAY_PATTERN;
			if (k % 2 == 1 || off + len >= total)
				add_tcp(l, t + 60 * NS_PER_US, H_ADMIN, H_SRC,
				    PORT_SSH_CL, PORT_SSH, ack,
				    iss + (uint32_t)(off + len), TH_ACK, 3000, 0,
				    M_NONE);
		}
	}

	if (!o->no_stream) {
		int k;

		for (k = 0; k <= o->multifd; k++)
			gen_flow(o, l, k);
		t = t0 + stream_end(o) + 6 * NS_PER_MS;
	} else
		t = t0 + o->stream_start;
	/* libvirtd: finish and confirm after the stream. */
	add_rpc(l, t, 4, &rpc_c, &rpc_s);
	if (t + 50 * NS_PER_MS < end)
		add_close(l, t + 50 * NS_PER_MS, H_SRC, H_DST, PORT_LIBVIRT_CL,
		    PORT_LIBVIRT, rpc_c, rpc_s, M_NONE);
}

/*
 * --garbage N: N frames of 1-200 random bytes at random times, for the
 * decoder's sake (never counted in the truth: the analysis must not be
 * moved by them, whatever they decode to).
 */
static void
add_garbage(const struct opts *o, struct evlist *l)
{
	int64_t span = scenario_end(o);
	int i;

	for (i = 0; i < o->garbage; i++) {
		int64_t t = o->t0 + (int64_t)rng_below((uint64_t)(span / NS_PER_US)) *
		    NS_PER_US;
		struct ev *e = ev_add(l, t, EV_GARBAGE, M_NONE);

		e->len = 1 + (uint32_t)rng_below(200);
		e->seq = (uint32_t)rng();
	}
}

/* ---- frames ----------------------------------------------------------- */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Pseudo-header sum for TCP/UDP/ICMPv6 checksums (RFC 793, RFC 8200). */
static uint32_t
pseudo(const struct opts *o, const struct ev *e, uint8_t proto, uint32_t len)
{
	uint32_t sum = 0;

	if (o->ipv6) {
		sum = sum16(sum, hosts[e->sip].ip6, 16);
		sum = sum16(sum, hosts[e->dip].ip6, 16);
	} else {
		sum = sum16(sum, hosts[e->sip].ip4, 4);
		sum = sum16(sum, hosts[e->dip].ip4, 4);
	}
	return sum + proto + len;
}

static void
fill_payload(const struct ev *e, uint8_t *p)
{
	uint32_t i;

	switch (e->paykind) {
	case PAY_QEVM:
		/* The QEMU stream header (docs/wire-formats.md), then RAM pages,
		 * which are mostly zero pages. */
		memset(p, 0, e->len);
		for (i = 0; i < e->len && e->payoff + i < 8; i++)
			p[i] = (const uint8_t[]){ 0x51, 0x45, 0x56, 0x4d,
			    0, 0, 0, 3 }[e->payoff + i];
		break;
	case PAY_MULTIFD:
		/* QEMU's multifd channel header: magic 0x11223344, version 1
		 * (migration/multifd.c), then pages. */
		memset(p, 0, e->len);
		for (i = 0; i < e->len && e->payoff + i < 8; i++)
			p[i] = (const uint8_t[]){ 0x11, 0x22, 0x33, 0x44,
			    0, 0, 0, 1 }[e->payoff + i];
		break;
	case PAY_RPC:
		/* A libvirt RPC header: length, program 0x20008086. */
		memset(p, 0, e->len);
		if (e->len >= 8) {
			put32(p, e->len);
			put32(p + 4, 0x20008086);
		}
		break;
	case PAY_PATTERN:
		for (i = 0; i < e->len; i++)
			p[i] = (uint8_t)(0x10 + (e->payoff + i) % 0x60);
		break;
	default:
		memset(p, 0, e->len);
		break;
	}
}

/* Build the L3 packet (IP or ARP) of e into p; return its length. */
static size_t
build_l3(const struct opts *o, const struct ev *e, uint8_t *p,
    uint16_t *ethertype)
{
	size_t iph = o->ipv6 ? 40 : 20, l4len = 0;
	uint8_t proto = 0, *l4 = p + iph;

	if (e->kind == EV_ARP) {
		/* RFC 826 / RFC 903, Ethernet and IPv4. */
		*ethertype = e->arp_ethertype;
		put16(p, 1);
		put16(p + 2, 0x0800);
		p[4] = 6;
		p[5] = 4;
		put16(p + 6, e->arp_op);
		memcpy(p + 8, hosts[e->arp_sha].mac, 6);
		memcpy(p + 14, hosts[e->arp_spa].ip4, 4);
		memcpy(p + 18, hosts[e->arp_tha].mac, 6);
		memcpy(p + 24, hosts[e->arp_tpa].ip4, 4);
		return 28;
	}

	switch (e->kind) {
	case EV_ECHO:
		proto = o->ipv6 ? 58 : 1;
		l4[0] = o->ipv6 ? (e->echo_reply ? 129 : 128) :
		    (e->echo_reply ? 0 : 8);
		l4[1] = 0;
		put16(l4 + 2, 0);
		put16(l4 + 4, e->sport);
		put16(l4 + 6, e->dport);
		fill_payload(e, l4 + 8);
		l4len = 8 + e->len;
		if (o->ipv6)
			put16(l4 + 2, fold(sum16(pseudo(o, e, proto,
			    (uint32_t)l4len), l4, l4len)));
		else
			put16(l4 + 2, fold(sum16(0, l4, l4len)));
		break;
	case EV_UDP:
		proto = 17;
		l4len = 8 + e->len;
		put16(l4, e->sport);
		put16(l4 + 2, e->dport);
		put16(l4 + 4, (uint16_t)l4len);
		put16(l4 + 6, 0);
		fill_payload(e, l4 + 8);
		put16(l4 + 6, fold(sum16(pseudo(o, e, proto, (uint32_t)l4len),
		    l4, l4len)));
		break;
	case EV_TCP: {
		size_t th = e->syn_opts ? 40 : 32;
		uint8_t *op = l4 + 20;

		proto = 6;
		l4len = th + e->len;
		put16(l4, e->sport);
		put16(l4 + 2, e->dport);
		put32(l4 + 4, e->seq);
		put32(l4 + 8, e->ack);
		l4[12] = (uint8_t)(th / 4) << 4;
		l4[13] = e->tcp_flags;
		put16(l4 + 14, e->win);
		put16(l4 + 16, 0);
		put16(l4 + 18, 0);
		if (e->syn_opts) {
			/* MSS, NOP, window scale 7, NOP NOP, timestamps. */
			static const uint8_t syn[8] = { 2, 4, 0x05, 0xb4, 1, 3,
			    3, 7 };

			memcpy(op, syn, 8);
			op += 8;
		}
		op[0] = 1;
		op[1] = 1;
		op[2] = 8;
		op[3] = 10;
		put32(op + 4, (uint32_t)(e->ts / NS_PER_MS));
		put32(op + 8, (e->tcp_flags & TH_ACK) ?
		    (uint32_t)(e->ts / NS_PER_MS) - 1 : 0);
		fill_payload(e, l4 + th);
		put16(l4 + 16, fold(sum16(pseudo(o, e, proto, (uint32_t)l4len),
		    l4, l4len)));
		break;
	}
	default:
		break;
	}

	if (o->ipv6) {
		*ethertype = 0x86dd;
		put32(p, 0x60000000);
		put16(p + 4, (uint16_t)l4len);
		p[6] = proto;
		p[7] = 64;
		memcpy(p + 8, hosts[e->sip].ip6, 16);
		memcpy(p + 24, hosts[e->dip].ip6, 16);
	} else {
		*ethertype = 0x0800;
		p[0] = 0x45;
		p[1] = 0;
		put16(p + 2, (uint16_t)(20 + l4len));
		put16(p + 4, ip_id++);
		put16(p + 6, 0x4000);
		p[8] = 64;
		p[9] = proto;
		put16(p + 10, 0);
		memcpy(p + 12, hosts[e->sip].ip4, 4);
		memcpy(p + 16, hosts[e->dip].ip4, 4);
		put16(p + 10, fold(sum16(0, p, 20)));
	}
	return iph + l4len;
}

/* Linux packet type of a frame seen at the capture point. */
static int
pkttype(int role_ext, const struct ev *e)
{
	int here = role_ext ? H_CLIENT : H_SRC;

	if (e->smac == here)
		return 4;	/* PACKET_OUTGOING */
	if (e->dmac == H_BCAST)
		return 1;	/* PACKET_BROADCAST */
	if (e->dmac == here)
		return 0;	/* PACKET_HOST */
	return 3;		/* PACKET_OTHERHOST */
}

/*
 * Encapsulate the L3 packet for the link type into f; return the frame
 * length, or 0 when the link type cannot carry it (ARP on raw IP/NULL).
 */
static size_t
build_frame(const struct opts *o, int role_ext, const struct ev *e,
    uint8_t *f)
{
	uint8_t l3[MAX_FRAME];
	uint16_t et = 0;
	size_t n, h = 0;
	enum linkkind k = o->link >= 0 ? linktypes[o->link].kind : LK_EN10MB;
	uint32_t af;
	int i;

	if (e->kind == EV_GARBAGE) {
		/* Hostile bytes: e->len random bytes from the event's own
		 * seed (in seq), whatever the link type. */
		uint64_t st = e->seq * 0x9e3779b97f4a7c15ULL + 1;

		for (i = 0; i < (int)e->len; i++) {
			st ^= st >> 12;
			st ^= st << 25;
			st ^= st >> 27;
			f[i] = (uint8_t)((st * 2685821657736338717ULL) >> 56);
		}
		return e->len;
	}
	n = build_l3(o, e, l3, &et);

	switch (k) {
	case LK_EN10MB:
		memcpy(f, hosts[e->dmac].mac, 6);
		memcpy(f + 6, hosts[e->smac].mac, 6);
		h = 12;
		/* Outer tags 802.1ad, the innermost 802.1Q. */
		for (i = 0; i < o->vlan; i++) {
			put16(f + h, i + 1 < o->vlan ? 0x88a8 : 0x8100);
			put16(f + h + 2, (uint16_t)(100 * (i + 1)));
			h += 4;
		}
		put16(f + h, et);
		h += 2;
		memcpy(f + h, l3, n);
		n += h;
		if (n < 60) {		/* minimum frame, without FCS */
			memset(f + n, 0, 60 - n);
			n = 60;
		}
		return n;
	case LK_SLL:
		put16(f, (uint16_t)pkttype(role_ext, e));
		put16(f + 2, 1);	/* ARPHRD_ETHER */
		put16(f + 4, 6);
		memcpy(f + 6, hosts[e->smac].mac, 6);
		put16(f + 12, 0);
		put16(f + 14, et);
		memcpy(f + 16, l3, n);
		return n + 16;
	case LK_SLL2:
		put16(f, et);
		put16(f + 2, 0);
		put32(f + 4, 2);	/* ifindex */
		put16(f + 8, 1);	/* ARPHRD_ETHER */
		f[10] = (uint8_t)pkttype(role_ext, e);
		f[11] = 6;
		memcpy(f + 12, hosts[e->smac].mac, 6);
		put16(f + 18, 0);
		memcpy(f + 20, l3, n);
		return n + 20;
	case LK_RAW:
		if (e->kind == EV_ARP)
			return 0;
		memcpy(f, l3, n);
		return n;
	case LK_NULL:
	case LK_LOOP:
		if (e->kind == EV_ARP)
			return 0;
		af = o->ipv6 ? (uint32_t)o->af_inet6 : 2;
		/* LOOP: network byte order. NULL: the writer's byte order,
		 * which is the file's (ours, or swapped with --swapped). */
		if (k == LK_LOOP)
			put32(f, af);
		else {
			uint32_t v = o->swapped ? __builtin_bswap32(af) : af;

			memcpy(f, &v, 4);
		}
		memcpy(f + 4, l3, n);
		return n + 4;
	}
	return 0;
}

/* ---- writers ---------------------------------------------------------- */

struct writer {
	const struct opts *o;
	const char *path;
	FILE *f;		/* hand-written formats */
	pcap_t *dead;		/* libpcap */
	pcap_dumper_t *dump;
};

static void
w_bytes(struct writer *w, const void *p, size_t n)
{
	if (fwrite(p, 1, n, w->f) != n)
		die(2, "%s: %s", w->path, strerror(errno));
}

/* Unsigned integers in the file's byte order (hand-written formats). */
static void
w_u16(struct writer *w, uint16_t v)
{
	if (w->o->swapped)
		v = __builtin_bswap16(v);
	w_bytes(w, &v, 2);
}

static void
w_u32(struct writer *w, uint32_t v)
{
	if (w->o->swapped)
		v = __builtin_bswap32(v);
	w_bytes(w, &v, 4);
}

static int
file_linktype(const struct opts *o)
{
	return o->link >= 0 ? linktypes[o->link].linktype : o->link_number;
}

static void
pcapng_idb(struct writer *w, int linktype)
{
	/* IDB: type 1, linktype, snaplen, if_tsresol (code 9) when ns. */
	uint32_t len = 20 + (w->o->nano ? 12 : 0);

	w_u32(w, 1);
	w_u32(w, len);
	w_u16(w, (uint16_t)linktype);
	w_u16(w, 0);
	w_u32(w, w->o->snaplen);
	if (w->o->nano) {
		uint8_t res[4] = { 9, 0, 0, 0 };

		w_u16(w, 9);
		w_u16(w, 1);
		w_bytes(w, res, 4);
		w_u16(w, 0);	/* opt_endofopt */
		w_u16(w, 0);
	}
	w_u32(w, len);
}

static void
writer_open(struct writer *w, const struct opts *o, const char *path)
{
	memset(w, 0, sizeof *w);
	w->o = o;
	w->path = path;
	if (!o->pcapng && !o->swapped) {
		int dlt = o->link >= 0 ? linktypes[o->link].dlt : o->link_number;

		w->dead = pcap_open_dead_with_tstamp_precision(dlt,
		    (int)o->snaplen, o->nano ? PCAP_TSTAMP_PRECISION_NANO :
		    PCAP_TSTAMP_PRECISION_MICRO);
		if (w->dead == NULL)
			die(2, "%s: pcap_open_dead failed", path);
		w->dump = pcap_dump_open(w->dead, path);
		if (w->dump == NULL)
			die(2, "%s", pcap_geterr(w->dead));	/* names the file */
		return;
	}
	w->f = fopen(path, "wb");
	if (w->f == NULL)
		die(2, "%s: %s", path, strerror(errno));
	if (!o->pcapng) {
		/* pcap in the other byte order: the magic reads swapped. */
		w_u32(w, o->nano ? 0xa1b23c4d : 0xa1b2c3d4);
		w_u16(w, 2);
		w_u16(w, 4);
		w_u32(w, 0);
		w_u32(w, 0);
		w_u32(w, o->snaplen);
		w_u32(w, (uint32_t)file_linktype(o));
		return;
	}
	/* SHB: byte-order magic, version 1.0, section length unknown. */
	w_u32(w, 0x0a0d0d0a);
	w_u32(w, 28);
	w_u32(w, 0x1a2b3c4d);
	w_u16(w, 1);
	w_u16(w, 0);
	w_u32(w, 0xffffffff);
	w_u32(w, 0xffffffff);
	w_u32(w, 28);
	pcapng_idb(w, file_linktype(o));
	if (o->extra_if >= 0)
		pcapng_idb(w, o->extra_if);
}

static void
writer_put(struct writer *w, int64_t ts, const uint8_t *data, uint32_t caplen,
    uint32_t len)
{
	const struct opts *o = w->o;
	int64_t sec = ts / NS_PER_S, frac = ts % NS_PER_S;

	if (!o->nano)
		frac /= NS_PER_US;
	if (w->dump != NULL) {
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof h);
		h.ts.tv_sec = (time_t)sec;
		h.ts.tv_usec = (suseconds_t)frac;	/* ns with nano precision */
		h.caplen = caplen;
		h.len = len;
		pcap_dump((u_char *)w->dump, &h, data);
		return;
	}
	if (!o->pcapng) {
		w_u32(w, (uint32_t)sec);
		w_u32(w, (uint32_t)frac);
		w_u32(w, caplen);
		w_u32(w, len);
		w_bytes(w, data, caplen);
		return;
	} else {
		/* EPB: interface 0, 64-bit timestamp in if_tsresol units. */
		uint64_t t = o->nano ? (uint64_t)ts : (uint64_t)(ts / NS_PER_US);
		uint32_t pad = (4 - caplen % 4) % 4, blen = 32 + caplen + pad;
		static const uint8_t zero[4];

		w_u32(w, 6);
		w_u32(w, blen);
		w_u32(w, 0);
		w_u32(w, (uint32_t)(t >> 32));
		w_u32(w, (uint32_t)t);
		w_u32(w, caplen);
		w_u32(w, len);
		w_bytes(w, data, caplen);
		w_bytes(w, zero, pad);
		w_u32(w, blen);
	}
}

static void
writer_close(struct writer *w)
{
	if (w->dump != NULL) {
		if (pcap_dump_flush(w->dump) != 0)
			die(2, "%s: write error", w->path);
		pcap_dump_close(w->dump);
		pcap_close(w->dead);
	}
	if (w->f != NULL && fclose(w->f) != 0)
		die(2, "%s: %s", w->path, strerror(errno));
}

/*
 * Write the events of one role. Frames the link type cannot carry are
 * dropped from the list (so the truth does not count them). With
 * --backwards, an extra UDP frame between two other hosts goes in
 * halfway through, stamped 500 ms before the frame written before it.
 */
static void
write_role(const struct opts *o, int role_ext, struct evlist *l,
    const char *path, struct filestat *fs)
{
	struct writer w;
	uint8_t f[MAX_FRAME];
	size_t i, kept = 0;
	int64_t last = 0;

	qsort(l->v, l->n, sizeof *l->v, ev_cmp);
	writer_open(&w, o, path);
	memset(fs, 0, sizeof *fs);
	fs->first = INT64_MAX;
	fs->last = INT64_MIN;
	for (i = 0; i < l->n; i++) {
		struct ev *e = &l->v[i];
		size_t n;

		if (o->backwards && i == l->n / 2 && i > 0) {
			struct ev b;

			memset(&b, 0, sizeof b);
			b.ts = last - 500 * NS_PER_MS;
			b.kind = EV_UDP;
			b.smac = b.sip = role_ext ? H_BGC : H_ADMIN;
			b.dmac = b.dip = role_ext ? H_BGD : H_SRC;
			b.sport = 40000;
			b.dport = 5000;
			b.len = 40;
			b.paykind = PAY_PATTERN;
			n = build_frame(o, role_ext, &b, f);
			writer_put(&w, b.ts + o->ns_offset, f,
			    (uint32_t)(n < o->snaplen ? n : o->snaplen), (uint32_t)n);
		}
		n = build_frame(o, role_ext, e, f);
		if (n == 0)
			continue;
		writer_put(&w, e->ts + o->ns_offset, f,
		    (uint32_t)(n < o->snaplen ? n : o->snaplen), (uint32_t)n);
		fs->packets++;
		fs->bytes += n;
		/* (TCP frames are never padded: all that is not payload is
		 * headers, options included) */
		if (e->kind == EV_TCP && n - e->len > o->snaplen)
			fs->truncated++;
		if (e->mark == M_MIG_DATA && e->flow == 0 && e->len > 0 &&
		    mig_payload_off == 0)
			mig_payload_off = n - e->len;
		if (e->ts < fs->first)
			fs->first = e->ts;
		if (e->ts > fs->last)
			fs->last = e->ts;
		last = e->ts;
		l->v[kept++] = *e;
	}
	l->n = kept;
	writer_close(&w);
}

/* ---- the truth -------------------------------------------------------- */

static json_t *
j_ns(int64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *
j_s(int64_t ns)
{
	return json_real((double)ns / 1e9);
}

/* Requests never answered (a reply with their sequence within 1 s). */
static int
lost_all(const struct evlist *l)
{
	size_t k, q;
	int lost = 0;

	for (k = 0; k < l->n; k++) {
		const struct ev *r = &l->v[k];
		int answered = 0;

		if (r->mark != M_PROBE_REQ)
			continue;
		for (q = k + 1; q < l->n && l->v[q].ts < r->ts + NS_PER_S; q++)
			if (l->v[q].mark == M_PROBE_REP &&
			    l->v[q].dport == r->dport) {
				answered = 1;
				break;
			}
		lost += !answered;
	}
	return lost;
}

/*
 * The man page's rule: the gap that holds the first announce (announce
 * after its start, at or before its end), else the one that lost the
 * most probes, else the longest.
 */
static const char *
chosen_by(json_t *gaps, int64_t ann)
{
	json_t *g;
	size_t k;
	json_int_t most = 0;

	json_array_foreach(gaps, k, g) {
		json_int_t a = json_integer_value(json_object_get(g, "start_ns"));
		json_int_t b = json_integer_value(json_object_get(g, "end_ns"));
		json_int_t lost = json_integer_value(json_object_get(g, "lost_probes"));

		if (ann != INT64_MIN && a < ann && ann <= b)
			return "announce";
		if (lost > most)
			most = lost;
	}
	return most > 0 ? "lost-probes" : "longest";
}

static json_t *
truth_ext(const struct opts *o, const struct evlist *l, json_t *root)
{
	int64_t min_gap = o->min_gap > 0 ? o->min_gap : 3 * o->probe_interval;
	int64_t prev = INT64_MIN, best_a = 0, best_b = 0, off = o->ns_offset;
	int64_t ann_first = 0, last_vm = INT64_MIN, sil_a = 0, sil_b = 0;
	json_t *gaps = json_array(), *intr, *ann, *vm;
	int nann = 0, nrarp = 0, ngarp = 0, nreplies = 0, nrequests = 0, have_mac;
	size_t i;
	char buf[INET6_ADDRSTRLEN], mac[18];

	have_mac = o->link < 0 || linktypes[o->link].kind == LK_EN10MB ||
	    linktypes[o->link].kind == LK_SLL || linktypes[o->link].kind == LK_SLL2;

	/* Gaps in the replies longer than min_gap; lost = requests in the
	 * gap left without a reply. */
	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];

		if (e->mark == M_ANNOUNCE) {
			if (nann++ == 0)
				ann_first = e->ts + off;
			if (e->arp_op == 3)
				nrarp++;
			else
				ngarp++;
		}
		/* The VM's silences: no frame from its IP, or from its MAC
		 * where the link type has MACs. */
		if ((e->kind != EV_ARP && e->sip == H_VM) ||
		    (have_mac && e->smac == H_VM)) {
			if (last_vm != INT64_MIN && e->ts - last_vm > sil_b - sil_a) {
				sil_a = last_vm;
				sil_b = e->ts;
			}
			last_vm = e->ts;
		}
		if (e->mark == M_PROBE_REQ)
			nrequests++;
		if (e->mark != M_PROBE_REP)
			continue;
		nreplies++;
		if (prev != INT64_MIN && e->ts - prev > min_gap) {
			json_t *g = json_object();
			size_t k;
			int lost = 0;

			for (k = 0; k < l->n; k++) {
				const struct ev *r = &l->v[k];
				size_t q;
				int answered = 0;

				if (r->mark != M_PROBE_REQ || r->ts <= prev ||
				    r->ts >= e->ts)
					continue;
				for (q = k + 1; q < l->n &&
				    l->v[q].ts < r->ts + NS_PER_S; q++)
					if (l->v[q].mark == M_PROBE_REP &&
					    l->v[q].dport == r->dport) {
						answered = 1;
						break;
					}
				lost += !answered;
			}
			json_object_set_new(g, "start_ns", j_ns(prev + off));
			json_object_set_new(g, "end_ns", j_ns(e->ts + off));
			json_object_set_new(g, "duration_s", j_s(e->ts - prev));
			json_object_set_new(g, "lost_probes", json_integer(lost));
			json_array_append_new(gaps, g);
			if (e->ts - prev > best_b - best_a) {
				best_a = prev;
				best_b = e->ts;
			}
		}
		prev = e->ts;
	}

	intr = json_object();
	if (json_array_size(gaps) > 0) {
		json_t *g = NULL;
		size_t k;

		json_array_foreach(gaps, k, g)
			if (json_integer_value(json_object_get(g, "start_ns")) ==
			    best_a + off)
				break;
		json_object_set_new(intr, "method", json_string("icmp-echo"));
		json_object_set_new(intr, "last_reply_before_ns", j_ns(best_a + off));
		json_object_set_new(intr, "first_reply_after_ns", j_ns(best_b + off));
		json_object_set_new(intr, "duration_s", j_s(best_b - best_a));
		json_object_set(intr, "lost_probes",
		    json_object_get(g, "lost_probes"));
		json_object_set_new(intr, "probe_interval_s", j_s(o->probe_interval));
		/* OpenStack Tempest's figure: the gap's lost probes x interval. */
		json_object_set_new(intr, "lost_x_interval_s",
		    j_s(json_integer_value(json_object_get(g, "lost_probes")) *
		    o->probe_interval));
		json_object_set_new(intr, "probes_sent", json_integer(nrequests));
		json_object_set_new(intr, "probes_answered", json_integer(nreplies));
		json_object_set_new(intr, "replies", json_integer(nreplies));
		json_object_set_new(intr, "probes_lost", json_integer(lost_all(l)));
		json_object_set_new(intr, "min_gap_s", j_s(min_gap));
		json_object_set_new(intr, "chosen_by",
		    json_string(chosen_by(gaps, nann ? ann_first : INT64_MIN)));
		json_object_set_new(intr, "gaps", gaps);
		json_object_set_new(intr, "tcp_stall", o->vm_upload > 0 ?
		    truth_stall(o, l) : json_null());
		json_object_set_new(root, "interruption", intr);
	} else if (nreplies == 0 && sil_b > sil_a) {
		/* No probes answered: the longest silence of the VM. */
		json_decref(gaps);
		json_object_set_new(intr, "method", json_string("silence"));
		json_object_set_new(intr, "chosen_by", json_null());
		json_object_set_new(intr, "min_gap_s", json_null());
		json_object_set_new(intr, "probes_lost", json_null());
		json_object_set_new(intr, "replies", json_null());
		json_object_set_new(intr, "lost_probes", json_null());
		json_object_set_new(intr, "probe_interval_s", json_null());
		json_object_set_new(intr, "lost_x_interval_s", json_null());
		json_object_set_new(intr, "probes_sent", json_null());
		json_object_set_new(intr, "probes_answered", json_null());
		json_object_set_new(intr, "gaps", json_array());
		json_object_set_new(intr, "last_reply_before_ns", j_ns(sil_a + off));
		json_object_set_new(intr, "first_reply_after_ns", j_ns(sil_b + off));
		json_object_set_new(intr, "duration_s", j_s(sil_b - sil_a));
		json_object_set_new(intr, "tcp_stall", o->vm_upload > 0 ?
		    truth_stall(o, l) : json_null());
		json_object_set_new(root, "interruption", intr);
	} else {
		json_decref(gaps);
		json_decref(intr);
		json_object_set_new(root, "interruption", json_null());
	}
	snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x",
	    hosts[H_VM].mac[0], hosts[H_VM].mac[1], hosts[H_VM].mac[2],
	    hosts[H_VM].mac[3], hosts[H_VM].mac[4], hosts[H_VM].mac[5]);
	ann = json_object();
	json_object_set_new(ann, "first_ns", nann ? j_ns(ann_first) : json_null());
	json_object_set_new(ann, "count", json_integer(nann));
	json_object_set_new(ann, "rarp", json_integer(nrarp));
	json_object_set_new(ann, "garp", json_integer(ngarp));
	json_object_set_new(ann, "mac", nann ? json_string(mac) : json_null());
	/* From the first announce to the first reply after the gap (echo). */
	json_object_set_new(ann, "to_first_reply_s", nann && best_b > best_a &&
	    nreplies > 0 ? j_s(best_b + off - ann_first) : json_null());
	json_object_set_new(root, "announce", ann);

	vm = json_object();
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET,
	    o->ipv6 ? (const void *)hosts[H_VM].ip6 : (const void *)hosts[H_VM].ip4,
	    buf, sizeof buf);
	json_object_set_new(vm, "ip", json_string(buf));
	json_object_set_new(vm, "mac", have_mac ? json_string(mac) : json_null());
	json_object_set_new(root, "vm", vm);
	return root;
}

/*
 * The longest TCP stall of the upload to the VM: a time with data
 * outstanding and no new data acknowledged, from when data became
 * outstanding (or the last ack that left some outstanding) to the next
 * ack of new data; and the retransmissions sent inside it.
 */
static json_t *
truth_stall(const struct opts *o, const struct evlist *l)
{
	uint64_t snd_max = 0, acked = 0, rtx = 0, rtx_at = 0, best_rtx = 0;
	int64_t progress = INT64_MIN, best_a = 0, best_b = 0, off = o->ns_offset;
	int have = 0, have_data = 0;
	size_t i;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	json_t *j;

	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];

		if (e->mark == M_UP_DATA && e->len > 0) {
			uint64_t a = e->seq - 300000000u, b = a + e->len;

			have_data = 1;
			if (a < snd_max)
				rtx++;
			if (b > snd_max) {
				if (progress == INT64_MIN && acked >= snd_max) {
					progress = e->ts;
					rtx_at = rtx;
				}
				snd_max = b;
			}
		} else if (e->mark == M_UP_ACK && have_data) {
			uint64_t a = e->ack - 300000000u;

			if (a <= acked)
				continue;
			if (progress != INT64_MIN &&
			    (!have || e->ts - progress > best_b - best_a)) {
				have = 1;
				best_a = progress;
				best_b = e->ts;
				best_rtx = rtx - rtx_at;
			}
			progress = a < snd_max ? e->ts : INT64_MIN;
			rtx_at = rtx;
			acked = a;
		}
	}
	if (!have)
		return json_null();
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_CLIENT].ip6 : (const void *)hosts[H_CLIENT].ip4,
	    src, sizeof src);
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_VM].ip6 : (const void *)hosts[H_VM].ip4,
	    dst, sizeof dst);
	j = json_object();
	json_object_set_new(j, "src", json_string(src));
	json_object_set_new(j, "sport", json_integer(PORT_UP_CL));
	json_object_set_new(j, "dst", json_string(dst));
	json_object_set_new(j, "dport", json_integer(PORT_UP_VM));
	json_object_set_new(j, "start_ns", j_ns(best_a + off));
	json_object_set_new(j, "end_ns", j_ns(best_b + off));
	json_object_set_new(j, "duration_s", j_s(best_b - best_a));
	json_object_set_new(j, "retransmissions", json_integer((json_int_t)best_rtx));
	return j;
}

static void
truth_mgmt(const struct opts *o, const struct evlist *l, json_t *root)
{
	int64_t first = INT64_MIN, last = INT64_MIN, off = o->ns_offset;
	uint64_t bytes = 0, top[16] = { 0 }, base[16] = { 0 };
	int rtx = 0, zw = 0, flows = 0, seen[16] = { 0 }, k;
	json_t *m;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		uint64_t rel;

		if (e->mark == M_MIG_ZEROWIN)
			zw++;
		if ((e->mark != M_MIG_DATA && e->mark != M_MIG_RETRANS) ||
		    e->len == 0)
			continue;
		k = e->flow & 15;
		if (!seen[k]) {
			seen[k] = 1;
			base[k] = e->seq;
			flows++;
		}
		if (first == INT64_MIN)
			first = e->ts;
		last = e->ts;
		/* Bytes in sequence space: only what extends the top. A
		 * retransmission: a segment that starts below the top (sends
		 * old bytes again, new ones or not), except a keep-alive (at
		 * most one byte, ending at the top). */
		rel = (uint32_t)(e->seq - (uint32_t)base[k]);
		if (rel < top[k] && !(e->len <= 1 && rel + e->len == top[k]))
			rtx++;
		if (rel + e->len > top[k])
			top[k] = rel + e->len;
	}
	for (k = 0; k < 16; k++)
		bytes += top[k];
	m = json_object();
	if (flows == 0) {
		json_object_set_new(root, "migration", json_null());
		json_decref(m);
		return;
	}
	json_object_set_new(m, "flows", json_integer(flows));
	json_object_set_new(m, "bytes", json_integer((json_int_t)bytes));
	json_object_set_new(m, "first_data_ns", j_ns(first + off));
	json_object_set_new(m, "last_data_ns", j_ns(last + off));
	json_object_set_new(m, "duration_s", j_s(last - first));
	json_object_set_new(m, "mean_bps", last > first ?
	    json_real((double)bytes * 8 / ((double)(last - first) / 1e9)) :
	    json_null());
	json_object_set_new(m, "retransmissions", json_integer(rtx));
	json_object_set_new(m, "zero_windows", json_integer(zw));
	json_object_set_new(m, "stream_rate_bps",
	    json_integer((json_int_t)o->stream_rate));
	json_object_set_new(root, "migration", m);
}

/* ---- the truth beyond the headline: streams, bins, inputs, migrations */

struct flowtruth {
	int seen;
	uint64_t base, top, segments, rtx, zw;
	int64_t first, last, syn, synack;
};

static int
is_mig_data(const struct ev *e)
{
	return (e->mark == M_MIG_DATA || e->mark == M_MIG_RETRANS) && e->len > 0;
}

/* The IP total length of a TCP event (header 32 bytes with timestamps,
 * 40 with a SYN's options): the analyzer counts 14 more per frame. */
static uint64_t
tcp_ip_len(const struct opts *o, const struct ev *e)
{
	return (o->ipv6 ? 40u : 20u) + (e->syn_opts ? 40u : 32u) + e->len;
}

/*
 * New bytes in sequence space of data event e of flow ft (0: a
 * retransmission of old bytes only); counts it, and a retransmission:
 * a segment that starts below the highest sequence sent (tests/README.md).
 */
static uint64_t
flow_step(struct flowtruth *ft, const struct ev *e)
{
	uint64_t rel, added = 0;

	if (!ft->seen) {
		ft->seen = 1;
		ft->base = e->seq;
		ft->first = e->ts;
	}
	ft->last = e->ts;
	ft->segments++;
	rel = (uint32_t)(e->seq - (uint32_t)ft->base);
	if (rel < ft->top && !(e->len <= 1 && rel + e->len == ft->top))
		ft->rtx++;
	if (rel + e->len > ft->top) {
		added = rel + e->len - ft->top;
		ft->top = rel + e->len;
	}
	return added;
}

/* Each migration flow's figures (ft[16], by flow number). */
static void
flows_truth(const struct evlist *l, struct flowtruth *ft)
{
	size_t i;

	memset(ft, 0, 16 * sizeof *ft);
	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		int ks = (e->sport - PORT_MIG_SRC) & 15, kd = (e->dport - PORT_MIG_SRC) & 15;

		if (e->kind != EV_TCP)
			continue;
		if (e->mark == M_MIG_CTRL && e->tcp_flags == TH_SYN &&
		    e->dport == PORT_MIG_DST && ft[ks].syn == 0)
			ft[ks].syn = e->ts;
		if (e->mark == M_MIG_CTRL && e->tcp_flags == (TH_SYN | TH_ACK) &&
		    e->sport == PORT_MIG_DST && ft[kd].synack == 0)
			ft[kd].synack = e->ts;
		if (e->mark == M_MIG_ZEROWIN)
			ft[kd].zw++;
		if (is_mig_data(e))
			flow_step(&ft[e->flow & 15], e);
	}
}

/* migration.streams[]: in the report's order (first data, then port). */
static json_t *
truth_streams(const struct opts *o, const struct flowtruth *ft)
{
	json_t *a = json_array();
	int order[16], n = 0, i, j;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_SRC].ip6 : (const void *)hosts[H_SRC].ip4,
	    src, sizeof src);
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_DST].ip6 : (const void *)hosts[H_DST].ip4,
	    dst, sizeof dst);
	for (i = 0; i < 16; i++) {
		if (!ft[i].seen)
			continue;
		for (j = n; j > 0 && ft[order[j - 1]].first > ft[i].first; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	for (j = 0; j < n; j++) {
		const struct flowtruth *f = &ft[order[j]];
		json_t *s = json_object();

		json_object_set_new(s, "src", json_string(src));
		json_object_set_new(s, "sport", json_integer(PORT_MIG_SRC + order[j]));
		json_object_set_new(s, "dst", json_string(dst));
		json_object_set_new(s, "dport", json_integer(PORT_MIG_DST));
		json_object_set_new(s, "magic", json_boolean(order[j] == 0 &&
		    o->snaplen >= mig_payload_off + 4));
		json_object_set_new(s, "bytes", json_integer((json_int_t)f->top));
		json_object_set_new(s, "segments", json_integer((json_int_t)f->segments));
		json_object_set_new(s, "first_data_ns", j_ns(f->first + o->ns_offset));
		json_object_set_new(s, "last_data_ns", j_ns(f->last + o->ns_offset));
		json_object_set_new(s, "duration_s", j_s(f->last - f->first));
		json_object_set_new(s, "retransmissions", json_integer((json_int_t)f->rtx));
		json_object_set_new(s, "zero_windows", json_integer((json_int_t)f->zw));
		json_object_set_new(s, "handshake_rtt_ns", f->syn && f->synack ?
		    j_ns(f->synack - f->syn) : json_null());
		json_array_append_new(a, s);
	}
	return a;
}

/*
 * The bins (the man page, "Migration stream"): --bin wide from the first
 * frame of all files (t0); a data frame's new bytes and its Ethernet frame
 * bytes (IP length + 14) go to the bin holding it. Over the bins from the
 * one holding the first data to the last one starting at or before the
 * last data: the peak rate; with --link, the utilisation (frame bytes *
 * 8 / duration / link) and the bins wholly inside [first, last] at 90%
 * of the link or more, the bottleneck when they are most (the mean when
 * no bin is wholly inside). Sets those keys of m (migration or
 * migrations[i]).
 */
static void
truth_bins(const struct opts *o, const struct evlist *l, int64_t t0,
    int64_t first, int64_t last, json_t *m)
{
	int64_t w = o->bin;
	size_t nb = (size_t)((last - t0) / w) + 1, i;
	uint64_t *bytes = calloc(nb, sizeof *bytes), *frames = calloc(nb, sizeof *frames);
	uint64_t fbytes = 0, inside = 0, full = 0;
	struct flowtruth ft[16];
	double bin_s = (double)w / 1e9, peak = 0, util = 0;

	if (bytes == NULL || frames == NULL)
		die(2, "out of memory");
	memset(ft, 0, sizeof ft);
	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		size_t b;

		if (!is_mig_data(e))
			continue;
		b = (size_t)((e->ts - t0) / w);
		bytes[b] += flow_step(&ft[e->flow & 15], e);
		frames[b] += tcp_ip_len(o, e) + 14;
	}
	for (i = (size_t)((first - t0) / w); i < nb && t0 + (int64_t)i * w <= last; i++) {
		int64_t bs = t0 + (int64_t)i * w;
		double bps = (double)bytes[i] * 8 / bin_s;

		if (bps > peak)
			peak = bps;
		fbytes += frames[i];
		if (o->link_bps == 0 || bs < first || bs + w > last)
			continue;
		inside++;
		if ((double)frames[i] * 8 / bin_s >= 0.9 * (double)o->link_bps)
			full++;
	}
	json_object_set_new(m, "peak_bps", json_real(peak));
	if (o->link_bps > 0) {
		if (last > first)
			util = (double)fbytes * 8 / ((double)(last - first) / 1e9) /
			    (double)o->link_bps;
		json_object_set_new(m, "utilisation", json_real(util));
		json_object_set_new(m, "bottleneck", json_boolean(inside > 0 ?
		    2 * full > inside : util >= 0.9));
		json_object_set_new(m, "bins_at_90pct", json_integer((json_int_t)full));
		json_object_set_new(m, "bins_inside", json_integer((json_int_t)inside));
	} else {
		json_object_set_new(m, "utilisation", json_null());
		json_object_set_new(m, "bottleneck", json_null());
		json_object_set_new(m, "bins_at_90pct", json_null());
		json_object_set_new(m, "bins_inside", json_null());
	}
	free(bytes);
	free(frames);
}

static const char *
link_name(const struct opts *o)
{
	static const char *const names[] = { "EN10MB", "LINUX_SLL",
	    "LINUX_SLL2", "RAW", "NULL", "LOOP" };

	return o->link >= 0 ? names[o->link] : NULL;
}

static json_t *
j_input(const struct opts *o, const char *path, const struct filestat *fs)
{
	json_t *in = json_object();

	json_object_set_new(in, "file", json_string(path));
	json_object_set_new(in, "link_type", json_string(link_name(o)));
	json_object_set_new(in, "packets", json_integer((json_int_t)fs->packets));
	json_object_set_new(in, "bytes", json_integer((json_int_t)fs->bytes));
	json_object_set_new(in, "first_ns", j_ns(fs->first + o->ns_offset));
	json_object_set_new(in, "last_ns", j_ns(fs->last + o->ns_offset));
	json_object_set_new(in, "backwards_timestamps", json_integer(0));
	json_object_set_new(in, "invalid_headers", json_integer(0));
	json_object_set_new(in, "damaged", json_false());
	/* Headers cut by the snapshot length: only TCP headers (32 bytes,
	 * 40 in a SYN) can be, unless IPv6 or VLAN tags make the others
	 * longer than 68 bytes too. */
	if (o->snaplen >= 80 || (!o->ipv6 && o->vlan == 0))
		json_object_set_new(in, "truncated_headers",
		    json_integer((json_int_t)fs->truncated));
	return in;
}

/*
 * What needs both files (or the file list): inputs[], packets, first and
 * last frame, the bins of the stream, and migrations[] (one migration:
 * every flow overlaps the others) with the reply gap that holds its last
 * data (the man page, "Migrations"). Left out with --garbage or
 * --backwards, whose extra frames the measures must survive but whose
 * decoding is not settled here.
 */
static void
truth_whole(const struct opts *o, const struct evlist *mgmt,
    const char *ext_path, const struct filestat *fe,
    const char *mgmt_path, const struct filestat *fm, json_t *root)
{
	json_t *inputs = json_array(), *mig = json_object_get(root, "migration");
	json_t *intr = json_object_get(root, "interruption"), *ms, *one, *g;
	int64_t t0 = INT64_MAX, t1 = INT64_MIN, off = o->ns_offset;
	uint64_t packets = 0;
	size_t k;

	if (o->garbage > 0 || o->backwards || o->link < 0)
		return;
	if (ext_path != NULL) {
		json_array_append_new(inputs, j_input(o, ext_path, fe));
		packets += fe->packets;
		t0 = fe->first;
		t1 = fe->last;
	}
	if (mgmt_path != NULL) {
		json_array_append_new(inputs, j_input(o, mgmt_path, fm));
		packets += fm->packets;
		t0 = fm->first < t0 ? fm->first : t0;
		t1 = fm->last > t1 ? fm->last : t1;
	}
	json_object_set_new(root, "inputs", inputs);
	json_object_set_new(root, "packets", json_integer((json_int_t)packets));
	json_object_set_new(root, "first_ns", j_ns(t0 + off));
	json_object_set_new(root, "last_ns", j_ns(t1 + off));
	if (!json_is_object(mig)) {
		json_object_set_new(root, "migrations", json_array());
		return;
	}
	{
		int64_t first = json_integer_value(json_object_get(mig,
		    "first_data_ns")) - off;
		int64_t last = json_integer_value(json_object_get(mig,
		    "last_data_ns")) - off;
		struct flowtruth ft[16];

		flows_truth(mgmt, ft);
		json_object_set_new(mig, "streams", truth_streams(o, ft));
		json_object_set_new(mig, "bin_s", j_s(o->bin));
		json_object_set_new(mig, "link_bps", o->link_bps > 0 ?
		    json_integer((json_int_t)o->link_bps) : json_null());
		truth_bins(o, mgmt, t0, first, last, mig);
	}
	one = json_object();
	json_object_set(one, "first_data_ns", json_object_get(mig, "first_data_ns"));
	json_object_set(one, "last_data_ns", json_object_get(mig, "last_data_ns"));
	json_object_set(one, "duration_s", json_object_get(mig, "duration_s"));
	json_object_set(one, "streams", json_object_get(mig, "flows"));
	json_object_set(one, "bytes", json_object_get(mig, "bytes"));
	json_object_set(one, "mean_bps", json_object_get(mig, "mean_bps"));
	json_object_set(one, "peak_bps", json_object_get(mig, "peak_bps"));
	json_object_set(one, "retransmissions", json_object_get(mig, "retransmissions"));
	json_object_set(one, "utilisation", json_object_get(mig, "utilisation"));
	json_object_set(one, "bottleneck", json_object_get(mig, "bottleneck"));
	json_object_set(one, "bins_at_90pct", json_object_get(mig, "bins_at_90pct"));
	json_object_set(one, "bins_inside", json_object_get(mig, "bins_inside"));
	/* Its interruption: the reply gap holding its last data. */
	json_object_set_new(one, "interruption", json_null());
	json_array_foreach(json_is_object(intr) ? json_object_get(intr, "gaps") :
	    NULL, k, g) {
		json_int_t a = json_integer_value(json_object_get(g, "start_ns"));
		json_int_t b = json_integer_value(json_object_get(g, "end_ns"));
		json_int_t last = json_integer_value(json_object_get(mig, "last_data_ns"));
		json_t *ann = json_object_get(json_object_get(root, "announce"), "first_ns");
		json_t *gi;

		if (!(a < last && last <= b))
			continue;
		gi = json_object();
		json_object_set_new(gi, "last_reply_before_ns", j_ns(a));
		json_object_set_new(gi, "first_reply_after_ns", j_ns(b));
		json_object_set(gi, "duration_s", json_object_get(g, "duration_s"));
		json_object_set(gi, "lost_probes", json_object_get(g, "lost_probes"));
		if (json_is_integer(ann) && a < json_integer_value(ann) &&
		    json_integer_value(ann) <= b) {
			json_object_set(gi, "announce_ns", ann);
			json_object_set_new(gi, "announce_to_first_reply_s",
			    j_s(b - json_integer_value(ann)));
		} else {
			json_object_set_new(gi, "announce_ns", json_null());
			json_object_set_new(gi, "announce_to_first_reply_s", json_null());
		}
		json_object_set_new(one, "interruption", gi);
		break;
	}
	ms = json_array();
	json_array_append_new(ms, one);
	json_object_set_new(root, "migrations", ms);
}

/* ---- main ------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [options] -w PATH\n"
"Write synthetic captures of a VM live migration with exactly known values.\n"
"\n"
"  -w, --write PATH        output file; with --role both a prefix:\n"
"                          PATH-ext.pcap and PATH-mgmt.pcap (.pcapng)\n"
"  -t, --truth FILE        write the expected measures as JSON ('-': stdout)\n"
"  -r, --role ROLE         ext, mgmt or both (default ext)\n"
"  -l, --linktype TYPE     en10mb, sll, sll2, raw, null, loop (default en10mb);\n"
"                          a number writes that link type in the header over\n"
"                          Ethernet frames (for bad-input tests)\n"
"  -p, --precision P       us or ns (default us)\n"
"  -f, --format F          pcap or pcapng (default pcap)\n"
"      --swapped           pcap in the other byte order (written by hand)\n"
"      --vlan N            stack N VLAN tags (802.1ad outside, 802.1Q inside)\n"
"  -6, --ipv6              IPv6 and ICMPv6 instead of IPv4 (no ARP)\n"
"      --probe-interval D  echo request spacing (default 10ms)\n"
"      --outage START:DUR  the VM is silent in [START, START+DUR) after the\n"
"                          scenario start (default 1s:300ms); repeatable; the\n"
"                          longest is the migration's\n"
"      --announce-lead D   first RARP this long before the outage ends\n"
"                          (default 40ms); RARPs at +0,50,200,450,800 ms\n"
"      --stream-rate R     migration payload rate in bits/s (default 100M)\n"
"      --stream-bytes N    migration payload bytes (default 10M = 10000000)\n"
"      --stream-start D    first migration data segment (default 200ms)\n"
"      --retrans N         retransmitted segments (default 0)\n"
"      --overlap N         segments sent as a half, then whole: resends that\n"
"                          overlap old data and carry new (default 0)\n"
"      --zero-windows N    zero-window ACKs, each pausing the sender (default 0)\n"
"      --zero-window-pause D  (default 20ms)\n"
"  -s, --snaplen N         captured bytes per frame (default 128)\n"
"      --seed N            random seed for jitter (default 1)\n"
"      --start-time S      scenario start, seconds since the epoch\n"
"                          (default 1767225600 = 2026-01-01T00:00:00Z)\n"
"      --duration D        scenario length (default: all events + 500ms)\n"
"      --ns-offset N       add N ns (0-999) to every timestamp (ns only)\n"
"      --af-inet6 N        AF_INET6 value for null/loop (24, 28, 30; default 30)\n"
"      --min-gap D         gap threshold for the truth (default 3 intervals)\n"
"      --bin D             bin width for the truth's peak (default 100ms)\n"
"      --link RATE         link rate for the truth's utilisation (default none)\n"
"      --no-probes, --no-announce, --no-background, --no-stream, --no-arp\n"
"                          leave that traffic out\n"
"      --multifd N         N more migration channels to port 49152 (multifd\n"
"                          magic), sharing --stream-bytes and --stream-rate\n"
"      --garp              a gratuitous ARP from the VM 1 ms after each RARP\n"
"      --vm-chatter D      the VM sends a UDP datagram every D (not in outages)\n"
"      --garbage N         N frames of random bytes at random times per file\n"
"      --vm-upload D       the client uploads to the VM over TCP, a segment\n"
"                          every D; outages stall it (RTO 200 ms, doubling)\n"
"      --extra-if LINKTYPE pcapng: a second interface of that link type\n"
"      --backwards         one background frame 500 ms before its predecessor\n"
"  -h, --help              this text\n",
	    progname);
}

static void
set_defaults(struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->link = 0;
	o->role_ext = 1;
	o->t0 = 1767225600LL * NS_PER_S;
	o->probe_interval = 10 * NS_PER_MS;
	o->bin = 100 * NS_PER_MS;
	o->announce_lead = 40 * NS_PER_MS;
	o->stream_rate = 100000000;
	o->stream_bytes = 10000000;
	o->stream_start = 200 * NS_PER_MS;
	o->zero_window_pause = 20 * NS_PER_MS;
	o->snaplen = 128;
	o->seed = 1;
	o->af_inet6 = 30;
	o->extra_if = -1;
}

enum {
	O_VLAN = 256, O_PROBE, O_OUTAGE, O_LEAD, O_RATE, O_BYTES, O_SSTART,
	O_RETRANS, O_OVERLAP, O_ZW, O_ZWP, O_SEED, O_START, O_DURATION, O_NSOFF, O_AF6,
	O_MINGAP, O_TBIN, O_TLINK, O_NOPROBES, O_NOANN, O_NOBG, O_NOSTREAM, O_NOARP, O_EXTRAIF,
	O_BACK, O_SWAPPED, O_MULTIFD, O_GARP, O_CHATTER, O_GARBAGE, O_UPLOAD
};

static const struct option longopts[] = {
	{ "write", required_argument, NULL, 'w' },
	{ "truth", required_argument, NULL, 't' },
	{ "role", required_argument, NULL, 'r' },
	{ "linktype", required_argument, NULL, 'l' },
	{ "precision", required_argument, NULL, 'p' },
	{ "format", required_argument, NULL, 'f' },
	{ "swapped", no_argument, NULL, O_SWAPPED },
	{ "vlan", required_argument, NULL, O_VLAN },
	{ "ipv6", no_argument, NULL, '6' },
	{ "probe-interval", required_argument, NULL, O_PROBE },
	{ "outage", required_argument, NULL, O_OUTAGE },
	{ "announce-lead", required_argument, NULL, O_LEAD },
	{ "stream-rate", required_argument, NULL, O_RATE },
	{ "stream-bytes", required_argument, NULL, O_BYTES },
	{ "stream-start", required_argument, NULL, O_SSTART },
	{ "retrans", required_argument, NULL, O_RETRANS },
	{ "overlap", required_argument, NULL, O_OVERLAP },
	{ "zero-windows", required_argument, NULL, O_ZW },
	{ "zero-window-pause", required_argument, NULL, O_ZWP },
	{ "snaplen", required_argument, NULL, 's' },
	{ "seed", required_argument, NULL, O_SEED },
	{ "start-time", required_argument, NULL, O_START },
	{ "duration", required_argument, NULL, O_DURATION },
	{ "ns-offset", required_argument, NULL, O_NSOFF },
	{ "af-inet6", required_argument, NULL, O_AF6 },
	{ "min-gap", required_argument, NULL, O_MINGAP },
	{ "bin", required_argument, NULL, O_TBIN },
	{ "link", required_argument, NULL, O_TLINK },
	{ "no-probes", no_argument, NULL, O_NOPROBES },
	{ "no-announce", no_argument, NULL, O_NOANN },
	{ "no-background", no_argument, NULL, O_NOBG },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "no-arp", no_argument, NULL, O_NOARP },
	{ "extra-if", required_argument, NULL, O_EXTRAIF },
	{ "backwards", no_argument, NULL, O_BACK },
	{ "multifd", required_argument, NULL, O_MULTIFD },
	{ "garp", no_argument, NULL, O_GARP },
	{ "garbage", required_argument, NULL, O_GARBAGE },
	{ "vm-upload", required_argument, NULL, O_UPLOAD },
	{ "vm-chatter", required_argument, NULL, O_CHATTER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
bad_arg(const char *opt, const char *val)
{
	fprintf(stderr, "%s: invalid %s '%s'\n", progname, opt, val);
	fprintf(stderr, "Try '%s --help'.\n", progname);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct evlist ext = { 0 }, mgmt = { 0 };
	struct filestat fs_ext, fs_mgmt;
	json_t *root;
	char *ext_path = NULL, *mgmt_path = NULL;
	int c, i;
	long v;
	uint64_t u;

	set_defaults(&o);
	while ((c = getopt_long(argc, argv, "w:t:r:l:p:f:6s:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'w':
			o.out = optarg;
			break;
		case 't':
			o.truth = optarg;
			break;
		case 'r':
			if (strcmp(optarg, "ext") == 0)
				o.role_ext = 1, o.role_mgmt = 0;
			else if (strcmp(optarg, "mgmt") == 0)
				o.role_ext = 0, o.role_mgmt = 1;
			else if (strcmp(optarg, "both") == 0)
				o.role_ext = 1, o.role_mgmt = 1;
			else
				bad_arg("--role", optarg);
			break;
		case 'l':
			o.link = -1;
			for (i = 0; i < (int)(sizeof linktypes / sizeof linktypes[0]); i++)
				if (strcmp(optarg, linktypes[i].name) == 0)
					o.link = i;
			if (o.link < 0) {
				if (parse_int(optarg, 0, 65535, &v) != 0)
					bad_arg("--linktype", optarg);
				o.link_number = (int)v;
			}
			break;
		case 'p':
			if (strcmp(optarg, "us") == 0)
				o.nano = 0;
			else if (strcmp(optarg, "ns") == 0)
				o.nano = 1;
			else
				bad_arg("--precision", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "pcap") == 0)
				o.pcapng = 0;
			else if (strcmp(optarg, "pcapng") == 0)
				o.pcapng = 1;
			else
				bad_arg("--format", optarg);
			break;
		case O_SWAPPED:
			o.swapped = 1;
			break;
		case O_VLAN:
			if (parse_int(optarg, 0, 8, &v) != 0)
				bad_arg("--vlan", optarg);
			o.vlan = (int)v;
			break;
		case '6':
			o.ipv6 = 1;
			break;
		case O_PROBE:
			if (parse_duration(optarg, &o.probe_interval) != 0 ||
			    o.probe_interval < NS_PER_MS ||
			    o.probe_interval % NS_PER_US != 0)
				bad_arg("--probe-interval (at least 1ms, whole us)",
				    optarg);
			break;
		case O_OUTAGE: {
			char *colon = strchr(optarg, ':');
			struct outage *u2;

			if (o.noutages == MAX_OUTAGES)
				bad_arg("--outage (too many)", optarg);
			u2 = &o.outages[o.noutages];
			if (colon == NULL)
				bad_arg("--outage", optarg);
			*colon = '\0';
			if (parse_duration(optarg, &u2->start) != 0 ||
			    parse_duration(colon + 1, &u2->dur) != 0 ||
			    u2->dur <= 0)
				bad_arg("--outage", optarg);
			*colon = ':';
			o.noutages++;
			break;
		}
		case O_LEAD:
			if (parse_duration(optarg, &o.announce_lead) != 0)
				bad_arg("--announce-lead", optarg);
			break;
		case O_RATE:
			if (parse_rate(optarg, &o.stream_rate) != 0)
				bad_arg("--stream-rate", optarg);
			break;
		case O_BYTES:
			if (parse_count(optarg, &o.stream_bytes) != 0 ||
			    o.stream_bytes == 0 || o.stream_bytes > 4000000000ULL)
				bad_arg("--stream-bytes (1 to 4G)", optarg);
			break;
		case O_SSTART:
			if (parse_duration(optarg, &o.stream_start) != 0 ||
			    o.stream_start < 10 * NS_PER_MS)
				bad_arg("--stream-start (at least 10ms)", optarg);
			break;
		case O_RETRANS:
			if (parse_int(optarg, 0, 100000, &v) != 0)
				bad_arg("--retrans", optarg);
			o.retrans = (int)v;
			break;
		case O_OVERLAP:
			if (parse_int(optarg, 0, 100000, &v) != 0)
				bad_arg("--overlap", optarg);
			o.overlaps = (int)v;
			break;
		case O_ZW:
			if (parse_int(optarg, 0, 100000, &v) != 0)
				bad_arg("--zero-windows", optarg);
			o.zero_windows = (int)v;
			break;
		case O_ZWP:
			if (parse_duration(optarg, &o.zero_window_pause) != 0 ||
			    o.zero_window_pause < NS_PER_MS)
				bad_arg("--zero-window-pause (at least 1ms)", optarg);
			break;
		case 's':
			if (parse_int(optarg, 68, 262144, &v) != 0)
				bad_arg("--snaplen (68-262144)", optarg);
			o.snaplen = (uint32_t)v;
			break;
		case O_SEED:
			if (parse_count(optarg, &u) != 0)
				bad_arg("--seed", optarg);
			o.seed = u;
			break;
		case O_START:
			if (parse_count(optarg, &u) != 0 || u > 4000000000ULL)
				bad_arg("--start-time", optarg);
			o.t0 = (int64_t)u * NS_PER_S;
			break;
		case O_DURATION:
			if (parse_duration(optarg, &o.duration) != 0 || o.duration <= 0)
				bad_arg("--duration", optarg);
			break;
		case O_NSOFF:
			if (parse_int(optarg, 0, 999, &v) != 0)
				bad_arg("--ns-offset (0-999)", optarg);
			o.ns_offset = (int)v;
			break;
		case O_AF6:
			if (parse_int(optarg, 1, 255, &v) != 0)
				bad_arg("--af-inet6", optarg);
			o.af_inet6 = (int)v;
			break;
		case O_MINGAP:
			if (parse_duration(optarg, &o.min_gap) != 0)
				bad_arg("--min-gap", optarg);
			break;
		case O_TBIN:
			if (parse_duration(optarg, &o.bin) != 0 || o.bin < NS_PER_MS)
				bad_arg("--bin (at least 1ms)", optarg);
			break;
		case O_TLINK:
			if (parse_rate(optarg, &o.link_bps) != 0 || o.link_bps == 0)
				bad_arg("--link", optarg);
			break;
		case O_NOPROBES: o.no_probes = 1; break;
		case O_NOANN: o.no_announce = 1; break;
		case O_NOBG: o.no_background = 1; break;
		case O_NOSTREAM: o.no_stream = 1; break;
		case O_NOARP: o.no_arp = 1; break;
		case O_EXTRAIF:
			if (parse_int(optarg, 0, 65535, &v) != 0)
				bad_arg("--extra-if", optarg);
			o.extra_if = (int)v;
			break;
		case O_BACK:
			o.backwards = 1;
			break;
		case O_MULTIFD:
			if (parse_int(optarg, 0, 15, &v) != 0)
				bad_arg("--multifd (0-15)", optarg);
			o.multifd = (int)v;
			break;
		case O_GARP:
			o.garp = 1;
			break;
		case O_UPLOAD:
			if (parse_duration(optarg, &o.vm_upload) != 0 ||
			    o.vm_upload < NS_PER_MS || o.vm_upload % NS_PER_US != 0)
				bad_arg("--vm-upload (at least 1ms, whole us)", optarg);
			break;
		case O_GARBAGE:
			if (parse_int(optarg, 0, 1000000, &v) != 0)
				bad_arg("--garbage", optarg);
			o.garbage = (int)v;
			break;
		case O_CHATTER:
			if (parse_duration(optarg, &o.vm_chatter) != 0 ||
			    o.vm_chatter < 100 * NS_PER_US ||
			    o.vm_chatter % NS_PER_US != 0)
				bad_arg("--vm-chatter (at least 100us, whole us)",
				    optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", progname);
			return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
		    argv[optind]);
		return 1;
	}
	if (o.out == NULL) {
		fprintf(stderr, "%s: no output file (use -w PATH)\n", progname);
		return 1;
	}
	if (o.ns_offset != 0 && !o.nano)
		die(1, "--ns-offset needs --precision ns");
	if (o.vlan > 0 && o.link >= 0 && linktypes[o.link].kind != LK_EN10MB)
		die(1, "--vlan needs --linktype en10mb");
	if (o.swapped && o.pcapng)
		die(1, "--swapped is for --format pcap");
	if (o.extra_if >= 0 && !o.pcapng)
		die(1, "--extra-if is for --format pcapng");
	if (o.noutages == 0) {
		o.outages[0].start = 1 * NS_PER_S;
		o.outages[0].dur = 300 * NS_PER_MS;
		o.noutages = 1;
	}
	rng_state = o.seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (rng_state == 0)
		rng_state = 1;

	if (o.role_ext && o.role_mgmt) {
		const char *sfx = o.pcapng ? "pcapng" : "pcap";
		size_t n = strlen(o.out) + 16;

		ext_path = malloc(n);
		mgmt_path = malloc(n);
		if (ext_path == NULL || mgmt_path == NULL)
			die(2, "out of memory");
		snprintf(ext_path, n, "%s-ext.%s", o.out, sfx);
		snprintf(mgmt_path, n, "%s-mgmt.%s", o.out, sfx);
	} else if (o.role_ext)
		ext_path = strdup(o.out);
	else
		mgmt_path = strdup(o.out);

	/* Generate both roles (fixed order, so the random numbers are the
	 * same whichever file is written), write those asked for. */
	gen_ext(&o, &ext);
	gen_mgmt(&o, &mgmt);
	add_garbage(&o, &ext);
	add_garbage(&o, &mgmt);
	root = json_object();
	json_object_set_new(root, "generator", json_string("mkpcap"));
	json_object_set_new(root, "seed", json_integer((json_int_t)o.seed));
	if (ext_path != NULL) {
		write_role(&o, 1, &ext, ext_path, &fs_ext);
		json_object_set_new(root, "ext_file", json_string(ext_path));
		truth_ext(&o, &ext, root);
	}
	if (mgmt_path != NULL) {
		write_role(&o, 0, &mgmt, mgmt_path, &fs_mgmt);
		json_object_set_new(root, "mgmt_file", json_string(mgmt_path));
		truth_mgmt(&o, &mgmt, root);
	}
	if (ext_path == NULL) {
		/* No external network: no probes, no announce, no VM. */
		json_t *ann = json_object(), *vm = json_object();

		json_object_set_new(root, "interruption", json_null());
		json_object_set_new(ann, "first_ns", json_null());
		json_object_set_new(ann, "count", json_integer(0));
		json_object_set_new(ann, "rarp", json_integer(0));
		json_object_set_new(ann, "garp", json_integer(0));
		json_object_set_new(ann, "mac", json_null());
		json_object_set_new(ann, "to_first_reply_s", json_null());
		json_object_set_new(root, "announce", ann);
		json_object_set_new(vm, "ip", json_null());
		json_object_set_new(vm, "mac", json_null());
		json_object_set_new(root, "vm", vm);
	}
	if (mgmt_path == NULL)	/* no management network: no stream */
		json_object_set_new(root, "migration", json_null());
	truth_whole(&o, &mgmt, ext_path, &fs_ext, mgmt_path, &fs_mgmt, root);
	if (o.truth != NULL) {
		int rc = strcmp(o.truth, "-") == 0 ?
		    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) :
		    json_dump_file(root, o.truth, JSON_INDENT(2) | JSON_SORT_KEYS);

		if (rc != 0)
			die(2, "%s: cannot write the truth", o.truth);
		if (strcmp(o.truth, "-") == 0)
			putchar('\n');
	}
	json_decref(root);
	free(ext.v);
	free(mgmt.v);
	free(ext_path);
	free(mgmt_path);
	return 0;
}
