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

/* One series of the memory chart: its runs and their fit. */
struct mseries {
	double *x, *y;
	const char **names;
	size_t n;
	double xmin, xmax;
	struct regress_model *m;
	char dpath[4096], fpath[4096];
};

static void
mseries_free(struct mseries *ms)
{
	regress_free(ms->m);
	free(ms->x);
	free(ms->y);
	free(ms->names);
}

/*
 * Load the runs of t with a number in columns xc and yc into ms and fit
 * yc on xc. Return 0, or EXIT_INPUT (printed).
 */
static int
mseries_load(const char *csv, const struct table *t, int xc, int yc,
    struct mseries *ms)
{
	int runc = table_col(t, "run"), okc = table_col(t, "guest_ok");
	char err[MT_ERRBUF_SIZE];

	memset(ms, 0, sizeof(*ms));
	ms->xmin = INFINITY;
	ms->xmax = -INFINITY;
	ms->x = malloc((t->nrows + 1) * sizeof(*ms->x));
	ms->y = malloc((t->nrows + 1) * sizeof(*ms->y));
	ms->names = calloc(t->nrows + 1, sizeof(*ms->names));
	if (ms->x == NULL || ms->y == NULL || ms->names == NULL) {
		perr("out of memory");
		return EXIT_INPUT;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		size_t n = ms->n;

		if (table_num(t, r, (size_t)xc, &ms->x[n]) != 0 ||
		    table_num(t, r, (size_t)yc, &ms->y[n]) != 0)
			continue;	/* a run lacking either is not drawn */
		/* nor one whose guest was not clean (the lab's guest_ok) */
		if (okc >= 0 && strcmp(table_cell(t, r, (size_t)okc), "1") != 0 &&
		    strcmp(table_cell(t, r, (size_t)okc), "true") != 0)
			continue;
		ms->names[n] = runc >= 0 ? table_cell(t, r, (size_t)runc) : "";
		ms->xmin = fmin(ms->xmin, ms->x[n]);
		ms->xmax = fmax(ms->xmax, ms->x[n]);
		ms->n++;
	}
	{
		struct regress_factor rf = { .name = t->names[xc],
		    .unit = regress_unit_of(t->names[xc]), .x = ms->x };

		ms->m = regress_fit(t->names[yc], regress_unit_of(t->names[yc]) ?
		    regress_unit_of(t->names[yc]) : "ms", ms->y, ms->n,
		    ms->names, &rf, 1, err);
	}
	if (ms->m == NULL) {
		perr("%s: cannot fit %s on %s: %s", csv, t->names[yc],
		    t->names[xc], err);
		return EXIT_INPUT;
	}
	return 0;
}

/*
 * Write the series' runs (NAME.dat) and its fitted mean with the 95%
 * band from xmin to xmax (NAME_fit.dat). -1 on error (printed).
 */
static int
mseries_write(const struct opts *o, const char *prefix, const char *name,
    const char *xname, const char *yname, double xmin, double xmax,
    struct mseries *ms)
{
	char dn[64], fn[64];
	double tq = regress_t95(ms->m);
	FILE *f;

	snprintf(dn, sizeof(dn), "%s.dat", name);
	snprintf(fn, sizeof(fn), "%s_fit.dat", name);
	if ((f = dat_open(o, prefix, dn, ms->dpath, sizeof(ms->dpath))) == NULL)
		return -1;
	fprintf(f, "# %s\t%s\trun\tx_drawn  (x_drawn: x spread sideways "
	    "where runs share an x, lane by rank of y)\n", xname, yname);
	for (size_t i = 0; i < ms->n; i++) {
		fprintf(f, "%.6f\t%.6f\t", ms->x[i], ms->y[i]);
		dat_str(f, ms->names[i]);
		fprintf(f, "\t%.6f\n", ms->x[i] + jitter(ms->x, ms->y, ms->n,
		    i, xmin, xmax));
	}
	if (dat_close(f, ms->dpath) == -1)
		return -1;
	if ((f = dat_open(o, prefix, fn, ms->fpath, sizeof(ms->fpath))) == NULL)
		return -1;
	fprintf(f, "# %s\tfit_ms\tci95_lo_ms\tci95_hi_ms  (OLS %s = a + b x: "
	    "a = %.17g, b = %.17g, R^2 = %.17g, n = %zu)\n", xname, yname,
	    ms->m->coef[0].estimate, ms->m->coef[1].estimate, ms->m->r2, ms->n);
	for (int i = 0; i < FIT_POINTS; i++) {
		double xv = ms->xmin + (ms->xmax - ms->xmin) * i /
		    (FIT_POINTS - 1);
		double row[2] = { 1, xv }, fit, se;

		regress_predict(ms->m, row, &fit, &se);
		fprintf(f, "%.6f\t%.6f\t%.6f\t%.6f\n", xv, fit, fit - tq * se,
		    fit + tq * se);
	}
	return dat_close(f, ms->fpath);
}

