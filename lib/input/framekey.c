/*
 * framekey.c: a frame's identity across capture points (framekey.h),
 * FNV-1a over the fields that stay the same from one capture point to
 * the next, then a finalising mix so that the low bits (used to sample
 * keys, clock.c) are as good as the high ones.
 */
#include "config.h"

#include <string.h>

#include "input/framekey.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static inline uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

static inline uint64_t
mix32(uint64_t h, uint32_t v)
{
	return mix(h, &v, sizeof(v));
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

static uint64_t
addr(uint64_t h, const struct mt_addr *a)
{
	return mix(h, a->a, a->family == 4 ? 4 : 16);
}

uint64_t
fkey_of(const struct pkt *p)
{
	uint64_t h = FNV_OFFSET;

	if (p->layers & PKT_L_ARP) {
		h = mix32(h, 0x41525000u | p->arp_op);
		h = mix(h, p->mac_src.a, 6);
		h = mix(h, p->mac_dst.a, 6);
		h = mix(h, p->arp_sha.a, 6);
		h = mix(h, p->arp_tha.a, 6);
		h = addr(h, &p->arp_spa);
		h = addr(h, &p->arp_tpa);
	} else if (p->layers & PKT_L_IP) {
		h = mix32(h, (uint32_t)p->ip_src.family << 24 |
		    (uint32_t)p->ip_proto << 16 | p->ip_id);
		h = addr(h, &p->ip_src);
		h = addr(h, &p->ip_dst);
		h = mix32(h, p->ip_len);
		if (p->layers & (PKT_L_TCP | PKT_L_UDP))
			h = mix32(h, (uint32_t)p->sport << 16 | p->dport);
		if (p->layers & PKT_L_TCP) {
			h = mix32(h, p->tcp_seq);
			h = mix32(h, p->tcp_ack);
			h = mix32(h, (uint32_t)p->tcp_flags << 16 | p->tcp_win);
		}
		if (p->layers & PKT_L_ICMP)
			h = mix32(h, (uint32_t)p->icmp_type << 8 | p->icmp_code);
		if (p->layers & PKT_L_ECHO)
			h = mix32(h, (uint32_t)p->icmp_id << 16 | p->icmp_seq);
	} else
		return 0;
	h = fin(h);
	return h != 0 ? h : 1;
}

uint32_t
fkey_dir(const struct pkt *p, int reverse)
{
	uint64_t h = FNV_OFFSET;

	if (p->layers & PKT_L_IP) {
		const struct mt_addr *a = reverse ? &p->ip_dst : &p->ip_src;
		const struct mt_addr *b = reverse ? &p->ip_src : &p->ip_dst;

		h = addr(addr(h, a), b);
	} else if (p->layers & PKT_L_ARP) {
		h = mix(h, (reverse ? &p->mac_dst : &p->mac_src)->a, 6);
		h = mix(h, (reverse ? &p->mac_src : &p->mac_dst)->a, 6);
	} else
		return 0;
	h = fin(h);
	return (uint32_t)(h >> 32) | 1;
}
