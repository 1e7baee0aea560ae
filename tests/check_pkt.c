/* check_pkt.c: Check suite for the frame decoder (lib/input/pkt.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "input/pkt.h"
#include "testutil.h"

/* Link types by number, as pcap_datalink() gives them on Linux. */
#define DLT_NULL_	0
#define DLT_EN10MB_	1
#define DLT_RAW_	12
#define DLT_RAW14_	14
#define LINKTYPE_RAW_	101
#define DLT_LOOP_	108
#define DLT_SLL_	113
#define DLT_IPV4_	228
#define DLT_IPV6_	229
#define DLT_SLL2_	276

static const uint8_t MAC_A[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t MAC_B[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t IP_A[4] = { 192, 0, 2, 1 };
static const uint8_t IP_B[4] = { 192, 0, 2, 2 };
static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* ---------------------------------------------------------------------
 * Frame builder: headers written byte by byte, as on the wire.
 */
static void
pfill(struct fb *f, unsigned v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p8(f, v);
}

static void
reset(struct fb *f)
{
	f->n = 0;
	f->wire = 0;
}

static void
eth(struct fb *f, unsigned type)
{
	pbytes(f, MAC_B, 6);	/* dst */
	pbytes(f, MAC_A, 6);	/* src */
	p16(f, type);
}

static void
vlan(struct fb *f, unsigned vid, unsigned type)
{
	p16(f, vid);
	p16(f, type);
}

/* Linux cooked v1 header with the given ARPHRD type and address length. */
static void
sll(struct fb *f, unsigned hatype, unsigned halen, unsigned proto)
{
	p16(f, 0);		/* packet type: to us */
	p16(f, hatype);
	p16(f, halen);
	pbytes(f, MAC_A, 6);
	p16(f, 0);		/* address padding to 8 */
	p16(f, proto);
}

static void
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
static void
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

static void
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
static void
ip6ext(struct fb *f, unsigned nh, unsigned len8)
{
	p8(f, nh);
	p8(f, len8);
	pfill(f, 0, 6 + 8 * len8);
}

static void
ip6frag(struct fb *f, unsigned nh, unsigned offset8, int more)
{
	p8(f, nh);
	p8(f, 0);
	p16(f, offset8 << 3 | (more ? 1 : 0));
	p32(f, 0xabcd);
}

static void
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

static void
udp(struct fb *f, unsigned len)
{
	p16(f, 5353);
	p16(f, 53);
	p16(f, len);
	p16(f, 0);
}

static void
icmp(struct fb *f, unsigned type, unsigned code, unsigned id, unsigned seq)
{
	p8(f, type);
	p8(f, code);
	p16(f, 0);
	p16(f, id);
	p16(f, seq);
}

static void
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
static int
dec(int dlt, const struct fb *f, struct pkt *p)
{
	memset(p, 0xa5, sizeof(*p));	/* garbage the decoder must clear */
	p->ts = 1234567890123456789LL;
	p->wire_len = f->wire;
	p->src = 7;
	return pkt_decode(dlt, f->b, (uint32_t)f->n, p);
}

#define ck_mac(m, want)	ck_assert_mem_eq((m).a, (want), 6)

static void
ck_ipv4_ab(const struct pkt *p)
{
	ck_assert_uint_eq(p->ip_src.family, 4);
	ck_assert_uint_eq(p->ip_dst.family, 4);
	ck_assert_mem_eq(p->ip_src.a, IP_A, 4);
	ck_assert_mem_eq(p->ip_dst.a, IP_B, 4);
}

static void
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
static int
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
static int
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
static int
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
static int
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
static int
fr_raw4(struct fb *f)
{
	ip4(f, PKT_IPPROTO_UDP, 8 + 4, 0, 0);
	udp(f, 12);
	p32(f, 0xdeadbeef);
	f->wire = (uint32_t)f->n;
	return DLT_RAW_;
}

/* Raw IPv6 TCP SYN. */
static int
fr_raw6(struct fb *f)
{
	ip6(f, PKT_IPPROTO_TCP, 20);
	tcp(f, TCPF_SYN, 0);
	f->wire = (uint32_t)f->n;
	return LINKTYPE_RAW_;
}

/* NULL, little-endian writer, AF_INET, ICMP echo reply. */
static int
fr_null_le(struct fb *f)
{
	ple32(f, 2);
	ip4(f, PKT_IPPROTO_ICMP, 8, 0, 0);
	icmp(f, 0, 0, 9, 10);
	f->wire = (uint32_t)f->n;
	return DLT_NULL_;
}

/* LOOP, AF_INET6 (Darwin 30) in network order, UDP. */
static int
fr_loop6(struct fb *f)
{
	p32(f, 30);
	ip6(f, PKT_IPPROTO_UDP, 8);
	udp(f, 8);
	f->wire = (uint32_t)f->n;
	return DLT_LOOP_;
}

/* QinQ: 802.1ad outer, 802.1Q inner, IPv4 TCP. */
static int
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
static int
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
static int
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
static int
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
static int
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
static int
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

typedef int (*frame_fn)(struct fb *);

static const struct {
	const char *name;
	frame_fn fn;
} frames[] = {
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
#define NFRAMES (sizeof(frames) / sizeof(frames[0]))

/* ---------------------------------------------------------------------
 * Link layers.
 */

START_TEST(dlt_table)
{
	static const int yes[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	static const int no[] = { -1, 2, 9, 105, 127, 147, 220, 100000 };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_int_eq(pkt_dlt_supported(yes[i]), 1);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_int_eq(pkt_dlt_supported(no[i]), 0);
	ck_assert_str_eq(pkt_dlt_name(1), "EN10MB");
	ck_assert_str_eq(pkt_dlt_name(113), "LINUX_SLL");
	ck_assert_str_eq(pkt_dlt_name(276), "LINUX_SLL2");
	ck_assert_str_eq(pkt_dlt_name(101), "RAW");
	ck_assert_str_eq(pkt_dlt_name(12), "RAW");
	ck_assert_str_eq(pkt_dlt_name(0), "NULL");
	ck_assert_str_eq(pkt_dlt_name(108), "LOOP");
	ck_assert_str_eq(pkt_dlt_name(105), "IEEE802_11");	/* from libpcap */
	ck_assert_str_eq(pkt_dlt_name(-5), "unknown");
}
END_TEST

START_TEST(unsupported_dlt)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_eth_tcp(&f);
	ck_assert_int_eq(dec(147, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers, 0);
	ck_assert_int_eq(p.dlt, 147);
}
END_TEST

START_TEST(en10mb_ipv4_tcp)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_eth_tcp(&f), &f, &p), PKT_OK);
	/* the caller's fields survive, the rest is set */
	ck_assert_int_eq(p.ts, 1234567890123456789LL);
	ck_assert_uint_eq(p.wire_len, f.wire);
	ck_assert_int_eq(p.src, 7);
	ck_assert_int_eq(p.dlt, DLT_EN10MB_);
	ck_assert_uint_eq(p.cap_len, f.n);
	ck_assert_uint_eq(p.status, PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP | PKT_L_TCP);
	ck_mac(p.mac_src, MAC_A);
	ck_mac(p.mac_dst, MAC_B);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV4);
	ck_assert_uint_eq(p.vlan_depth, 0);
	ck_ipv4_ab(&p);
	ck_assert_uint_eq(p.ip_proto, PKT_IPPROTO_TCP);
	ck_assert_uint_eq(p.ip_id, 0x1234);
	ck_assert_uint_eq(p.ip_len, 20 + 32 + 1448);
	ck_assert_uint_eq(p.sport, 49152);
	ck_assert_uint_eq(p.dport, 51000);
	ck_assert_uint_eq(p.tcp_seq, 0x01020304);
	ck_assert_uint_eq(p.tcp_ack, 0xa0b0c0d0);
	ck_assert_uint_eq(p.tcp_flags, TCPF_ACK | TCPF_PSH);
	ck_assert_uint_eq(p.tcp_win, 29200);
	/* from the IP length, not from what was captured */
	ck_assert_uint_eq(p.l4_payload_len, 1448);
	ck_assert_uint_eq(p.payload_caplen, 10);
	ck_assert_ptr_eq(p.payload, f.b + 14 + 20 + 32);
	ck_assert_uint_eq(p.payload[0], 0x51);
	ck_assert_uint_eq(p.arp_op, 0);
	ck_assert_uint_eq(p.echo, PKT_ECHO_NONE);
}
END_TEST

