/*
 * mkpcap_scenario.c: the events of the scenario, both capture points (tests/mkpcap.c
 * has the whole story).
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

#include "mkpcap.h"

/* ---- the scenario ----------------------------------------------------- */

/* The probes as generated: request time and reply time (-1: none). */
int64_t *probe_req, *probe_rep;
size_t nprobe;
static size_t capprobe;

void
probe_note(int64_t req, int64_t rep)
{
	if (nprobe == capprobe) {
		size_t c = capprobe ? 2 * capprobe : 1024;
		int64_t *a = realloc(probe_req, c * sizeof(*a));

		if (a == NULL)
			die(2, "out of memory");
		probe_req = a;
		if ((a = realloc(probe_rep, c * sizeof(*a))) == NULL)
			die(2, "out of memory");
		probe_rep = a;
		capprobe = c;
	}
	probe_req[nprobe] = req;
	probe_rep[nprobe++] = rep;
}

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
void
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

			if (o->reply_delay > 0)
				rt = t + o->reply_delay;
			add_echo(l, t, H_CLIENT, H_VM, ECHO_ID, seq, 0, M_PROBE_REQ);
			if (!in_outage(o, rt))
				add_echo(l, rt, H_VM, H_CLIENT, ECHO_ID, seq, 1,
				    M_PROBE_REP);
			probe_note(t, in_outage(o, rt) ? -1 : rt);
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
int64_t
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
void
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
void
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
