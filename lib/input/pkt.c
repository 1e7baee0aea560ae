/*
 * pkt.c: decode one captured frame into struct pkt: Ethernet, Linux cooked
 * v1/v2, raw IP, BSD loopback; IEEE 802.1Q/802.1ad tags; ARP (RFC 826) and
 * RARP (RFC 903); IPv4 (RFC 791) and IPv6 (RFC 8200); TCP (RFC 9293),
 * UDP (RFC 768), ICMP echo (RFC 792) and ICMPv6 echo (RFC 4443); the
 * frames inside VXLAN, Geneve, GRE and ERSPAN (decap.c reads their
 * headers).
 *
 * Every read goes through lib/input/extract.h against data+caplen. Two outcomes
 * besides PKT_OK, as in tcpdump: PKT_TRUNCATED when the capture ends inside
 * a header (the snaplen), PKT_INVALID when a header contradicts itself or
 * the frame (bad version, IHL < 5, total length shorter than the header,
 * TCP data offset < 5, ...). Decoding stops at the first of either; what
 * was decoded before stays filled in and flagged in out->layers.
 *
 * Choices a caller may rely on:
 * - Linux cooked captures (SLL, SLL2) carry only the sender's link
 *   address: mac_src is set (with PKT_L_MAC) when its length is 6, and
 *   mac_dst stays zero. PKT_L_MAC therefore means "mac_src valid", plus
 *   mac_dst only when dlt is Ethernet.
 * - ethertype is the innermost one after VLAN tags; for NULL/LOOP and raw
 *   IP it is set from the address family or IP version (0x0800/0x86dd) so
 *   consumers see one vocabulary; 0 for 802.3 length frames and unknown
 *   address families.
 * - A VLAN stack deeper than PKT_VLAN_MAX is PKT_INVALID: vlan_depth is
 *   PKT_VLAN_MAX and ethertype the TPID of the tag not followed.
 * - IP bytes are clamped to the IP length, so Ethernet padding is never
 *   payload. l4_payload_len comes from the IP lengths (the wire): for a
 *   first fragment it covers this fragment only; for IP packets whose
 *   transport is not decoded (other protocols, non-first fragments) it is
 *   the IP payload and 'payload' points to it.
 * - If the caller set out->wire_len before the call (srcset does), it is
 *   used twice: an IP length larger than the frame on the wire is
 *   PKT_INVALID, and an IPv4 total length or IPv6 payload length of 0
 *   (TSO/GSO super-packets, jumbograms; tcpdump guesses the same way) is
 *   taken from the wire length. With wire_len 0 neither happens.
 * - ARP/RARP: arp_* and PKT_L_ARP only for the Ethernet/IPv4 form
 *   (htype 1, ptype 0x0800, hlen 6, plen 4); htype 1 + ptype 0x0800 with
 *   other lengths is PKT_INVALID; other hardware types are PKT_OK, not
 *   decoded.
 * - ICMP: every message has an 8-byte header (RFC 792); ICMPv6 a 4-byte
 *   one (RFC 4443 2.1), 8 for echo. 'payload' starts after it.
 * - Tunnels: a UDP datagram to a VXLAN or Geneve port, or a GRE packet
 *   carrying Ethernet, IPv4, IPv6 or ERSPAN, is opened and the frame
 *   inside decoded from scratch, exactly as a bare one (the outer
 *   headers' fields are dropped, their addresses kept in out->outer,
 *   PKT_L_ENCAP set). Its IP lengths are checked against the outer
 *   frame's wire length less the outer headers, as a bare frame's
 *   against its own. A tunnel header that is cut or malformed, or a
 *   tunnel nested deeper than PKT_TUNNEL_MAX, stops decoding with
 *   PKT_L_TUNNEL_BAD and the outer datagram's fields. GRE carrying
 *   another protocol, and Geneve or ERSPAN carrying something other
 *   than Ethernet or IP, are left as the outer datagram's payload.
 */
#include "config.h"

#include <pcap/pcap.h>

#include "input/decap.h"
#include "input/extract.h"
#include "input/pkt.h"

/*
 * Link types as pcap_datalink() reports them on Linux (pcap/dlt.h).
 * Written as numbers because pcap/dlt.h gives DLT_RAW and DLT_LOOP
 * different values on OpenBSD, and a file may carry LINKTYPE_RAW (101).
 */