START_TEST(en10mb_ipv6_udp)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_eth_udp6(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP | PKT_L_UDP);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV6);
	ck_ipv6_ab(&p);
	ck_assert_uint_eq(p.ip_proto, PKT_IPPROTO_UDP);
	ck_assert_uint_eq(p.ip_len, 40 + 108);
	ck_assert_uint_eq(p.sport, 5353);
	ck_assert_uint_eq(p.dport, 53);
	ck_assert_uint_eq(p.l4_payload_len, 100);
	ck_assert_uint_eq(p.payload_caplen, 100);
	ck_assert_ptr_eq(p.payload, f.b + 14 + 40 + 8);
}
END_TEST

START_TEST(en10mb_8023_llc)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	eth(&f, 46);		/* a length, not an ethertype */
	pfill(&f, 0x42, 46);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC);
	ck_assert_uint_eq(p.ethertype, 0);
}
END_TEST

START_TEST(en10mb_truncated)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_eth_tcp(&f);
	f.n = 11;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers, 0);
	f.n = 13;		/* MACs, but not the type */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers, PKT_L_MAC);
	ck_mac(p.mac_src, MAC_A);
	f.n = 14;		/* link only */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV4);
	ck_assert_uint_eq(p.status, PKT_TRUNCATED);
}
END_TEST

START_TEST(sll_echo_request)
{
	static const uint8_t zero[6];
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_sll_echo(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP |
	    PKT_L_ICMP | PKT_L_ECHO);
	ck_mac(p.mac_src, MAC_A);
	ck_mac(p.mac_dst, zero);	/* cooked: unknown */
	ck_ipv4_ab(&p);
	ck_assert_uint_eq(p.icmp_type, 8);
	ck_assert_uint_eq(p.icmp_code, 0);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REQUEST);
	ck_assert_uint_eq(p.icmp_id, 0x1c2d);
	ck_assert_uint_eq(p.icmp_seq, 42);
	ck_assert_uint_eq(p.l4_payload_len, 56);
	ck_assert_uint_eq(p.payload_caplen, 56);
	ck_assert_ptr_eq(p.payload, f.b + 16 + 20 + 8);
}
END_TEST

