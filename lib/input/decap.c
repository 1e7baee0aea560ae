/*
 * decap.c: tunnel headers (decap.h): VXLAN (RFC 7348 5), Geneve
 * (RFC 8926 3), GRE (RFC 2784 2, RFC 2890 2) and ERSPAN types I, II, III
 * (draft-foschiano-erspan-03 4); docs/overlays.md draws each header.
 *
 * As in pkt.c, two outcomes besides PKT_OK: PKT_TRUNCATED when the
 * capture ends inside a header, PKT_INVALID when the header contradicts
 * itself or the datagram: a length field past the datagram, a header
 * longer than the bytes the outer IP length leaves for it, a version
 * or flag the RFC tells a receiver to drop. The wire lengths come first,
 * so a frame cut by the snaplen inside a header that would not fit
 * anyway is invalid, not truncated.
 */
#include "config.h"

#include "input/decap.h"

#define UDP_HDRLEN		8
#define VXLAN_HDRLEN		8
#define VXLAN_PORT		4789	/* IANA, RFC 7348 5 */
#define VXLAN_PORT_LINUX	8472	/* Linux's default (ip-link(8) dstport) */
#define VXLAN_FLAG_I		0x08	/* "valid VNI", RFC 7348 5 */
#define GENEVE_HDRLEN		8
#define GENEVE_PORT		6081	/* RFC 8926 3.3 */
#define GRE_HDRLEN		4
#define GRE_C			0x8000	/* checksum present */
#define GRE_R			0x4000	/* routing present (RFC 1701 only) */
#define GRE_K			0x2000	/* key present (RFC 2890) */
#define GRE_S			0x1000	/* sequence number present */
#define GRE_SSR			0x0800	/* strict source route (RFC 1701) */
#define GRE_VER			0x0007
#define GRE_ERSPAN_II		0x88be	/* ERSPAN type I (no S) and II */
#define GRE_ERSPAN_III		0x22eb
#define ERSPAN_II_HDRLEN	8
#define ERSPAN_III_HDRLEN	12
#define ERSPAN_III_SUBHDRLEN	8	/* platform-specific, with O set */

static uint16_t vxlan_port_extra;

void
pkt_vxlan_port(uint16_t port)
{
	/* Written only when it changes: the analyses of an experiment run in
	 * threads, each setting the one value the command line gave (set
	 * already, before they started: cli.c). */
	if (vxlan_port_extra != port)
		vxlan_port_extra = port;
}

int
decap_udp_kind(uint16_t dport)
{
	if (dport == VXLAN_PORT || dport == VXLAN_PORT_LINUX ||
	    (dport == vxlan_port_extra && dport != 0))
		return PKT_ENCAP_VXLAN;
	if (dport == GENEVE_PORT)
		return PKT_ENCAP_GENEVE;
	return PKT_ENCAP_NONE;
}

/* Room for n header bytes: on the wire (len), then in the capture. */
static int
room(const struct bytes *b, uint32_t len, uint32_t n)
{
	if (len < n)
		return PKT_INVALID;
	if (!bytes_have(b, 0, n))
		return PKT_TRUNCATED;
	return PKT_OK;
}

/* What a Geneve or GRE protocol type carries, or DECAP_NOT. */
static int
carried(uint16_t proto)
{
	switch (proto) {
	case DECAP_ETHER:
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
		return proto;
	default:
		return DECAP_NOT;
	}
}

int
decap_udp(struct bytes *b, uint32_t len, int kind, struct decap *d)
{
	struct bytes t;
	uint16_t ulen = 0, proto = DECAP_ETHER;
	uint8_t f0 = 0;
	uint32_t hl, vni = 0;
	int st;

	if ((st = room(b, len, UDP_HDRLEN)) != PKT_OK)
		return st;
	(void)get_be16(b, 4, &ulen);
	if (ulen < UDP_HDRLEN || ulen > len)
		return PKT_INVALID;	/* the UDP length lies */
	t = *b;
	if (bytes_left(&t) > ulen)
		t.end = t.p + ulen;
	(void)bytes_skip(&t, UDP_HDRLEN);
	len = (uint32_t)ulen - UDP_HDRLEN;
	hl = kind == PKT_ENCAP_VXLAN ? VXLAN_HDRLEN : GENEVE_HDRLEN;
	if ((st = room(&t, len, hl)) != PKT_OK)
		return st;
	(void)get_u8(&t, 0, &f0);
	(void)get_be32(&t, 4, &vni);
	if (kind == PKT_ENCAP_VXLAN) {
		/* Flags: I, the rest reserved. Linux drops a frame without
		 * I, whose VNI says nothing. */
		if (!(f0 & VXLAN_FLAG_I))
			return PKT_INVALID;
	} else {
		/* Version 0 (RFC 8926 3.4: others MUST be dropped), then
		 * 4-byte words of options. */
		if (f0 >> 6 != 0)
			return PKT_INVALID;
		hl += (uint32_t)(f0 & 0x3f) * 4;
		if ((st = room(&t, len, hl)) != PKT_OK)
			return st;
		(void)get_be16(&t, 2, &proto);
		if (carried(proto) == DECAP_NOT)
			return DECAP_NOT;
	}
	(void)bytes_skip(&t, hl);
	d->kind = (uint8_t)kind;
	d->has_key = 1;
	d->key = vni >> 8;
	d->next = proto;
	*b = t;
	return PKT_OK;
}