enum {
	LT_NULL = 0,		/* BSD loopback, AF in the writer's byte order */
	LT_EN10MB = 1,
	LT_RAW = 12,		/* DLT_RAW on most systems */
	LT_RAW14 = 14,		/* DLT_RAW on BSD/OS, OpenBSD */
	LT_LINKTYPE_RAW = 101,	/* LINKTYPE_RAW in files */
	LT_LOOP = 108,		/* OpenBSD loopback, AF in network byte order */
	LT_LINUX_SLL = 113,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_LINUX_SLL2 = 276,
};

/* Address families in NULL/LOOP headers (tcpdump's print-null.c). */
#define BSD_AF_INET		2
#define BSD_AF_INET6_BSD	24	/* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD	28	/* FreeBSD, DragonFly */
#define BSD_AF_INET6_DARWIN	30	/* macOS */

#define ETHERTYPE_QINQ_OLD	0x9100	/* pre-802.1ad stacked tags */
#define ETHER_HDRLEN		14
#define SLL_HDRLEN		16
#define SLL2_HDRLEN		20
#define ARPHRD_NETLINK		824	/* SLL protocol field is not an ethertype */

#define IPV6_HDRLEN		40
#define IPV6_EXT_MAX		8	/* extension headers followed at most */
#define IPPROTO_HOPOPTS_	0
#define IPPROTO_ROUTING_	43
#define IPPROTO_FRAGMENT_	44
#define IPPROTO_DSTOPTS_	60

#define ICMP_ECHOREPLY_		0
#define ICMP_ECHO_		8
#define ICMP6_ECHO_REQUEST_	128
#define ICMP6_ECHO_REPLY_	129

static int decode_ethertype(struct bytes *, uint16_t, struct pkt *);
static int decode_en10mb(struct bytes *, struct pkt *);
static int decode_inner(struct bytes *, const struct decap *, int,
    struct pkt *);

