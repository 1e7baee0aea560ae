/* regress.c: OLS with intercept and indicator columns, with GSL (see regress.h). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_vector.h>

#include "stats/levels.h"
#include "stats/regress.h"

/*
 * Singular values below RANK_TOL times the largest (of the column-
 * balanced design) count as zero: the factors are collinear. Exact
 * collinearity leaves ratios near DBL_EPSILON; real designs (even the
 * notoriously ill-conditioned NIST Longley data) stay far above it.
 */
#define RANK_TOL 1e-12
#define VIF_NOTE 10.0		/* variance inflation worth a note */
#define FEW_DF 10		/* residual df below this: a note */
#define MAX_NAMED 5		/* runs named in one error line */

static char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	return s;
}

static int
add_note(struct regress_model *m, char *s)
{
	char **nv;

	if (s == NULL)
		return -1;
	if ((nv = realloc(m->note, (m->nnote + 1) * sizeof(*nv))) == NULL) {
		free(s);
		return -1;
	}
	m->note = nv;
	m->note[m->nnote++] = s;
	return 0;
}

void
regress_free(struct regress_model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->ncoef; i++) {
		free(m->coef[i].name);
		free(m->coef[i].factor);
		free(m->coef[i].level);
		free(m->coef[i].unit);
	}
	for (size_t i = 0; i < m->nshare; i++) {
		free(m->share[i].factor);
		if (m->baseline)
			free(m->baseline[i]);
	}
	for (size_t i = 0; i < m->nnote; i++)
		free(m->note[i]);
	free(m->coef);
	free(m->share);
	free(m->baseline);
	free(m->note);
	free(m->cov);
	free(m->response);
	free(m->response_unit);
	free(m);
}

const char *
regress_unit_of(const char *col)
{
	static const struct {
		const char *suffix, *unit;
	} map[] = {
		{ "_mib", "MiB" }, { "_gib", "GiB" }, { "_kib", "KiB" },
		{ "_mb", "MB" }, { "_gb", "GB" }, { "_bytes", "bytes" },
		{ "_b", "bytes" }, { "_pct", "%" }, { "_percent", "%" },
		{ "_load", "%" }, { "_ms", "ms" }, { "_us", "us" },
		{ "_ns", "ns" }, { "_s", "s" }, { "_bps", "bit/s" },
		{ "_mbps", "Mbit/s" }, { "_vcpus", "vCPUs" },
	};
	size_t n = strlen(col);

	if (strcmp(col, "cpu") == 0 || strcmp(col, "load") == 0)
		return "%";
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t k = strlen(map[i].suffix);

		if (n > k && strcasecmp(col + n - k, map[i].suffix) == 0)
			return map[i].unit;
	}
	return NULL;
}

/* One design column: its values and where it came from. */
struct col {
	double *x;
	size_t factor;		/* index into f[] */
	const char *level;	/* categorical level, else NULL */
};

/* "r1, r2, r3 and 4 more" for the rows flagged in bad[]. */
static void
name_rows(char *out, size_t len, const char *const *rowname,
    const int *bad, size_t n)
{
	size_t k = 0, total = 0, used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!bad[i])
			continue;
		total++;
		if (k == MAX_NAMED)
			continue;
		int w;
		if (rowname && rowname[i])
			w = snprintf(out + used, len - used, "%s%s",
			    k ? ", " : "", rowname[i]);
		else
			w = snprintf(out + used, len - used, "%srow %zu",
			    k ? ", " : "", i + 1);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
		k++;
	}
	if (total > k)
		snprintf(out + used, len - used, " and %zu more", total - k);
}

static int
level_missing(const char *s)
{
	return s == NULL || *s == '\0';
}

/*
 * Fit the first ncols columns (intercept first) by OLS. Return 0 and set
 * *sse and *rank; fill c/cov when given (sized ncols).
 */
