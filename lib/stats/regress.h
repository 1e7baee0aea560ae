/*
 * regress.h: multiple linear regression of a response (downtime, ms) on
 * factors by ordinary least squares with an intercept, with GSL
 * (gsl_multifit_linear: SVD with column balancing).
 *
 * The model. Numeric factors enter as one column each; categorical
 * factors (text, such as a flavor) as indicator (treatment) columns, one
 * per level except the baseline, which is the FIRST level in sort order
 * (numeric order when every level is a number, else strcmp/byte order:
 * "small" < "tiny", so tiny's coefficient reads "ms for tiny vs small").
 * Coefficient units: response unit per factor unit ("ms/MiB", "ms/%"),
 * "ms (LEVEL vs BASELINE)" for indicators, "ms" for the intercept.
 *
 * Statistics: standard errors from s^2 (X'X)^-1 with s^2 = SSE/(n - p);
 * t = estimate / standard error; p two-sided from Student's t with n - p
 * degrees of freedom (gsl_cdf_tdist_Q); 95% intervals with
 * gsl_cdf_tdist_Qinv; R^2 = 1 - SSE/SST; adjusted R^2 = 1 - (1 - R^2)
 * (n - 1)/(n - p); residual standard error s; the overall F test.
 *
 * Share of explained variance: sequential (type I) sums of squares, as
 * R's anova(lm()) reports them: factors are added in the order given,
 * and each factor's share is the drop in SSE it brings over the factors
 * before it, divided by the explained sum of squares (SST - SSE), so
 * the shares add up to 1. In a balanced, orthogonal design this does not
 * depend on the order; otherwise it does, and a note says so.
 *
 * Errors (-1/NULL with errbuf set, one line): fewer runs than parameters
 * plus one, a constant factor (or a categorical factor with one level),
 * a constant response, runs lacking a value the model needs (named, up
 * to a few), collinear factors (the design matrix is rank deficient).
 * Notes (not errors): unbalanced design, strong collinearity (variance
 * inflation factor > 10), few residual degrees of freedom (< 10), a
 * perfect fit.
 *
 * Ownership: regress_fit() returns a model the caller frees with
 * regress_free() (NULL is fine). Input arrays are not kept.
 */
#ifndef MT_REGRESS_H
#define MT_REGRESS_H

#include <stddef.h>

#include "base/mt.h"

/* One factor of the model, as the caller gives it. */
struct regress_factor {
	const char *name;
	const char *unit;		/* numeric: the factor's unit ("MiB"); NULL: none */
	int categorical;		/* 1: levels -> indicator columns */
	const double *x;		/* numeric: n values, NaN = missing */
	const char *const *level;	/* categorical: n strings, NULL or "" = missing */
	const char *baseline;		/* categorical: baseline level; NULL: first in sort order */
};

struct regress_coef {
	char *name;		/* "(intercept)", "mem_mib", "flavor=tiny" */
	char *factor;		/* the factor it belongs to; NULL: intercept */
	char *level;		/* categorical: this column's level, else NULL */
	char *unit;		/* "ms", "ms/MiB", "ms (tiny vs small)" */
	double estimate, std_error, t, p, ci_lo, ci_hi;
};

struct regress_share {
	char *factor;
	size_t df;		/* columns the factor adds */
	double ss;		/* sequential (type I) sum of squares */
	double share;		/* ss / (SST - SSE); NaN if nothing explained */
};

struct regress_model {
	char *response;		/* name of the response */
	char *response_unit;	/* "ms" */
	size_t n;		/* runs */
	size_t p;		/* parameters (columns, intercept included) */
	size_t df;		/* residual degrees of freedom, n - p */
	double sse, sst;	/* residual and total sums of squares */
	double r2, adj_r2;
	double rse;		/* residual standard error, sqrt(SSE/df) */
	double f, f_p;		/* overall F statistic and its p value */
	double rcond;		/* reciprocal condition number (balanced X) */
	size_t ncoef;		/* = p */
	struct regress_coef *coef;
	size_t nshare;		/* = number of factors */
	struct regress_share *share;
	char **baseline;	/* per factor: categorical baseline, else NULL */
	size_t nnote;
	char **note;		/* one line each */
	double *cov;		/* p x p covariance of the estimates, row-major */
};

/*
 * Fit y (n values, the response in response_unit) on nf factors.
 * rowname (may be NULL) names the rows in errors ("runs r3, r7 lack
 * mem_mib"). Return the model, or NULL with errbuf set.
 */
struct regress_model *regress_fit(const char *response,
    const char *response_unit, const double *y, size_t n,
    const char *const *rowname, const struct regress_factor *f, size_t nf,
    char *errbuf);
void regress_free(struct regress_model *m);

/*
 * The fitted mean at a design row x (p values: 1 for the intercept, then
 * the columns in coefficient order) and its standard error
 * sqrt(x' cov x). Return 0, or -1 if the model has no covariance.
 */
int regress_predict(const struct regress_model *m, const double *x,
    double *fit, double *se);

/* t quantile for a two-sided 95% interval with the model's df. */
double regress_t95(const struct regress_model *m);

/*
 * The unit of a column from its name's suffix: "_mib" MiB, "_gib" GiB,
 * "_kib" KiB, "_mb" MB, "_bytes"/"_b" bytes, "_pct"/"_percent"/"_load"
 * %, "_ms" ms, "_s" s, "_bps" bit/s, "_vcpus" vCPUs; "cpu_load" is %.
 * Returns a static string, or NULL when unknown.
 */
const char *regress_unit_of(const char *column);

#endif /* MT_REGRESS_H */