START_TEST(sll_address_lengths)
{
	static const uint8_t zero[6];
	struct fb f = { .n = 0 };
	struct pkt p;

	sll(&f, 772, 0, ETHERTYPE_IPV4);	/* loopback: no address */
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_SLL_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_IP | PKT_L_UDP);
	ck_mac(p.mac_src, zero);

	reset(&f);
	sll2(&f, 1, 8, ETHERTYPE_IPV4);		/* 8-byte address: not a MAC */
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_SLL2_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & PKT_L_MAC, 0);

	/* netlink: the protocol field is a netlink family, not decoded */
	reset(&f);
	sll(&f, 824, 0, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	ck_assert_int_eq(dec(DLT_SLL_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK);

	/* truncated cooked headers */
	reset(&f);
	sll(&f, 1, 6, ETHERTYPE_IPV4);
	f.n = 15;
	ck_assert_int_eq(dec(DLT_SLL_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers, 0);
	reset(&f);
	sll2(&f, 1, 6, ETHERTYPE_IPV4);
	f.n = 19;
	ck_assert_int_eq(dec(DLT_SLL2_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers, 0);
}
END_TEST

START_TEST(sll_vlan)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	/* libpcap puts a VLAN tag it took from the metadata after SLL */
	sll(&f, 1, 6, ETHERTYPE_VLAN);
	vlan(&f, 10, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_SLL_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.vlan_depth, 1);
	ck_assert_uint_eq(p.layers & PKT_L_UDP, PKT_L_UDP);
}
END_TEST

START_TEST(sll2_echo6_reply)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_sll2_echo6(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP |
	    PKT_L_ICMP | PKT_L_ECHO);
	ck_mac(p.mac_src, MAC_A);
	ck_ipv6_ab(&p);
	ck_assert_uint_eq(p.ip_proto, PKT_IPPROTO_ICMPV6);
	ck_assert_uint_eq(p.icmp_type, 129);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REPLY);
	ck_assert_uint_eq(p.icmp_id, 0x0101);
	ck_assert_uint_eq(p.icmp_seq, 65535);
	ck_assert_uint_eq(p.l4_payload_len, 16);
}
END_TEST

START_TEST(raw_all_numbers)
{
	static const int dlts[] = { DLT_RAW_, DLT_RAW14_, LINKTYPE_RAW_, DLT_IPV4_ };
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_raw4(&f);
	for (size_t i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		ck_assert_int_eq(dec(dlts[i], &f, &p), PKT_OK);
		ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_IP | PKT_L_UDP);
		ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV4);
		ck_ipv4_ab(&p);
		ck_assert_uint_eq(p.l4_payload_len, 4);
		ck_assert_ptr_eq(p.payload, f.b + 28);
	}
	/* DLT_IPV6 promises IPv6 */
	ck_assert_int_eq(dec(DLT_IPV6_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers & PKT_L_IP, 0);

	reset(&f);
	fr_raw6(&f);
	ck_assert_int_eq(dec(DLT_IPV6_, &f, &p), PKT_OK);
	ck_assert_int_eq(dec(LINKTYPE_RAW_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV6);
	ck_assert_uint_eq(p.tcp_flags, TCPF_SYN);
	ck_assert_uint_eq(p.l4_payload_len, 0);
	ck_assert_ptr_null(p.payload);
	ck_assert_int_eq(dec(DLT_IPV4_, &f, &p), PKT_INVALID);

	/* neither 4 nor 6 */
	f.b[0] = 0x55;
	ck_assert_int_eq(dec(DLT_RAW_, &f, &p), PKT_INVALID);
	reset(&f);
	ck_assert_int_eq(dec(DLT_RAW_, &f, &p), PKT_TRUNCATED);
	ck_assert_int_eq(pkt_decode(DLT_RAW_, NULL, 0, &p), PKT_TRUNCATED);
}
END_TEST

START_TEST(null_both_orders)
{
	static const uint32_t v6[] = { 24, 28, 30 };
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_null_le(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_IP | PKT_L_ICMP | PKT_L_ECHO);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REPLY);
	ck_assert_uint_eq(p.icmp_id, 9);
	ck_assert_uint_eq(p.icmp_seq, 10);

	/* big-endian writer */
	reset(&f);
	p32(&f, 2);
	ip4(&f, PKT_IPPROTO_ICMP, 8, 0, 0);
	icmp(&f, 0, 0, 9, 10);
	ck_assert_int_eq(dec(DLT_NULL_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REPLY);

	for (size_t i = 0; i < 3; i++)
		for (int be = 0; be < 2; be++) {
			reset(&f);
			if (be)
				p32(&f, v6[i]);
			else
				ple32(&f, v6[i]);
			ip6(&f, PKT_IPPROTO_UDP, 8);
			udp(&f, 8);
			ck_assert_int_eq(dec(DLT_NULL_, &f, &p), PKT_OK);
			ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV6);
			ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_IP | PKT_L_UDP);
			ck_ipv6_ab(&p);
		}

	/* an unknown family (AF_APPLETALK 16): link only, not an error */
	reset(&f);
	ple32(&f, 16);
	pfill(&f, 0, 20);
	ck_assert_int_eq(dec(DLT_NULL_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK);
	f.n = 3;
	ck_assert_int_eq(dec(DLT_NULL_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers, 0);
}
END_TEST

START_TEST(loop_network_order)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_loop6(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_IP | PKT_L_UDP);
	ck_ipv6_ab(&p);

	reset(&f);
	p32(&f, 2);
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_LOOP_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_IP | PKT_L_UDP);
	/* LOOP is network order only: little-endian 2 is not AF_INET */
	reset(&f);
	ple32(&f, 2);
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_LOOP_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK);
}
END_TEST