int
pkt_dlt_supported(int dlt)
{
	switch (dlt) {
	case LT_NULL:
	case LT_EN10MB:
	case LT_RAW:
	case LT_RAW14:
	case LT_LINKTYPE_RAW:
	case LT_LOOP:
	case LT_LINUX_SLL:
	case LT_IPV4:
	case LT_IPV6:
	case LT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

const char *
pkt_dlt_name(int dlt)
{
	const char *name;

	switch (dlt) {
	case LT_NULL:
		return "NULL";
	case LT_EN10MB:
		return "EN10MB";
	case LT_RAW:
	case LT_RAW14:
	case LT_LINKTYPE_RAW:
		return "RAW";
	case LT_LOOP:
		return "LOOP";
	case LT_LINUX_SLL:
		return "LINUX_SLL";
	case LT_IPV4:
		return "IPV4";
	case LT_IPV6:
		return "IPV6";
	case LT_LINUX_SLL2:
		return "LINUX_SLL2";
	default:
		name = pcap_datalink_val_to_name(dlt);
		return name != NULL ? name : "unknown";
	}
}

/*
 * Clearing the record before a frame is decoded into it, field by field:
 * memset() or a compound literal of the 176 bytes (before 'outer' was
 * added) compiles to "rep stos", which cost 10 of 26 ns per
 * Ethernet/IPv4/TCP frame here; these stores merge into a few wide
 * ones. Everything but the caller's fields (and cap_len, dlt) in two
 * parts: what the fast path for the common frame does not set
 * (clear_rest) and what it does (clear_common). A field added to struct
 * pkt must be cleared in one of them (check_pkt's en10mb_ipv4_tcp and
 * clears_every_field start from garbage and would see it). 'outer' is
 * valid only with PKT_L_ENCAP: not cleared.
 */
static inline void
clear_rest(struct pkt *out)
{
	static const struct mt_mac zmac;
	static const struct mt_addr zaddr;

	out->layers = 0;
	out->status = 0;
	out->vlan_depth = 0;
	out->arp_op = 0;
	out->arp_sha = zmac;
	out->arp_tha = zmac;
	out->arp_spa = zaddr;
	out->arp_tpa = zaddr;
	out->ip_src = zaddr;
	out->ip_dst = zaddr;
	out->icmp_type = out->icmp_code = out->echo = 0;
	out->icmp_id = out->icmp_seq = 0;
}

static inline void
clear_common(struct pkt *out)
{
	static const struct mt_mac zmac;

	out->mac_src = zmac;
	out->mac_dst = zmac;
	out->ethertype = 0;
	out->ip_proto = 0;
	out->ip_id = 0;
	out->ip_len = 0;
	out->sport = out->dport = 0;
	out->tcp_seq = out->tcp_ack = 0;
	out->tcp_win = 0;
	out->tcp_flags = 0;
	out->l4_payload_len = out->payload_caplen = 0;
	out->payload = NULL;
}

/* The whole record (pkt_decode, and the frame inside a tunnel). */
static inline void
clear_record(struct pkt *out)
{
	clear_rest(out);
	clear_common(out);
}

/*
 * Bytes of the frame before the cursor: the link and network headers
 * already consumed. cap_len is set before any layer runs.
 */
static uint32_t
frame_offset(const struct bytes *b, const struct pkt *out)
{
	return out->cap_len - (uint32_t)bytes_left(b);
}

/* Drop bytes past the end of the IP datagram (Ethernet padding). */
static void
clamp(struct bytes *b, uint32_t len)
{
	if (bytes_left(b) > len)
		b->end = b->p + len;
}

/* Everything left in the (clamped) window is payload. */
static int
set_payload(const struct bytes *b, uint32_t wire_len, struct pkt *out)
{
	out->l4_payload_len = wire_len;
	out->payload_caplen = (uint32_t)bytes_left(b);
	out->payload = out->payload_caplen > 0 ? b->p : NULL;
	return PKT_OK;
}

/* TCP (RFC 9293 3.1); len = IP payload bytes on the wire. */
static int
decode_tcp(struct bytes *b, uint32_t len, struct pkt *out)
{
	uint8_t off, flags;
	uint32_t hl;

	if (len < 20)
		return PKT_INVALID;
	if (!bytes_have(b, 0, 20))
		return PKT_TRUNCATED;
	(void)get_u8(b, 12, &off);
	hl = (uint32_t)(off >> 4) * 4;
	if (hl < 20 || hl > len)
		return PKT_INVALID;
	(void)get_be16(b, 0, &out->sport);
	(void)get_be16(b, 2, &out->dport);
	(void)get_be32(b, 4, &out->tcp_seq);
	(void)get_be32(b, 8, &out->tcp_ack);
	(void)get_u8(b, 13, &flags);
	(void)get_be16(b, 14, &out->tcp_win);
	out->tcp_flags = flags;
	out->l4_payload_len = len - hl;
	out->layers |= PKT_L_TCP;
	if (bytes_skip(b, hl) < 0)
		return PKT_TRUNCATED;	/* options cut: fields above are valid */
	return set_payload(b, len - hl, out);
}

/* UDP (RFC 768). */
static int
decode_udp(struct bytes *b, uint32_t len, struct pkt *out)
{
	struct decap d;
	int kind, st;

	if (len < 8)
		return PKT_INVALID;
	if (!bytes_have(b, 0, 8))
		return PKT_TRUNCATED;
	(void)get_be16(b, 0, &out->sport);
	(void)get_be16(b, 2, &out->dport);
	out->l4_payload_len = len - 8;
	out->layers |= PKT_L_UDP;
	if (__builtin_expect((kind = decap_udp_kind(out->dport)) != 0, 0) &&
	    (st = decap_udp(b, len, kind, &d)) != DECAP_NOT)
		return decode_inner(b, &d, st, out);
	(void)bytes_skip(b, 8);
	return set_payload(b, len - 8, out);
}

/* GRE (RFC 2784), and what decap_gre() opens in it. */
static int
decode_gre(struct bytes *b, uint32_t len, struct pkt *out)
{
	struct decap d;
	int st = decap_gre(b, len, &d);

	if (st == DECAP_NOT)
		return set_payload(b, len, out);
	return decode_inner(b, &d, st, out);
}

/*
 * ICMP (RFC 792) and ICMPv6 (RFC 4443): type and code, and for echo
 * request/reply the identifier and sequence number.
 */
static int
decode_icmp(struct bytes *b, uint32_t len, int v6, struct pkt *out)
{
	uint8_t type, code;
	uint32_t hl;
	int echo;

	if (len < (v6 ? 4u : 8u))
		return PKT_INVALID;
	if (get_u8(b, 0, &type) < 0 || get_u8(b, 1, &code) < 0)
		return PKT_TRUNCATED;
	out->icmp_type = type;
	out->icmp_code = code;
	out->layers |= PKT_L_ICMP;
	if (v6)
		echo = type == ICMP6_ECHO_REQUEST_ ? PKT_ECHO_REQUEST :
		    type == ICMP6_ECHO_REPLY_ ? PKT_ECHO_REPLY : PKT_ECHO_NONE;
	else
		echo = type == ICMP_ECHO_ ? PKT_ECHO_REQUEST :
		    type == ICMP_ECHOREPLY_ ? PKT_ECHO_REPLY : PKT_ECHO_NONE;
	hl = (v6 && echo == PKT_ECHO_NONE) ? 4 : 8;
	if (len < hl)
		return PKT_INVALID;	/* ICMPv6 echo shorter than 8 */
	out->l4_payload_len = len - hl;
	if (!bytes_have(b, 0, hl))
		return PKT_TRUNCATED;
	if (echo != PKT_ECHO_NONE) {
		(void)get_be16(b, 4, &out->icmp_id);
		(void)get_be16(b, 6, &out->icmp_seq);
		out->echo = (uint8_t)echo;
		out->layers |= PKT_L_ECHO;
	}
	(void)bytes_skip(b, hl);
	return set_payload(b, len - hl, out);
}

/* Transport, after the IP headers; len = bytes of it on the wire.
 * Inline in both IP versions: a call less for every frame. */
static inline __attribute__((always_inline)) int
decode_l4(struct bytes *b, uint8_t proto, uint32_t len, int v6,
    struct pkt *out)
{
	switch (proto) {
	case PKT_IPPROTO_TCP:
		return decode_tcp(b, len, out);
	case PKT_IPPROTO_UDP:
		return decode_udp(b, len, out);
	case PKT_IPPROTO_GRE:
		return decode_gre(b, len, out);
	case PKT_IPPROTO_ICMP:
		if (!v6)
			return decode_icmp(b, len, 0, out);
		break;
	case PKT_IPPROTO_ICMPV6:
		if (v6)
			return decode_icmp(b, len, 1, out);
		break;
	default:
		break;
	}
	return set_payload(b, len, out);
}

/*
 * An IP length of 0 (TSO/GSO super-packet, jumbogram) means "ask the
 * wire"; a length beyond the frame on the wire is a lie. 'hdr' is the
 * part of the IP datagram 'len' does not count (IPv6: 40, IPv4: 0).
 * Return the datagram length to use, or -1 if invalid.
 */
static int64_t
wire_check(const struct bytes *b, uint32_t len, uint32_t hdr,
    const struct pkt *out)
{
	uint32_t off, room;

	if (out->wire_len == 0)
		return len;
	off = frame_offset(b, out);
	if (out->wire_len < off + hdr)
		return -1;
	room = out->wire_len - off - hdr;
	if (len == 0)
		return room;
	return len > room ? -1 : (int64_t)len;
}

/* IPv4 (RFC 791 3.1). */
static int
decode_ipv4(struct bytes *b, struct pkt *out)
{
	uint8_t vhl, proto;
	uint16_t tot16, id, frag;
	uint32_t hl, tot;
	int64_t t;

	if (get_u8(b, 0, &vhl) < 0)
		return PKT_TRUNCATED;
	if (vhl >> 4 != 4)
		return PKT_INVALID;
	hl = (uint32_t)(vhl & 0x0f) * 4;
	if (hl < 20)
		return PKT_INVALID;
	if (!bytes_have(b, 0, 20))
		return PKT_TRUNCATED;
	(void)get_be16(b, 2, &tot16);
	(void)get_be16(b, 4, &id);
	(void)get_be16(b, 6, &frag);
	(void)get_u8(b, 9, &proto);
	if ((t = wire_check(b, tot16, 0, out)) < 0)
		return PKT_INVALID;
	tot = (uint32_t)t;
	if (tot < hl)
		return PKT_INVALID;
	out->ip_src.family = out->ip_dst.family = 4;
	(void)get_bytes(b, 12, out->ip_src.a, 4);
	(void)get_bytes(b, 16, out->ip_dst.a, 4);
	out->ip_proto = proto;
	out->ip_id = id;
	out->ip_len = tot;
	out->layers |= PKT_L_IP;
	if (bytes_skip(b, hl) < 0)
		return PKT_TRUNCATED;	/* options cut */
	clamp(b, tot - hl);
	if ((frag & 0x1fff) != 0)	/* not the first fragment: no L4 header */
		return set_payload(b, tot - hl, out);
	return decode_l4(b, proto, tot - hl, 0, out);
}

/* IPv6 (RFC 8200 3, 4): fixed header, then extension headers. */
static int
decode_ipv6(struct bytes *b, struct pkt *out)
{
	uint8_t v, nh, len8;
	uint16_t plen16, fragoff;
	uint32_t plen, hl;
	int64_t t;

	if (get_u8(b, 0, &v) < 0)
		return PKT_TRUNCATED;
	if (v >> 4 != 6)
		return PKT_INVALID;
	if (!bytes_have(b, 0, IPV6_HDRLEN))
		return PKT_TRUNCATED;
	(void)get_be16(b, 4, &plen16);
	(void)get_u8(b, 6, &nh);
	if ((t = wire_check(b, plen16, IPV6_HDRLEN, out)) < 0)
		return PKT_INVALID;
	plen = (uint32_t)t;
	out->ip_src.family = out->ip_dst.family = 6;
	(void)get_bytes(b, 8, out->ip_src.a, 16);
	(void)get_bytes(b, 24, out->ip_dst.a, 16);
	out->ip_proto = nh;
	out->ip_len = IPV6_HDRLEN + plen;
	out->layers |= PKT_L_IP;
	(void)bytes_skip(b, IPV6_HDRLEN);
	clamp(b, plen);

	for (int i = 0;; i++) {
		switch (nh) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_FRAGMENT_:
			break;
		default:
			return decode_l4(b, nh, plen, 1, out);
		}
		if (i == IPV6_EXT_MAX)
			return PKT_INVALID;	/* bounded: not followed further */
		if (plen < 8)
			return PKT_INVALID;
		if (get_u8(b, 0, &v) < 0 || get_u8(b, 1, &len8) < 0)
			return PKT_TRUNCATED;
		/* Fragment header: fixed 8 bytes, its second byte reserved. */
		hl = nh == IPPROTO_FRAGMENT_ ? 8 : ((uint32_t)len8 + 1) * 8;
		if (hl > plen)
			return PKT_INVALID;
		if (nh == IPPROTO_FRAGMENT_) {
			if (get_be16(b, 2, &fragoff) < 0 ||
			    !bytes_have(b, 0, 8))
				return PKT_TRUNCATED;
			if ((fragoff & 0xfff8) != 0) {
				/* not the first fragment: no L4 header */
				out->ip_proto = v;
				(void)bytes_skip(b, 8);
				return set_payload(b, plen - 8, out);
			}
		}
		if (bytes_skip(b, hl) < 0)
			return PKT_TRUNCATED;
		plen -= hl;
		nh = v;
		out->ip_proto = nh;
	}
}

/* ARP (RFC 826) and RARP (RFC 903), Ethernet/IPv4 form. */
static int
decode_arp(struct bytes *b, struct pkt *out)
{
	uint16_t htype, ptype, op;
	uint8_t hlen, plen;

	if (!bytes_have(b, 0, 8))
		return PKT_TRUNCATED;
	(void)get_be16(b, 0, &htype);
	(void)get_be16(b, 2, &ptype);
	(void)get_u8(b, 4, &hlen);
	(void)get_u8(b, 5, &plen);
	(void)get_be16(b, 6, &op);
	if (htype != 1 || ptype != ETHERTYPE_IPV4)
		return PKT_OK;		/* another hardware/protocol: not ours */
	if (hlen != 6 || plen != 4)
		return PKT_INVALID;
	if (!bytes_have(b, 0, 28))
		return PKT_TRUNCATED;
	out->arp_op = op;
	(void)get_bytes(b, 8, out->arp_sha.a, 6);
	out->arp_spa.family = 4;
	(void)get_bytes(b, 14, out->arp_spa.a, 4);
	(void)get_bytes(b, 18, out->arp_tha.a, 6);
	out->arp_tpa.family = 4;
	(void)get_bytes(b, 24, out->arp_tpa.a, 4);
	out->layers |= PKT_L_ARP;
	return PKT_OK;
}

/* VLAN tags (IEEE 802.1Q, 802.1ad), then the network layer. */
static int
decode_ethertype(struct bytes *b, uint16_t type, struct pkt *out)
{
	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == ETHERTYPE_QINQ_OLD) {
		out->ethertype = type;
		if (out->vlan_depth == PKT_VLAN_MAX)
			return PKT_INVALID;
		/* Tag: TCI (2), then the next ethertype (2). */
		if (get_be16(b, 2, &type) < 0)
			return PKT_TRUNCATED;
		(void)bytes_skip(b, 4);
		out->vlan_depth++;
	}
	out->ethertype = type;
	switch (type) {
	case ETHERTYPE_IPV4:
		return decode_ipv4(b, out);
	case ETHERTYPE_IPV6:
		return decode_ipv6(b, out);
	case ETHERTYPE_ARP:
	case ETHERTYPE_RARP:
		return decode_arp(b, out);
	default:
		return PKT_OK;
	}
}

