/*
 * announce.h: who announced which MAC address, and when. QEMU announces a
 * migrated guest with RARP frames (ethertype 0x8035, opcode 3, source =
 * guest MAC; docs/wire-formats.md); other hypervisors and guests send
 * gratuitous ARP (sender IP = target IP). The first announce marks the
 * moment the destination is about to resume the guest.
 */
#ifndef MT_ANNOUNCE_H
#define MT_ANNOUNCE_H

#include "base/mt.h"
#include "input/pkt.h"

struct announce_info {
	uint64_t rarp;		/* RARP announces for this MAC */
	uint64_t garp;		/* gratuitous ARP for this MAC */
	mt_ns first;		/* first announce of either kind */
	mt_ns first_rarp;	/* MT_NS_NONE if none */
	struct mt_addr garp_ip;	/* address a gratuitous ARP claimed */
};

struct announce;

struct announce *announce_new(void);	/* NULL when out of memory */
void announce_free(struct announce *a);

/*
 * Is p an announce? Return 1 with *mac set to the MAC announced and *rarp
 * to 1 for a RARP announce (opcode 3), 0 for a gratuitous ARP (request or
 * reply whose sender IP is the target IP); return 0 for anything else.
 */
int announce_frame(const struct pkt *p, struct mt_mac *mac, int *rarp);

/* Feed a packet (only ARP/RARP frames matter). 0, or -1 out of memory. */
int announce_add(struct announce *a, const struct pkt *p);

/* Announces for mac; 0 if any were seen, -1 if none. */
int announce_get(struct announce *a, const struct mt_mac *mac,
    struct announce_info *out);

/*
 * The MAC announced by RARP, when exactly one was: 0 and *mac set; -1 if
 * none or several (then *n says how many).
 */
int announce_only_rarp(struct announce *a, struct mt_mac *mac, size_t *n);

#endif /* MT_ANNOUNCE_H */