/* ---------------------------------------------------------------------
 * VLAN, ARP, RARP.
 */

START_TEST(vlan_stacked)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_qinq(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.vlan_depth, 2);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_IPV4);
	ck_assert_uint_eq(p.tcp_flags, TCPF_FIN | TCPF_ACK);
	ck_mac(p.mac_src, MAC_A);

	/* the old 0x9100 QinQ TPID too */
	reset(&f);
	eth(&f, 0x9100);
	vlan(&f, 1, ETHERTYPE_IPV6);
	ip6(&f, 59, 0);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.vlan_depth, 1);
	ck_assert_uint_eq(p.ip_proto, 59);

	/* truncated tag */
	reset(&f);
	fr_qinq(&f);
	f.n = 14 + 4 + 3;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.vlan_depth, 1);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_VLAN);
}
END_TEST

START_TEST(vlan_too_deep)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	eth(&f, ETHERTYPE_VLAN);
	for (int i = 0; i < PKT_VLAN_MAX - 1; i++)
		vlan(&f, (unsigned)i, ETHERTYPE_VLAN);
	vlan(&f, 99, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.vlan_depth, PKT_VLAN_MAX);
	ck_assert_uint_eq(p.layers & PKT_L_UDP, PKT_L_UDP);

	/* one more tag: marked bad, not followed */
	reset(&f);
	eth(&f, ETHERTYPE_VLAN);
	for (int i = 0; i < PKT_VLAN_MAX; i++)
		vlan(&f, (unsigned)i, ETHERTYPE_VLAN);
	vlan(&f, 99, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_UDP, 8, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.vlan_depth, PKT_VLAN_MAX);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_VLAN);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC);
}
END_TEST

START_TEST(rarp_announce)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_rarp(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_ARP);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_RARP);
	ck_mac(p.mac_dst, BCAST);
	ck_mac(p.mac_src, MAC_A);
	ck_assert_uint_eq(p.arp_op, 3);
	ck_mac(p.arp_sha, MAC_A);
	ck_mac(p.arp_tha, MAC_A);
	ck_assert_uint_eq(p.arp_spa.family, 4);
	ck_assert_uint_eq(p.arp_spa.a[0] | p.arp_spa.a[3], 0);
	ck_assert_ptr_null(p.payload);
	ck_assert_uint_eq(p.layers & PKT_L_IP, 0);
}
END_TEST

START_TEST(arp_request_vlan)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_vlan_arp(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.vlan_depth, 1);
	ck_assert_uint_eq(p.ethertype, ETHERTYPE_ARP);
	ck_assert_uint_eq(p.arp_op, 1);
	ck_mac(p.arp_sha, MAC_A);
	ck_assert_mem_eq(p.arp_spa.a, IP_A, 4);
	ck_assert_mem_eq(p.arp_tpa.a, IP_B, 4);
	ck_assert_uint_eq(p.arp_tpa.family, 4);
}
END_TEST

START_TEST(arp_bad_forms)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	/* Ethernet/IPv4 with a 8-byte hardware length: lies */
	eth(&f, ETHERTYPE_ARP);
	arp(&f, 1, 8, 2, MAC_A, IP_A, MAC_B, IP_B);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers & PKT_L_ARP, 0);

	/* IEEE 802 hardware (6): another form, not decoded, not an error */
	reset(&f);
	eth(&f, ETHERTYPE_ARP);
	arp(&f, 6, 6, 1, MAC_A, IP_A, MAC_B, IP_B);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & PKT_L_ARP, 0);

	/* cut inside the fixed part and inside the addresses */
	reset(&f);
	fr_rarp(&f);
	f.n = 14 + 7;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	f.n = 14 + 27;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_ARP, 0);
	f.n = 14 + 28;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & PKT_L_ARP, PKT_L_ARP);
}
END_TEST

/* ---------------------------------------------------------------------
 * IPv4.
 */

START_TEST(ipv4_bad_headers)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_eth_tcp(&f);
	f.wire = 0;
	f.b[14] = 0x55;		/* version 5 */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC);
	f.b[14] = 0x44;		/* IHL 4 */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	f.b[14] = 0x45;
	f.b[16] = 0;		/* total length 19 < 20 */
	f.b[17] = 19;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers & PKT_L_IP, 0);
	f.b[14] = 0x47;		/* IHL 7 = 28 > total length 24 */
	f.b[17] = 24;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	/* total length 0 and no wire length to guess from */
	f.b[14] = 0x45;
	f.b[17] = 0;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
}
END_TEST

