/* check_regress.c: OLS regression against exact answers (lib/stats/regress.h). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/regress.h"

/* Relative 1e-9 (absolute for values below 1). */
static void
near_(double got, double want, double eps, const char *what)
{
	ck_assert_msg(fabs(got - want) <= eps * fmax(1.0, fabs(want)),
	    "%s: got %.17g, want %.17g", what, got, want);
}
#define near(g, w) near_((g), (w), 1e-9, #g)

/*
 * Two-sided p value of Student's t with 4 df, in closed form (no GSL):
 * with w = t / sqrt(t^2 + 4), the CDF gives 2F(t) - 1 = (3w - w^3)/2,
 * so p = 1 - (3w - w^3)/2 = (1 - w)^2 (2 + w) / 2, and 1 - w =
 * 4 / (r (r + t)) with r = sqrt(t^2 + 4) avoids cancellation.
 */
static double
p_t4(double t)
{
	double r, omw;

	t = fabs(t);
	r = sqrt(t * t + 4);
	omw = 4 / (r * (r + t));
	return omw * omw * (2 + t / r) / 2;
}

/* The 95% two-sided t quantile for 4 df: bisection on p_t4() = 0.05. */
static double
t4_quantile95(void)
{
	double lo = 1, hi = 10;

	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (p_t4(mid) > 0.05)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Example A, the textbook simple regression: x = 1..5, y = 2 4 5 4 5.
 * x mean 3, Sxx = 10, Sxy = 6: slope 0.6, intercept 4 - 0.6 * 3 = 2.2.
 * Fitted 2.8 3.4 4.0 4.6 5.2, residuals -0.8 0.6 1 -0.6 -0.2:
 * SSE = 2.4, SST = 6, R^2 = 0.6, adj R^2 = 1 - 0.4 * 4/3 = 7/15,
 * s^2 = 2.4/3 = 0.8, se(slope) = sqrt(0.8/10), se(intercept) =
 * sqrt(0.8 (1/5 + 9/10)) = sqrt(0.88), F = 3.6 / 0.8 = 4.5 = t^2.
 * With 3 df the t CDF is F(t) = 1/2 + (theta + sin theta cos theta)/pi,
 * theta = atan(t / sqrt 3): slope t^2 = 4.5, tan theta = sqrt(1.5), so
 * p = 1 - (2/pi)(atan(sqrt 1.5) + sqrt(1.5)/2.5) = 0.12402706265..
 * (R: summary(lm(y ~ x)) prints 0.124 for x).
 */
START_TEST(textbook_simple)
{
	double x[] = { 1, 2, 3, 4, 5 }, y[] = { 2, 4, 5, 4, 5 };
	struct regress_factor f = { .name = "x", .x = x };
	char err[MT_ERRBUF_SIZE];
	struct regress_model *m = regress_fit("y", "ms", y, 5, NULL, &f, 1, err);
	double pslope = 1 - (2 / M_PI) * (atan(sqrt(1.5)) + sqrt(1.5) / 2.5);
	double fit, se;

	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_uint_eq(m->n, 5);
	ck_assert_uint_eq(m->p, 2);
	ck_assert_uint_eq(m->df, 3);
	near(m->coef[0].estimate, 2.2);
	near(m->coef[1].estimate, 0.6);
	near(m->sse, 2.4);
	near(m->sst, 6);
	near(m->r2, 0.6);
	near(m->adj_r2, 7.0 / 15);
	near(m->rse, sqrt(0.8));
	near(m->coef[1].std_error, sqrt(0.08));
	near(m->coef[0].std_error, sqrt(0.88));
	near(m->coef[1].t, 0.6 / sqrt(0.08));
	near(m->coef[1].p, pslope);
	near(m->f, 4.5);
	near(m->f_p, pslope);	/* one factor: the F test is the t test */
	ck_assert_str_eq(m->coef[0].name, "(intercept)");
	ck_assert_str_eq(m->coef[1].unit, "ms per unit of x");
	/* Mean at x = 3: 4, se = s / sqrt(n) (x at its mean). */
	ck_assert_int_eq(regress_predict(m, (double[]){ 1, 3 }, &fit, &se), 0);
	near(fit, 4);
	near(se, sqrt(0.8 / 5));
	ck_assert_uint_eq(m->nshare, 1);
	near(m->share[0].share, 1);
	regress_free(m);
}
END_TEST

/*
 * Example B: flavor (indicator), memory in use and CPU load, 8 runs, 4
 * parameters. Solved with exact rational arithmetic (Python fractions:
 * beta = (X'X)^-1 X'y, SSE = |y - X beta|^2, var = SSE/4 diag (X'X)^-1):
 *   run  flavor mem_mib cpu_load  y (ms)
 *   1    tiny   100     0         330
 *   2    tiny   200     50        322
 *   3    tiny   300     100       401
 *   4    tiny   400     50        390
 *   5    small  100     100       455
 *   6    small  200     0         468
 *   7    small  300     50        431
 *   8    small  400     100       520
 * Baseline "small" (first in strcmp order), so the indicator is tiny.
 *   intercept 8969/22, flavor=tiny -1147/11, mem 1911/11000 ms/MiB,
 *   cpu 153/550 ms/%; SSE 221017/55; SST 259071/8;
 *   R^2 = 12480769/14248905; var: 1768136/1815, 3757289/7260,
 *   4199323/363000000, 221017/2268750.
 *   Type I SS in the order flavor, mem, cpu: 185761/8, 173889/40,
 *   70227/88 (sum = SST - SSE).
 */
START_TEST(textbook_indicators)
{
	const char *flavor[] = { "tiny", "tiny", "tiny", "tiny", "small",
	    "small", "small", "small" };
	double mem[] = { 100, 200, 300, 400, 100, 200, 300, 400 };
	double cpu[] = { 0, 50, 100, 50, 100, 0, 50, 100 };
	double y[] = { 330, 322, 401, 390, 455, 468, 431, 520 };
	struct regress_factor f[] = {
		{ .name = "flavor", .categorical = 1, .level = flavor },
		{ .name = "mem_mib", .unit = "MiB", .x = mem },
		{ .name = "cpu_load", .unit = "%", .x = cpu },
	};
	double beta[] = { 8969.0 / 22, -1147.0 / 11, 1911.0 / 11000,
	    153.0 / 550 };
	double var[] = { 1768136.0 / 1815, 3757289.0 / 7260,
	    4199323.0 / 363000000, 221017.0 / 2268750 };
	double ss[] = { 185761.0 / 8, 173889.0 / 40, 70227.0 / 88 };
	double sse = 221017.0 / 55, sst = 259071.0 / 8;
	double t95 = t4_quantile95();	/* qt(0.975, 4) = 2.776445.. */
	char err[MT_ERRBUF_SIZE];
	struct regress_model *m = regress_fit("interruption", "ms", y, 8,
	    NULL, f, 3, err);

	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_uint_eq(m->p, 4);
	ck_assert_uint_eq(m->df, 4);
	for (int j = 0; j < 4; j++) {
		near(m->coef[j].estimate, beta[j]);
		near(m->coef[j].std_error, sqrt(var[j]));
		near(m->coef[j].t, beta[j] / sqrt(var[j]));
		near(m->coef[j].p, p_t4(beta[j] / sqrt(var[j])));
		near(m->coef[j].ci_hi - m->coef[j].estimate, t95 * sqrt(var[j]));
	}
	near(m->sse, sse);
	near(m->sst, sst);
	near(m->r2, 12480769.0 / 14248905);
	near(m->adj_r2, 1 - (sse / sst) * 7 / 4);
	near(m->rse, sqrt(sse / 4));
	for (int k = 0; k < 3; k++) {
		near(m->share[k].ss, ss[k]);
		near(m->share[k].share, ss[k] / (sst - sse));
	}
	ck_assert_str_eq(m->coef[1].name, "flavor=tiny");
	ck_assert_str_eq(m->coef[1].unit, "ms (tiny vs small)");
	ck_assert_str_eq(m->coef[2].unit, "ms/MiB");
	ck_assert_str_eq(m->coef[3].unit, "ms/%");
	ck_assert_str_eq(m->baseline[0], "small");
	ck_assert_ptr_null(m->baseline[1]);
	regress_free(m);

	/* The same data with tiny as the baseline: the indicator flips. */
	f[0].baseline = "tiny";
	m = regress_fit("interruption", "ms", y, 8, NULL, f, 3, err);
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_str_eq(m->coef[1].name, "flavor=small");
	ck_assert_str_eq(m->coef[1].unit, "ms (small vs tiny)");
	near(m->coef[1].estimate, 1147.0 / 11);
	near(m->coef[0].estimate, 8969.0 / 22 - 1147.0 / 11);
	near(m->r2, 12480769.0 / 14248905);
	regress_free(m);
}
END_TEST

/*
 * NIST StRD "Longley" (higher difficulty: ill-conditioned), certified
 * values from https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml
 * (also reproduced here with exact rational arithmetic): the reference
 * every regression program (R's lm, GSL's own tests) is held to.
 */
static const double longley_x[16][6] = {
	{ 83.0, 234289, 2356, 1590, 107608, 1947 },
	{ 88.5, 259426, 2325, 1456, 108632, 1948 },
	{ 88.2, 258054, 3682, 1616, 109773, 1949 },
	{ 89.5, 284599, 3351, 1650, 110929, 1950 },
	{ 96.2, 328975, 2099, 3099, 112075, 1951 },
	{ 98.1, 346999, 1932, 3594, 113270, 1952 },
	{ 99.0, 365385, 1870, 3547, 115094, 1953 },
	{ 100.0, 363112, 3578, 3350, 116219, 1954 },
	{ 101.2, 397469, 2904, 3048, 117388, 1955 },
	{ 104.6, 419180, 2822, 2857, 118734, 1956 },
	{ 108.4, 442769, 2936, 2798, 120445, 1957 },
	{ 110.8, 444546, 4681, 2637, 121950, 1958 },
	{ 112.6, 482704, 3813, 2552, 123366, 1959 },
	{ 114.2, 502601, 3931, 2514, 125368, 1960 },
	{ 115.7, 518173, 4806, 2572, 127852, 1961 },
	{ 116.9, 554894, 4007, 2827, 130081, 1962 },
};
static const double longley_y[16] = { 60323, 61122, 60171, 61187, 63221,
	63639, 64989, 63761, 66019, 67857, 68169, 66513, 68655, 69564,
	69331, 70551 };

START_TEST(nist_longley)
{
	static const double cert_b[7] = { -3482258.63459582,
	    15.0618722713733, -0.358191792925910E-01, -2.02022980381683,
	    -1.03322686717359, -0.511041056535807E-01, 1829.15146461355 };
	static const double cert_se[7] = { 890420.383607373,
	    84.9149257747669, 0.334910077722432E-01, 0.488399681651699,
	    0.214274163161675, 0.226073200069370, 455.478499142212 };
	double cols[6][16];
	struct regress_factor f[6];
	const char *names[6] = { "x1", "x2", "x3", "x4", "x5", "x6" };
	char err[MT_ERRBUF_SIZE];
	struct regress_model *m;

	for (int k = 0; k < 6; k++) {
		for (int i = 0; i < 16; i++)
			cols[k][i] = longley_x[i][k];
		f[k] = (struct regress_factor){ .name = names[k], .x = cols[k] };
	}
	m = regress_fit("y", "ms", longley_y, 16, NULL, f, 6, err);
	ck_assert_msg(m != NULL, "%s", err);
	for (int j = 0; j < 7; j++) {
		near(m->coef[j].estimate, cert_b[j]);
		near(m->coef[j].std_error, cert_se[j]);
	}
	near(m->rse, 304.854073561965);
	near(m->r2, 0.995479004577296);
	near(m->sse, 836424.055505915);
	/* Longley is collinear: the notes must say so. */
	int collinear = 0;
	for (size_t i = 0; i < m->nnote; i++)
		if (strstr(m->note[i], "collinear factors"))
			collinear = 1;
	ck_assert(collinear);
	regress_free(m);
}
END_TEST

/*
 * Synthetic runs with known coefficients plus Gaussian noise: downtime =
 * 300 ms + 120 ms (small vs tiny) + 2 ms/% CPU + 0.5 ms/MiB + N(0, 20).
 * One fixed-seed experiment must recover every coefficient inside its
 * 99.9% interval, and over 400 experiments the 95% intervals must cover
 * the truth about 95% of the time (binomial sd 1.1%: accept 91-99%).
 */
START_TEST(synthetic_recovery)
{
	enum { N = 48, REPS = 400 };
	const double truth[] = { 300, 120, 2, 0.5 };
	const char *flavor[N];
	double cpu[N], mem[N], y[N];
	struct regress_factor f[] = {
		{ .name = "flavor", .categorical = 1, .level = flavor,
		  .baseline = "tiny" },
		{ .name = "cpu_load", .unit = "%", .x = cpu },
		{ .name = "mem_mib", .unit = "MiB", .x = mem },
	};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	char err[MT_ERRBUF_SIZE];
	int covered = 0, total = 0;

	gsl_rng_set(r, 20261127);
	for (int rep = 0; rep < REPS; rep++) {
		for (int i = 0; i < N; i++) {
			flavor[i] = i % 2 ? "small" : "tiny";
			cpu[i] = 25.0 * ((i / 2) % 4);
			mem[i] = 64.0 * (1 + (i / 8) % 6) + gsl_rng_uniform(r) * 32;
			y[i] = truth[0] + (i % 2 ? truth[1] : 0) +
			    truth[2] * cpu[i] + truth[3] * mem[i] +
			    gsl_ran_gaussian(r, 20);
		}
		struct regress_model *m = regress_fit("interruption", "ms", y,
		    N, NULL, f, 3, err);

		ck_assert_msg(m != NULL, "%s", err);
		ck_assert_uint_eq(m->p, 4);
		for (int j = 0; j < 4; j++) {
			if (rep == 0) {
				/* the 99.9% half width */
				double half = m->coef[j].std_error *
				    gsl_cdf_tdist_Qinv(0.0005, (double)m->df);
				ck_assert_msg(fabs(m->coef[j].estimate -
				    truth[j]) < half, "%s: %g, truth %g",
				    m->coef[j].name, m->coef[j].estimate,
				    truth[j]);
			}
			covered += m->coef[j].ci_lo <= truth[j] &&
			    truth[j] <= m->coef[j].ci_hi;
			total++;
		}
		if (rep == 0) {
			ck_assert_str_eq(m->coef[1].unit, "ms (small vs tiny)");
			ck_assert(m->r2 > 0.8);
			near_(m->rse, 20, 0.3, "rse");	/* sd of the noise */
		}
		regress_free(m);
	}
	gsl_rng_free(r);
	ck_assert_msg(covered >= 0.91 * total && covered <= 0.99 * total,
	    "95%% intervals covered the truth %d of %d times", covered, total);
}
END_TEST

/*
 * A balanced, orthogonal 2 x 3 design (each cell twice): the type I
 * shares do not depend on the order of the factors, and no note says
 * the design is unbalanced. Dropping one run makes it unbalanced.
 */
START_TEST(shares_balanced)
{
	const char *a[12], *b[12];
	double y[12] = { 10, 12, 20, 23, 31, 29, 15, 18, 27, 26, 36, 38 };
	const char *alev[] = { "tiny", "small" }, *blev[] = { "0", "50", "100" };
	char err[MT_ERRBUF_SIZE];

	for (int i = 0; i < 12; i++) {
		a[i] = alev[i / 6];
		b[i] = blev[(i / 2) % 3];
	}
	struct regress_factor ab[] = {
		{ .name = "flavor", .categorical = 1, .level = a },
		{ .name = "cpu", .categorical = 1, .level = b },
	};
	struct regress_factor ba[] = { ab[1], ab[0] };
	struct regress_model *m1 = regress_fit("y", "ms", y, 12, NULL, ab, 2, err);
	struct regress_model *m2 = regress_fit("y", "ms", y, 12, NULL, ba, 2, err);

	ck_assert_ptr_nonnull(m1);
	ck_assert_ptr_nonnull(m2);
	near(m1->share[0].share, m2->share[1].share);
	near(m1->share[1].share, m2->share[0].share);
	near(m1->share[0].share + m1->share[1].share, 1);
	ck_assert_uint_eq(m1->share[1].df, 2);
	/* numeric levels sort by value: baseline "0", columns 50 and 100 */
	ck_assert_str_eq(m1->coef[2].name, "cpu=50");
	ck_assert_str_eq(m1->coef[3].name, "cpu=100");
	for (size_t i = 0; i < m1->nnote; i++)
		ck_assert(strstr(m1->note[i], "unbalanced") == NULL);
	regress_free(m1);
	regress_free(m2);

	m1 = regress_fit("y", "ms", y, 11, NULL, ab, 2, err);
	ck_assert_msg(m1 != NULL, "%s", err);
	int unbalanced = 0;
	for (size_t i = 0; i < m1->nnote; i++)
		if (strstr(m1->note[i], "unbalanced design"))
			unbalanced = 1;
	ck_assert(unbalanced);
	regress_free(m1);
}
END_TEST

static void
want_error(struct regress_model *m, const char *err, const char *want)
{
	ck_assert_ptr_null(m);
	ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"",
	    err, want);
}