static int
ols(const struct col *cols, size_t ncols, const double *y, size_t n,
    double *sse, size_t *rank, gsl_vector *cout, gsl_matrix *covout,
    double *rcond)
{
	gsl_multifit_linear_workspace *w;
	gsl_matrix *X, *cov;
	gsl_vector *c;
	gsl_vector_const_view yv = gsl_vector_const_view_array(y, n);
	int rc = -1;

	w = gsl_multifit_linear_alloc(n, ncols);
	X = gsl_matrix_alloc(n, ncols);
	cov = gsl_matrix_alloc(ncols, ncols);
	c = gsl_vector_alloc(ncols);
	if (w == NULL || X == NULL || cov == NULL || c == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < ncols; j++)
			gsl_matrix_set(X, i, j, cols[j].x[i]);
	if (gsl_multifit_linear_tsvd(X, &yv.vector, RANK_TOL, c, cov, sse,
	    rank, w) != GSL_SUCCESS)
		goto out;
	if (*rank == ncols &&
	    gsl_multifit_linear(X, &yv.vector, c, cov, sse, w) != GSL_SUCCESS)
		goto out;
	if (rcond)
		*rcond = gsl_multifit_linear_rcond(w);
	if (cout)
		gsl_vector_memcpy(cout, c);
	if (covout)
		gsl_matrix_memcpy(covout, cov);
	rc = 0;
out:
	gsl_multifit_linear_free(w);
	gsl_matrix_free(X);
	gsl_matrix_free(cov);
	gsl_vector_free(c);
	return rc;
}

