/*
 * experiment_write.c: an experiment's outputs: runs.csv (the table of
 * runs), levels.csv (statistics per factor level), model.json and
 * model.csv (the regression) and the text report.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jpath.h"
#include "runs/experiment_int.h"
#include "stats/levels.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

/* The two downtimes every level table reports. */
static const char *const downtime_cols[] = { "interruption_ms",
	"libvirt_downtime_ms" };

static json_t *
model_json(const struct exp *e)
{
	const struct regress_model *m = e->m;
	json_t *doc = json_object(), *coefs = json_array(),
	    *shares = json_array(), *notes = json_array(),
	    *factors = json_array();

	json_object_set_new(doc, "program", json_pack("{s:s, s:s}",
	    "name", "migtrace-analyze", "version", PACKAGE_VERSION));
	json_object_set_new(doc, "input", json_string(e->o->input));
	json_object_set_new(doc, "response", json_string(m->response));
	json_object_set_new(doc, "response_unit", json_string("ms"));
	json_object_set_new(doc, "method", json_string("ordinary least "
	    "squares with intercept (GSL gsl_multifit_linear)"));
	json_object_set_new(doc, "n", json_integer((json_int_t)m->n));
	json_object_set_new(doc, "p", json_integer((json_int_t)m->p));
	json_object_set_new(doc, "df_residual", json_integer((json_int_t)m->df));
	json_object_set_new(doc, "r2", mt_json_num(m->r2));
	json_object_set_new(doc, "adj_r2", mt_json_num(m->adj_r2));
	json_object_set_new(doc, "residual_se_ms", mt_json_num(m->rse));
	json_object_set_new(doc, "f", mt_json_num(m->f));
	json_object_set_new(doc, "f_p", mt_json_num(m->f_p));
	for (size_t k = 0; k < e->nf; k++)
		json_array_append_new(factors, json_pack("{s:s, s:s, s:o, s:o}",
		    "name", e->f[k].name,
		    "kind", e->f[k].categorical ? "categorical" : "numeric",
		    "unit", e->f[k].unit ? json_string(e->f[k].unit) : json_null(),
		    "baseline", m->baseline[k] ? json_string(m->baseline[k]) :
		    json_null()));
	json_object_set_new(doc, "factors", factors);
	for (size_t j = 0; j < m->ncoef; j++) {
		const struct regress_coef *c = &m->coef[j];

		json_array_append_new(coefs, json_pack(
		    "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
		    "name", c->name,
		    "factor", c->factor ? json_string(c->factor) : json_null(),
		    "level", c->level ? json_string(c->level) : json_null(),
		    "estimate", mt_json_num(c->estimate),
		    "std_error", mt_json_num(c->std_error),
		    "t", mt_json_num(c->t), "p", mt_json_num(c->p),
		    "ci95_lo", mt_json_num(c->ci_lo),
		    "ci95_hi", mt_json_num(c->ci_hi),
		    "unit", c->unit));
	}
	json_object_set_new(doc, "coefficients", coefs);
	json_object_set_new(doc, "share_method", json_string("sequential "
	    "(type I) sums of squares in the order of the factors, divided "
	    "by the explained sum of squares"));
	for (size_t k = 0; k < m->nshare; k++)
		json_array_append_new(shares, json_pack("{s:s, s:I, s:o, s:o}",
		    "factor", m->share[k].factor,
		    "df", (json_int_t)m->share[k].df,
		    "ss", mt_json_num(m->share[k].ss),
		    "share", mt_json_num(m->share[k].share)));
	json_object_set_new(doc, "shares", shares);
	for (size_t i = 0; i < e->nnotes; i++)
		json_array_append_new(notes, json_string(e->notes[i]));
	for (size_t i = 0; i < m->nnote; i++)
		json_array_append_new(notes, json_string(m->note[i]));
	json_object_set_new(doc, "notes", notes);
	return doc;
}

static void
write_model_csv(const struct exp *e, FILE *f)
{
	const struct regress_model *m = e->m;

	fputs("name,factor,level,estimate,std_error,t,p,ci95_lo,ci95_hi,"
	    "unit\n", f);
	for (size_t j = 0; j < m->ncoef; j++) {
		const struct regress_coef *c = &m->coef[j];
		const char *key[] = { c->name, c->factor, c->level };
		double v[] = { c->estimate, c->std_error, c->t, c->p,
		    c->ci_lo, c->ci_hi };

		table_put_fields(f, key, 3);
		table_put_nums(f, v, 6);
		putc(',', f);
		table_put_field(f, c->unit);
		putc('\n', f);
	}
}

static void
write_runs_csv(const struct exp *e, FILE *f)
{
	const struct table *t = e->t;

	table_put_fields(f, (const char *const *)t->names, t->ncols);
	putc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				putc(',', f);
			table_put_field(f, table_cell(t, r, c));
		}
		putc('\n', f);
	}
}

/* The measures level statistics are given for: the response, then the
 * two downtimes when present. */