START_TEST(errors)
{
	double x[] = { 1, 2, 3, 4 }, c[] = { 5, 5, 5, 5 };
	double x2[] = { 2, 4, 6, 8 }, y[] = { 1, 3, 2, 5 };
	double ymiss[] = { 1, NAN, 2, NAN }, xmiss[] = { 1, 2, NAN, 4 };
	double yc[] = { 7, 7, 7, 7 };
	const char *one[] = { "tiny", "tiny", "tiny", "tiny" };
	const char *lmiss[] = { "tiny", "", "small", "small" };
	const char *two[] = { "tiny", "small", "tiny", "small" };
	const char *runs[] = { "r1", "r2", "r3", "r4" };
	char err[MT_ERRBUF_SIZE];
	struct regress_factor f[2];

	f[0] = (struct regress_factor){ .name = "mem_mib", .x = x };
	f[1] = (struct regress_factor){ .name = "cpu_load", .x = c };
	want_error(regress_fit("y", "ms", y, 4, runs, f, 2, err), err,
	    "factor cpu_load is constant (every run has 5)");
	f[1] = (struct regress_factor){ .name = "flavor", .categorical = 1,
	    .level = one };
	want_error(regress_fit("y", "ms", y, 4, runs, f, 2, err), err,
	    "factor flavor is constant (every run has tiny)");
	f[1] = (struct regress_factor){ .name = "mem_x2", .x = x2 };
	want_error(regress_fit("y", "ms", y, 4, runs, f, 2, err), err,
	    "factor mem_x2 is collinear with the factors before it");
	want_error(regress_fit("y", "ms", y, 3, runs, f, 2, err), err,
	    "3 runs for 3 parameters (intercept and 2 factor columns): the "
	    "model needs at least 4 runs");
	want_error(regress_fit("y", "ms", ymiss, 4, runs, f, 1, err), err,
	    "r2, r4 lack the response y");
	f[0].x = xmiss;
	want_error(regress_fit("y", "ms", y, 4, runs, f, 1, err), err,
	    "r3 lacks the factor mem_mib");
	f[0] = (struct regress_factor){ .name = "flavor", .categorical = 1,
	    .level = lmiss };
	want_error(regress_fit("y", "ms", y, 4, NULL, f, 1, err), err,
	    "row 2 lacks the factor flavor");
	f[0] = (struct regress_factor){ .name = "mem_mib", .x = x };
	want_error(regress_fit("y", "ms", yc, 4, runs, f, 1, err), err,
	    "the response y is constant");
	f[0] = (struct regress_factor){ .name = "flavor", .categorical = 1,
	    .level = two, .baseline = "medium" };
	want_error(regress_fit("y", "ms", y, 4, runs, f, 1, err), err,
	    "factor flavor has no level \"medium\"");
	regress_free(NULL);
}
END_TEST