/* The series' variables for the template, their names ending in sfx. */
static void
mseries_vars(FILE *s, const char *sfx, const struct mseries *ms)
{
	char k[64];

	snprintf(k, sizeof(k), "datafile%s = ", sfx);
	fputs(k, s);
	gp_quote(s, base_name(ms->dpath));
	snprintf(k, sizeof(k), "\nfitfile%s = ", sfx);
	fputs(k, s);
	gp_quote(s, base_name(ms->fpath));
	fputc('\n', s);
#define V(name, v) do { snprintf(k, sizeof(k), "%s%s", name, sfx); \
	gp_num(s, k, v); } while (0)
	V("slope", ms->m->coef[1].estimate);
	V("slope_lo", ms->m->coef[1].ci_lo);
	V("slope_hi", ms->m->coef[1].ci_hi);
	V("intercept", ms->m->coef[0].estimate);
	V("r2", ms->m->r2);
#undef V
	fprintf(s, "nruns%s = %zu\n", sfx, ms->n);
	snprintf(k, sizeof(k), "slope_unit%s", sfx);
	gp_str(s, k, ms->m->coef[1].unit);
}

/* A series' name in the key: the lab's memory columns in words. */
static const char *
series_title(const char *col)
{
	if (strcmp(col, "dirty_mib") == 0)
		return "hot set (written during)";
	if (strcmp(col, "fill_mib") == 0 || strcmp(col, "mem_used_mib") == 0)
		return "fill (written before)";
	return col;
}

/*
 * The memory chart: downtime against a memory column, and with --with
 * CSV:COLUMN a second series from another table beside it (the hot set
 * of one experiment beside the fill of another).
 */
int
chart_memory(const struct opts *o, const char *csv, const struct table *t,
    const char *prefix)
{
	int xc = pick_memory(o, t), yc = pick_measure(o, t, csv);
	int rc = EXIT_INPUT, x2c = -1, y2c = -1, two = 0;
	struct mseries a, b;
	struct table *t2 = NULL;
	char err[MT_ERRBUF_SIZE], path[4096], csv2[4096] = "";
	const char *col2 = NULL;
	double xmin, xmax;
	FILE *s = NULL;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
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
	if (o->with) {
		const char *colon = strrchr(o->with, ':');

		if (colon == NULL || colon == o->with || !colon[1] ||
		    (size_t)(colon - o->with) >= sizeof(csv2)) {
			perr("--with %s: give CSV:COLUMN", o->with);
			return EXIT_USAGE;
		}
		memcpy(csv2, o->with, (size_t)(colon - o->with));
		csv2[colon - o->with] = '\0';
		col2 = colon + 1;
		if ((t2 = table_read(csv2, err)) == NULL) {
			perr("%s", err);
			return EXIT_INPUT;
		}
		x2c = table_col(t2, col2);
		y2c = table_col(t2, t->names[yc]);
		if (x2c == -1 || y2c == -1) {
			perr("%s: no column \"%s\" (--with)", csv2,
			    x2c == -1 ? col2 : t->names[yc]);
			goto out;
		}
		two = 1;
	}
	if (mseries_load(csv, t, xc, yc, &a) != 0 ||
	    (two && mseries_load(csv2, t2, x2c, y2c, &b) != 0))
		goto out;
	xmin = a.xmin;
	xmax = a.xmax;
	if (two) {
		xmin = fmin(xmin, b.xmin);
		xmax = fmax(xmax, b.xmax);
	}
	if (mseries_write(o, prefix, "memory", t->names[xc], t->names[yc],
	    xmin, xmax, &a) == -1 || (two && mseries_write(o, prefix,
	    "memory_with", col2, t->names[yc], xmin, xmax, &b) == -1))
		goto out;

	if ((s = script_open(o, prefix, "memory", path, sizeof(path))) == NULL)
		goto out;
	mseries_vars(s, "", &a);
	if (two)
		mseries_vars(s, "2", &b);
	gp_num(s, "xmin", xmin);
	gp_num(s, "xmax", xmax);
	{
		char b1[300], b2[300], bb[700];

		axis_label(b1, sizeof(b1), t->names[xc]);
		if (two) {
			axis_label(b2, sizeof(b2), col2);
			snprintf(bb, sizeof(bb), "%s or %s", b1, b2);
			gp_str(s, "xlabel_text", bb);
			gp_str(s, "title1", series_title(t->names[xc]));
			gp_str(s, "title2", series_title(col2));
		} else
			gp_str(s, "xlabel_text", b1);
		/* The column's own unit: a response in seconds is drawn
		 * as it is in runs.csv. */
		if (measure_title(t->names[yc]))
			snprintf(b1, sizeof(b1), "%s", measure_title(t->names[yc]));
		else if (regress_unit_of(t->names[yc]))
			axis_label(b1, sizeof(b1), t->names[yc]);
		else
			snprintf(b1, sizeof(b1), "%s (ms)", t->names[yc]);
		gp_str(s, "ylabel_text", b1);
	}
	rc = script_run(o, s, path, "memory");
	s = NULL;
out:
	mseries_free(&a);
	mseries_free(&b);
	table_free(t2);
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