static size_t
level_measures(const struct exp *e, int cols[3], double scales[3])
{
	size_t k = 0;
	int assumed;

	cols[k] = e->rcol;
	scales[k++] = e->rscale;
	for (size_t i = 0; i < 2; i++) {
		int c = table_col(e->t, downtime_cols[i]);

		/* Only a measure some run has (no job statistics: none). */
		if (c >= 0 && c != e->rcol && table_col_numeric(e->t, (size_t)c)) {
			cols[k] = c;
			scales[k++] = experiment_ms_scale(downtime_cols[i], &assumed);
		}
	}
	return k;
}

static void
put_stat_row(FILE *f, const char *factor, const char *level, const char *by,
    const char *by_level, const char *measure, const struct levels_stat *s)
{
	const char *key[] = { factor, level, by, by_level, measure };
	double v[] = { s->mean, s->sd, s->ci_lo, s->ci_hi };

	table_put_fields(f, key, 5);
	fprintf(f, ",%zu", s->n);
	table_put_nums(f, v, 4);
	putc('\n', f);
}

/*
 * levels.csv: per level of each factor with repeated levels, and per
 * cell of each pair of such factors (factor=level within by=by_level),
 * for the response and the two downtimes.
 */
static int
write_levels_csv(const struct exp *e, FILE *f)
{
	int cols[3];
	double scales[3];
	size_t nm = level_measures(e, cols, scales);
	const char **key = calloc(e->n ? e->n : 1, sizeof(*key));
	double *sub = malloc((e->n ? e->n : 1) * sizeof(*sub));
	int rc = -1;

	if (key == NULL || sub == NULL)
		goto out;
	fputs("factor,level,by,by_level,measure,n,mean_ms,sd_ms,ci95_lo_ms,"
	    "ci95_hi_ms\n", f);
	for (size_t k = 0; k < e->nf; k++) {
		if (!e->f[k].leveled)
			continue;
		for (size_t mi = 0; mi < nm; mi++) {
			double *y = experiment_column_ms(e, cols[mi], scales[mi]);
			struct levels *l;

			if (y == NULL)
				goto out;
			l = levels_group(e->f[k].lv, y, e->n);
			free(y);
			if (l == NULL)
				goto out;
			for (size_t j = 0; j < l->nlevels; j++)
				put_stat_row(f, e->f[k].name, l->v[j].name, NULL,
				    NULL, e->t->names[cols[mi]], &l->v[j].s);
			levels_free(l);
		}
	}
	/* Cells of pairs: factor a's levels within each level of b. */
	for (size_t a = 0; a < e->nf; a++)
		for (size_t b = 0; b < e->nf; b++) {
			if (a == b || !e->f[a].leveled || !e->f[b].leveled)
				continue;
			struct levels *lb = levels_group(e->f[b].lv, e->y, e->n);

			if (lb == NULL)
				goto out;
			for (size_t mi = 0; mi < nm; mi++) {
				double *y = experiment_column_ms(e, cols[mi], scales[mi]);

				if (y == NULL) {
					levels_free(lb);
					goto out;
				}
				for (size_t jb = 0; jb < lb->nlevels; jb++) {
					size_t k = 0;
					struct levels *la;

					for (size_t i = 0; i < e->n; i++)
						if (strcmp(e->f[b].lv[i],
						    lb->v[jb].name) == 0) {
							key[k] = e->f[a].lv[i];
							sub[k++] = y[i];
						}
					la = levels_group(key, sub, k);
					if (la == NULL) {
						free(y);
						levels_free(lb);
						goto out;
					}
					for (size_t ja = 0; ja < la->nlevels; ja++)
						put_stat_row(f, e->f[a].name,
						    la->v[ja].name, e->f[b].name,
						    lb->v[jb].name,
						    e->t->names[cols[mi]],
						    &la->v[ja].s);
					levels_free(la);
				}
				free(y);
			}
			levels_free(lb);
		}
	rc = 0;
out:
	free(key);
	free(sub);
	return rc;
}

static const char *
pfmt(double p, char *b, size_t len)
{
	if (!isfinite(p))
		snprintf(b, len, "-");
	else if (p < 1e-4)
		snprintf(b, len, "<0.0001");
	else
		snprintf(b, len, "%.4f", p);
	return b;
}