START_TEST(ipv4_wire_length)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	/* IP says 1500 bytes, the frame on the wire held 100: lies */
	fr_eth_tcp(&f);
	f.wire = 114;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	/* without a wire length the decoder cannot know */
	f.wire = 0;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	/* total length 0 (TSO super-packet): taken from the wire */
	f.b[16] = f.b[17] = 0;
	f.wire = 14 + 64000;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.ip_len, 64000);
	ck_assert_uint_eq(p.l4_payload_len, 64000 - 20 - 32);
	/* wire length shorter than the headers before IP */
	f.wire = 10;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
}
END_TEST

START_TEST(ipv4_truncated)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_ip4_opts(&f);
	f.n = 14 + 19;		/* fixed header cut */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_IP, 0);
	f.n = 14 + 24;		/* options cut: addresses known */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & (PKT_L_IP | PKT_L_UDP), PKT_L_IP);
	ck_ipv4_ab(&p);
	f.n = 14 + 28 + 7;	/* UDP header cut */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_UDP, 0);
}
END_TEST

START_TEST(ipv4_options_fragments)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	/* options and a first fragment: L4 decoded from this fragment */
	ck_assert_int_eq(dec(fr_ip4_opts(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & PKT_L_UDP, PKT_L_UDP);
	ck_assert_uint_eq(p.sport, 5353);
	ck_assert_uint_eq(p.ip_len, 28 + 8 + 1000);
	ck_assert_uint_eq(p.l4_payload_len, 1000);
	ck_assert_ptr_eq(p.payload, f.b + 14 + 28 + 8);
	ck_assert_uint_eq(p.payload_caplen, 30);

	/* a later fragment (offset 1008 bytes) has no UDP header */
	reset(&f);
	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_UDP, 500, 126, 0);
	pfill(&f, 0x44, 30);
	f.wire = 14 + 20 + 500;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP);
	ck_assert_uint_eq(p.ip_proto, PKT_IPPROTO_UDP);
	ck_assert_uint_eq(p.sport, 0);
	ck_assert_uint_eq(p.l4_payload_len, 500);
	ck_assert_ptr_eq(p.payload, f.b + 34);
}
END_TEST

START_TEST(ipv4_padding_not_payload)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_padded_echo(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REQUEST);
	ck_assert_uint_eq(p.l4_payload_len, 4);
	ck_assert_uint_eq(p.payload_caplen, 4);	/* not the 14 padding bytes */
	ck_assert_uint_eq(p.ip_len, 32);
}
END_TEST

START_TEST(ipv4_other_protocol)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, 47, 24, 0, 0);		/* GRE */
	pfill(&f, 0, 24);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP);
	ck_assert_uint_eq(p.ip_proto, 47);
	ck_assert_uint_eq(p.l4_payload_len, 24);
	ck_assert_ptr_eq(p.payload, f.b + 34);
}
END_TEST

/* ---------------------------------------------------------------------
 * IPv6.
 */

START_TEST(ipv6_ext_headers)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	ck_assert_int_eq(dec(fr_ip6_ext(&f), &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP | PKT_L_TCP);
	ck_assert_uint_eq(p.ip_proto, PKT_IPPROTO_TCP);
	ck_assert_uint_eq(p.ip_len, 40 + 56 + 20 + 100);
	ck_assert_uint_eq(p.tcp_seq, 0x01020304);
	ck_assert_uint_eq(p.l4_payload_len, 100);
	ck_assert_ptr_eq(p.payload, f.b + 14 + 40 + 56 + 20);
	ck_assert_uint_eq(p.payload_caplen, 20);

	/* cut inside the routing header: IP known, TCP not */
	f.n = 14 + 40 + 8 + 16 + 10;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & (PKT_L_IP | PKT_L_TCP), PKT_L_IP);
	ck_assert_uint_eq(p.ip_proto, 43);
}
END_TEST

START_TEST(ipv6_later_fragment)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, 44, 8 + 200);
	ip6frag(&f, PKT_IPPROTO_UDP, 181, 1);
	pfill(&f, 0x99, 16);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers, PKT_L_LINK | PKT_L_MAC | PKT_L_IP);
	ck_assert_uint_eq(p.ip_proto, PKT_IPPROTO_UDP);
	ck_assert_uint_eq(p.l4_payload_len, 200);
	ck_assert_ptr_eq(p.payload, f.b + 14 + 48);
}
END_TEST