START_TEST(notes_and_units)
{
	double x[] = { 1, 2, 3, 4, 5 }, y[] = { 2, 4, 6, 8, 10 };
	struct regress_factor f = { .name = "x", .unit = "MiB", .x = x };
	char err[MT_ERRBUF_SIZE];
	struct regress_model *m = regress_fit("y", "ms", y, 5, NULL, &f, 1, err);
	int perfect = 0, few = 0;

	ck_assert_msg(m != NULL, "%s", err);
	for (size_t i = 0; i < m->nnote; i++) {
		perfect |= strstr(m->note[i], "perfect fit") != NULL;
		few |= strstr(m->note[i], "few runs: 5 runs for 2 parameters") != NULL;
	}
	ck_assert(perfect && few);
	near(m->coef[1].estimate, 2);
	ck_assert_str_eq(m->coef[1].unit, "ms/MiB");
	regress_free(m);

	ck_assert_str_eq(regress_unit_of("mem_used_mib"), "MiB");
	ck_assert_str_eq(regress_unit_of("cpu_load"), "%");
	ck_assert_str_eq(regress_unit_of("cpu_pct"), "%");
	ck_assert_str_eq(regress_unit_of("downtime_ms"), "ms");
	ck_assert_str_eq(regress_unit_of("duration_s"), "s");
	ck_assert_ptr_null(regress_unit_of("flavor"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("regress");
	TCase *exact = tcase_create("exact");
	TCase *synth = tcase_create("synthetic");
	TCase *bad = tcase_create("errors");
	SRunner *sr;
	int failed;

	tcase_add_test(exact, textbook_simple);
	tcase_add_test(exact, textbook_indicators);
	tcase_add_test(exact, nist_longley);
	tcase_add_test(synth, synthetic_recovery);
	tcase_add_test(synth, shares_balanced);
	tcase_add_test(bad, errors);
	tcase_add_test(bad, notes_and_units);
	tcase_set_timeout(synth, 60);
	suite_add_tcase(s, exact);
	suite_add_tcase(s, synth);
	suite_add_tcase(s, bad);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
