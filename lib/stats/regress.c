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

static void seterr(char *errbuf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
seterr(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, MT_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

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

struct regress_model *
regress_fit(const char *response, const char *response_unit,
    const double *y, size_t n, const char *const *rowname,
    const struct regress_factor *f, size_t nf, char *errbuf)
{
	struct regress_model *m = NULL;
	struct col *cols = NULL;
	size_t ncols = 1, *fend = NULL;
	int *bad = NULL;
	char **keys = NULL;	/* nf * n level texts, for balance notes */
	char names[256];
	struct levels **lv = NULL;
	gsl_vector *c = NULL;
	gsl_matrix *cov = NULL;
	double *sse_k = NULL, ymean = 0, tq;
	size_t rank;
	const char *ru = response_unit ? response_unit : "";

	/* We check every return code; GSL's default handler would abort. */
	gsl_error_handler_t *old_handler = gsl_set_error_handler_off();

	if ((bad = calloc(n ? n : 1, sizeof(*bad))) == NULL ||
	    (lv = calloc(nf ? nf : 1, sizeof(*lv))) == NULL ||
	    (fend = calloc(nf + 1, sizeof(*fend))) == NULL)
		goto oom;

	/* Runs lacking what the model needs, named. */
	for (size_t i = 0; i < n; i++)
		bad[i] = !isfinite(y[i]);
	{
		int any = 0;
		for (size_t i = 0; i < n; i++)
			any |= bad[i];
		if (any) {
			name_rows(names, sizeof(names), rowname, bad, n);
			seterr(errbuf, "%s lack%s the response %s", names,
			    strchr(names, ',') || strstr(names, " more") ? "" : "s",
			    response);
			goto fail;
		}
	}
	for (size_t k = 0; k < nf; k++) {
		int any = 0;

		for (size_t i = 0; i < n; i++) {
			bad[i] = f[k].categorical ? level_missing(f[k].level[i]) :
			    !isfinite(f[k].x[i]);
			any |= bad[i];
		}
		if (any) {
			name_rows(names, sizeof(names), rowname, bad, n);
			seterr(errbuf, "%s lack%s the factor %s", names,
			    strchr(names, ',') || strstr(names, " more") ? "" : "s",
			    f[k].name);
			goto fail;
		}
	}

	/* Columns: the intercept, then each factor's. */
	for (size_t k = 0; k < nf; k++) {
		if (f[k].categorical) {
			lv[k] = levels_group(f[k].level, y, n);
			if (lv[k] == NULL)
				goto oom;
			if (lv[k]->nlevels < 2) {
				seterr(errbuf, "factor %s is constant (every run "
				    "has %s): it cannot explain anything; leave "
				    "it out", f[k].name, f[k].level[0]);
				goto fail;
			}
			if (f[k].baseline &&
			    levels_find(lv[k], f[k].baseline) == -1) {
				seterr(errbuf, "factor %s has no level \"%s\" "
				    "to use as the baseline", f[k].name,
				    f[k].baseline);
				goto fail;
			}
			ncols += lv[k]->nlevels - 1;
		} else {
			int constant = 1;
			for (size_t i = 1; i < n; i++)
				if (f[k].x[i] != f[k].x[0])
					constant = 0;
			if (n > 0 && constant) {
				fmt_num(names, sizeof(names), f[k].x[0]);
				seterr(errbuf, "factor %s is constant (every run "
				    "has %s): it cannot explain anything; leave "
				    "it out", f[k].name, names);
				goto fail;
			}
			ncols++;
		}
	}
	if (n < ncols + 1) {
		seterr(errbuf, "%zu run%s for %zu parameters (intercept and "
		    "%zu factor column%s): the model needs at least %zu runs",
		    n, n == 1 ? "" : "s", ncols, ncols - 1,
		    ncols - 1 == 1 ? "" : "s", ncols + 1);
		goto fail;
	}
	if ((cols = calloc(ncols, sizeof(*cols))) == NULL ||
	    (keys = calloc(nf * n + 1, sizeof(*keys))) == NULL ||
	    (sse_k = calloc(nf + 1, sizeof(*sse_k))) == NULL)
		goto oom;
	for (size_t j = 0; j < ncols; j++)
		if ((cols[j].x = malloc(n * sizeof(double))) == NULL)
			goto oom;
	for (size_t i = 0; i < n; i++)
		cols[0].x[i] = 1.0;
	cols[0].factor = (size_t)-1;
	{
		size_t j = 1;

		for (size_t k = 0; k < nf; k++) {
			if (f[k].categorical) {
				const char *base = f[k].baseline ?
				    f[k].baseline : lv[k]->v[0].name;

				for (size_t l = 0; l < lv[k]->nlevels; l++) {
					const char *name = lv[k]->v[l].name;

					if (strcmp(name, base) == 0)
						continue;
					cols[j].factor = k;
					cols[j].level = name;
					for (size_t i = 0; i < n; i++)
						cols[j].x[i] = strcmp(f[k].level[i],
						    name) == 0 ? 1.0 : 0.0;
					j++;
				}
				for (size_t i = 0; i < n; i++)
					keys[k * n + i] = strdup(f[k].level[i]);
			} else {
				cols[j].factor = k;
				memcpy(cols[j].x, f[k].x, n * sizeof(double));
				j++;
				for (size_t i = 0; i < n; i++) {
					fmt_num(names, sizeof(names), f[k].x[i]);
					keys[k * n + i] = strdup(names);
				}
			}
			for (size_t i = 0; i < n; i++)
				if (keys[k * n + i] == NULL)
					goto oom;
			fend[k + 1] = j;
		}
		fend[0] = 1;
	}

	for (size_t i = 0; i < n; i++)
		ymean += y[i];
	ymean /= (double)n;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto oom;
	m->n = n;
	m->p = ncols;
	m->df = n - ncols;
	m->response = strdup(response ? response : "response");
	m->response_unit = strdup(ru);
	if (m->response == NULL || m->response_unit == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++)
		m->sst += (y[i] - ymean) * (y[i] - ymean);
	if (!(m->sst > 0)) {
		fmt_num(names, sizeof(names), y[0]);
		seterr(errbuf, "the response %s is constant (every run has "
		    "%s %s): nothing to explain", m->response, names, ru);
		goto fail;
	}

	/*
	 * Sequential fits: intercept, + factor 1, + factor 2, ... Each must
	 * keep full rank, else that factor is collinear with those before.
	 */
	sse_k[0] = m->sst;
	for (size_t k = 0; k < nf; k++) {
		if (ols(cols, fend[k + 1], y, n, &sse_k[k + 1], &rank, NULL,
		    NULL, NULL) == -1)
			goto oom;
		if (rank < fend[k + 1]) {
			seterr(errbuf, "factor %s is collinear with %s (the "
			    "design has rank %zu for %zu columns): one of "
			    "them carries no information of its own; leave "
			    "one out", f[k].name, k == 0 ? "the intercept" :
			    "the factors before it", rank, fend[k + 1]);
			goto fail;
		}
	}

	c = gsl_vector_alloc(ncols);
	cov = gsl_matrix_alloc(ncols, ncols);
	if (c == NULL || cov == NULL)
		goto oom;
	if (ols(cols, ncols, y, n, &m->sse, &rank, c, cov, &m->rcond) == -1)
		goto oom;
	if (m->sse < 0)
		m->sse = 0;

	m->r2 = 1.0 - m->sse / m->sst;
	m->adj_r2 = 1.0 - (1.0 - m->r2) * (double)(n - 1) / (double)m->df;
	m->rse = sqrt(m->sse / (double)m->df);
	if (m->sse > 0) {
		m->f = ((m->sst - m->sse) / (double)(ncols - 1)) /
		    (m->sse / (double)m->df);
		m->f_p = gsl_cdf_fdist_Q(m->f, (double)(ncols - 1),
		    (double)m->df);
	} else {
		m->f = INFINITY;
		m->f_p = 0;
	}
	tq = gsl_cdf_tdist_Qinv(0.025, (double)m->df);

	if ((m->cov = malloc(ncols * ncols * sizeof(double))) == NULL ||
	    (m->coef = calloc(ncols, sizeof(*m->coef))) == NULL ||
	    (m->share = calloc(nf ? nf : 1, sizeof(*m->share))) == NULL ||
	    (m->baseline = calloc(nf ? nf : 1, sizeof(*m->baseline))) == NULL)
		goto oom;
	m->nshare = nf;
	for (size_t a = 0; a < ncols; a++)
		for (size_t b = 0; b < ncols; b++)
			m->cov[a * ncols + b] = gsl_matrix_get(cov, a, b);
	m->ncoef = ncols;
	for (size_t j = 0; j < ncols; j++) {
		struct regress_coef *rc = &m->coef[j];
		double se = sqrt(gsl_matrix_get(cov, j, j));

		rc->estimate = gsl_vector_get(c, j);
		rc->std_error = se;
		if (se > 0) {
			rc->t = rc->estimate / se;
			rc->p = 2.0 * gsl_cdf_tdist_Q(fabs(rc->t),
			    (double)m->df);
		} else {
			rc->t = rc->estimate == 0 ? NAN :
			    copysign(INFINITY, rc->estimate);
			rc->p = rc->estimate == 0 ? 1.0 : 0.0;
		}
		rc->ci_lo = rc->estimate - tq * se;
		rc->ci_hi = rc->estimate + tq * se;
		if (j == 0) {
			rc->name = strdup("(intercept)");
			rc->unit = strdup(ru);
			if (rc->name == NULL || rc->unit == NULL)
				goto oom;
			continue;
		}
		const struct regress_factor *fk = &f[cols[j].factor];

		rc->factor = strdup(fk->name);
		if (cols[j].level) {
			const char *base = fk->baseline ? fk->baseline :
			    lv[cols[j].factor]->v[0].name;

			rc->level = strdup(cols[j].level);
			rc->name = xasprintf("%s=%s", fk->name, cols[j].level);
			rc->unit = xasprintf("%s (%s vs %s)", ru,
			    cols[j].level, base);
		} else {
			rc->name = strdup(fk->name);
			if (fk->unit && strcmp(fk->unit, "%") == 0)
				rc->unit = xasprintf("%s/%%", ru);
			else if (fk->unit)
				rc->unit = xasprintf("%s/%s", ru, fk->unit);
			else
				rc->unit = xasprintf("%s per unit of %s", ru,
				    fk->name);
		}
		if (rc->factor == NULL || rc->name == NULL || rc->unit == NULL ||
		    (cols[j].level && rc->level == NULL))
			goto oom;
	}

	/* Type I shares. */
	for (size_t k = 0; k < nf; k++) {
		struct regress_share *s = &m->share[k];
		double explained = m->sst - m->sse;

		if ((s->factor = strdup(f[k].name)) == NULL)
			goto oom;
		s->df = fend[k + 1] - fend[k];
		s->ss = sse_k[k] - sse_k[k + 1];
		if (s->ss < 0)
			s->ss = 0;	/* rounding */
		s->share = explained > 0 ? s->ss / explained : NAN;
		if (f[k].categorical) {
			m->baseline[k] = strdup(f[k].baseline ? f[k].baseline :
			    lv[k]->v[0].name);
			if (m->baseline[k] == NULL)
				goto oom;
		}
	}

	/* Notes. */
	if (m->sse == 0 || m->sse <= 1e-24 * m->sst)
		add_note(m, xasprintf("perfect fit: the residuals are zero, so "
		    "the standard errors are zero and the t values infinite"));
	if (m->df < FEW_DF)
		add_note(m, xasprintf("few runs: %zu runs for %zu parameters "
		    "leave %zu residual degrees of freedom; the intervals are "
		    "wide and the p values rough", n, ncols, m->df));
	for (size_t j = 1; j < ncols && ncols > 2; j++) {
		double v = vif(cols, ncols, j, n);

		if (v > VIF_NOTE)
			add_note(m, xasprintf("collinear factors: %s has a "
			    "variance inflation factor of %.1f (> %.0f): its "
			    "estimate shares information with the other "
			    "factors", m->coef[j].name, v, VIF_NOTE));
	}
	balance_notes(m, f, nf, keys, n);
	if (nf > 1) {
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
	goto done;

oom:
	seterr(errbuf, "out of memory");
fail:
	regress_free(m);
	m = NULL;
done:
	if (cols)
		for (size_t j = 0; j < ncols; j++)
			free(cols[j].x);
	free(cols);
	if (keys)
		for (size_t i = 0; i < nf * n; i++)
			free(keys[i]);
	free(keys);
	if (lv)
		for (size_t k = 0; k < nf; k++)
			levels_free(lv[k]);
	free(lv);
	free(fend);
	free(bad);
	free(sse_k);
	gsl_vector_free(c);
	gsl_matrix_free(cov);
	gsl_set_error_handler(old_handler);
	return m;
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
