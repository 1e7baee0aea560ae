/*
 * precopy.c: the pre-copy model's expected downtime against the measured
 * one (see precopy.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "runs/precopy.h"

int
precopy_note(const struct table *t, int rcol, double rscale, char **note)
{
	int ecol = table_col(t, "expected_downtime_ms");
	double *x, *y, *d;
	size_t n = 0;
	int rc = 0;

	*note = NULL;
	if (ecol == -1 || rcol == -1 || t->nrows == 0)
		return 0;
	x = malloc(t->nrows * sizeof(*x));
	y = malloc(t->nrows * sizeof(*y));
	d = malloc(t->nrows * sizeof(*d));
	if (x == NULL || y == NULL || d == NULL) {
		rc = -1;
		goto out;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		double e, m;

		if (table_num(t, r, (size_t)ecol, &e) != 0 ||
		    table_num(t, r, (size_t)rcol, &m) != 0)
			continue;
		x[n] = e;
		y[n] = m * rscale;
		d[n] = y[n] - x[n];
		n++;
	}
	if (n < 3)
		goto out;

	double c0, c1, cov00, cov01, cov11, sumsq, tq, r2, syy;

	gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	tq = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2));
	syy = gsl_stats_tss(y, 1, n);
	r2 = syy > 0 ? 1 - sumsq / syy : NAN;
	gsl_sort(d, 1, n);
	if (asprintf(note, "pre-copy model over %zu runs: expected downtime "
	    "(expected_downtime_ms: bytes pending at the switchover over the "
	    "migration's rate) mean %.1f ms, measured (%s) mean %.1f ms; "
	    "measured - expected median %.1f ms (%.1f to %.1f); measured = "
	    "%.3g + %.3g x expected (slope 95%% CI %.3g to %.3g, R^2 %.3f)",
	    n, gsl_stats_mean(x, 1, n), t->names[rcol],
	    gsl_stats_mean(y, 1, n), gsl_stats_median_from_sorted_data(d, 1, n),
	    d[0], d[n - 1], c0, c1, c1 - tq * sqrt(cov11),
	    c1 + tq * sqrt(cov11), r2) == -1) {
		*note = NULL;
		rc = -1;
	}
out:
	free(x);
	free(y);
	free(d);
	return rc;
}
