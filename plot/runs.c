/*
 * runs.c: the charts of an experiment's runs (runs.csv): downtime against
 * guest memory with the fitted line and its band (memory), and each
 * run's downtime decomposed into paused, convergence and resolution
 * (decomposition).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jpath.h"
#include "base/mt.h"
#include "stats/regress.h"
#include "stats/table.h"
#include "plot/plot.h"

/* ---- memory --------------------------------------------------------- */

static int
pick_measure(const struct opts *o, const struct table *t, const char *csv)
{
	int c;

	if (o->measure) {
		if ((c = table_col(t, o->measure)) == -1)
			perr("%s: no column \"%s\" (--measure)", csv, o->measure);
		return c;
	}
	if ((c = table_col(t, "interruption_ms")) >= 0 &&
	    table_col_numeric(t, (size_t)c))
		return c;
	if ((c = table_col(t, "libvirt_downtime_ms")) >= 0 &&
	    table_col_numeric(t, (size_t)c))
		return c;
	return -1;
}

/* The memory column: --x, else the first numeric column named *mem*. */
int
pick_memory(const struct opts *o, const struct table *t)
{
	if (o->xcol)
		return table_col(t, o->xcol);
	for (size_t c = 0; c < t->ncols; c++)
		if (strstr(t->names[c], "mem") && table_col_numeric(t, c))
			return (int)c;
	return -1;
}

/*
 * Where to draw run i sideways of its x: runs that share an x (the levels
 * of a designed experiment) are put, in the order of their y, into up to
 * JITTER_LANES lanes around it, so neighbours in y land in different
 * lanes. A lane is 0.8 % of the x range, at most a tenth of the smallest
 * step between two x values. Deterministic: the same input, the same chart.
 */
#define JITTER_LANES	5

static double
jitter(const double *x, const double *y, size_t n, size_t i, double xmin,
    double xmax)
{
	size_t rank = 0, k = 0, lanes;
	double w = 0.008 * (xmax - xmin), step = INFINITY;

	for (size_t j = 0; j < n; j++) {
		if (x[j] != x[i]) {
			if (fabs(x[j] - x[i]) < step)
				step = fabs(x[j] - x[i]);
			continue;
		}
		k++;
		if (y[j] < y[i] || (y[j] == y[i] && j < i))
			rank++;
	}
	if (k < 2 || !(w > 0))
		return 0;
	w = fmin(w, 0.1 * step);
	lanes = k < JITTER_LANES ? k : JITTER_LANES;
	return ((double)(rank % lanes) - (double)(lanes - 1) / 2) * w;
}

int
chart_memory(const struct opts *o, const char *csv, const struct table *t,
    const char *prefix)
{
	int xc = pick_memory(o, t), yc = pick_measure(o, t, csv);
	int runc = table_col(t, "run"), rc = EXIT_INPUT;
	double *x = NULL, *y = NULL, xmin = INFINITY, xmax = -INFINITY, tq;
	const char **names = NULL;
	size_t n = 0;
	char err[MT_ERRBUF_SIZE], path[4096], dpath[4096], fpath[4096];
	struct regress_model *m = NULL;
	FILE *f = NULL, *s = NULL;
	const char *xu;

	if (xc == -1) {
		perr("%s: no memory column%s%s", csv, o->xcol ? " " : "",
		    o->xcol ? o->xcol : " (name one with --x)");
		return EXIT_INPUT;
	}
	if (yc == -1) {
		if (!o->measure)
			perr("%s: no downtime column (interruption_ms; name "
			    "one with --measure)", csv);
		return EXIT_INPUT;
	}
	x = malloc((t->nrows + 1) * sizeof(*x));
	y = malloc((t->nrows + 1) * sizeof(*y));
	names = calloc(t->nrows + 1, sizeof(*names));
	if (x == NULL || y == NULL || names == NULL)
		goto out;
	for (size_t r = 0; r < t->nrows; r++) {
		if (table_num(t, r, (size_t)xc, &x[n]) != 0 ||
		    table_num(t, r, (size_t)yc, &y[n]) != 0)
			continue;	/* a run lacking either is not drawn */
		names[n] = runc >= 0 ? table_cell(t, r, (size_t)runc) : "";
		xmin = fmin(xmin, x[n]);
		xmax = fmax(xmax, x[n]);
		n++;
	}
	xu = regress_unit_of(t->names[xc]);
	{
		struct regress_factor rf = { .name = t->names[xc], .unit = xu,
		    .x = x };

		m = regress_fit(t->names[yc], regress_unit_of(t->names[yc]) ?
		    regress_unit_of(t->names[yc]) : "ms", y, n, names, &rf, 1,
		    err);
	}
	if (m == NULL) {
		perr("%s: cannot fit %s on %s: %s", csv, t->names[yc],
		    t->names[xc], err);
		goto out;
	}
	tq = regress_t95(m);

	if ((f = dat_open(o, prefix, "memory.dat", dpath, sizeof(dpath))) == NULL)
		goto out;
	fprintf(f, "# %s\t%s\trun\tx_drawn  (x_drawn: x spread sideways "
	    "where runs share an x, lane by rank of y)\n", t->names[xc],
	    t->names[yc]);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%.6f\t%.6f\t", x[i], y[i]);
		dat_str(f, names[i]);
		fprintf(f, "\t%.6f\n", x[i] + jitter(x, y, n, i, xmin, xmax));
	}
	if (dat_close(f, dpath) == -1) {
		f = NULL;
		goto out;
	}
	/* The fitted mean and its 95% confidence band over the x range. */
	if ((f = dat_open(o, prefix, "memory_fit.dat", fpath, sizeof(fpath))) == NULL)
		goto out;
	fprintf(f, "# %s\tfit_ms\tci95_lo_ms\tci95_hi_ms  (OLS %s = a + b x: "
	    "a = %.17g, b = %.17g, R^2 = %.17g, n = %zu)\n", t->names[xc],
	    t->names[yc], m->coef[0].estimate, m->coef[1].estimate, m->r2, n);
	for (int i = 0; i < FIT_POINTS; i++) {
		double xv = xmin + (xmax - xmin) * i / (FIT_POINTS - 1);
		double row[2] = { 1, xv }, fit, se;

		regress_predict(m, row, &fit, &se);
		fprintf(f, "%.6f\t%.6f\t%.6f\t%.6f\n", xv, fit, fit - tq * se,
		    fit + tq * se);
	}
	if (dat_close(f, fpath) == -1) {
		f = NULL;
		goto out;
	}
	f = NULL;

	if ((s = script_open(o, prefix, "memory", path, sizeof(path))) == NULL)
		goto out;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fputs("\nfitfile = ", s);
	gp_quote(s, base_name(fpath));
	fputc('\n', s);
	gp_num(s, "slope", m->coef[1].estimate);
	gp_num(s, "slope_lo", m->coef[1].ci_lo);
	gp_num(s, "slope_hi", m->coef[1].ci_hi);
	gp_num(s, "intercept", m->coef[0].estimate);
	gp_num(s, "r2", m->r2);
	fprintf(s, "nruns = %zu\n", n);
	gp_num(s, "xmin", xmin);
	gp_num(s, "xmax", xmax);
	gp_str(s, "slope_unit", m->coef[1].unit);
	{
		char b[300];

		axis_label(b, sizeof(b), t->names[xc]);
		gp_str(s, "xlabel_text", b);
		/* The column's own unit: a response in seconds is drawn
		 * as it is in runs.csv. */
		if (measure_title(t->names[yc]))
			snprintf(b, sizeof(b), "%s", measure_title(t->names[yc]));
		else if (regress_unit_of(t->names[yc]))
			axis_label(b, sizeof(b), t->names[yc]);
		else
			snprintf(b, sizeof(b), "%s (ms)", t->names[yc]);
		gp_str(s, "ylabel_text", b);
	}
	rc = script_run(o, s, path, "memory");
	s = NULL;