static void
write_text(const struct exp *e, FILE *f)
{
	const struct regress_model *m = e->m;
	int cols[3];
	double scales[3];
	size_t nm = level_measures(e, cols, scales);
	char b1[32];

	fprintf(f, "migtrace-analyze %s: experiment of %zu runs (%s)\n",
	    PACKAGE_VERSION, e->n, e->o->input);
	fprintf(f, "response: %s (ms)\n", m->response);
	fputs("factors:", f);
	for (size_t k = 0; k < e->nf; k++) {
		fprintf(f, "%s %s", k ? "," : "", e->f[k].name);
		if (e->f[k].categorical)
			fprintf(f, " (categorical, baseline %s)", m->baseline[k]);
		else if (e->f[k].unit)
			fprintf(f, " (%s)", e->f[k].unit);
	}
	fputc('\n', f);

	/* Levels. */
	int any = 0;
	for (size_t k = 0; k < e->nf; k++)
		any |= e->f[k].leveled;
	if (any) {
		fputs("\nDowntime per factor level (mean +- 95% CI half width, "
		    "ms):\n", f);
		for (size_t k = 0; k < e->nf; k++) {
			if (!e->f[k].leveled)
				continue;
			struct levels *l[3] = { NULL, NULL, NULL };
			for (size_t mi = 0; mi < nm; mi++) {
				double *y = experiment_column_ms(e, cols[mi], scales[mi]);
				if (y)
					l[mi] = levels_group(e->f[k].lv, y, e->n);
				free(y);
			}
			for (size_t j = 0; l[0] && j < l[0]->nlevels; j++) {
				char lab[96];
				snprintf(lab, sizeof(lab), "%s=%s", e->f[k].name,
				    l[0]->v[j].name);
				fprintf(f, "  %-24s n %3zu", lab, l[0]->v[j].s.n);
				for (size_t mi = 0; mi < nm; mi++) {
					const struct levels_stat *s;
					if (l[mi] == NULL)
						continue;
					s = &l[mi]->v[j].s;
					fprintf(f, "  %s %9.1f", e->t->names[cols[mi]],
					    s->mean);
					if (isfinite(s->ci_hi))
						fprintf(f, " +- %7.1f", s->ci_hi - s->mean);
					else
						fputs("           ", f);
				}
				fputc('\n', f);
			}
			for (size_t mi = 0; mi < nm; mi++)
				levels_free(l[mi]);
		}
	}

	/* Model. */
	fprintf(f, "\nModel: %s ~", m->response);
	for (size_t k = 0; k < e->nf; k++)
		fprintf(f, "%s %s", k ? " +" : "", e->f[k].name);
	fprintf(f, "  (OLS with intercept, %zu runs, %zu parameters)\n",
	    m->n, m->p);
	fprintf(f, "  %-24s %12s %11s %8s %8s  %-25s %s\n", "term", "estimate",
	    "std.error", "t", "p", "95% CI", "unit");
	for (size_t j = 0; j < m->ncoef; j++) {
		const struct regress_coef *c = &m->coef[j];
		char ci[64];

		snprintf(ci, sizeof(ci), "[%.4g, %.4g]", c->ci_lo, c->ci_hi);
		fprintf(f, "  %-24s %12.4g %11.4g %8.2f %8s  %-25s %s\n",
		    c->name, c->estimate, c->std_error, c->t,
		    pfmt(c->p, b1, sizeof(b1)), ci, c->unit);
	}
	fprintf(f, "  R^2 %.4f, adjusted R^2 %.4f, residual standard error "
	    "%.4g ms on %zu df\n", m->r2, m->adj_r2, m->rse, m->df);
	fprintf(f, "  F %.4g on %zu and %zu df, p %s\n", m->f, m->p - 1, m->df,
	    pfmt(m->f_p, b1, sizeof(b1)));
	fputs("\nShare of the explained variance (sequential, type I, in the "
	    "order above):\n", f);
	for (size_t k = 0; k < m->nshare; k++)
		fprintf(f, "  %-24s %5.1f%%  (%zu df)\n", m->share[k].factor,
		    100 * m->share[k].share, m->share[k].df);
	if (e->nnotes + m->nnote > 0) {
		fputs("\nNotes:\n", f);
		for (size_t i = 0; i < e->nnotes; i++)
			fprintf(f, "  - %s\n", e->notes[i]);
		for (size_t i = 0; i < m->nnote; i++)
			fprintf(f, "  - %s\n", m->note[i]);
	}
}

int
experiment_write(const struct exp *e, FILE *f, enum experiment_out k)
{
	json_t *doc;

	switch (k) {
	case EXP_OUT_RUNS:
		write_runs_csv(e, f);
		break;
	case EXP_OUT_LEVELS:
		if (write_levels_csv(e, f) == -1)
			return -1;
		break;
	case EXP_OUT_MODEL_JSON:
		if ((doc = model_json(e)) == NULL)
			return -1;
		json_dumpf(doc, f, JSON_FLAGS);
		fputc('\n', f);
		json_decref(doc);
		break;
	case EXP_OUT_MODEL_CSV:
		write_model_csv(e, f);
		break;
	case EXP_OUT_TEXT:
		write_text(e, f);
		break;
	}
	return 0;
}

int
experiment_write_file(const struct exp *e, const char *dir, const char *name,
    enum experiment_out k)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		experiment_err("%s: %s", path, strerror(errno));
		return -1;
	}
	bad = experiment_write(e, f, k) == -1;
	bad |= ferror(f);
	if (fclose(f) != 0 || bad) {
		experiment_err("%s: write failed", path);
		return -1;
	}
	return 0;
}