/* pkt_decode_general(): this thread decodes without the fast path. */
static _Thread_local int general_only;

/* Network-order loads for the fast paths, whose one bounds check came
 * first: a load and a byte swap each. */
static inline uint16_t
be16_at(const uint8_t *q)
{
	uint16_t v;

	memcpy(&v, q, 2);
	return __builtin_bswap16(v);
}

static inline uint32_t
be32_at(const uint8_t *q)
{
	uint32_t v;

	memcpy(&v, q, 4);
	return __builtin_bswap32(v);
}

/*
 * The common frame in one bounds check: Ethernet without a tag, IPv4
 * without options, not a later fragment, TCP, every header captured and
 * every length consistent (an IP length of 0 is not: the general path
 * takes it from the wire). It sets what the general path sets from
 * decode_en10mb() on (check_pkt decodes many frames, most of them
 * damaged, both ways and compares). 1 when done, 0 when the frame is
 * not that one (nothing is written then).
 */
static inline __attribute__((always_inline)) int
fast_ether_ipv4_tcp(struct bytes *b, struct pkt *out, int clear)
{
	const uint8_t *q = b->p;
	size_t left = bytes_left(b);
	uint32_t tot, thl, ipend;

	if (left < 14 + 20 + 20 || be16_at(q + 12) != ETHERTYPE_IPV4 ||
	    q[14] != 0x45 || q[23] != PKT_IPPROTO_TCP ||
	    (be16_at(q + 20) & 0x1fff) != 0)
		return 0;
	tot = be16_at(q + 16);
	if (tot < 20 + 20)
		return 0;
	if (out->wire_len != 0) {
		/* wire_check(): the IP datagram within the frame's wire
		 * length, from the IP header's offset in the frame. */
		uint32_t off = out->cap_len - (uint32_t)(left - 14);

		if (out->wire_len < off || tot > out->wire_len - off)
			return 0;
	}
	thl = (uint32_t)(q[14 + 20 + 12] >> 4) * 4;
	if (thl < 20 || thl > tot - 20 || left < 14 + 20 + (size_t)thl)
		return 0;
	if (clear)
		clear_rest(out);	/* the rest is set below */
	memcpy(out->mac_dst.a, q, 6);
	memcpy(out->mac_src.a, q + 6, 6);
	out->ethertype = ETHERTYPE_IPV4;
	out->ip_src.family = out->ip_dst.family = 4;
	memcpy(out->ip_src.a, q + 26, 4);
	memcpy(out->ip_dst.a, q + 30, 4);
	out->ip_proto = PKT_IPPROTO_TCP;
	out->ip_id = be16_at(q + 18);
	out->ip_len = tot;
	out->sport = be16_at(q + 34);
	out->dport = be16_at(q + 36);
	out->tcp_seq = be32_at(q + 38);
	out->tcp_ack = be32_at(q + 42);
	out->tcp_flags = q[47];
	out->tcp_win = be16_at(q + 48);
	out->layers |= PKT_L_MAC | PKT_L_LINK | PKT_L_IP | PKT_L_TCP;
	/* The payload: what was captured of it, up to the IP length's end
	 * (clamp()). */
	ipend = 14 + tot;
	if (left > ipend)
		left = ipend;
	b->p = q + 14 + 20 + thl;
	b->end = q + left;
	return set_payload(b, tot - 20 - thl, out) == PKT_OK;
}

