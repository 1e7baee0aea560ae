/* check_vmfind.c: Check suite for finding the migrated VM (lib/measure/vmfind.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/vmfind.h"

#define T0	(1700000000LL * MT_NS_PER_S)
#define MS	MT_NS_PER_MS

static struct mt_mac VMMAC, BUSYMAC, PROBERMAC, OTHERMAC;
static struct mt_addr VMIP, BUSYIP, PROBERIP, VM6, ZERO4;

static void
setup(void)
{
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:56", &VMMAC), 0);
	ck_assert_int_eq(mt_mac_parse("52:54:00:aa:aa:aa", &BUSYMAC), 0);
	ck_assert_int_eq(mt_mac_parse("02:00:00:00:00:01", &PROBERMAC), 0);
	ck_assert_int_eq(mt_mac_parse("52:54:00:ab:cd:ef", &OTHERMAC), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &VMIP), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.20", &BUSYIP), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.1", &PROBERIP), 0);
	ck_assert_int_eq(mt_addr_parse("2001:db8::10", &VM6), 0);
	ck_assert_int_eq(mt_addr_parse("0.0.0.0", &ZERO4), 0);
}

/* An echo frame on Ethernet from (smac, src) to dst. */
static struct pkt
echo(mt_ns ts, int kind, const struct mt_mac *smac, const struct mt_addr *src,
    const struct mt_addr *dst, uint16_t seq)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_IP | PKT_L_ICMP | PKT_L_ECHO;
	p.mac_src = *smac;
	p.ethertype = src->family == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
	p.ip_src = *src;
	p.ip_dst = *dst;
	p.ip_proto = src->family == 4 ? PKT_IPPROTO_ICMP : PKT_IPPROTO_ICMPV6;
	p.echo = (uint8_t)kind;
	p.icmp_id = 1;
	p.icmp_seq = seq;
	return p;
}

static struct pkt
rarp(mt_ns ts, const struct mt_mac *mac)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_ARP;
	p.ethertype = ETHERTYPE_RARP;
	p.mac_src = *mac;
	p.arp_op = 3;
	p.arp_sha = p.arp_tha = *mac;
	p.arp_spa = p.arp_tpa = ZERO4;
	return p;
}

/* A non-echo IP frame (e.g. TCP) from (smac, src). */
static struct pkt
ipframe(mt_ns ts, const struct mt_mac *smac, const struct mt_addr *src)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_IP | PKT_L_TCP;
	p.mac_src = *smac;
	p.ethertype = ETHERTYPE_IPV4;
	p.ip_src = *src;
	p.ip_dst = PROBERIP;
	p.ip_proto = PKT_IPPROTO_TCP;
	return p;
}

static void
add(struct vmfind *v, struct pkt p)
{
	ck_assert_int_eq(vmfind_add(v, &p), 0);
}

/* n probes to ip, each answered from (mac, ip). */
static void
answered(struct vmfind *v, mt_ns t, const struct mt_mac *mac,
    const struct mt_addr *ip, int n)
{
	for (int i = 0; i < n; i++) {
		add(v, echo(t + i * 10 * MS, PKT_ECHO_REQUEST, &PROBERMAC,
		    &PROBERIP, ip, (uint16_t)i));
		add(v, echo(t + i * 10 * MS + MS, PKT_ECHO_REPLY, mac, ip,
		    &PROBERIP, (uint16_t)i));
	}
}

static struct vm_choice
nothing_given(void)
{
	struct vm_choice g;

	memset(&g, 0, sizeof(g));
	return g;
}

START_TEST(rarp_preferred_over_busier)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	ck_assert_ptr_nonnull(v);
	answered(v, T0, &BUSYMAC, &BUSYIP, 500);
	answered(v, T0 + 10 * MS, &VMMAC, &VMIP, 40);
	add(v, rarp(T0 + 2 * MT_NS_PER_S, &VMMAC));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &VMMAC), 1);
	ck_assert_str_eq(out.reason, "192.0.2.10 answers echo requests (40 replies) "
	    "and its MAC 52:54:00:12:34:56 is announced by RARP");
	vmfind_free(v);
	vmfind_free(NULL);
}
END_TEST