/* ERSPAN's own header after GRE (draft-foschiano-erspan-03 4.1, 4.2). */
static int
erspan(struct bytes *t, uint32_t len, uint16_t proto, int seq,
    struct decap *d)
{
	uint16_t w = 0, ft;
	uint8_t ver = 0;
	uint32_t hl;
	int st;

	if (proto == GRE_ERSPAN_II && !seq)
		return PKT_OK;	/* type I: no ERSPAN header, no session */
	hl = proto == GRE_ERSPAN_II ? ERSPAN_II_HDRLEN : ERSPAN_III_HDRLEN;
	if ((st = room(t, len, hl)) != PKT_OK)
		return st;
	(void)get_u8(t, 0, &ver);
	ver >>= 4;
	/* Version 1 is type II, 2 is type III; another one in either
	 * protocol type is a header of the wrong length. */
	if (ver != (proto == GRE_ERSPAN_II ? 1 : 2))
		return PKT_INVALID;
	(void)get_be16(t, 2, &w);
	d->has_key = 1;
	d->key = w & 0x3ff;
	if (proto == GRE_ERSPAN_III) {
		(void)get_be16(t, 10, &w);
		ft = (uint16_t)((w >> 10) & 0x1f);
		if (w & 1)		/* O: a platform-specific subheader */
			hl += ERSPAN_III_SUBHDRLEN;
		if ((st = room(t, len, hl)) != PKT_OK)
			return st;
		if (ft != 0)
			return DECAP_NOT;	/* not an Ethernet frame */
	}
	(void)bytes_skip(t, hl);
	return PKT_OK;
}

int
decap_gre(struct bytes *b, uint32_t len, struct decap *d)
{
	struct bytes t = *b;
	uint16_t fl = 0, proto = 0;
	uint32_t hl = GRE_HDRLEN, key = 0;
	int st;

	if ((st = room(b, len, GRE_HDRLEN)) != PKT_OK)
		return st;
	(void)get_be16(b, 0, &fl);
	(void)get_be16(b, 2, &proto);
	/* RFC 2784 2.3, 2.3.1: version 0; bits 1-5 other than K and S
	 * (RFC 2890) are RFC 1701's routing, which a receiver without it
	 * discards. Version 1 is PPTP's (RFC 2637): not a tunnel here. */
	if ((fl & GRE_VER) != 0 || (fl & (GRE_R | GRE_SSR)) != 0)
		return PKT_INVALID;
	if (fl & GRE_C)
		hl += 4;		/* checksum, reserved1 */
	if (fl & GRE_K)
		hl += 4;
	if (fl & GRE_S)
		hl += 4;
	if ((st = room(b, len, hl)) != PKT_OK)
		return st;
	if (fl & GRE_K)
		(void)get_be32(b, (fl & GRE_C) ? 8 : 4, &key);
	(void)bytes_skip(&t, hl);
	len -= hl;
	d->kind = PKT_ENCAP_GRE;
	d->has_key = (fl & GRE_K) != 0;
	d->key = key;
	d->next = DECAP_ETHER;
	if (proto == GRE_ERSPAN_II || proto == GRE_ERSPAN_III) {
		d->kind = PKT_ENCAP_ERSPAN;
		if ((st = erspan(&t, len, proto, (fl & GRE_S) != 0, d)) != PKT_OK)
			return st;
	} else if (carried(proto) == DECAP_NOT) {
		return DECAP_NOT;
	} else
		d->next = proto;
	*b = t;
	return PKT_OK;
}