/*
 * The common tunnel the same way: Ethernet without a tag, IPv4 without
 * options, not a later fragment, UDP to a VXLAN port, the UDP length
 * and VXLAN's I flag right; then what decode_inner() does, whose
 * clear_record() would undo every field the outer headers set: the
 * outer addresses and the VNI, and the frame inside decoded (by the
 * fast path again, if it is the common frame). For pkt_decode() only
 * (out not cleared yet; a tunnel inside a tunnel goes the general way,
 * which counts the depth). 1 with *st, or 0 (and nothing written) when
 * the frame is not that one.
 */
static inline int
fast_ether_ipv4_vxlan(struct bytes *b, struct pkt *out, int *st)
{
	const uint8_t *q = b->p;
	size_t left = bytes_left(b);
	uint32_t tot, ulen;
	struct bytes t;
	int fast;

	if (left < 14 + 20 + 8 + 8 || be16_at(q + 12) != ETHERTYPE_IPV4 ||
	    q[14] != 0x45 || q[23] != PKT_IPPROTO_UDP ||
	    (be16_at(q + 20) & 0x1fff) != 0 ||
	    decap_udp_kind(be16_at(q + 36)) != PKT_ENCAP_VXLAN)
		return 0;
	tot = be16_at(q + 16);
	if (tot < 20 + 8 + 8)
		return 0;
	if (out->wire_len != 0) {
		uint32_t off = out->cap_len - (uint32_t)(left - 14);

		if (out->wire_len < off || tot > out->wire_len - off)
			return 0;
	}
	ulen = be16_at(q + 38);
	if (ulen < 8 + 8 || ulen > tot - 20 || !(q[42] & 0x08))
		return 0;
	/* What is left: clamped to the UDP length (within the IP length,
	 * as checked). */
	if (left > 34 + (size_t)ulen)
		left = 34 + ulen;
	t.p = q + 50;
	t.end = q + left;
	/* The frame inside: the common one (cleared with it), or cleared
	 * and, once the outer fields are set, decoded the general way. */
	fast = fast_ether_ipv4_tcp(&t, out, 1);
	if (!fast)
		clear_record(out);
	out->layers |= PKT_L_ENCAP | PKT_L_VNI;
	memset(&out->outer.src, 0, sizeof(out->outer.src));
	memset(&out->outer.dst, 0, sizeof(out->outer.dst));
	out->outer.src.family = out->outer.dst.family = 4;
	memcpy(out->outer.src.a, q + 26, 4);
	memcpy(out->outer.dst.a, q + 30, 4);
	out->outer.kind = PKT_ENCAP_VXLAN;
	out->outer.depth = 1;
	out->outer.vni = be32_at(q + 46) >> 8;
	*st = fast ? PKT_OK : decode_en10mb(&t, out);
	return 1;
}

