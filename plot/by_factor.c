/*
 * by_factor.c: the by-factor chart of an experiment: downtime per factor
 * level with 95% confidence intervals (levels.csv), grouped by a second
 * factor when asked (--by GROUP,SERIES).
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

/* Distinct values of column c over the rows with keep[r], in order. */
static size_t
distinct_vals(const struct table *t, int c, const int *keep, const char **v,
    size_t max)
{
	size_t n = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		const char *s = table_cell(t, r, (size_t)c);
		size_t i;

		if (!keep[r])
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(v[i], s) == 0)
				break;
		if (i == n && n < max)
			v[n++] = s;
	}
	return n;
}

static const char *
default_measure(const struct table *t, int mcol)
{
	static const char *const pref[] = { "interruption_ms",
	    "libvirt_downtime_ms" };

	for (size_t i = 0; i < 2; i++)
		for (size_t r = 0; r < t->nrows; r++)
			if (strcmp(table_cell(t, r, (size_t)mcol), pref[i]) == 0)
				return pref[i];
	return t->nrows ? table_cell(t, 0, (size_t)mcol) : "";
}

int
chart_byfactor(const struct opts *o, const char *csv, const char *prefix)
{
	static const char *const cols[] = { "factor", "level", "by",
	    "by_level", "measure", "n", "mean_ms", "ci95_lo_ms", "ci95_hi_ms" };
	enum { C_F, C_L, C_B, C_BL, C_M, C_N, C_MEAN, C_LO, C_HI };
	int ci[9], rc = EXIT_INPUT, *keep = NULL;
	char err[MT_ERRBUF_SIZE], path[4096], dpath[4096];
	char group[256] = "", series[256] = "";
	const char *measure, *groups[MAX_GROUPS], *ser[MAX_SERIES];
	size_t ng, ns = 0;
	struct table *t;
	FILE *f = NULL, *s = NULL;

	if ((t = table_read(csv, err)) == NULL) {
		perr("%s", err);
		return EXIT_INPUT;
	}
	if (need_cols(t, csv, cols, ci, 9) == -1)
		goto out;
	if ((keep = calloc(t->nrows + 1, sizeof(*keep))) == NULL)
		goto out;
	measure = o->measure ? o->measure : default_measure(t, ci[C_M]);

	/*
	 * Which factors: --by GROUP[,SERIES]; else the first pair whose
	 * group factor is numeric (CPU load on the x axis, flavors as the
	 * bars, as in the study's Fig. 2); else the first pair; else the
	 * first factor alone.
	 */
	if (o->by) {
		const char *comma = strchr(o->by, ',');

		snprintf(group, sizeof(group), "%.*s", comma ?
		    (int)(comma - o->by) : (int)strlen(o->by), o->by);
		if (comma)
			snprintf(series, sizeof(series), "%s", comma + 1);
	} else {
		for (int pass = 0; pass < 2 && !group[0]; pass++)
			for (size_t r = 0; r < t->nrows; r++) {
				double x;

				if (!table_cell(t, r, (size_t)ci[C_B])[0])
					continue;
				if (pass == 0 && table_num(t, r, (size_t)ci[C_BL], &x) != 0)
					continue;
				snprintf(group, sizeof(group), "%s",
				    table_cell(t, r, (size_t)ci[C_B]));
				snprintf(series, sizeof(series), "%s",
				    table_cell(t, r, (size_t)ci[C_F]));
				break;
			}
		if (!group[0] && t->nrows)
			snprintf(group, sizeof(group), "%s",
			    table_cell(t, 0, (size_t)ci[C_F]));
	}
	if (!group[0]) {
		perr("%s: no factor levels to draw", csv);
		goto out;
	}
	/* Rows of the chart: series within group, or the group's own. */
	for (size_t r = 0; r < t->nrows; r++) {
		const char *fa = table_cell(t, r, (size_t)ci[C_F]);
		const char *b = table_cell(t, r, (size_t)ci[C_B]);

		keep[r] = strcmp(table_cell(t, r, (size_t)ci[C_M]), measure) == 0 &&
		    (series[0] ? strcmp(fa, series) == 0 && strcmp(b, group) == 0 :
		    strcmp(fa, group) == 0 && b[0] == '\0');
	}
	if (series[0]) {
		ng = 0;
		for (size_t r = 0; r < t->nrows; r++)
			if (keep[r]) {
				size_t i;
				const char *g = table_cell(t, r, (size_t)ci[C_BL]);

				for (i = 0; i < ng; i++)
					if (strcmp(groups[i], g) == 0)
						break;
				if (i == ng && ng < MAX_GROUPS)
					groups[ng++] = g;
			}
		ns = distinct_vals(t, ci[C_L], keep, ser, MAX_SERIES);
	} else {
		ng = distinct_vals(t, ci[C_L], keep, groups, MAX_GROUPS);
		ns = 1;
		ser[0] = measure;
	}
	if (ng == 0) {
		perr("%s: no rows for %s%s%s and measure %s (see --by, "
		    "--measure)", csv, group, series[0] ? " x " : "", series,
		    measure);
		goto out;
	}

	/* by-factor.dat: group level, then mean lo hi n per series. */
	if ((f = dat_open(o, prefix, "by-factor.dat", dpath, sizeof(dpath))) == NULL)
		goto out;
	fprintf(f, "# %s by %s%s%s, ms: level", measure, group,
	    series[0] ? " and " : "", series);
	for (size_t j = 0; j < ns; j++)
		fprintf(f, "\t%s:mean\tlo\thi\tn", ser[j]);
	fputc('\n', f);
	for (size_t g = 0; g < ng; g++) {
		dat_str(f, groups[g]);
		for (size_t j = 0; j < ns; j++) {
			size_t r;

			for (r = 0; r < t->nrows; r++) {
				if (!keep[r])
					continue;
				if (series[0] ? strcmp(table_cell(t, r, (size_t)ci[C_BL]), groups[g]) == 0 &&
				    strcmp(table_cell(t, r, (size_t)ci[C_L]), ser[j]) == 0 :
				    strcmp(table_cell(t, r, (size_t)ci[C_L]), groups[g]) == 0)
					break;
			}
			if (r == t->nrows) {
				fputs("\tNaN\tNaN\tNaN\t0", f);
				continue;
			}
			double v[4];
			const int k[4] = { C_MEAN, C_LO, C_HI, C_N };

			for (int q = 0; q < 4; q++)
				if (table_num(t, r, (size_t)ci[k[q]], &v[q]) != 0)
					v[q] = NAN;
			/* n = 1: no interval; draw the bar without one. */
			if (!isfinite(v[1]))
				v[1] = v[2] = v[0];
			fprintf(f, "\t%.6f\t%.6f\t%.6f\t%.0f", v[0], v[1], v[2],
			    isfinite(v[3]) ? v[3] : 0);
		}
		fputc('\n', f);
	}
	if (dat_close(f, dpath) == -1) {
		f = NULL;
		goto out;
	}
	f = NULL;

	if ((s = script_open(o, prefix, "by-factor", path, sizeof(path))) == NULL)
		goto out;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fputc('\n', s);
	fprintf(s, "nseries = %zu\nngroups = %zu\n", ns, ng);
	{
		char b[300];

		axis_label(b, sizeof(b), group);
		gp_str(s, "xlabel_text", b);
		if (measure_title(measure))
			snprintf(b, sizeof(b), "%s", measure_title(measure));
		else
			snprintf(b, sizeof(b), "%s (ms)", measure);
		gp_str(s, "ylabel_text", b);
	}
	{
		char b[300] = "";

		if (series[0])
			axis_label(b, sizeof(b), series);
		gp_str(s, "key_title", b);
	}
	fprintf(s, "array series_name[%zu] = [", ns);
	for (size_t j = 0; j < ns; j++) {
		if (j)
			fputs(", ", s);
		gp_dq(s, ser[j]);
	}
	fputs("]\n", s);
	rc = script_run(o, s, path, "by-factor");
	s = NULL;
out:
	if (f)
		fclose(f);
	free(keep);
	table_free(t);
	return rc;
}