START_TEST(most_replies_without_rarp)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	answered(v, T0, &VMMAC, &VMIP, 40);
	answered(v, T0 + 5 * MS, &BUSYMAC, &BUSYIP, 41);
	/* RARP for a MAC that answers nothing does not matter here. */
	add(v, rarp(T0 + MT_NS_PER_S, &OTHERMAC));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &BUSYIP), 1);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &BUSYMAC), 1);
	ck_assert_str_eq(out.reason, "192.0.2.20 answers the most echo requests "
	    "(41 replies, 2 hosts answering); no RARP announce of its MAC seen");
	vmfind_free(v);
}
END_TEST

/* Replies over a link without MAC addresses (raw IP): no MAC. */
START_TEST(most_replies_no_mac)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;
	struct pkt p;

	for (int i = 0; i < 3; i++) {
		p = echo(T0 + i * MS, PKT_ECHO_REPLY, &VMMAC, &VM6, &PROBERIP, (uint16_t)i);
		p.layers &= (uint16_t)~PKT_L_MAC;
		memset(&p.mac_src, 0, sizeof(p.mac_src));
		add(v, p);
	}
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VM6), 1);
	ck_assert_int_eq(out.have_mac, 0);
	ck_assert_str_eq(out.reason, "2001:db8::10 answers the most echo requests "
	    "(3 replies, 1 host answering); no RARP announce of its MAC seen");
	vmfind_free(v);
}
END_TEST

START_TEST(only_rarp_no_echo)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	add(v, rarp(T0, &VMMAC));
	add(v, rarp(T0 + 50 * MS, &VMMAC));
	add(v, ipframe(T0 + 100 * MS, &VMMAC, &VMIP));
	add(v, ipframe(T0 + 200 * MS, &VMMAC, &BUSYIP));	/* later IP: not learnt */
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &VMMAC), 1);
	ck_assert_str_eq(out.reason, "192.0.2.10 has the only MAC announced "
	    "by RARP (52:54:00:12:34:56); no echo traffic");
	vmfind_free(v);

	/* The announced MAC sends no IP: no VM. */
	v = vmfind_new();
	add(v, rarp(T0, &VMMAC));
	add(v, ipframe(T0 + 100 * MS, &OTHERMAC, &VMIP));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), -1);
	ck_assert_str_eq(out.reason, "no echo traffic; MAC 52:54:00:12:34:56 is "
	    "announced by RARP but sends no IP traffic");
	vmfind_free(v);
}
END_TEST

/*
 * The VM does not answer echo but its MAC is the one RARP announced and
 * it sends IP: it beats another host that answers echo (QEMU's announce
 * names the migrated guest).
 */
START_TEST(rarp_beats_unannounced_responder)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	answered(v, T0, &BUSYMAC, &BUSYIP, 100);
	add(v, ipframe(T0 + 3 * MS, &VMMAC, &VMIP));
	add(v, rarp(T0 + 500 * MS, &VMMAC));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &VMMAC), 1);
	ck_assert_str_eq(out.reason, "192.0.2.10 has the only MAC announced "
	    "by RARP (52:54:00:12:34:56); it answers no echo requests");

	/* Two MACs announced: RARP cannot tell, the responder wins. */
	add(v, rarp(T0 + 600 * MS, &OTHERMAC));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &BUSYIP), 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &BUSYMAC), 1);
	vmfind_free(v);
}
END_TEST