static int
decode_en10mb(struct bytes *b, struct pkt *out)
{
	uint16_t type;

	if (__builtin_expect(!general_only, 1) && fast_ether_ipv4_tcp(b, out, 0))
		return PKT_OK;

	if (!bytes_have(b, 0, 12))
		return PKT_TRUNCATED;
	(void)get_bytes(b, 0, out->mac_dst.a, 6);
	(void)get_bytes(b, 6, out->mac_src.a, 6);
	out->layers |= PKT_L_MAC;
	if (get_be16(b, 12, &type) < 0)
		return PKT_TRUNCATED;
	out->layers |= PKT_L_LINK;
	(void)bytes_skip(b, ETHER_HDRLEN);
	if (type <= 1500)
		return PKT_OK;		/* 802.3 length field, LLC: not decoded */
	return decode_ethertype(b, type, out);
}

/*
 * Linux cooked v1 (16 bytes: packet type, ARPHRD type, address length,
 * 8 address bytes, protocol) and v2 (20 bytes: protocol, reserved,
 * ifindex, ARPHRD type, packet type, address length, 8 address bytes),
 * libpcap's pcap/sll.h.
 */
static int
decode_sll(struct bytes *b, int v2, struct pkt *out)
{
	uint16_t hatype, halen, proto;
	uint8_t halen8;
	size_t hdrlen = v2 ? SLL2_HDRLEN : SLL_HDRLEN;
	size_t addr = v2 ? 12 : 6;

	if (!bytes_have(b, 0, hdrlen))
		return PKT_TRUNCATED;
	if (v2) {
		(void)get_be16(b, 0, &proto);
		(void)get_be16(b, 8, &hatype);
		(void)get_u8(b, 11, &halen8);
		halen = halen8;
	} else {
		(void)get_be16(b, 2, &hatype);
		(void)get_be16(b, 4, &halen);
		(void)get_be16(b, 14, &proto);
	}
	out->layers |= PKT_L_LINK;
	if (halen == 6) {
		(void)get_bytes(b, addr, out->mac_src.a, 6);
		out->layers |= PKT_L_MAC;
	}
	(void)bytes_skip(b, hdrlen);
	if (hatype == ARPHRD_NETLINK)
		return PKT_OK;
	return decode_ethertype(b, proto, out);
}

