/* check_overlay.c: Check suite for the VM's tunnel endpoints
 * (lib/measure/overlay.c): endpoints, moves, late learning, limits. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "measure/overlay.h"

/* A record out of a VXLAN tunnel from 198.51.100.<s> to .<d>. */
static struct pkt
rec(mt_ns ts, int s, int d)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_ENCAP | PKT_L_VNI;
	p.outer.kind = PKT_ENCAP_VXLAN;
	p.outer.vni = 4242;
	p.outer.depth = 1;
	p.outer.src.family = p.outer.dst.family = 4;
	memcpy(p.outer.src.a, (uint8_t[]){ 198, 51, 100, (uint8_t)s }, 4);
	memcpy(p.outer.dst.a, (uint8_t[]){ 198, 51, 100, (uint8_t)d }, 4);
	return p;
}

static int
last_octet(const struct mt_addr *a)
{
	return a->a[3];
}

START_TEST(move_and_late)
{
	struct overlay *o = overlay_new();
	struct overlay_result r;
	struct pkt p;

	ck_assert_ptr_nonnull(o);
	/* requests to A before the VM was seen: not late, nothing moved */
	p = rec(5, 1, 11);
	overlay_to_vm(o, &p);
	for (int i = 0; i < 3; i++) {
		p = rec(10 + i, 11, 1);
		overlay_from_vm(o, &p);
	}
	/* a bare frame of the VM counts nowhere */
	p = rec(20, 12, 1);
	p.layers = 0;
	overlay_from_vm(o, &p);
	/* the move: the VM's first frame behind B */
	p = rec(30, 12, 1);
	overlay_from_vm(o, &p);
	/* to the VM: two still to A (late), one to B, one to C */
	p = rec(31, 1, 11);
	overlay_to_vm(o, &p);
	p = rec(32, 1, 12);
	overlay_to_vm(o, &p);
	p = rec(33, 1, 11);
	overlay_to_vm(o, &p);
	p = rec(34, 1, 13);
	overlay_to_vm(o, &p);
	p = rec(40, 12, 1);
	overlay_from_vm(o, &p);
	overlay_result(o, &r);
	ck_assert_int_eq(r.kind, PKT_ENCAP_VXLAN);
	ck_assert_int_eq(r.have_vni, 1);
	ck_assert_uint_eq(r.vni, 4242);
	ck_assert_uint_eq(r.nep, 2);
	ck_assert_int_eq(last_octet(&r.ep[0].ip), 11);
	ck_assert_int_eq(r.ep[0].first, 10);
	ck_assert_int_eq(r.ep[0].last, 12);
	ck_assert_uint_eq(r.ep[0].frames, 3);
	ck_assert_int_eq(last_octet(&r.ep[1].ip), 12);
	ck_assert_int_eq(r.ep[1].first, 30);
	ck_assert_int_eq(r.ep[1].last, 40);
	ck_assert_uint_eq(r.ep[1].frames, 2);
	ck_assert_uint_eq(r.nmoves, 1);
	ck_assert_int_eq(last_octet(&r.moves[0].from), 11);
	ck_assert_int_eq(last_octet(&r.moves[0].to), 12);
	ck_assert_int_eq(r.moves[0].at, 30);
	ck_assert_uint_eq(r.moves[0].late, 2);
	ck_assert_int_eq(r.moves[0].late_last, 33);
	ck_assert_uint_eq(r.dropped, 0);
	overlay_free(o);
	overlay_free(NULL);
}
END_TEST

/* Back and forth: each move its own, late frames to the endpoint the
 * latest move left; an endpoint seen again is not a new one. */
START_TEST(back_and_forth)
{
	struct overlay *o = overlay_new();
	struct overlay_result r;
	struct pkt p;

	p = rec(1, 11, 1);
	overlay_from_vm(o, &p);
	p = rec(2, 12, 1);
	overlay_from_vm(o, &p);
	p = rec(3, 11, 1);
	overlay_from_vm(o, &p);
	p = rec(4, 1, 12);	/* late for the second move */
	overlay_to_vm(o, &p);
	p = rec(5, 1, 11);
	overlay_to_vm(o, &p);
	overlay_result(o, &r);
	ck_assert_uint_eq(r.nep, 2);
	ck_assert_uint_eq(r.ep[0].frames, 2);
	ck_assert_int_eq(r.ep[0].last, 3);
	ck_assert_uint_eq(r.nmoves, 2);
	ck_assert_uint_eq(r.moves[0].late, 0);
	ck_assert_int_eq(r.moves[0].late_last, MT_NS_NONE);
	ck_assert_uint_eq(r.moves[1].late, 1);
	ck_assert_int_eq(r.moves[1].late_last, 4);
	overlay_free(o);
}
END_TEST

/* A GRE tunnel without a key; a flood of endpoints stops at the limit. */
START_TEST(no_key_and_limits)
{
	struct overlay *o = overlay_new();
	struct overlay_result r;
	struct pkt p;

	for (int i = 0; i < OVERLAY_MAX_ENDPOINTS + 10; i++) {
		p = rec(i, 1 + i % 250, 2);
		p.layers = PKT_L_ENCAP;
		p.outer.kind = PKT_ENCAP_GRE;
		p.outer.src.a[2] = (uint8_t)(i / 250);
		overlay_from_vm(o, &p);
	}
	overlay_result(o, &r);
	ck_assert_int_eq(r.kind, PKT_ENCAP_GRE);
	ck_assert_int_eq(r.have_vni, 0);
	ck_assert_uint_eq(r.nep, OVERLAY_MAX_ENDPOINTS);
	ck_assert_uint_eq(r.nmoves, OVERLAY_MAX_ENDPOINTS + 9);
	ck_assert_uint_eq(r.dropped, 10);
	overlay_free(o);
}
END_TEST

static Suite *
overlay_suite(void)
{
	Suite *s = suite_create("overlay");
	TCase *tc = tcase_create("endpoints");

	tcase_add_test(tc, move_and_late);
	tcase_add_test(tc, back_and_forth);
	tcase_add_test(tc, no_key_and_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(overlay_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
