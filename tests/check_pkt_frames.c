/*
 * check_pkt_frames.c: the frame builders and sample frames of the frame
 * decoder's Check suite (check_pkt.c): headers written byte by byte, as
 * on the wire.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_pkt.h"

const uint8_t MAC_A[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
const uint8_t MAC_B[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const uint8_t IP_A[4] = { 192, 0, 2, 1 };
const uint8_t IP_B[4] = { 192, 0, 2, 2 };
const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* ---------------------------------------------------------------------
 * Frame builder: headers written byte by byte, as on the wire.
 */
void
pfill(struct fb *f, unsigned v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p8(f, v);
}

void
reset(struct fb *f)
{
	f->n = 0;
	f->wire = 0;
}

void
eth(struct fb *f, unsigned type)
{
	pbytes(f, MAC_B, 6);	/* dst */
	pbytes(f, MAC_A, 6);	/* src */
	p16(f, type);
}

void
vlan(struct fb *f, unsigned vid, unsigned type)
{
	p16(f, vid);
	p16(f, type);
}

/* Linux cooked v1 header with the given ARPHRD type and address length. */
void
sll(struct fb *f, unsigned hatype, unsigned halen, unsigned proto)
{
	p16(f, 0);		/* packet type: to us */
	p16(f, hatype);
	p16(f, halen);
	pbytes(f, MAC_A, 6);
	p16(f, 0);		/* address padding to 8 */
	p16(f, proto);
}

void
sll2(struct fb *f, unsigned hatype, unsigned halen, unsigned proto)
{
	p16(f, proto);
	p16(f, 0);		/* reserved */
	p32(f, 3);		/* ifindex */
	p16(f, hatype);
	p8(f, 4);		/* packet type: outgoing */
	p8(f, halen);
	pbytes(f, MAC_A, 6);
	p16(f, 0);
}

/* IPv4 header; l4len = bytes after the header on the wire. */
void
ip4(struct fb *f, unsigned proto, unsigned l4len, unsigned frag,
    unsigned optwords)
{
	unsigned hl = 20 + 4 * optwords;

	p8(f, 0x40 | hl / 4);
	p8(f, 0);
	p16(f, hl + l4len);
	p16(f, 0x1234);
	p16(f, frag);
	p8(f, 64);
	p8(f, proto);
	p16(f, 0);
	pbytes(f, IP_A, 4);
	pbytes(f, IP_B, 4);
	pfill(f, 1, 4 * optwords);	/* NOP options */
}

void
ip6(struct fb *f, unsigned nh, unsigned plen)
{
	p32(f, 0x60000000);
	p16(f, plen);
	p8(f, nh);
	p8(f, 64);
	pbytes(f, IP6_A, 16);
	pbytes(f, IP6_B, 16);
}

/* An IPv6 extension header of 8*(len8+1) bytes (not fragment). */
void
ip6ext(struct fb *f, unsigned nh, unsigned len8)
{
	p8(f, nh);
	p8(f, len8);
	pfill(f, 0, 6 + 8 * len8);
}

void
ip6frag(struct fb *f, unsigned nh, unsigned offset8, int more)
{
	p8(f, nh);
	p8(f, 0);
	p16(f, offset8 << 3 | (more ? 1 : 0));
	p32(f, 0xabcd);
}

void
tcp(struct fb *f, unsigned flags, unsigned optwords)
{
	p16(f, 49152);
	p16(f, 51000);
	p32(f, 0x01020304);
	p32(f, 0xa0b0c0d0);
	p8(f, (5 + optwords) << 4);
	p8(f, flags);
	p16(f, 29200);
	p16(f, 0);		/* checksum */
	p16(f, 0);		/* urgent */
	pfill(f, 1, 4 * optwords);
}

void
udp(struct fb *f, unsigned len)
{
	p16(f, 5353);
	p16(f, 53);
	p16(f, len);
	p16(f, 0);
}

void
icmp(struct fb *f, unsigned type, unsigned code, unsigned id, unsigned seq)
{
	p8(f, type);
	p8(f, code);
	p16(f, 0);
	p16(f, id);
	p16(f, seq);
}