/* BSD loopback: a 4-byte address family. */
static int
decode_null(struct bytes *b, int loop, struct pkt *out)
{
	uint32_t af;

	if (loop) {
		if (get_be32(b, 0, &af) < 0)
			return PKT_TRUNCATED;
	} else {
		/*
		 * Host byte order of the machine that wrote it: read it
		 * little-endian; a value above 16 bits means big-endian
		 * (tcpdump's print-null.c does the same).
		 */
		if (get_le32(b, 0, &af) < 0)
			return PKT_TRUNCATED;
		if ((af & 0xffff0000u) != 0)
			(void)get_be32(b, 0, &af);
	}
	out->layers |= PKT_L_LINK;
	(void)bytes_skip(b, 4);
	switch (af) {
	case BSD_AF_INET:
		out->ethertype = ETHERTYPE_IPV4;
		return decode_ipv4(b, out);
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		out->ethertype = ETHERTYPE_IPV6;
		return decode_ipv6(b, out);
	default:
		return PKT_OK;
	}
}

/* Raw IP: the version nibble says which (DLT_IPV4/IPV6 fix it). */
static int
decode_raw(struct bytes *b, int want, struct pkt *out)
{
	uint8_t v;

	if (get_u8(b, 0, &v) < 0)
		return PKT_TRUNCATED;
	out->layers |= PKT_L_LINK;
	v >>= 4;
	if (want != 0 && v != want)
		return PKT_INVALID;
	if (v == 4) {
		out->ethertype = ETHERTYPE_IPV4;
		return decode_ipv4(b, out);
	}
	if (v == 6) {
		out->ethertype = ETHERTYPE_IPV6;
		return decode_ipv6(b, out);
	}
	return PKT_INVALID;
}