START_TEST(ipv6_bad_headers)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	/* version 4 under ethertype 0x86dd */
	fr_eth_udp6(&f);
	f.b[14] = 0x45;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers & PKT_L_IP, 0);

	/* an extension header longer than the payload length */
	reset(&f);
	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, 0, 16);
	ip6ext(&f, PKT_IPPROTO_UDP, 2);		/* 24 bytes > 16 */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);

	/* more extension headers than the bounded loop follows */
	reset(&f);
	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, 60, 8 * 9 + 8);
	for (int i = 0; i < 8; i++)
		ip6ext(&f, 60, 0);
	ip6ext(&f, PKT_IPPROTO_UDP, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	/* eight are fine */
	reset(&f);
	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, 60, 8 * 8 + 8);
	for (int i = 0; i < 7; i++)
		ip6ext(&f, 60, 0);
	ip6ext(&f, PKT_IPPROTO_UDP, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & PKT_L_UDP, PKT_L_UDP);

	/* payload length beyond the frame on the wire */
	reset(&f);
	fr_eth_udp6(&f);
	f.wire -= 1;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	/* truncated fixed header */
	f.wire = 0;
	f.n = 14 + 39;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_IP, 0);
}
END_TEST

START_TEST(ipv6_jumbo_from_wire)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_eth_udp6(&f);
	f.b[18] = f.b[19] = 0;	/* payload length 0 */
	f.wire = 14 + 40 + 70000;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.ip_len, 40 + 70000);
	ck_assert_uint_eq(p.l4_payload_len, 70000 - 8);
}
END_TEST

/* ---------------------------------------------------------------------
 * TCP, UDP, ICMP.
 */

START_TEST(tcp_bad_offsets)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_eth_tcp(&f);
	f.b[14 + 20 + 12] = 4 << 4;	/* data offset 4 */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	ck_assert_uint_eq(p.layers & PKT_L_TCP, 0);
	ck_assert_uint_eq(p.layers & PKT_L_IP, PKT_L_IP);

	/* data offset 15 = 60 bytes > the 40 bytes IP carries */
	reset(&f);
	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_TCP, 40, 0, 0);
	tcp(&f, TCPF_ACK, 5);
	f.b[14 + 20 + 12] = 15 << 4;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);

	/* IP carries fewer than 20 bytes of TCP */
	reset(&f);
	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_TCP, 12, 0, 0);
	tcp(&f, TCPF_ACK, 0);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
}
END_TEST

START_TEST(tcp_truncated)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	fr_eth_tcp(&f);
	f.n = 14 + 20 + 19;	/* fixed header cut */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_TCP, 0);
	f.n = 14 + 20 + 24;	/* options cut: fields valid, no payload */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_TCP, PKT_L_TCP);
	ck_assert_uint_eq(p.tcp_seq, 0x01020304);
	ck_assert_uint_eq(p.l4_payload_len, 1448);
	ck_assert_ptr_null(p.payload);
	ck_assert_uint_eq(p.payload_caplen, 0);
	f.n = 14 + 20 + 32;	/* headers complete, no payload captured */
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.l4_payload_len, 1448);
	ck_assert_ptr_null(p.payload);
}
END_TEST

START_TEST(udp_bad)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_UDP, 7, 0, 0);
	udp(&f, 8);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	reset(&f);
	fr_eth_udp6(&f);
	f.n = 14 + 40 + 7;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_UDP, 0);
}
END_TEST

START_TEST(icmp_kinds)
{
	struct fb f = { .n = 0 };
	struct pkt p;

	/* destination unreachable: type/code, no echo */
	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_ICMP, 8 + 28, 0, 0);
	icmp(&f, 3, 1, 0, 0);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & (PKT_L_ICMP | PKT_L_ECHO), PKT_L_ICMP);
	ck_assert_uint_eq(p.icmp_type, 3);
	ck_assert_uint_eq(p.icmp_code, 1);
	ck_assert_uint_eq(p.echo, PKT_ECHO_NONE);
	ck_assert_uint_eq(p.l4_payload_len, 28);

	/* echo cut after the checksum: type known, id/seq not */
	reset(&f);
	fr_sll_echo(&f);
	f.n = 16 + 20 + 4;
	ck_assert_int_eq(dec(DLT_SLL_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & (PKT_L_ICMP | PKT_L_ECHO), PKT_L_ICMP);
	ck_assert_uint_eq(p.echo, PKT_ECHO_NONE);
	f.n = 16 + 20 + 1;
	ck_assert_int_eq(dec(DLT_SLL_, &f, &p), PKT_TRUNCATED);
	ck_assert_uint_eq(p.layers & PKT_L_ICMP, 0);

	/* IP carries less than an ICMP header */
	reset(&f);
	eth(&f, ETHERTYPE_IPV4);
	ip4(&f, PKT_IPPROTO_ICMP, 6, 0, 0);
	icmp(&f, 8, 0, 1, 1);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);

	/* ICMPv6 neighbour solicitation: 4-byte header */
	reset(&f);
	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, PKT_IPPROTO_ICMPV6, 24);
	icmp(&f, 135, 0, 0, 0);
	pfill(&f, 0, 16);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.icmp_type, 135);
	ck_assert_uint_eq(p.echo, PKT_ECHO_NONE);
	ck_assert_uint_eq(p.l4_payload_len, 20);
	ck_assert_ptr_eq(p.payload, f.b + 14 + 40 + 4);

	/* ICMPv6 echo request shorter than 8 bytes */
	reset(&f);
	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, PKT_IPPROTO_ICMPV6, 6);
	icmp(&f, 128, 0, 1, 1);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_INVALID);
	f.b[18] = 0;
	f.b[19] = 8;
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REQUEST);

	/* protocol 1 (ICMPv4) inside IPv6 is not ICMP */
	reset(&f);
	eth(&f, ETHERTYPE_IPV6);
	ip6(&f, PKT_IPPROTO_ICMP, 8);
	icmp(&f, 8, 0, 1, 1);
	ck_assert_int_eq(dec(DLT_EN10MB_, &f, &p), PKT_OK);
	ck_assert_uint_eq(p.layers & PKT_L_ICMP, 0);
}
END_TEST

