/* check_levels.c: per-level mean, sd, n and 95% CI (lib/stats/levels.h). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "stats/levels.h"

#define EPS 1e-9

static void
near(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= EPS * fmax(1.0, fabs(want)),
	    "got %.17g, want %.17g", got, want);
}

/*
 * n = 3: {1, 2, 6}: mean 3, deviations -2 -1 3, SS 14, sd sqrt(7).
 * Student's t with 2 df has a closed-form quantile:
 * t(p) = (2p - 1) / sqrt(2 p (1 - p)); p = 0.975 gives
 * 0.95 / sqrt(0.04875) = 4.302652729749464 (tables: 4.303).
 * Half width = t * sqrt(7) / sqrt(3).
 */
START_TEST(three_values)
{
	double x[] = { 1, 2, 6 };
	struct levels_stat s;
	double t = 0.95 / sqrt(2 * 0.975 * 0.025);

	levels_stat(x, 3, &s);
	ck_assert_uint_eq(s.n, 3);
	near(s.mean, 3);
	near(s.sd, sqrt(7));
	near(t, 4.302652729749464);
	near(s.ci_lo, 3 - t * sqrt(7.0 / 3));
	near(s.ci_hi, 3 + t * sqrt(7.0 / 3));
}
END_TEST

/*
 * n = 2: t with 1 df is the Cauchy distribution, t(p) = tan(pi (p -
 * 1/2)); p = 0.975: tan(0.475 pi) = 12.706204736174707 (tables: 12.71).
 * {10, 14}: mean 12, sd sqrt(8), half width t * sqrt(8) / sqrt(2) = 2t.
 * NaN values (a run lacking the measure) are skipped.
 */
START_TEST(two_values_and_nan)
{
	double x[] = { 10, NAN, 14 };
	struct levels_stat s;
	double t = tan(0.475 * M_PI);

	levels_stat(x, 3, &s);
	ck_assert_uint_eq(s.n, 2);
	near(s.mean, 12);
	near(s.sd, sqrt(8));
	near(s.ci_hi - s.mean, 2 * t);
	near(t, 12.706204736174707);
}
END_TEST

START_TEST(one_and_none)
{
	double x[] = { 5, NAN };
	struct levels_stat s;

	levels_stat(x, 1, &s);
	ck_assert_uint_eq(s.n, 1);
	near(s.mean, 5);
	ck_assert(isnan(s.sd) && isnan(s.ci_lo) && isnan(s.ci_hi));
	levels_stat(x + 1, 1, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(isnan(s.mean));
}
END_TEST

/* Numeric levels sort by value ("100" after "50"), text by strcmp. */
START_TEST(grouping)
{
	const char *cpu[] = { "100", "50", "0", "50", "100", "0" };
	const char *flavor[] = { "tiny", "small", "tiny", "small", "tiny", "medium" };
	double y[] = { 30, 20, 10, 22, 34, 12 };
	struct levels *l = levels_group(cpu, y, 6);

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->numeric, 1);
	ck_assert_uint_eq(l->nlevels, 3);
	ck_assert_str_eq(l->v[0].name, "0");
	ck_assert_str_eq(l->v[1].name, "50");
	ck_assert_str_eq(l->v[2].name, "100");
	near(l->v[2].s.mean, 32);
	near(l->v[2].s.sd, sqrt(8));
	ck_assert_uint_eq(l->v[0].s.n, 2);
	ck_assert_int_eq(levels_find(l, "50"), 1);
	ck_assert_int_eq(levels_find(l, "5"), -1);
	levels_free(l);

	l = levels_group(flavor, y, 6);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->numeric, 0);
	ck_assert_str_eq(l->v[0].name, "medium");
	ck_assert_str_eq(l->v[1].name, "small");
	ck_assert_str_eq(l->v[2].name, "tiny");
	near(l->v[2].s.mean, (30 + 10 + 34) / 3.0);
	ck_assert_uint_eq(l->v[0].s.n, 1);
	levels_free(l);
	levels_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("levels");
	TCase *tc = tcase_create("stats");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, three_values);
	tcase_add_test(tc, two_values_and_nan);
	tcase_add_test(tc, one_and_none);
	tcase_add_test(tc, grouping);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
