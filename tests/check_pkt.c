/* check_pkt.c: Check suite for the frame decoder (lib/input/pkt.c): link
 * layers, VLAN, ARP and RARP here; the frame builders in
 * check_pkt_frames.c; IP and above in check_pkt_ip.c. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_pkt.h"

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
	ck_assert_uint_eq(x->ip_id, y->ip_id);
	if (x->layers & PKT_L_ENCAP) {
		ck_assert_mem_eq(&x->outer.src, &y->outer.src,
		    sizeof(x->outer.src));
		ck_assert_mem_eq(&x->outer.dst, &y->outer.dst,
		    sizeof(x->outer.dst));
		ck_assert_uint_eq(x->outer.kind, y->outer.kind);
		ck_assert_uint_eq(x->outer.depth, y->outer.depth);
		ck_assert_uint_eq(x->outer.vni, y->outer.vni);
	}
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

/*
 * The fast path for the common frame (Ethernet, IPv4, TCP) against the
 * general decoder: the same result for such frames bare and inside
 * VXLAN, with and without TCP options, and for 200 000 copies with bytes
 * of the headers changed, cut short or given another wire length, many
 * of which the fast path must turn down.
 */
static size_t
fr_common(struct fb *f, int kind)
{
	reset(f);
	switch (kind) {
	case 0:				/* bare, 100 payload bytes */
		eth(f, ETHERTYPE_IPV4);
		ip4(f, PKT_IPPROTO_TCP, 20 + 100, 0, 0);
		tcp(f, TCPF_ACK, 0);
		pfill(f, 0x42, 100);
		break;
	case 1:				/* options, payload cut */
		eth(f, ETHERTYPE_IPV4);
		ip4(f, PKT_IPPROTO_TCP, 20 + 12 + 1448, 0, 0);
		tcp(f, TCPF_ACK | TCPF_PSH, 3);
		pfill(f, 0x51, 10);
		f->wire = 14 + 20 + 32 + 1448;
		return f->n;
	default:			/* a SYN in VXLAN, then padding */
		eth(f, ETHERTYPE_IPV4);
		ip4(f, PKT_IPPROTO_UDP, 8 + 8 + 14 + 20 + 20 + 6, 0, 0);
		p16(f, 40000);
		p16(f, 4789);
		p16(f, 8 + 8 + 14 + 20 + 20 + 6);
		p16(f, 0);
		p32(f, 0x08000000);	/* VXLAN: I */
		p32(f, 42 << 8);	/* VNI 42 */
		eth(f, ETHERTYPE_IPV4);
		ip4(f, PKT_IPPROTO_TCP, 20 + 6, 0, 0);
		tcp(f, TCPF_SYN, 0);
		pfill(f, 0x33, 6);
		pfill(f, 0, 8);		/* past the IP length */
		break;
	}
	f->wire = (uint32_t)f->n;
	return f->n;
}

START_TEST(fast_path_same)
{
	uint32_t r = 99;
	int ok = 0;

	for (int i = 0; i < 200000; i++) {
		struct fb f = { .n = 0 };
		struct pkt a, b;
		size_t n = fr_common(&f, i % 3);

		if (i >= 3) {
			int changes;

			r = r * 1103515245u + 12345u;
			changes = (int)((r >> 8) % 3);
			for (int c = 0; c < changes; c++) {
				size_t at;

				r = r * 1103515245u + 12345u;
				at = (r >> 8) % (n < 120 ? n : 120);
				r = r * 1103515245u + 12345u;
				f.b[at] = (uint8_t)(r >> 16);
			}
			r = r * 1103515245u + 12345u;
			if ((r >> 8) % 4 == 0)
				n = (r >> 12) % (n + 1);	/* cut */
			r = r * 1103515245u + 12345u;
			if ((r >> 8) % 6 == 0)
				f.wire = 0;
			else if ((r >> 8) % 6 == 1)
				f.wire = (uint32_t)((r >> 12) % 3000);
		}
		memset(&a, 0x5a, sizeof(a));
		memset(&b, 0x5a, sizeof(b));
		a.ts = b.ts = 1;
		a.src = b.src = 0;
		a.wire_len = b.wire_len = f.wire;
		(void)pkt_decode(DLT_EN10MB_, f.b, (uint32_t)n, &a);
		(void)pkt_decode_general(DLT_EN10MB_, f.b, (uint32_t)n, &b);
		ck_same(&a, &b);
		if (i < 3) {
			ck_assert_uint_eq(a.status, PKT_OK);
			ck_assert_uint_eq(a.layers & PKT_L_TCP, PKT_L_TCP);
			ck_assert_uint_eq(a.layers & PKT_L_ENCAP,
			    i == 2 ? PKT_L_ENCAP : 0);
		} else if (a.status == PKT_OK && (a.layers & PKT_L_TCP))
			ok++;
	}
	ck_assert_int_gt(ok, 20000);	/* not all turned into garbage */
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
	tcase_add_test(tc, fast_path_same);
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
	pkt_tcase_ip(tc);
	suite_add_tcase(s, tc);

	tc = tcase_create("l4");
	pkt_tcase_l4(tc);
	suite_add_tcase(s, tc);

	tc = tcase_create("no_overread");
	pkt_tcase_no_overread(tc);
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
