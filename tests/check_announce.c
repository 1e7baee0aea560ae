/* check_announce.c: Check suite for RARP and gratuitous ARP announces (lib/measure/announce.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "measure/announce.h"

#define T0	(1700000000LL * MT_NS_PER_S)
#define MS	MT_NS_PER_MS

static struct mt_mac VMMAC, OTHERMAC;
static struct mt_addr VMIP, GWIP, ZERO4;

static void
setup(void)
{
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:56", &VMMAC), 0);
	ck_assert_int_eq(mt_mac_parse("52:54:00:ab:cd:ef", &OTHERMAC), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &VMIP), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.1", &GWIP), 0);
	ck_assert_int_eq(mt_addr_parse("0.0.0.0", &ZERO4), 0);
}

/* A RARP frame as QEMU sends it (qemu_announce_self). */
static struct pkt
rarp(mt_ns ts, const struct mt_mac *mac, uint16_t op)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_ARP;
	p.ethertype = ETHERTYPE_RARP;
	p.mac_src = *mac;
	memset(p.mac_dst.a, 0xff, 6);
	p.arp_op = op;
	p.arp_sha = *mac;
	p.arp_tha = *mac;
	p.arp_spa = ZERO4;
	p.arp_tpa = ZERO4;
	return p;
}

static struct pkt
arp(mt_ns ts, const struct mt_mac *mac, uint16_t op, const struct mt_addr *spa,
    const struct mt_addr *tpa)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_ARP;
	p.ethertype = ETHERTYPE_ARP;
	p.mac_src = *mac;
	memset(p.mac_dst.a, 0xff, 6);
	p.arp_op = op;
	p.arp_sha = *mac;
	p.arp_spa = *spa;
	p.arp_tpa = *tpa;
	return p;
}

static void
add(struct announce *a, struct pkt p)
{
	ck_assert_int_eq(announce_add(a, &p), 0);
}

START_TEST(rarp_opcode_3_only)
{
	struct announce *a = announce_new();
	struct announce_info ai;
	struct mt_mac m;
	size_t n = 99;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), -1);
	ck_assert_int_eq(announce_only_rarp(a, &m, &n), -1);
	ck_assert_uint_eq(n, 0);

	add(a, rarp(T0, &VMMAC, 4));		/* RARP reply: not an announce */
	add(a, rarp(T0 + 1, &VMMAC, 1));
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), -1);

	add(a, rarp(T0 + 100 * MS, &VMMAC, 3));
	add(a, rarp(T0 + 150 * MS, &VMMAC, 3));
	add(a, rarp(T0 + 300 * MS, &VMMAC, 3));
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), 0);
	ck_assert_uint_eq(ai.rarp, 3);
	ck_assert_uint_eq(ai.garp, 0);
	ck_assert_int_eq(ai.first, T0 + 100 * MS);
	ck_assert_int_eq(ai.first_rarp, T0 + 100 * MS);
	ck_assert_uint_eq(ai.garp_ip.family, 0);

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(announce_only_rarp(a, &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(mt_mac_eq(&m, &VMMAC), 1);

	/* A second MAC announced by RARP: no single one. */
	add(a, rarp(T0 + 400 * MS, &OTHERMAC, 3));
	ck_assert_int_eq(announce_only_rarp(a, &m, &n), -1);
	ck_assert_uint_eq(n, 2);
	announce_free(a);
	announce_free(NULL);
}
END_TEST

/* Opcode 3 in an ARP frame (0x0806), or a RARP opcode without the layer. */
START_TEST(rarp_needs_ethertype_and_layer)
{
	struct announce *a = announce_new();
	struct announce_info ai;
	struct pkt p;

	p = rarp(T0, &VMMAC, 3);
	p.ethertype = ETHERTYPE_ARP;
	add(a, p);
	p = rarp(T0, &VMMAC, 3);
	p.layers &= (uint16_t)~PKT_L_ARP;
	add(a, p);
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), -1);
	announce_free(a);
}
END_TEST