out:
	if (f)
		fclose(f);
	regress_free(m);
	free(x);
	free(y);
	free(names);
	return rc;
}

/* ---- decomposition -------------------------------------------------- */

/*
 * decomposition.dat: per run, in runs.csv order, its number (1..N), name,
 * the three parts and the measured interruption (interruption_ms when
 * runs.csv has it, else their sum). The chart labels bars by name for a
 * few runs and by number for many.
 */
#define DECOMP_MAX_NAMED	16

int
chart_decomposition(const struct opts *o, const char *csv,
    const struct table *t, const char *prefix)
{
	static const char *const cols[] = { "paused_ms", "convergence_ms",
	    "resolution_ms" };
	int ci[3], runc = table_col(t, "run"), rc = EXIT_INPUT;
	int ic = table_col(t, "interruption_ms");
	char path[4096], dpath[4096];
	FILE *f, *s;
	size_t n = 0, maxlen = 0, nneg = 0;
	double ymax = 0, ymin = 0, minrest = 0;

	if (need_cols(t, csv, cols, ci, 3) == -1)
		return EXIT_INPUT;
	if ((f = dat_open(o, prefix, "decomposition.dat", dpath, sizeof(dpath))) == NULL)
		return EXIT_INPUT;
	fprintf(f, "# i\trun\tpaused_ms\tconvergence_ms\tresolution_ms\t"
	    "interruption_ms  (i: the run's number, in the order of %s)\n",
	    csv);
	for (size_t r = 0; r < t->nrows; r++) {
		double v[4];
		const char *name = runc >= 0 ? table_cell(t, r, (size_t)runc) : "";
		int k;

		for (k = 0; k < 3; k++)
			if (table_num(t, r, (size_t)ci[k], &v[k]) != 0)
				break;
		if (k < 3)
			continue;	/* a run without a decomposition */
		if (ic < 0 || table_num(t, r, (size_t)ic, &v[3]) != 0)
			v[3] = v[0] + v[1] + v[2];
		n++;
		fprintf(f, "%zu\t", n);
		dat_str(f, name);
		fprintf(f, "\t%.6f\t%.6f\t%.6f\t%.6f\n", v[0], v[1], v[2], v[3]);
		if (strlen(name) > maxlen)
			maxlen = strlen(name);
		ymax = fmax(ymax, fmax(v[3], v[0] + v[1] + fmax(v[2], 0)));
		ymin = fmin(ymin, fmin(v[0], v[0] + v[1]));
		if (v[2] < 0) {
			nneg++;
			minrest = fmin(minrest, v[2]);
		}
	}
	if (dat_close(f, dpath) == -1)
		return EXIT_INPUT;
	if (n == 0) {
		perr("%s: no run has paused_ms, convergence_ms and "
		    "resolution_ms", csv);
		return EXIT_INPUT;
	}
	if ((s = script_open(o, prefix, "decomposition", path, sizeof(path))) == NULL)
		return EXIT_INPUT;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fprintf(s, "\nnruns = %zu\nmax_name = %zu\n", n, maxlen);
	fprintf(s, "named = %d\n", n <= DECOMP_MAX_NAMED);
	fprintf(s, "n_negative_rest = %zu\n", nneg);
	gp_num(s, "min_rest", minrest);
	gp_num(s, "ymax", ymax);
	gp_num(s, "ymin", ymin);
	rc = script_run(o, s, path, "decomposition");
	return rc;
}
