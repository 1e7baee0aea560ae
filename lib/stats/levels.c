/* levels.c: per-level mean, sd, n and t-based 95% CI (see levels.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats/levels.h"

void
levels_stat(const double *x, size_t n, struct levels_stat *out)
{
	double sum = 0, mean, ss = 0, tq, half;
	size_t k = 0;

	out->n = 0;
	out->mean = out->sd = out->ci_lo = out->ci_hi = NAN;
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i])) {
			sum += x[i];
			k++;
		}
	if (k == 0)
		return;
	mean = sum / (double)k;
	/* Two-pass: the sum of squared deviations from the mean. */
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i]))
			ss += (x[i] - mean) * (x[i] - mean);
	out->n = k;
	out->mean = mean;
	if (k < 2)
		return;
	out->sd = sqrt(ss / (double)(k - 1));
	tq = gsl_cdf_tdist_Qinv(0.025, (double)(k - 1));
	half = tq * out->sd / sqrt((double)k);
	out->ci_lo = mean - half;
	out->ci_hi = mean + half;
}

int
levels_key_num(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int
cmp_num(const void *a, const void *b)
{
	const struct level *x = a, *y = b;

	if (x->num < y->num)
		return -1;
	if (x->num > y->num)
		return 1;
	return strcmp(x->name, y->name);
}

static int
cmp_name(const void *a, const void *b)
{
	const struct level *x = a, *y = b;

	return strcmp(x->name, y->name);
}

int
levels_find(const struct levels *l, const char *name)
{
	for (size_t i = 0; i < l->nlevels; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
levels_free(struct levels *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nlevels; i++)
		free(l->v[i].name);
	free(l->v);
	free(l);
}

struct levels *
levels_group(const char *const *key, const double *y, size_t n)
{
	struct levels *l;
	double *vals = NULL;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if (n > 0 && ((l->v = calloc(n, sizeof(*l->v))) == NULL ||
	    (vals = malloc(n * sizeof(*vals))) == NULL))
		goto fail;
	l->numeric = 1;
	for (size_t i = 0; i < n; i++) {
		if (levels_find(l, key[i]) != -1)
			continue;
		struct level *lv = &l->v[l->nlevels];

		if ((lv->name = strdup(key[i])) == NULL)
			goto fail;
		l->nlevels++;
		if (levels_key_num(key[i], &lv->num) == -1) {
			lv->num = NAN;
			l->numeric = 0;
		}
	}
	if (l->nlevels > 1)
		qsort(l->v, l->nlevels, sizeof(*l->v),
		    l->numeric ? cmp_num : cmp_name);
	for (size_t j = 0; j < l->nlevels; j++) {
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (strcmp(key[i], l->v[j].name) == 0)
				vals[k++] = y[i];
		levels_stat(vals, k, &l->v[j].s);
	}
	free(vals);
	return l;
fail:
	free(vals);
	levels_free(l);
	return NULL;
}