void
arp(struct fb *f, unsigned htype, unsigned hlen, unsigned op,
    const uint8_t *sha, const uint8_t *spa, const uint8_t *tha,
    const uint8_t *tpa)
{
	p16(f, htype);
	p16(f, ETHERTYPE_IPV4);
	p8(f, hlen);
	p8(f, 4);
	p16(f, op);
	pbytes(f, sha, 6);
	pbytes(f, spa, 4);
	pbytes(f, tha, 6);
	pbytes(f, tpa, 4);
}

/* Decode f in place; ts/src are set to values the decoder must keep. */
int
dec(int dlt, const struct fb *f, struct pkt *p)
{
	memset(p, 0xa5, sizeof(*p));	/* garbage the decoder must clear */
	p->ts = 1234567890123456789LL;
	p->wire_len = f->wire;
	p->src = 7;
	return pkt_decode(dlt, f->b, (uint32_t)f->n, p);
}


void
ck_ipv4_ab(const struct pkt *p)
{
	ck_assert_uint_eq(p->ip_src.family, 4);
	ck_assert_uint_eq(p->ip_dst.family, 4);
	ck_assert_mem_eq(p->ip_src.a, IP_A, 4);
	ck_assert_mem_eq(p->ip_dst.a, IP_B, 4);
}

void
ck_ipv6_ab(const struct pkt *p)
{
	ck_assert_uint_eq(p->ip_src.family, 6);
	ck_assert_mem_eq(p->ip_src.a, IP6_A, 16);
	ck_assert_mem_eq(p->ip_dst.a, IP6_B, 16);
}

/* ---------------------------------------------------------------------
 * Frames, shared by the field tests and the prefix/fuzz loop.
 * Each returns the link type and fills f (wire set where it matters).
 */

/* Ethernet, IPv4, TCP ACK with 1448 payload bytes, 10 captured. */
int
fr_eth_tcp(struct fb *f)
{
	eth(f, ETHERTYPE_IPV4);
	ip4(f, PKT_IPPROTO_TCP, 20 + 12 + 1448, 0, 0);
	tcp(f, TCPF_ACK | TCPF_PSH, 3);
	pfill(f, 0x51, 10);
	f->wire = 14 + 20 + 32 + 1448;
	return DLT_EN10MB_;
}

/* Ethernet, IPv6, UDP 100 payload bytes, all captured. */
int
fr_eth_udp6(struct fb *f)
{
	eth(f, ETHERTYPE_IPV6);
	ip6(f, PKT_IPPROTO_UDP, 108);
	udp(f, 108);
	pfill(f, 0x77, 100);
	f->wire = (uint32_t)f->n;
	return DLT_EN10MB_;
}

/* Cooked v1, ICMP echo request, 56 payload bytes. */
int
fr_sll_echo(struct fb *f)
{
	sll(f, 1, 6, ETHERTYPE_IPV4);
	ip4(f, PKT_IPPROTO_ICMP, 64, 0, 0);
	icmp(f, 8, 0, 0x1c2d, 42);
	pfill(f, 0x10, 56);
	f->wire = (uint32_t)f->n;
	return DLT_SLL_;
}

/* Cooked v2, IPv6 ICMPv6 echo reply. */
int
fr_sll2_echo6(struct fb *f)
{
	sll2(f, 1, 6, ETHERTYPE_IPV6);
	ip6(f, PKT_IPPROTO_ICMPV6, 8 + 16);
	icmp(f, 129, 0, 0x0101, 65535);
	pfill(f, 0x22, 16);
	f->wire = (uint32_t)f->n;
	return DLT_SLL2_;
}

/* Raw IPv4 UDP. */
int
fr_raw4(struct fb *f)
{
	ip4(f, PKT_IPPROTO_UDP, 8 + 4, 0, 0);
	udp(f, 12);
	p32(f, 0xdeadbeef);
	f->wire = (uint32_t)f->n;
	return DLT_RAW_;
}

/* Raw IPv6 TCP SYN. */
int
fr_raw6(struct fb *f)
{
	ip6(f, PKT_IPPROTO_TCP, 20);
	tcp(f, TCPF_SYN, 0);
	f->wire = (uint32_t)f->n;
	return LINKTYPE_RAW_;
}

/* NULL, little-endian writer, AF_INET, ICMP echo reply. */
int
fr_null_le(struct fb *f)
{
	ple32(f, 2);
	ip4(f, PKT_IPPROTO_ICMP, 8, 0, 0);
	icmp(f, 0, 0, 9, 10);
	f->wire = (uint32_t)f->n;
	return DLT_NULL_;
}

