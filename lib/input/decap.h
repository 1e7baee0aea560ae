/*
 * decap.h: the tunnel headers between an outer IP datagram and the frame
 * it carries: VXLAN (RFC 7348), Geneve (RFC 8926), GRE (RFC 2784, key
 * and sequence number RFC 2890) and the ERSPAN headers GRE carries
 * (types I, II, III; draft-foschiano-erspan-03). docs/overlays.md has
 * each header and where it comes from.
 *
 * For pkt.c only: these read a tunnel header through extract.h and leave
 * the cursor on what it carries; pkt.c decodes that as a frame of its
 * own (PKT_L_ENCAP in pkt.h).
 */
#ifndef MT_DECAP_H
#define MT_DECAP_H

#include "input/extract.h"
#include "input/pkt.h"

/* What follows a tunnel header: an Ethernet frame (GRE's transparent
 * Ethernet bridging protocol type, RFC 1701), or an ethertype's packet. */
#define DECAP_ETHER	0x6558

/* A datagram that is not a tunnel this decoder opens. */
#define DECAP_NOT	(-1)

struct decap {
	uint8_t kind;		/* enum pkt_encap */
	uint8_t has_key;	/* key valid */
	uint32_t key;		/* VNI, GRE key, ERSPAN session ID */
	uint16_t next;		/* DECAP_ETHER, or the ethertype that follows */
};

/*
 * The tunnel kind UDP destination port dport carries (VXLAN: 4789, 8472
 * and pkt_vxlan_port's; Geneve: 6081), or PKT_ENCAP_NONE.
 */
int decap_udp_kind(uint16_t dport);

/*
 * b is at a UDP header to dport of kind decap_udp_kind() gave, len the
 * bytes the IP header says follow. On PKT_OK, *d is filled and b is
 * clamped to the UDP length and advanced past the tunnel header (to the
 * frame it carries); PKT_TRUNCATED or PKT_INVALID otherwise (the UDP
 * length past the datagram or short, a flag or version the RFC says to
 * drop, options past the end), b then unchanged.
 */
int decap_udp(struct bytes *b, uint32_t len, int kind, struct decap *d);

/*
 * b is at a GRE header, len the bytes the IP header says follow. PKT_OK
 * (d filled, b past the GRE and any ERSPAN header), DECAP_NOT (GRE
 * version 0 carrying a protocol not decoded here: b unchanged), or
 * PKT_TRUNCATED / PKT_INVALID (version other than 0, routing present,
 * an ERSPAN header shorter than its type or of the wrong version).
 */
int decap_gre(struct bytes *b, uint32_t len, struct decap *d);

#endif /* MT_DECAP_H */
