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

#endif /* MT_FRAMEKEY_H */