START_TEST(nothing)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	ck_assert_int_eq(vmfind_pick(v, &g, &out), -1);
	ck_assert_str_eq(out.reason, "no echo replies and no RARP announce");
	/* Requests only, never answered, and plain traffic: still nothing. */
	add(v, echo(T0, PKT_ECHO_REQUEST, &PROBERMAC, &PROBERIP, &VMIP, 1));
	add(v, ipframe(T0 + MS, &VMMAC, &VMIP));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), -1);
	ck_assert_str_eq(out.reason, "no echo replies and no RARP announce");
	/* Two MACs announced, no echo: cannot tell. */
	add(v, rarp(T0 + 2 * MS, &VMMAC));
	add(v, rarp(T0 + 3 * MS, &OTHERMAC));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), -1);
	ck_assert_str_eq(out.reason, "no echo replies, and 2 MACs announced by RARP");
	vmfind_free(v);
}
END_TEST

/* The hosts answering, for the message when --vm is not seen: most
 * replies first, at most five, "none" without any. */
START_TEST(answering_list)
{
	struct vmfind *v = vmfind_new();
	struct mt_addr ip;
	char buf[200], a[32];

	ck_assert_str_eq(vmfind_answering(v, buf, sizeof(buf)), "none");
	/* 192.0.2.1 .. 192.0.2.6 answer 1 .. 6 times, out of order. */
	static const int order[6] = { 3, 6, 1, 5, 2, 4 };

	for (int k = 0; k < 6; k++) {
		int h = order[k];

		snprintf(a, sizeof(a), "192.0.2.%d", h);
		ck_assert_int_eq(mt_addr_parse(a, &ip), 0);
		answered(v, T0 + k * MS, &BUSYMAC, &ip, h);
	}
	ck_assert_str_eq(vmfind_answering(v, buf, sizeof(buf)),
	    "192.0.2.6 (6 replies), 192.0.2.5 (5 replies), 192.0.2.4 (4 "
	    "replies), 192.0.2.3 (3 replies), 192.0.2.2 (2 replies)");
	/* A short buffer: cut, still a string. */
	ck_assert_uint_lt(strlen(vmfind_answering(v, buf, 12)), 12);
	vmfind_free(v);
}
END_TEST

START_TEST(given_mac_learns_ip)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	answered(v, T0, &BUSYMAC, &BUSYIP, 10);
	add(v, ipframe(T0 + 5 * MS, &VMMAC, &VMIP));
	g.mac = VMMAC;
	g.have_mac = 1;
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &VMMAC), 1);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_str_eq(out.reason, "given with --vm");

	/* A MAC never seen with IP traffic: the hosts that answered. */
	g.mac = OTHERMAC;
	ck_assert_int_eq(vmfind_pick(v, &g, &out), -1);
	ck_assert_str_eq(out.reason, "52:54:00:ab:cd:ef (given with --vm) "
	    "sends no IP traffic in the capture; hosts answering echo "
	    "requests: 192.0.2.20 (10 replies)");
	vmfind_free(v);
}
END_TEST

/*
 * The first IP seen from each MAC is kept, with many hosts taking turns
 * (more than vmfind's table of MACs already seen has slots, so slots are
 * shared and overwritten): a MAC whose later frames carry another IP
 * still gives its first one, and every host's IP is found from its MAC.
 */
START_TEST(first_ip_of_many_macs)
{
	enum { N = 1000, ROUNDS = 3 };
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;
	struct mt_mac mac;
	struct mt_addr ip, later;
	int bad = 0;

	memset(&mac, 0, sizeof(mac));
	mac.a[0] = 0x52;
	mac.a[1] = 0x54;
	ck_assert_int_eq(mt_addr_parse("198.51.100.1", &later), 0);
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < N; i++) {
			mac.a[4] = (uint8_t)(i >> 8);
			mac.a[5] = (uint8_t)i;
			memset(&ip, 0, sizeof(ip));
			ip.family = 4;
			ip.a[0] = 10;
			ip.a[2] = (uint8_t)(i >> 8);
			ip.a[3] = (uint8_t)i;
			/* First round: the host's own IP; then another one. */
			add(v, ipframe(T0 + (r * N + i) * MS, &mac,
			    r == 0 ? &ip : &later));
		}
	for (int i = 0; i < N; i++) {
		mac.a[4] = (uint8_t)(i >> 8);
		mac.a[5] = (uint8_t)i;
		g.mac = mac;
		g.have_mac = 1;
		if (vmfind_pick(v, &g, &out) != 0 || out.ip.family != 4 ||
		    out.ip.a[0] != 10 || out.ip.a[2] != (uint8_t)(i >> 8) ||
		    out.ip.a[3] != (uint8_t)i)
			bad++;
	}
	ck_assert_int_eq(bad, 0);
	vmfind_free(v);
}
END_TEST

