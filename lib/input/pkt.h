/*
 * pkt.h: decode one captured frame into a flat record (link layer, VLAN,
 * ARP/RARP, IPv4/IPv6, TCP, UDP, ICMP/ICMPv6 echo), through the
 * tunnels of lib/input/decap.h (VXLAN, Geneve, GRE, ERSPAN).
 *
 * Link types: DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW (and
 * LINKTYPE_RAW 101, DLT 12/14; DLT_IPV4/IPV6 228/229 too), DLT_NULL /
 * DLT_LOOP (docs/captures.md). Choices for odd cases: top of pkt.c.
 * Byte counts come from the wire: pcap's len and the IP length fields,
 * never the captured length, because captures are headers-only.
 */
#ifndef MT_PKT_H
#define MT_PKT_H

#include "base/mt.h"

/* Ethertypes and protocol numbers the decoder knows. */
#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_RARP	0x8035	/* QEMU's self-announce (docs/wire-formats.md) */
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_QINQ	0x88a8
#define ETHERTYPE_IPV6	0x86dd

#define PKT_IPPROTO_TCP		6
#define PKT_IPPROTO_UDP		17
#define PKT_IPPROTO_ICMP	1
#define PKT_IPPROTO_ICMPV6	58
#define PKT_IPPROTO_GRE		47

#define PKT_VLAN_MAX	8	/* deeper stacks are marked bad, not followed */

/* TCP flags */
#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10

/* What the decoder reached, as bits in pkt.layers. */
enum {
	PKT_L_LINK = 1 << 0,	/* link header decoded; mac_* valid if PKT_L_MAC */
	PKT_L_MAC = 1 << 1,	/* mac_src (and mac_dst for Ethernet) valid */
	PKT_L_ARP = 1 << 2,	/* ARP or RARP: arp_* valid */
	PKT_L_IP = 1 << 3,	/* IPv4 or IPv6: ip_* valid */
	PKT_L_TCP = 1 << 4,
	PKT_L_UDP = 1 << 5,
	PKT_L_ICMP = 1 << 6,	/* ICMP or ICMPv6 type/code valid */
	PKT_L_ECHO = 1 << 7,	/* echo request or reply: icmp_id/seq valid */
	/* Tunnels (decap.h): */
	PKT_L_ENCAP = 1 << 8,	/* the frame came out of a tunnel: 'outer'
				 * valid, every other field is the inner
				 * frame's, decoded as if captured bare */
	PKT_L_VNI = 1 << 9,	/* outer.vni valid (VNI, GRE key, session) */
	PKT_L_TUNNEL_BAD = 1 << 10,	/* a tunnel header was cut or
				 * malformed, or tunnels nested deeper than
				 * PKT_TUNNEL_MAX: status says which; the
				 * fields are the datagram that holds it */
};

/* Tunnel kinds in pkt.outer.kind. */
enum pkt_encap {
	PKT_ENCAP_NONE = 0,
	PKT_ENCAP_VXLAN = 1,	/* RFC 7348, UDP 4789, 8472 (pkt_vxlan_port) */
	PKT_ENCAP_GENEVE = 2,	/* RFC 8926, UDP 6081 */
	PKT_ENCAP_GRE = 3,	/* RFC 2784/2890 */
	PKT_ENCAP_ERSPAN = 4,	/* type I, II, III in GRE */
};

#define PKT_TUNNEL_MAX	3	/* tunnels opened at most inside one frame */

/* Why decoding stopped early, in pkt.status. */
enum pkt_status {
	PKT_OK = 0,		/* every header present was decoded */
	PKT_TRUNCATED = 1,	/* the capture cut a header short (snaplen) */
	PKT_INVALID = 2,	/* a header is malformed (bad version, length lies, ...) */
};

/* Echo kinds in pkt.echo. */
enum { PKT_ECHO_NONE = 0, PKT_ECHO_REQUEST = 1, PKT_ECHO_REPLY = 2 };

/*
 * One decoded frame. Plain data, no pointers into the capture buffer
 * except 'payload', which is valid only until the next read from the
 * same source.
 */
