/*
 * framekey.h: the identity of a frame across capture points, so that the
 * same frame seen by two captures (a ping request at the client and at
 * the node's switch port; a migration segment at both ends of the
 * management link) can be told to be one frame.
 *
 * The key hashes what a frame keeps on its way through switches and
 * bridges and what tells it from its neighbours: addresses, protocol, IP
 * identification (IPv4) and length, ports, TCP sequence, acknowledgement
 * and flags, ICMP echo id and sequence, ARP/RARP fields. Not the TTL or
 * hop limit (a router changes them, and the IPv4 header checksum with
 * them) and not the TCP/UDP checksum (with checksum offload the sender's
 * own capture holds a partial one, the wire the full one): docs/clocks.md.
 */
#ifndef MT_FRAMEKEY_H
#define MT_FRAMEKEY_H

#include <stdint.h>
#include <string.h>

#include "input/pkt.h"

/*
 * The 64-bit key of p, or 0 when p carries nothing to tell it by (not IP,
 * ARP or RARP; a header cut short). Two frames with the same key are
 * taken to be one frame seen twice.
 */
uint64_t fkey_of(const struct pkt *p);

/*
 * A 32-bit key of p's direction: its source and destination addresses
 * (IP, else MAC), in that order; fkey_dir(p, 1) is the reverse's key,
 * equal to fkey_dir(q, 0) of a frame q going back. 0 when p has no key.
 */
uint32_t fkey_dir(const struct pkt *p, int reverse);

/* ---- inline: dedup.c splits the key of every frame when several files
 * are read; fkey_of() is made of the same parts. ---- */

#define FKEY_SEED	0x9e3779b97f4a7c15ULL
#define FKEY_MUL	0xff51afd7ed558ccdULL

/* One 64-bit word folded in: a multiply and a shift, not the eight
 * dependent multiplies byte-at-a-time FNV-1a took (the key is made for
 * every frame of every capture when there are several: bench/RESULTS.md). */
static inline uint64_t
fkey_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * FKEY_MUL;
	return h ^ (h >> 32);
}

/* The IP header's word: family, protocol, identification, length. */
static inline uint64_t
fkey_ip_word(const struct pkt *p)
{
	return (uint64_t)p->ip_src.family << 56 | (uint64_t)p->ip_proto << 48 |
	    (uint64_t)p->ip_id << 32 | p->ip_len;
}

/* What follows the addresses: the ports and TCP numbers, ICMP. */
static inline uint64_t
fkey_l4_words(uint64_t h, const struct pkt *p)
{
	if (p->layers & PKT_L_TCP) {
		h = fkey_mix(h, (uint64_t)p->sport << 48 |
		    (uint64_t)p->dport << 32 | p->tcp_seq);
		h = fkey_mix(h, (uint64_t)p->tcp_ack << 32 |
		    (uint32_t)p->tcp_flags << 16 | p->tcp_win);
	} else if (p->layers & PKT_L_UDP)
		h = fkey_mix(h, (uint64_t)p->sport << 16 | p->dport);
	if (p->layers & PKT_L_ICMP)
		h = fkey_mix(h, (uint64_t)p->icmp_type << 8 | p->icmp_code);
	if (p->layers & PKT_L_ECHO)
		h = fkey_mix(h, (uint64_t)p->icmp_id << 16 | p->icmp_seq);
	return h;
}

/*
 * The key as two parts, for telling copies apart conversation by
 * conversation (dedup.c): the pair, fkey_pair(): the same for both
 * directions between two hosts (IPv4: the two addresses, exactly; else a
 * hash of them), and the rest, fkey_rest(): the direction and every
 * other field of fkey_of(), mixed (cheaper: no address mixed in, no
 * finaliser). Two frames with both parts equal are taken to be one
 * frame seen twice. fkey_pair() is 0 exactly when fkey_of() is (and
 * fkey_rest() is then not to be asked); neither part is 0 otherwise.
 */
/* fkey_pair() of an IPv6, ARP or RARP frame. */
uint64_t fkey_pair_other(const struct pkt *p);

static inline int
fkey_v4(const struct pkt *p, uint32_t *s, uint32_t *d)
{
	if ((p->layers & (PKT_L_IP | PKT_L_ARP)) != PKT_L_IP ||
	    p->ip_src.family != 4)
		return 0;
	memcpy(s, p->ip_src.a, 4);
	memcpy(d, p->ip_dst.a, 4);
	return 1;
}

static inline uint64_t
fkey_pair(const struct pkt *p)
{
	uint32_t s, d;
	uint64_t pair;

	if (fkey_v4(p, &s, &d))		/* lower first */
		pair = s < d ? (uint64_t)s << 32 | d : (uint64_t)d << 32 | s;
	else if (p->layers & (PKT_L_IP | PKT_L_ARP))
		return fkey_pair_other(p);
	else
		return 0;
	return pair != 0 ? pair : 1;
}

static inline uint64_t
fkey_rest(const struct pkt *p)
{
	uint32_t s, d;
	uint64_t h;

	if (!fkey_v4(p, &s, &d))
		return fkey_of(p);	/* the addresses in it too */
	/* The direction in bit 63 of the IP word (free: the family is 4
	 * or 6). */
	h = fkey_mix(FKEY_SEED, fkey_ip_word(p) | (uint64_t)(s > d) << 63);
	h = fkey_l4_words(h, p);
	return h != 0 ? h : 1;
}

#endif /* MT_FRAMEKEY_H */