START_TEST(given_ip_learns_mac)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;

	/* From its echo replies. */
	answered(v, T0, &VMMAC, &VMIP, 3);
	g.ip = VMIP;
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &VMMAC), 1);
	ck_assert_str_eq(out.reason, "given with --vm");
	vmfind_free(v);

	/* From any frame it sent, without echo. */
	v = vmfind_new();
	add(v, ipframe(T0, &BUSYMAC, &BUSYIP));
	add(v, ipframe(T0 + MS, &VMMAC, &VMIP));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(out.have_mac, 1);
	ck_assert_int_eq(mt_mac_eq(&out.mac, &VMMAC), 1);
	vmfind_free(v);

	/* An IP never seen: kept as given, no MAC. */
	v = vmfind_new();
	add(v, ipframe(T0, &BUSYMAC, &BUSYIP));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	ck_assert_int_eq(out.have_mac, 0);
	vmfind_free(v);
}
END_TEST

/*
 * Given a MAC: the IP learnt is the one that answers echo with that MAC,
 * not whatever the MAC sent first (an IPv6 link-local router
 * solicitation, a DHCP request from 0.0.0.0).
 */
START_TEST(given_mac_prefers_echo_ip)
{
	struct vmfind *v = vmfind_new();
	struct vm_choice g = nothing_given(), out;
	struct mt_addr ll6, any6;

	ck_assert_int_eq(mt_addr_parse("fe80::5054:ff:fe12:3456", &ll6), 0);
	ck_assert_int_eq(mt_addr_parse("::", &any6), 0);
	add(v, ipframe(T0, &VMMAC, &ZERO4));
	add(v, ipframe(T0 + MS, &VMMAC, &ll6));
	answered(v, T0 + 2 * MS, &VMMAC, &VMIP, 5);
	g.mac = VMMAC;
	g.have_mac = 1;
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	vmfind_free(v);

	/* No echo at all: the first address that is not unspecified. */
	v = vmfind_new();
	add(v, ipframe(T0, &VMMAC, &ZERO4));
	add(v, ipframe(T0 + MS, &VMMAC, &any6));
	add(v, ipframe(T0 + 2 * MS, &VMMAC, &VMIP));
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	/* The same through the only-RARP path. */
	add(v, rarp(T0 + 3 * MS, &VMMAC));
	g = nothing_given();
	ck_assert_int_eq(vmfind_pick(v, &g, &out), 0);
	ck_assert_int_eq(mt_addr_eq(&out.ip, &VMIP), 1);
	vmfind_free(v);
}
END_TEST

static Suite *
vmfind_suite(void)
{
	Suite *s = suite_create("vmfind");
	TCase *tc = tcase_create("vmfind");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, rarp_preferred_over_busier);
	tcase_add_test(tc, most_replies_without_rarp);
	tcase_add_test(tc, most_replies_no_mac);
	tcase_add_test(tc, only_rarp_no_echo);
	tcase_add_test(tc, rarp_beats_unannounced_responder);
	tcase_add_test(tc, nothing);
	tcase_add_test(tc, given_mac_learns_ip);
	tcase_add_test(tc, given_ip_learns_mac);
	tcase_add_test(tc, given_mac_prefers_echo_ip);
	tcase_add_test(tc, first_ip_of_many_macs);
	tcase_add_test(tc, answering_list);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vmfind_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
