/*
 * levels.h: summary statistics of a response per factor level: mean,
 * sample standard deviation (n - 1), n, and the 95% confidence interval
 * of the mean from Student's t distribution with n - 1 degrees of
 * freedom (mean +- t(0.975, n-1) * sd / sqrt(n)), computed with GSL.
 *
 * Ownership: levels_group() returns a list the caller frees with
 * levels_free() (NULL is fine); the level names belong to the list.
 */
#ifndef MT_LEVELS_H
#define MT_LEVELS_H

#include <stddef.h>

#include "base/mt.h"

struct levels_stat {
	size_t n;		/* finite values used */
	double mean;		/* NaN when n = 0 */
	double sd;		/* sample sd; NaN when n < 2 */
	double ci_lo, ci_hi;	/* 95% CI of the mean; NaN when n < 2 */
};

/*
 * Statistics of the finite values among x[0..n-1] (NaN values are
 * skipped: a run that lacks the measure).
 */
void levels_stat(const double *x, size_t n, struct levels_stat *out);

struct level {
	char *name;		/* the level as written ("small", "50") */
	double num;		/* its value when the factor is numeric */
	struct levels_stat s;
};

struct levels {
	int numeric;		/* every level is a number: sorted by value */
	size_t nlevels;
	struct level *v;	/* sorted: by value if numeric, else strcmp */
};

/*
 * Group y[i] by key[i] (i < n) and summarise each group. Levels are
 * sorted numerically when every key is a number, else by strcmp (the
 * same order regress.h uses to pick the baseline). Return the list, or
 * NULL when out of memory.
 */
struct levels *levels_group(const char *const *key, const double *y,
    size_t n);
void levels_free(struct levels *l);

/* Index of the level named name, or -1. */
int levels_find(const struct levels *l, const char *name);

/*
 * Parse a level key as a number (whole string, finite). Return 0 and
 * set *out, or -1.
 */
int levels_key_num(const char *s, double *out);

#endif /* MT_LEVELS_H */