/* ---------------------------------------------------------------------
 * No over-read: every prefix of every frame, in a buffer of exactly that
 * size (ASan catches a read past it), and random bytes in every link type.
 */

static void
ck_payload_inside(const struct pkt *p, const uint8_t *buf, size_t n)
{
	if (p->payload == NULL) {
		ck_assert_uint_eq(p->payload_caplen, 0);
		return;
	}
	ck_assert(p->payload >= buf);
	ck_assert_uint_gt(p->payload_caplen, 0);
	ck_assert_uint_le((size_t)(p->payload - buf) + p->payload_caplen, n);
	ck_assert_uint_le(p->payload_caplen, p->l4_payload_len);
}

START_TEST(every_prefix)
{
	for (size_t k = 0; k < NFRAMES; k++) {
		struct fb f = { .n = 0 };
		struct pkt full, p;
		int dlt = frames[k].fn(&f);

		ck_assert_msg(dec(dlt, &f, &full) == PKT_OK, "%s", frames[k].name);
		for (size_t n = 0; n <= f.n; n++) {
			uint8_t *buf = malloc(n ? n : 1);
			int st;

			ck_assert_ptr_nonnull(buf);
			memcpy(buf, f.b, n);
			p.wire_len = f.wire;
			st = pkt_decode(dlt, n ? buf : NULL, (uint32_t)n, &p);
			/* a prefix of a good frame is never invalid */
			ck_assert_msg(st == PKT_OK || st == PKT_TRUNCATED,
			    "%s prefix %zu: status %d", frames[k].name, n, st);
			ck_assert_int_eq(st, p.status);
			/* what it decoded is a subset of the full decode */
			ck_assert_msg((p.layers & ~full.layers) == 0,
			    "%s prefix %zu: layers %#x not in %#x",
			    frames[k].name, n, p.layers, full.layers);
			if (p.layers & PKT_L_IP) {
				ck_assert(mt_addr_eq(&p.ip_src, &full.ip_src));
				ck_assert_uint_eq(p.ip_len, full.ip_len);
			}
			if (p.layers & (PKT_L_TCP | PKT_L_UDP)) {
				ck_assert_uint_eq(p.sport, full.sport);
				ck_assert_uint_eq(p.l4_payload_len, full.l4_payload_len);
			}
			if (p.layers & PKT_L_ECHO)
				ck_assert_uint_eq(p.icmp_seq, full.icmp_seq);
			ck_payload_inside(&p, buf, n);
			free(buf);
		}
	}
}
END_TEST

START_TEST(random_bytes)
{
	static const int dlts[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	uint32_t seed = 12345;
	unsigned ok = 0;

	for (int iter = 0; iter < 20000; iter++) {
		int dlt = dlts[iter % 10];
		size_t n;
		uint8_t *buf;
		struct pkt p;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 160;
		buf = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(buf);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)(seed >> 16);
		}
		/* steer some toward deeper layers */
		if (n > 20 && iter % 3 == 0) {
			if (dlt == 1) {
				buf[12] = 0x08;
				buf[13] = 0x00;
				buf[14] = 0x45;
			} else if (dlt == 12 || dlt == 101) {
				buf[0] = (iter & 1) ? 0x60 : 0x45;
			}
		}
		p.wire_len = (iter & 4) ? (uint32_t)n + (seed >> 20) : 0;
		(void)pkt_decode(dlt, buf, (uint32_t)n, &p);
		ck_assert_uint_le(p.status, PKT_INVALID);
		ck_payload_inside(&p, buf, n);
		if (p.status == PKT_OK)
			ok++;
		free(buf);
	}
	ck_assert_uint_gt(ok, 0);
}
END_TEST

