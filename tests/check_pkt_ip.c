/*
 * check_pkt_ip.c: the frame decoder's Check suite (check_pkt.c), above
 * the link layer: IPv4, IPv6, TCP, UDP, ICMP, and no over-read on any
 * prefix of any frame or on random bytes.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_pkt.h"

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


/* The test cases of this file, in their order, for check_pkt.c. */
void
pkt_tcase_ip(TCase *tc)
{
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
}

void
pkt_tcase_l4(TCase *tc)
{
	tcase_add_test(tc, tcp_bad_offsets);
	tcase_add_test(tc, tcp_truncated);
	tcase_add_test(tc, udp_bad);
	tcase_add_test(tc, icmp_kinds);
}

void
pkt_tcase_no_overread(TCase *tc)
{
	tcase_add_test(tc, every_prefix);
	tcase_add_test(tc, random_bytes);
}