struct pkt {
	mt_ns ts;		/* capture timestamp, ns since the epoch */
	uint32_t wire_len;	/* frame length on the wire (pcap len) */
	uint32_t cap_len;	/* bytes captured */
	int src;		/* index of the capture it came from */
	int dlt;		/* its link type */

	uint16_t layers;	/* PKT_L_* bits */
	uint8_t status;		/* enum pkt_status */
	uint8_t vlan_depth;

	struct mt_mac mac_src, mac_dst;
	uint16_t ethertype;	/* innermost, after VLAN tags */

	/* IP */
	struct mt_addr ip_src, ip_dst;
	uint8_t ip_proto;	/* after IPv6 extension headers */
	uint16_t ip_id;		/* IPv4 identification; 0 for IPv6 */
	uint32_t ip_len;	/* IP total length on the wire (header + payload) */

	/* TCP / UDP */
	uint16_t sport, dport;
	uint32_t tcp_seq, tcp_ack;
	uint16_t tcp_win;	/* raw window field (unscaled) */
	uint8_t tcp_flags;
	uint32_t l4_payload_len;	/* payload bytes on the wire, from IP lengths */
	uint32_t payload_caplen;	/* payload bytes actually captured */
	const uint8_t *payload;		/* first captured payload byte, or NULL */

	/* ICMP / ICMPv6 */
	uint8_t icmp_type, icmp_code;
	uint8_t echo;		/* PKT_ECHO_* */
	uint16_t icmp_id, icmp_seq;

	/* ARP / RARP (RFC 826, RFC 903), Ethernet/IPv4 form only */
	uint16_t arp_op;	/* 1 request, 2 reply, 3 RARP request, 4 RARP reply */
	struct mt_mac arp_sha, arp_tha;
	struct mt_addr arp_spa, arp_tpa;

	/*
	 * The tunnel the frame came out of: valid only with PKT_L_ENCAP in
	 * layers (pkt_decode does not clear it otherwise, so bare frames
	 * cost nothing). Nested tunnels: the innermost, whose endpoints
	 * are the hosts of the guest's frames.
	 */
	struct pkt_outer {
		struct mt_addr src, dst;	/* outer IP addresses */
		uint8_t kind;		/* enum pkt_encap */
		uint8_t depth;		/* tunnels opened, 1..PKT_TUNNEL_MAX */
		uint32_t vni;		/* with PKT_L_VNI: VXLAN/Geneve VNI,
					 * GRE key, ERSPAN session ID */
	} outer;
};

/* Return 1 if the decoder handles this link type, 0 otherwise. */
int pkt_dlt_supported(int dlt);
/* A short name for a link type ("EN10MB"), for messages. */
const char *pkt_dlt_name(int dlt);

/*
 * Decode one frame of link type dlt. 'data' holds caplen bytes. Always
 * fills 'out' as far as the bytes allow (never reads past data+caplen)
 * and returns out->status. ts, wire_len, src are the caller's and kept;
 * set wire_len before the call (0 if unknown): an IP length longer than
 * the frame on the wire is then PKT_INVALID, and an IP length of 0
 * (TSO/GSO) is taken from it.
 */
int pkt_decode(int dlt, const uint8_t *data, uint32_t caplen, struct pkt *out);

/*
 * pkt_decode() without its fast path for the common frame (Ethernet,
 * IPv4, TCP, whole headers): the same result, slower; for the tests
 * that compare the two.
 */
int pkt_decode_general(int dlt, const uint8_t *data, uint32_t caplen,
    struct pkt *out);

/* "vxlan", "geneve", "gre", "erspan"; NULL for PKT_ENCAP_NONE. */
const char *pkt_encap_name(int kind);

/*
 * One more UDP destination port that carries VXLAN, besides 4789 (IANA)
 * and 8472 (Linux's default); 0 for none. Process-wide: set it before
 * any decoding starts (the readers of lib/input/source.c only read it).
 */
void pkt_vxlan_port(uint16_t port);

#endif /* MT_PKT_H */
