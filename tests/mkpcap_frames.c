/*
 * mkpcap_frames.c: the bytes of each event's frame and the pcap/pcapng
 * writers of tests/mkpcap.
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

size_t mig_payload_off;
static uint16_t ip_id;

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
void
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