/* R^2 of column j regressed on the other non-intercept columns: VIF. */
static double
vif(const struct col *cols, size_t ncols, size_t j, size_t n)
{
	struct col *sub = malloc(ncols * sizeof(*sub));
	double sse, sst = 0, mean = 0, v = NAN;
	size_t k = 0, rank;

	if (sub == NULL)
		return NAN;
	for (size_t i = 0; i < ncols; i++)
		if (i != j)
			sub[k++] = cols[i];
	for (size_t i = 0; i < n; i++)
		mean += cols[j].x[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		sst += (cols[j].x[i] - mean) * (cols[j].x[i] - mean);
	if (ols(sub, k, cols[j].x, n, &sse, &rank, NULL, NULL, NULL) == 0 &&
	    sst > 0 && sse > 0)
		v = sst / sse;		/* 1 / (1 - R^2_j) */
	else if (sse == 0)
		v = INFINITY;
	free(sub);
	return v;
}

/* Notes on the balance of the design: level counts and cell counts. */
static void
balance_notes(struct regress_model *m, const struct regress_factor *f,
    size_t nf, char *const *keys, size_t n)
{
	/*
	 * keys[k*n + i]: factor k's level of row i as text. A factor counts
	 * as designed (has levels) when its levels are at most half the
	 * runs; a continuous factor (memory in use: every run its own value)
	 * has no balance to speak of.
	 */
	for (size_t a = 0; a < nf; a++) {
		for (size_t b = a; b < nf; b++) {
			size_t lo = (size_t)-1, hi = 0, cells = 0, empty = 0;
			size_t na = 0, nb = 0;
			char **la = calloc(n, sizeof(*la)), **lb = calloc(n, sizeof(*lb));

			if (la == NULL || lb == NULL) {
				free(la);
				free(lb);
				return;
			}
			/* distinct levels of a and b */
			for (size_t i = 0; i < n; i++) {
				size_t j;
				for (j = 0; j < na; j++)
					if (strcmp(la[j], keys[a * n + i]) == 0)
						break;
				if (j == na)
					la[na++] = keys[a * n + i];
				for (j = 0; j < nb; j++)
					if (strcmp(lb[j], keys[b * n + i]) == 0)
						break;
				if (j == nb)
					lb[nb++] = keys[b * n + i];
			}
			if (na > n / 2 || nb > n / 2) {
				free(la);
				free(lb);
				continue;	/* continuous: no cells */
			}
			for (size_t x = 0; x < na; x++)
				for (size_t yb = 0; yb < (a == b ? 1 : nb); yb++) {
					size_t cnt = 0;
					for (size_t i = 0; i < n; i++)
						if (strcmp(keys[a * n + i], la[x]) == 0 &&
						    (a == b || strcmp(keys[b * n + i], lb[yb]) == 0))
							cnt++;
					cells++;
					if (cnt == 0)
						empty++;
					if (cnt < lo)
						lo = cnt;
					if (cnt > hi)
						hi = cnt;
				}
			if (lo != hi) {
				if (a == b)
					add_note(m, xasprintf("unbalanced design: "
					    "the %zu levels of %s hold %zu to %zu "
					    "runs", na, f[a].name, lo, hi));
				else
					add_note(m, xasprintf("unbalanced design: "
					    "the %zu cells of %s x %s hold %zu to "
					    "%zu runs%s", cells, f[a].name,
					    f[b].name, lo, hi, empty ?
					    " (some empty)" : ""));
			}
			free(la);
			free(lb);
		}
	}
}

static void
fmt_num(char *b, size_t len, double v)
{
	snprintf(b, len, "%.10g", v);
}

/*
 * One fit in progress: the inputs, the design built from them and the
 * model being filled. Each step below returns 0, or -1 with errbuf set
 * (fit_oom() for memory); fit_free() releases whatever was built.
 */
struct fit {
	const char *response, *ru;	/* name; unit ("" when not given) */
	const double *y;
	size_t n;
	const char *const *rowname;
	const struct regress_factor *f;
	size_t nf;
	char *errbuf;

	struct levels **lv;	/* per factor: its levels when categorical */
	struct col *cols;	/* the design: intercept, then each factor's */
	size_t ncols;
	size_t *fend;		/* factor k's columns end at fend[k + 1] */
	char **keys;		/* nf * n level texts, for balance notes */
	double *sse_k;		/* SSE with the first k factors */
	struct regress_model *m;
};

static int
fit_oom(struct fit *ft)
{
	mt_seterr(ft->errbuf, "out of memory");
	return -1;
}

/* The response's or a factor's value missing in some runs: named. */
static int
missing(struct fit *ft, const int *bad, const char *what, const char *name)
{
	char names[256];
	int any = 0;

	for (size_t i = 0; i < ft->n; i++)
		any |= bad[i];
	if (!any)
		return 0;
	name_rows(names, sizeof(names), ft->rowname, bad, ft->n);
	mt_seterr(ft->errbuf, "%s lack%s the %s %s", names,
	    strchr(names, ',') || strstr(names, " more") ? "" : "s", what,
	    name);
	return -1;
}

/* Step 1: every run has the response and every factor. */
static int
check_values(struct fit *ft)
{
	int *bad = calloc(ft->n ? ft->n : 1, sizeof(*bad));
	int rc;

	if (bad == NULL)
		return fit_oom(ft);
	for (size_t i = 0; i < ft->n; i++)
		bad[i] = !isfinite(ft->y[i]);
	rc = missing(ft, bad, "response", ft->response);
	for (size_t k = 0; rc == 0 && k < ft->nf; k++) {
		const struct regress_factor *fk = &ft->f[k];

		for (size_t i = 0; i < ft->n; i++)
			bad[i] = fk->categorical ? level_missing(fk->level[i]) :
			    !isfinite(fk->x[i]);
		rc = missing(ft, bad, "factor", fk->name);
	}
	free(bad);
	return rc;
}

/* A factor with one value explains nothing. */
static int
constant_factor(struct fit *ft, const char *name, const char *value)
{
	mt_seterr(ft->errbuf, "factor %s is constant (every run has %s): it "
	    "cannot explain anything; leave it out", name, value);
	return -1;
}

/*
 * Step 2: the columns each factor needs (a categorical one: one per
 * level but its baseline), and enough runs for them.
 */
static int
count_columns(struct fit *ft)
{
	char num[64];

	if ((ft->lv = calloc(ft->nf ? ft->nf : 1, sizeof(*ft->lv))) == NULL)
		return fit_oom(ft);
	ft->ncols = 1;
	for (size_t k = 0; k < ft->nf; k++) {
		const struct regress_factor *fk = &ft->f[k];

		if (fk->categorical) {
			if ((ft->lv[k] = levels_group(fk->level, ft->y, ft->n)) ==
			    NULL)
				return fit_oom(ft);
			if (ft->lv[k]->nlevels < 2)
				return constant_factor(ft, fk->name,
				    fk->level[0]);
			if (fk->baseline &&
			    levels_find(ft->lv[k], fk->baseline) == -1) {
				mt_seterr(ft->errbuf, "factor %s has no level \"%s\" "
				    "to use as the baseline", fk->name,
				    fk->baseline);
				return -1;
			}
			ft->ncols += ft->lv[k]->nlevels - 1;
		} else {
			int constant = 1;

			for (size_t i = 1; i < ft->n; i++)
				if (fk->x[i] != fk->x[0])
					constant = 0;
			if (ft->n > 0 && constant) {
				fmt_num(num, sizeof(num), fk->x[0]);
				return constant_factor(ft, fk->name, num);
			}
			ft->ncols++;
		}
	}
	if (ft->n < ft->ncols + 1) {
		size_t n = ft->n, nc = ft->ncols;

		mt_seterr(ft->errbuf, "%zu run%s for %zu parameters (intercept "
		    "and %zu factor column%s): the model needs at least %zu "
		    "runs", n, n == 1 ? "" : "s", nc, nc - 1,
		    nc - 1 == 1 ? "" : "s", nc + 1);
		return -1;
	}
	return 0;
}

/* The baseline level of categorical factor k. */
static const char *
baseline_of(const struct fit *ft, size_t k)
{
	return ft->f[k].baseline ? ft->f[k].baseline : ft->lv[k]->v[0].name;
}

/* Factor k's columns from column j on, and its level texts. Return the
 * next free column, or 0 when out of memory. */
static size_t
factor_columns(struct fit *ft, size_t k, size_t j)
{
	const struct regress_factor *fk = &ft->f[k];
	char num[64];

	if (fk->categorical) {
		for (size_t l = 0; l < ft->lv[k]->nlevels; l++) {
			const char *name = ft->lv[k]->v[l].name;

			if (strcmp(name, baseline_of(ft, k)) == 0)
				continue;
			ft->cols[j].factor = k;
			ft->cols[j].level = name;
			for (size_t i = 0; i < ft->n; i++)
				ft->cols[j].x[i] = strcmp(fk->level[i], name) ==
				    0 ? 1.0 : 0.0;
			j++;
		}
		for (size_t i = 0; i < ft->n; i++)
			ft->keys[k * ft->n + i] = strdup(fk->level[i]);
	} else {
		ft->cols[j].factor = k;
		memcpy(ft->cols[j].x, fk->x, ft->n * sizeof(double));
		j++;
		for (size_t i = 0; i < ft->n; i++) {
			fmt_num(num, sizeof(num), fk->x[i]);
			ft->keys[k * ft->n + i] = strdup(num);
		}
	}
	for (size_t i = 0; i < ft->n; i++)
		if (ft->keys[k * ft->n + i] == NULL)
			return 0;
	return j;
}

/* Step 3: the design matrix, column by column. */
static int
build_design(struct fit *ft)
{
	size_t j = 1;

	if ((ft->fend = calloc(ft->nf + 1, sizeof(*ft->fend))) == NULL ||
	    (ft->cols = calloc(ft->ncols, sizeof(*ft->cols))) == NULL ||
	    (ft->keys = calloc(ft->nf * ft->n + 1, sizeof(*ft->keys))) == NULL ||
	    (ft->sse_k = calloc(ft->nf + 1, sizeof(*ft->sse_k))) == NULL)
		return fit_oom(ft);
	for (size_t c = 0; c < ft->ncols; c++)
		if ((ft->cols[c].x = malloc(ft->n * sizeof(double))) == NULL)
			return fit_oom(ft);
	for (size_t i = 0; i < ft->n; i++)
		ft->cols[0].x[i] = 1.0;
	ft->cols[0].factor = (size_t)-1;
	ft->fend[0] = 1;
	for (size_t k = 0; k < ft->nf; k++) {
		if ((j = factor_columns(ft, k, j)) == 0)
			return fit_oom(ft);
		ft->fend[k + 1] = j;
	}
	return 0;
}

/* Step 4: the model, with the total sum of squares to explain. */
static int
model_new(struct fit *ft)
{
	struct regress_model *m;
	double ymean = 0;
	char num[64];

	for (size_t i = 0; i < ft->n; i++)
		ymean += ft->y[i];
	ymean /= (double)ft->n;
	if ((m = ft->m = calloc(1, sizeof(*m))) == NULL)
		return fit_oom(ft);
	m->n = ft->n;
	m->p = ft->ncols;
	m->df = ft->n - ft->ncols;
	m->response = strdup(ft->response ? ft->response : "response");
	m->response_unit = strdup(ft->ru);
	if (m->response == NULL || m->response_unit == NULL)
		return fit_oom(ft);
	for (size_t i = 0; i < ft->n; i++)
		m->sst += (ft->y[i] - ymean) * (ft->y[i] - ymean);
	if (!(m->sst > 0)) {
		fmt_num(num, sizeof(num), ft->y[0]);
		mt_seterr(ft->errbuf, "the response %s is constant (every run has "
		    "%s %s): nothing to explain", m->response, num, ft->ru);
		return -1;
	}
	return 0;
}

/*
 * Step 5: sequential fits: intercept, + factor 1, + factor 2, ... Each
 * must keep full rank, else that factor is collinear with those before.
 */
static int
sequential_fits(struct fit *ft)
{
	size_t rank;

	ft->sse_k[0] = ft->m->sst;
	for (size_t k = 0; k < ft->nf; k++) {
		size_t nc = ft->fend[k + 1];

		if (ols(ft->cols, nc, ft->y, ft->n, &ft->sse_k[k + 1], &rank, NULL,
		    NULL, NULL) == -1)
			return fit_oom(ft);
		if (rank < nc) {
			mt_seterr(ft->errbuf, "factor %s is collinear with %s (the "
			    "design has rank %zu for %zu columns): one of "
			    "them carries no information of its own; leave "
			    "one out", ft->f[k].name, k == 0 ? "the intercept" :
			    "the factors before it", rank, nc);
			return -1;
		}
	}
	return 0;
}

/* Name and unit of coefficient j (a factor's column). NULLs when out
 * of memory (the caller checks). */
static void
name_coef(const struct fit *ft, size_t j, struct regress_coef *rc)
{
	const struct col *cj = &ft->cols[j];
	const struct regress_factor *fk = &ft->f[cj->factor];
	const char *ru = ft->ru;

	rc->factor = strdup(fk->name);
	if (cj->level) {
		rc->level = strdup(cj->level);
		rc->name = xasprintf("%s=%s", fk->name, cj->level);
		rc->unit = xasprintf("%s (%s vs %s)", ru, cj->level,
		    baseline_of(ft, cj->factor));
	} else {
		rc->name = strdup(fk->name);
		if (fk->unit && strcmp(fk->unit, "%") == 0)
			rc->unit = xasprintf("%s/%%", ru);
		else if (fk->unit)
			rc->unit = xasprintf("%s/%s", ru, fk->unit);
		else
			rc->unit = xasprintf("%s per unit of %s", ru, fk->name);
	}
}

/* Coefficient j's estimate, standard error, t, p and 95% interval. */
static void
coef_stats(struct regress_coef *rc, double estimate, double se, double df,
    double tq)
{
	rc->estimate = estimate;
	rc->std_error = se;
	if (se > 0) {
		rc->t = estimate / se;
		rc->p = 2.0 * gsl_cdf_tdist_Q(fabs(rc->t), df);
	} else {
		rc->t = estimate == 0 ? NAN : copysign(INFINITY, estimate);
		rc->p = estimate == 0 ? 1.0 : 0.0;
	}
	rc->ci_lo = estimate - tq * se;
	rc->ci_hi = estimate + tq * se;
}

/* The fit's summary: R^2, adjusted R^2, residual error, F and its p. */
static void
summary_stats(struct regress_model *m)
{
	double df = (double)m->df, k = (double)(m->p - 1);

	if (m->sse < 0)
		m->sse = 0;
	m->r2 = 1.0 - m->sse / m->sst;
	m->adj_r2 = 1.0 - (1.0 - m->r2) * (double)(m->n - 1) / df;
	m->rse = sqrt(m->sse / df);
	if (m->sse > 0) {
		m->f = ((m->sst - m->sse) / k) / (m->sse / df);
		m->f_p = gsl_cdf_fdist_Q(m->f, k, df);
	} else {
		m->f = INFINITY;
		m->f_p = 0;
	}
}

/* Step 6: the full fit: coefficients, their covariance, the summary. */
static int
full_fit(struct fit *ft)
{
	struct regress_model *m = ft->m;
	size_t nc = ft->ncols, rank;
	gsl_vector *c = gsl_vector_alloc(nc);
	gsl_matrix *cov = gsl_matrix_alloc(nc, nc);
	double tq;
	int rc = -1;

	if (c == NULL || cov == NULL ||
	    ols(ft->cols, nc, ft->y, ft->n, &m->sse, &rank, c, cov,
	    &m->rcond) == -1 ||
	    (m->cov = malloc(nc * nc * sizeof(double))) == NULL ||
	    (m->coef = calloc(nc, sizeof(*m->coef))) == NULL) {
		rc = fit_oom(ft);
		goto out;
	}
	summary_stats(m);
	tq = gsl_cdf_tdist_Qinv(0.025, (double)m->df);
	for (size_t a = 0; a < nc; a++)
		for (size_t b = 0; b < nc; b++)
			m->cov[a * nc + b] = gsl_matrix_get(cov, a, b);
	m->ncoef = nc;
	for (size_t j = 0; j < nc; j++) {
		struct regress_coef *co = &m->coef[j];

		coef_stats(co, gsl_vector_get(c, j),
		    sqrt(gsl_matrix_get(cov, j, j)), (double)m->df, tq);
		if (j == 0) {
			co->name = strdup("(intercept)");
			co->unit = strdup(ft->ru);
		} else
			name_coef(ft, j, co);
		if (co->name == NULL || co->unit == NULL || (j > 0 &&
		    (co->factor == NULL || (ft->cols[j].level &&
		    co->level == NULL)))) {
			rc = fit_oom(ft);
			goto out;
		}
	}
	rc = 0;
out:
	gsl_vector_free(c);
	gsl_matrix_free(cov);
	return rc;
}

/* Step 7: each factor's type I share of the explained variance, and the
 * baselines of the categorical ones. */
static int
shares(struct fit *ft)
{
	struct regress_model *m = ft->m;
	double explained = m->sst - m->sse;
	size_t nf = ft->nf;

	if ((m->share = calloc(nf ? nf : 1, sizeof(*m->share))) == NULL ||
	    (m->baseline = calloc(nf ? nf : 1, sizeof(*m->baseline))) == NULL)
		return fit_oom(ft);
	m->nshare = nf;
	for (size_t k = 0; k < nf; k++) {
		struct regress_share *s = &m->share[k];

		if ((s->factor = strdup(ft->f[k].name)) == NULL)
			return fit_oom(ft);
		s->df = ft->fend[k + 1] - ft->fend[k];
		s->ss = ft->sse_k[k] - ft->sse_k[k + 1];
		if (s->ss < 0)
			s->ss = 0;	/* rounding */
		s->share = explained > 0 ? s->ss / explained : NAN;
		if (ft->f[k].categorical &&
		    (m->baseline[k] = strdup(baseline_of(ft, k))) == NULL)
			return fit_oom(ft);
	}
	return 0;
}

/* Step 8: what a reader of the model should know. */
static void
notes(struct fit *ft)
{
	struct regress_model *m = ft->m;
	size_t nc = ft->ncols;

	if (m->sse == 0 || m->sse <= 1e-24 * m->sst)
		add_note(m, xasprintf("perfect fit: the residuals are zero, so "
		    "the standard errors are zero and the t values infinite"));
	if (m->df < FEW_DF)
		add_note(m, xasprintf("few runs: %zu runs for %zu parameters "
		    "leave %zu residual degrees of freedom; the intervals are "
		    "wide and the p values rough", ft->n, nc, m->df));
	for (size_t j = 1; j < nc && nc > 2; j++) {
		double v = vif(ft->cols, nc, j, ft->n);

		if (v > VIF_NOTE)
			add_note(m, xasprintf("collinear factors: %s has a "
			    "variance inflation factor of %.1f (> %.0f): its "
			    "estimate shares information with the other "
			    "factors", m->coef[j].name, v, VIF_NOTE));
	}
	balance_notes(m, ft->f, ft->nf, ft->keys, ft->n);
	if (ft->nf > 1) {
		int unbalanced = 0;

		for (size_t i = 0; i < m->nnote; i++)
			if (strncmp(m->note[i], "unbalanced", 10) == 0 ||
			    strncmp(m->note[i], "collinear", 9) == 0)
				unbalanced = 1;
		if (unbalanced)
			add_note(m, xasprintf("the shares of explained "
			    "variance are sequential (type I): with an "
			    "unbalanced or collinear design they depend on the "
			    "order of the factors"));
	}
}

/* Free what the steps built (not ft->m: the caller's, or freed there). */
static void
fit_free(struct fit *ft)
{
	if (ft->cols)
		for (size_t j = 0; j < ft->ncols; j++)
			free(ft->cols[j].x);
	free(ft->cols);
	if (ft->keys)
		for (size_t i = 0; i < ft->nf * ft->n; i++)
			free(ft->keys[i]);
	free(ft->keys);
	if (ft->lv)
		for (size_t k = 0; k < ft->nf; k++)
			levels_free(ft->lv[k]);
	free(ft->lv);
	free(ft->fend);
	free(ft->sse_k);
}

struct regress_model *
regress_fit(const char *response, const char *response_unit,
    const double *y, size_t n, const char *const *rowname,
    const struct regress_factor *f, size_t nf, char *errbuf)
{
	struct fit ft = {
		.response = response,
		.ru = response_unit ? response_unit : "",
		.y = y, .n = n, .rowname = rowname, .f = f, .nf = nf,
		.errbuf = errbuf,
	};
	/* We check every return code; GSL's default handler would abort. */
	gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
	int ok;

	ok = check_values(&ft) == 0 && count_columns(&ft) == 0 &&
	    build_design(&ft) == 0 && model_new(&ft) == 0 &&
	    sequential_fits(&ft) == 0 && full_fit(&ft) == 0 && shares(&ft) == 0;
	if (ok)
		notes(&ft);
	else {
		regress_free(ft.m);
		ft.m = NULL;
	}
	fit_free(&ft);
	gsl_set_error_handler(old_handler);
	return ft.m;
}

int
regress_predict(const struct regress_model *m, const double *x, double *fit,
    double *se)
{
	double v = 0, s = 0;

	if (m == NULL || m->cov == NULL)
		return -1;
	for (size_t a = 0; a < m->p; a++) {
		v += m->coef[a].estimate * x[a];
		for (size_t b = 0; b < m->p; b++)
			s += x[a] * m->cov[a * m->p + b] * x[b];
	}
	*fit = v;
	*se = s > 0 ? sqrt(s) : 0;
	return 0;
}

double
regress_t95(const struct regress_model *m)
{
	return gsl_cdf_tdist_Qinv(0.025, (double)m->df);
}