/*
 * The frame inside a tunnel whose header decap.c read (st its outcome):
 * decoded from scratch as a bare frame of its kind, the outer addresses
 * kept in out->outer. Out of line: it closes the only cycle of the
 * decoder's calls (a tunnel holds a frame), so the layers of a bare
 * frame can be inlined into one another.
 */
static __attribute__((noinline)) int
decode_inner(struct bytes *b, const struct decap *d, int st, struct pkt *out)
{
	struct mt_addr src = out->ip_src, dst = out->ip_dst;
	int depth = (out->layers & PKT_L_ENCAP) ? out->outer.depth : 0;

	if (st == PKT_OK && depth == PKT_TUNNEL_MAX)
		st = PKT_INVALID;	/* bounded: not followed further */
	if (st != PKT_OK) {
		out->layers |= PKT_L_TUNNEL_BAD;
		return st;
	}
	clear_record(out);
	out->layers = PKT_L_ENCAP | (d->has_key ? PKT_L_VNI : 0);
	out->outer.src = src;
	out->outer.dst = dst;
	out->outer.kind = d->kind;
	out->outer.depth = (uint8_t)(depth + 1);
	out->outer.vni = d->has_key ? d->key : 0;
	if (d->next == DECAP_ETHER)
		return decode_en10mb(b, out);
	/* IP straight in GRE or Geneve: as raw IP, no link addresses. */
	out->layers |= PKT_L_LINK;
	return decode_ethertype(b, d->next, out);
}

const char *
pkt_encap_name(int kind)
{
	switch (kind) {
	case PKT_ENCAP_VXLAN:
		return "vxlan";
	case PKT_ENCAP_GENEVE:
		return "geneve";
	case PKT_ENCAP_GRE:
		return "gre";
	case PKT_ENCAP_ERSPAN:
		return "erspan";
	default:
		return NULL;
	}
}

int
pkt_decode_general(int dlt, const uint8_t *data, uint32_t caplen,
    struct pkt *out)
{
	int st;

	general_only = 1;
	st = pkt_decode(dlt, data, caplen, out);
	general_only = 0;
	return st;
}

int
pkt_decode(int dlt, const uint8_t *data, uint32_t caplen, struct pkt *out)
{
	static const uint8_t none[1];
	struct bytes b;
	int st;

	if (data == NULL) {
		data = none;
		caplen = 0;
	}
	out->cap_len = caplen;
	out->dlt = dlt;
	b.p = data;
	b.end = data + caplen;
	/* The common frame and tunnel: cleared and decoded at once. */
	if (dlt == LT_EN10MB && __builtin_expect(!general_only, 1)) {
		if (fast_ether_ipv4_tcp(&b, out, 1))
			return PKT_OK;
		if (fast_ether_ipv4_vxlan(&b, out, &st)) {
			out->status = (uint8_t)st;
			return st;
		}
	}
	clear_record(out);

	switch (dlt) {
	case LT_EN10MB:
		st = decode_en10mb(&b, out);
		break;
	case LT_LINUX_SLL:
		st = decode_sll(&b, 0, out);
		break;
	case LT_LINUX_SLL2:
		st = decode_sll(&b, 1, out);
		break;
	case LT_RAW:
	case LT_RAW14:
	case LT_LINKTYPE_RAW:
		st = decode_raw(&b, 0, out);
		break;
	case LT_IPV4:
		st = decode_raw(&b, 4, out);
		break;
	case LT_IPV6:
		st = decode_raw(&b, 6, out);
		break;
	case LT_NULL:
		st = decode_null(&b, 0, out);
		break;
	case LT_LOOP:
		st = decode_null(&b, 1, out);
		break;
	default:
		st = PKT_INVALID;	/* callers check pkt_dlt_supported() */
		break;
	}
	out->status = (uint8_t)st;
	return st;
}
