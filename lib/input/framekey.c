/*
 * framekey.c: a frame's identity across capture points (framekey.h):
 * the fields that stay the same from one capture point to the next,
 * folded in a 64-bit word at a time, then a finalising mix so that the
 * low bits (used to sample keys, clock.c) are as good as the high ones.
 */
#include "config.h"

#include <string.h>

#include "input/framekey.h"


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
		return fkey_mix(h, v);
	}
	memcpy(w, a->a, 16);
	return fkey_mix(fkey_mix(h, w[0]), w[1]);
}

uint64_t
fkey_of(const struct pkt *p)
{
	uint64_t h = FKEY_SEED;

	if (p->layers & PKT_L_ARP) {
		h = fkey_mix(h, 0x41525000u | p->arp_op);
		h = fkey_mix(h, mac(&p->mac_src));
		h = fkey_mix(h, mac(&p->mac_dst));
		h = fkey_mix(h, mac(&p->arp_sha));
		h = fkey_mix(h, mac(&p->arp_tha));
		h = addr(h, &p->arp_spa);
		h = addr(h, &p->arp_tpa);
	} else if (p->layers & PKT_L_IP) {
		h = fkey_mix(h, fkey_ip_word(p));
		h = addr(h, &p->ip_src);
		h = addr(h, &p->ip_dst);
		h = fkey_l4_words(h, p);
	} else
		return 0;
	h = fin(h);
	return h != 0 ? h : 1;
}

uint32_t
fkey_dir(const struct pkt *p, int reverse)
{
	uint64_t h = FKEY_SEED;

	if (p->layers & PKT_L_IP) {
		const struct mt_addr *a = reverse ? &p->ip_dst : &p->ip_src;
		const struct mt_addr *b = reverse ? &p->ip_src : &p->ip_dst;

		h = addr(addr(h, a), b);
	} else if (p->layers & PKT_L_ARP) {
		h = fkey_mix(h, mac(reverse ? &p->mac_dst : &p->mac_src));
		h = fkey_mix(h, mac(reverse ? &p->mac_src : &p->mac_dst));
	} else
		return 0;
	h = fin(h);
	return (uint32_t)(h >> 32) | 1;
}

uint64_t
fkey_pair_other(const struct pkt *p)
{
	uint64_t pair = fkey_dir(p, 0) ^ fkey_dir(p, 1);

	return pair != 0 ? pair : 1;
}
