/*
 * framekey.c: a frame's identity across capture points (framekey.h):
 * the fields that stay the same from one capture point to the next,
 * folded in a 64-bit word at a time, then a finalising mix so that the
 * low bits (used to sample keys, clock.c) are as good as the high ones.
 */
#include "config.h"

#include <string.h>

#include "input/framekey.h"

#define SEED	0x9e3779b97f4a7c15ULL
#define MUL	0xff51afd7ed558ccdULL

/* One 64-bit word folded in: a multiply and a shift, not the eight
 * dependent multiplies byte-at-a-time FNV-1a took (the key is made for
 * every frame of every capture when there are several: bench/RESULTS.md). */
static inline uint64_t
mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * MUL;
	return h ^ (h >> 32);
}

/* splitmix64's finaliser. */
static inline uint64_t
fin(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static inline uint64_t
mac(const struct mt_mac *m)
{
	uint64_t w = 0;

	memcpy(&w, m->a, 6);
	return w;
}

static inline uint64_t
addr(uint64_t h, const struct mt_addr *a)
{
	uint64_t w[2] = { 0, 0 };

	if (a->family == 4) {
		uint32_t v;

		memcpy(&v, a->a, 4);
		return mix(h, v);
	}
	memcpy(w, a->a, 16);
	return mix(mix(h, w[0]), w[1]);
}

uint64_t
fkey_of(const struct pkt *p)
{
	uint64_t h = SEED;

	if (p->layers & PKT_L_ARP) {
		h = mix(h, 0x41525000u | p->arp_op);
		h = mix(h, mac(&p->mac_src));
		h = mix(h, mac(&p->mac_dst));
		h = mix(h, mac(&p->arp_sha));
		h = mix(h, mac(&p->arp_tha));
		h = addr(h, &p->arp_spa);
		h = addr(h, &p->arp_tpa);
	} else if (p->layers & PKT_L_IP) {
		h = mix(h, (uint64_t)p->ip_src.family << 56 |
		    (uint64_t)p->ip_proto << 48 | (uint64_t)p->ip_id << 32 |
		    p->ip_len);
		h = addr(h, &p->ip_src);
		h = addr(h, &p->ip_dst);
		if (p->layers & PKT_L_TCP) {
			h = mix(h, (uint64_t)p->sport << 48 |
			    (uint64_t)p->dport << 32 | p->tcp_seq);
			h = mix(h, (uint64_t)p->tcp_ack << 32 |
			    (uint32_t)p->tcp_flags << 16 | p->tcp_win);
		} else if (p->layers & PKT_L_UDP)
			h = mix(h, (uint64_t)p->sport << 16 | p->dport);
		if (p->layers & PKT_L_ICMP)
			h = mix(h, (uint64_t)p->icmp_type << 8 | p->icmp_code);
		if (p->layers & PKT_L_ECHO)
			h = mix(h, (uint64_t)p->icmp_id << 16 | p->icmp_seq);
	} else
		return 0;
	h = fin(h);
	return h != 0 ? h : 1;
}

uint32_t
fkey_dir(const struct pkt *p, int reverse)
{
	uint64_t h = SEED;

	if (p->layers & PKT_L_IP) {
		const struct mt_addr *a = reverse ? &p->ip_dst : &p->ip_src;
		const struct mt_addr *b = reverse ? &p->ip_src : &p->ip_dst;

		h = addr(addr(h, a), b);
	} else if (p->layers & PKT_L_ARP) {
		h = mix(h, mac(reverse ? &p->mac_dst : &p->mac_src));
		h = mix(h, mac(reverse ? &p->mac_src : &p->mac_dst));
	} else
		return 0;
	h = fin(h);
	return (uint32_t)(h >> 32) | 1;
}