/* Two decodes of one frame agree field by field. */
static void
ck_same(const struct pkt *x, const struct pkt *y)
{
	ck_assert_int_eq(x->ts, y->ts);
	ck_assert_uint_eq(x->wire_len, y->wire_len);
	ck_assert_uint_eq(x->cap_len, y->cap_len);
	ck_assert_int_eq(x->src, y->src);
	ck_assert_int_eq(x->dlt, y->dlt);
	ck_assert_uint_eq(x->layers, y->layers);
	ck_assert_uint_eq(x->status, y->status);
	ck_assert_uint_eq(x->vlan_depth, y->vlan_depth);
	ck_assert(mt_mac_eq(&x->mac_src, &y->mac_src));
	ck_assert(mt_mac_eq(&x->mac_dst, &y->mac_dst));
	ck_assert_uint_eq(x->ethertype, y->ethertype);
	ck_assert_uint_eq(x->arp_op, y->arp_op);
	ck_assert(mt_mac_eq(&x->arp_sha, &y->arp_sha));
	ck_assert(mt_mac_eq(&x->arp_tha, &y->arp_tha));
	ck_assert_mem_eq(&x->arp_spa, &y->arp_spa, sizeof(x->arp_spa));
	ck_assert_mem_eq(&x->arp_tpa, &y->arp_tpa, sizeof(x->arp_tpa));
	ck_assert_mem_eq(&x->ip_src, &y->ip_src, sizeof(x->ip_src));
	ck_assert_mem_eq(&x->ip_dst, &y->ip_dst, sizeof(x->ip_dst));
	ck_assert_uint_eq(x->ip_proto, y->ip_proto);
	ck_assert_uint_eq(x->ip_len, y->ip_len);
	ck_assert_uint_eq(x->sport, y->sport);
	ck_assert_uint_eq(x->dport, y->dport);
	ck_assert_uint_eq(x->tcp_seq, y->tcp_seq);
	ck_assert_uint_eq(x->tcp_ack, y->tcp_ack);
	ck_assert_uint_eq(x->tcp_win, y->tcp_win);
	ck_assert_uint_eq(x->tcp_flags, y->tcp_flags);
	ck_assert_uint_eq(x->l4_payload_len, y->l4_payload_len);
	ck_assert_uint_eq(x->payload_caplen, y->payload_caplen);
	ck_assert_ptr_eq(x->payload, y->payload);
	ck_assert_uint_eq(x->icmp_type, y->icmp_type);
	ck_assert_uint_eq(x->icmp_code, y->icmp_code);
	ck_assert_uint_eq(x->echo, y->echo);
	ck_assert_uint_eq(x->icmp_id, y->icmp_id);
	ck_assert_uint_eq(x->icmp_seq, y->icmp_seq);
}

/* Whatever was in the struct before, the decode is the same. */
START_TEST(clears_every_field)
{
	for (size_t k = 0; k < NFRAMES; k++) {
		struct fb f = { .n = 0 };
		struct pkt a, b;
		int dlt = frames[k].fn(&f);

		memset(&a, 0, sizeof(a));
		memset(&b, 0xff, sizeof(b));
		a.ts = b.ts = 5;
		a.wire_len = b.wire_len = f.wire;
		a.src = b.src = 1;
		(void)pkt_decode(dlt, f.b, (uint32_t)f.n, &a);
		(void)pkt_decode(dlt, f.b, (uint32_t)f.n, &b);
		ck_same(&a, &b);
		/* b holding another frame's decode before: the same again */
		for (size_t j = 0; j < NFRAMES; j++) {
			struct fb g = { .n = 0 };
			int gdlt = frames[j].fn(&g);

			b.wire_len = g.wire;
			(void)pkt_decode(gdlt, g.b, (uint32_t)g.n, &b);
			b.wire_len = f.wire;
			(void)pkt_decode(dlt, f.b, (uint32_t)f.n, &b);
			ck_same(&a, &b);
		}
		ck_same(&a, &b);
	}
}
END_TEST

static Suite *
pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc;

	tc = tcase_create("link");
	tcase_add_test(tc, dlt_table);
	tcase_add_test(tc, unsupported_dlt);
	tcase_add_test(tc, clears_every_field);
	tcase_add_test(tc, en10mb_ipv4_tcp);
	tcase_add_test(tc, en10mb_ipv6_udp);
	tcase_add_test(tc, en10mb_8023_llc);
	tcase_add_test(tc, en10mb_truncated);
	tcase_add_test(tc, sll_echo_request);
	tcase_add_test(tc, sll_address_lengths);
	tcase_add_test(tc, sll_vlan);
	tcase_add_test(tc, sll2_echo6_reply);
	tcase_add_test(tc, raw_all_numbers);
	tcase_add_test(tc, null_both_orders);
	tcase_add_test(tc, loop_network_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("vlan_arp");
	tcase_add_test(tc, vlan_stacked);
	tcase_add_test(tc, vlan_too_deep);
	tcase_add_test(tc, rarp_announce);
	tcase_add_test(tc, arp_request_vlan);
	tcase_add_test(tc, arp_bad_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("ip");
	tcase_add_test(tc, ipv4_bad_headers);
	tcase_add_test(tc, ipv4_wire_length);
	tcase_add_test(tc, ipv4_truncated);
	tcase_add_test(tc, ipv4_options_fragments);
	tcase_add_test(tc, ipv4_padding_not_payload);
	tcase_add_test(tc, ipv4_other_protocol);
	tcase_add_test(tc, ipv6_ext_headers);
	tcase_add_test(tc, ipv6_later_fragment);
	tcase_add_test(tc, ipv6_bad_headers);
	tcase_add_test(tc, ipv6_jumbo_from_wire);
	suite_add_tcase(s, tc);

	tc = tcase_create("l4");
	tcase_add_test(tc, tcp_bad_offsets);
	tcase_add_test(tc, tcp_truncated);
	tcase_add_test(tc, udp_bad);
	tcase_add_test(tc, icmp_kinds);
	suite_add_tcase(s, tc);

	tc = tcase_create("no_overread");
	tcase_add_test(tc, every_prefix);
	tcase_add_test(tc, random_bytes);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pkt_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