/* LOOP, AF_INET6 (Darwin 30) in network order, UDP. */
int
fr_loop6(struct fb *f)
{
	p32(f, 30);
	ip6(f, PKT_IPPROTO_UDP, 8);
	udp(f, 8);
	f->wire = (uint32_t)f->n;
	return DLT_LOOP_;
}

/* QinQ: 802.1ad outer, 802.1Q inner, IPv4 TCP. */
int
fr_qinq(struct fb *f)
{
	eth(f, ETHERTYPE_QINQ);
	vlan(f, 100, ETHERTYPE_VLAN);
	vlan(f, 200, ETHERTYPE_IPV4);
	ip4(f, PKT_IPPROTO_TCP, 20, 0, 0);
	tcp(f, TCPF_FIN | TCPF_ACK, 0);
	f->wire = (uint32_t)f->n;
	return DLT_EN10MB_;
}

/* QEMU's self-announce: RARP opcode 3, broadcast (docs/wire-formats.md). */
int
fr_rarp(struct fb *f)
{
	static const uint8_t zero[4];

	pbytes(f, BCAST, 6);
	pbytes(f, MAC_A, 6);
	p16(f, ETHERTYPE_RARP);
	arp(f, 1, 6, 3, MAC_A, zero, MAC_A, zero);
	pfill(f, 0, 18);	/* padding to 60 bytes */
	f->wire = 60;
	return DLT_EN10MB_;
}

/* ARP request under an 802.1Q tag. */
int
fr_vlan_arp(struct fb *f)
{
	static const uint8_t zero[6];

	eth(f, ETHERTYPE_VLAN);
	vlan(f, 5, ETHERTYPE_ARP);
	arp(f, 1, 6, 1, MAC_A, IP_A, zero, IP_B);
	f->wire = (uint32_t)f->n;
	return DLT_EN10MB_;
}

/* IPv6 with hop-by-hop, dest-opts, routing and a first fragment. */
int
fr_ip6_ext(struct fb *f)
{
	eth(f, ETHERTYPE_IPV6);
	ip6(f, 0, 8 + 16 + 24 + 8 + 20 + 100);
	ip6ext(f, 60, 0);		/* hop-by-hop, 8 bytes */
	ip6ext(f, 43, 1);		/* dest opts, 16 */
	ip6ext(f, 44, 2);		/* routing, 24 */
	ip6frag(f, PKT_IPPROTO_TCP, 0, 1);	/* first fragment */
	tcp(f, TCPF_ACK, 0);
	pfill(f, 0x33, 20);
	f->wire = 14 + 40 + 8 + 16 + 24 + 8 + 20 + 100;
	return DLT_EN10MB_;
}

/* IPv4 with options, first fragment, UDP. */
int
fr_ip4_opts(struct fb *f)
{
	eth(f, ETHERTYPE_IPV4);
	ip4(f, PKT_IPPROTO_UDP, 8 + 1000, 0x2000, 2);
	udp(f, 8 + 3000);
	pfill(f, 0x44, 30);
	f->wire = 14 + 28 + 8 + 1000;
	return DLT_EN10MB_;
}

/* A small ICMP echo padded to Ethernet's 60 bytes. */
int
fr_padded_echo(struct fb *f)
{
	eth(f, ETHERTYPE_IPV4);
	ip4(f, PKT_IPPROTO_ICMP, 8 + 4, 0, 0);
	icmp(f, 8, 0, 1, 2);
	p32(f, 0x61626364);
	pfill(f, 0xee, 60 - f->n);
	f->wire = 60;
	return DLT_EN10MB_;
}

const struct frame_def frames[] = {
	{ "eth_tcp", fr_eth_tcp },
	{ "eth_udp6", fr_eth_udp6 },
	{ "sll_echo", fr_sll_echo },
	{ "sll2_echo6", fr_sll2_echo6 },
	{ "raw4", fr_raw4 },
	{ "raw6", fr_raw6 },
	{ "null_le", fr_null_le },
	{ "loop6", fr_loop6 },
	{ "qinq", fr_qinq },
	{ "rarp", fr_rarp },
	{ "vlan_arp", fr_vlan_arp },
	{ "ip6_ext", fr_ip6_ext },
	{ "ip4_opts", fr_ip4_opts },
	{ "padded_echo", fr_padded_echo },
};
const size_t nframes = sizeof(frames) / sizeof(frames[0]);