START_TEST(gratuitous_arp)
{
	struct announce *a = announce_new();
	struct announce_info ai;
	struct mt_mac m;
	size_t n;

	/* Ordinary ARP request and reply: spa != tpa. */
	add(a, arp(T0, &VMMAC, 1, &VMIP, &GWIP));
	add(a, arp(T0 + 1, &VMMAC, 2, &VMIP, &GWIP));
	/* ARP probe (RFC 5227): sender 0.0.0.0. */
	add(a, arp(T0 + 2, &VMMAC, 1, &ZERO4, &VMIP));
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), -1);

	/* Gratuitous request, then gratuitous reply. */
	add(a, arp(T0 + 200 * MS, &VMMAC, 1, &VMIP, &VMIP));
	add(a, arp(T0 + 250 * MS, &VMMAC, 2, &VMIP, &VMIP));
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), 0);
	ck_assert_uint_eq(ai.garp, 2);
	ck_assert_uint_eq(ai.rarp, 0);
	ck_assert_int_eq(ai.first, T0 + 200 * MS);
	ck_assert_int_eq(ai.first_rarp, MT_NS_NONE);
	ck_assert_int_eq(mt_addr_eq(&ai.garp_ip, &VMIP), 1);
	/* Gratuitous ARP is not RARP. */
	ck_assert_int_eq(announce_only_rarp(a, &m, &n), -1);
	ck_assert_uint_eq(n, 0);

	/* Other ARP opcodes with spa == tpa are not announces. */
	add(a, arp(T0 + 300 * MS, &OTHERMAC, 8, &GWIP, &GWIP));
	ck_assert_int_eq(announce_get(a, &OTHERMAC, &ai), -1);
	announce_free(a);
}
END_TEST

/* Both kinds for one MAC: 'first' is the earlier of the two. */
START_TEST(first_timestamps)
{
	struct announce *a = announce_new();
	struct announce_info ai;

	add(a, arp(T0 + 10 * MS, &VMMAC, 1, &VMIP, &VMIP));
	add(a, rarp(T0 + 20 * MS, &VMMAC, 3));
	add(a, rarp(T0 + 70 * MS, &VMMAC, 3));
	add(a, arp(T0 + 80 * MS, &VMMAC, 2, &VMIP, &VMIP));
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), 0);
	ck_assert_uint_eq(ai.rarp, 2);
	ck_assert_uint_eq(ai.garp, 2);
	ck_assert_int_eq(ai.first, T0 + 10 * MS);
	ck_assert_int_eq(ai.first_rarp, T0 + 20 * MS);
	ck_assert_int_eq(announce_get(a, &OTHERMAC, &ai), -1);

	/* A later file of a merge cannot go back, but a smaller time wins. */
	add(a, rarp(T0 + 5 * MS, &VMMAC, 3));
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), 0);
	ck_assert_int_eq(ai.first, T0 + 5 * MS);
	ck_assert_int_eq(ai.first_rarp, T0 + 5 * MS);
	ck_assert_uint_eq(ai.rarp, 3);
	announce_free(a);
}
END_TEST

/* Non-ARP packets are ignored. */
START_TEST(other_packets)
{
	struct announce *a = announce_new();
	struct announce_info ai;
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = T0;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_IP;
	p.ethertype = ETHERTYPE_IPV4;
	p.mac_src = VMMAC;
	p.ip_src = VMIP;
	add(a, p);
	ck_assert_int_eq(announce_get(a, &VMMAC, &ai), -1);
	announce_free(a);
}
END_TEST

static Suite *
announce_suite(void)
{
	Suite *s = suite_create("announce");
	TCase *tc = tcase_create("announce");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, rarp_opcode_3_only);
	tcase_add_test(tc, rarp_needs_ethertype_and_layer);
	tcase_add_test(tc, gratuitous_arp);
	tcase_add_test(tc, first_timestamps);
	tcase_add_test(tc, other_packets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(announce_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
