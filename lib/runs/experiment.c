/*
 * experiment.c: --experiment DIR|TABLE.csv: the table of runs (read, or
 * built by experiment_dir.c), its response and factors, and the
 * regression of downtime on the factors; the outputs are written by
 * experiment_write.c (see experiment.h for the contract,
 * migtrace-analyze(1) for the files).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runs/experiment_int.h"
#include "runs/guest.h"
#include "runs/precopy.h"

static const char progname[] = "migtrace-analyze";

/* The measures of one run: column, report-document key, scale. */
const struct experiment_measure experiment_measures[] = {
	{ "interruption_ms", "interruption.duration_s", 1e3 },
	{ "libvirt_downtime_ms", "jobstats.downtime_ms", 1 },
	{ "paused_ms", "decomposition.paused_s", 1e3 },
	{ "convergence_ms", "decomposition.convergence_s", 1e3 },
	{ "resolution_ms", "decomposition.resolution_s", 1e3 },
	{ "migration_bytes", "migration.bytes", 1 },
	{ "mean_bps", "migration.mean_bps", 1 },
};
const size_t experiment_nmeasures = sizeof(experiment_measures) /
    sizeof(experiment_measures[0]);

void
experiment_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vmsg(progname, "", fmt, ap);
	va_end(ap);
}

void
experiment_opts_init(struct experiment_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = EXPERIMENT_TEXT;
}

int
experiment_is_measure(const char *col)
{
	for (size_t i = 0; i < experiment_nmeasures; i++)
		if (strcmp(col, experiment_measures[i].col) == 0)
			return 1;
	return 0;
}

/* ---- the model ------------------------------------------------------ */

/* Scale from a column's unit (by suffix) to ms; 0 when not a time. */
double
experiment_ms_scale(const char *col, int *assumed)
{
	const char *u = regress_unit_of(col);

	*assumed = 0;
	if (u == NULL) {
		*assumed = 1;
		return 1;
	}
	if (strcmp(u, "ms") == 0)
		return 1;
	if (strcmp(u, "s") == 0)
		return 1e3;
	if (strcmp(u, "us") == 0)
		return 1e-3;
	if (strcmp(u, "ns") == 0)
		return 1e-6;
	return 0;
}

static void
exp_note(struct exp *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
exp_note(struct exp *e, const char *fmt, ...)
{
	va_list ap;
	char *s;
	char **nv;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s == NULL || (nv = realloc(e->notes, (e->nnotes + 1) *
	    sizeof(*nv))) == NULL) {
		free(s);
		return;
	}
	e->notes = nv;
	e->notes[e->nnotes++] = s;
}

/* Values of a column in ms (NaN when empty or not a number). */
double *
experiment_column_ms(const struct exp *e, int col, double scale)
{
	double *v = malloc((e->n ? e->n : 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < e->n; i++) {
		double x;

		v[i] = table_num(e->t, i, (size_t)col, &x) == 0 ? x * scale : NAN;
	}
	return v;
}

static int
distinct(const struct table *t, int col)
{
	int k = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (strcmp(table_cell(t, i, (size_t)col),
			    table_cell(t, j, (size_t)col)) == 0)
				break;
		if (j == i)
			k++;
	}
	return k;
}

static int
add_factor(struct exp *e, int col)
{
	struct factor *f = &e->f[e->nf];
	const char *name = e->t->names[col];

	memset(f, 0, sizeof(*f));
	f->col = col;
	if ((f->name = strdup(name)) == NULL)
		return -1;
	f->categorical = !table_col_numeric(e->t, (size_t)col);
	f->leveled = distinct(e->t, col) <= (int)(e->n / 2);
	if ((f->lv = calloc(e->n ? e->n : 1, sizeof(*f->lv))) == NULL ||
	    (f->x = malloc((e->n ? e->n : 1) * sizeof(double))) == NULL)
		return -1;
	for (size_t i = 0; i < e->n; i++) {
		double x;

		f->lv[i] = table_cell(e->t, i, (size_t)col);
		f->x[i] = table_num(e->t, i, (size_t)col, &x) == 0 ? x : NAN;
	}
	f->unit = f->categorical ? NULL : regress_unit_of(name);
	e->nf++;
	return 0;
}

/* Pick the response, the factors and the baselines. Return exit status. */
static int
setup(struct exp *e, const char *src)
{
	const struct experiment_opts *o = e->o;
	const char *resp = o->response ? o->response : "interruption";
	int assumed, runcol = table_col(e->t, "run");

	e->n = e->t->nrows;
	if (e->n == 0) {
		experiment_err("%s: no runs", src);
		return MT_EXIT_INPUT;
	}
	/* Run names: the run column, else the row number. */
	e->run = calloc(e->n, sizeof(*e->run));
	e->runbuf = calloc(e->n, sizeof(*e->runbuf));
	if (e->run == NULL || e->runbuf == NULL)
		goto oom;
	for (size_t i = 0; i < e->n; i++) {
		if (runcol >= 0 && table_cell(e->t, i, (size_t)runcol)[0])
			e->run[i] = table_cell(e->t, i, (size_t)runcol);
		else {
			if (asprintf(&e->runbuf[i], "row %zu", i + 1) == -1) {
				e->runbuf[i] = NULL;
				goto oom;
			}
			e->run[i] = e->runbuf[i];
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(e->run[i], e->run[j]) == 0) {
				experiment_err("%s: run \"%s\" appears twice", src,
				    e->run[i]);
				return MT_EXIT_INPUT;
			}
	}

	/* The response. */
	if (strcmp(resp, "interruption") == 0)
		e->rcol = table_col(e->t, "interruption_ms");
	else if (strcmp(resp, "libvirt") == 0)
		e->rcol = table_col(e->t, "libvirt_downtime_ms");
	else
		e->rcol = -1;
	if (e->rcol == -1)
		e->rcol = table_col(e->t, resp);
	if (e->rcol == -1) {
		experiment_err("%s: no response column \"%s\" (name the downtime "
		    "column with --response)", src, resp);
		return MT_EXIT_USAGE;
	}
	e->rscale = experiment_ms_scale(e->t->names[e->rcol], &assumed);
	if (e->rscale == 0) {
		experiment_err("%s: the response %s is in %s, not a time", src,
		    e->t->names[e->rcol], regress_unit_of(e->t->names[e->rcol]));
		return MT_EXIT_USAGE;
	}
	if (assumed)
		exp_note(e, "the response column %s has no unit suffix "
		    "(_ms, _s): taken as milliseconds", e->t->names[e->rcol]);
	for (size_t i = 0; i < e->n; i++) {
		double x;

		if (table_num(e->t, i, (size_t)e->rcol, &x) == -1) {
			experiment_err("%s: run %s: the response %s is not a number "
			    "(\"%s\")", src, e->run[i], e->t->names[e->rcol],
			    table_cell(e->t, i, (size_t)e->rcol));
			return MT_EXIT_INPUT;
		}
	}
	if ((e->y = experiment_column_ms(e, e->rcol, e->rscale)) == NULL)
		goto oom;

	/* The factors. */
	if ((e->f = calloc(e->t->ncols, sizeof(*e->f))) == NULL)
		goto oom;
	if (o->factors && !e->factor_table) {
		char *list = strdup(o->factors), *save = NULL, *tok;

		if (list == NULL)
			goto oom;
		for (tok = strtok_r(list, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			int c = table_col(e->t, tok);

			if (c == -1) {
				experiment_err("%s: no factor column \"%s\" (--factors)",
				    src, tok);
				free(list);
				return MT_EXIT_USAGE;
			}
			if (c == e->rcol || c == runcol) {
				experiment_err("%s: \"%s\" is the %s, not a factor "
				    "(--factors)", src, tok, c == runcol ?
				    "run name" : "response");
				free(list);
				return MT_EXIT_USAGE;
			}
			for (size_t k = 0; k < e->nf; k++)
				if (e->f[k].col == c) {
					experiment_err("--factors: \"%s\" given twice", tok);
					free(list);
					return MT_EXIT_USAGE;
				}
			if (add_factor(e, c) == -1) {
				free(list);
				goto oom;
			}
		}
		free(list);
		goto factors_done;
	}
	for (size_t c = 0; c < e->t->ncols; c++) {
		const char *name = e->t->names[c];

		if ((int)c == runcol || (int)c == e->rcol ||
		    experiment_is_measure(name) || guest_is_record_col(name))
			continue;
		if (!table_col_numeric(e->t, c) &&
		    distinct(e->t, (int)c) == (int)e->n && e->n > 2) {
			exp_note(e, "column %s is not a factor: every run "
			    "has its own text (choose factors with "
			    "--factors)", name);
			continue;
		}
		if (add_factor(e, (int)c) == -1)
			goto oom;
	}
factors_done:
	if (e->nf == 0) {
		experiment_err("%s: no factors (columns besides run and %s)", src,
		    e->t->names[e->rcol]);
		return MT_EXIT_INPUT;
	}

	/* Baselines: FACTOR=LEVEL,... */
	if (o->baseline) {
		char *save = NULL, *tok;

		if ((e->baseline_buf = strdup(o->baseline)) == NULL)
			goto oom;
		for (tok = strtok_r(e->baseline_buf, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(tok, '=');
			size_t k;

			if (eq == NULL) {
				experiment_err("--baseline: \"%s\" is not FACTOR=LEVEL",
				    tok);
				return MT_EXIT_USAGE;
			}
			*eq = '\0';
			for (k = 0; k < e->nf; k++)
				if (strcmp(e->f[k].name, tok) == 0)
					break;
			if (k == e->nf || !e->f[k].categorical) {
				experiment_err("--baseline: %s is not a categorical "
				    "factor of the model", tok);
				return MT_EXIT_USAGE;
			}
			e->f[k].baseline = eq + 1;
		}
	}
	return MT_EXIT_OK;
oom:
	experiment_err("out of memory");
	return MT_EXIT_INPUT;
}

static int
fit(struct exp *e, const char *src)
{
	struct regress_factor *rf = calloc(e->nf, sizeof(*rf));
	char err[MT_ERRBUF_SIZE];

	if (rf == NULL) {
		experiment_err("out of memory");
		return MT_EXIT_INPUT;
	}
	for (size_t k = 0; k < e->nf; k++) {
		rf[k].name = e->f[k].name;
		rf[k].unit = e->f[k].unit;
		rf[k].categorical = e->f[k].categorical;
		rf[k].x = e->f[k].x;
		rf[k].level = e->f[k].lv;
		rf[k].baseline = e->f[k].baseline;
	}
	e->m = regress_fit(e->t->names[e->rcol], "ms", e->y, e->n, e->run,
	    rf, e->nf, err);
	free(rf);
	if (e->m == NULL) {
		experiment_err("%s: %s", src, err);
		return MT_EXIT_INPUT;
	}
	return MT_EXIT_OK;
}

static void
exp_free(struct exp *e)
{
	for (size_t k = 0; k < e->nf; k++) {
		free(e->f[k].name);
		free(e->f[k].x);
		free(e->f[k].lv);
	}
	free(e->f);
	if (e->runbuf)
		for (size_t i = 0; i < e->n; i++)
			free(e->runbuf[i]);
	free(e->runbuf);
	free(e->run);
	free(e->y);
	for (size_t i = 0; i < e->nnotes; i++)
		free(e->notes[i]);
	free(e->notes);
	free(e->baseline_buf);
	regress_free(e->m);
	table_free(e->t);
}

int
experiment_main(const struct experiment_opts *o)
{
	struct exp e;
	struct stat sb;
	char err[MT_ERRBUF_SIZE];
	struct table *ftab = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	e.o = o;
	if (o->input == NULL) {
		experiment_err("--experiment needs a directory of runs or a table");
		return MT_EXIT_USAGE;
	}
	if (o->jobs < 0 || o->jobs > EXPERIMENT_MAX_JOBS) {
		experiment_err("-j %d: give 1 to %d jobs (0: one per core)", o->jobs,
		    EXPERIMENT_MAX_JOBS);
		return MT_EXIT_USAGE;
	}
	if (stat(o->input, &sb) == -1) {
		experiment_err("%s: %s", o->input, strerror(errno));
		return MT_EXIT_INPUT;
	}
	if (o->outdir && (stat(o->outdir, &sb) == -1 || !S_ISDIR(sb.st_mode))) {
		if (mt_mkdir_p(o->outdir, 0777) == -1) {
			experiment_err("%s: %s", o->outdir, strerror(errno));
			return MT_EXIT_INPUT;
		}
	}
	stat(o->input, &sb);
	if (S_ISDIR(sb.st_mode)) {
		/* --factors TABLE.csv: a table mapping run -> factors. */
		if (o->factors && access(o->factors, F_OK) == 0) {
			if ((ftab = table_read(o->factors, err)) == NULL) {
				experiment_err("%s", err);
				return MT_EXIT_INPUT;
			}
		}
		e.factor_table = ftab != NULL;
		e.t = experiment_runs_from_dir(o, ftab);
		table_free(ftab);
		if (e.t == NULL)
			return MT_EXIT_INPUT;
	} else {
		if (o->factors && strchr(o->factors, ',') == NULL &&
		    access(o->factors, F_OK) == 0) {
			experiment_err("--factors %s: a factor table goes with "
			    "--experiment DIR; with a table, name the columns "
			    "(--factors a,b,c)", o->factors);
			return MT_EXIT_USAGE;
		}
		if ((e.t = table_read(o->input, err)) == NULL) {
			experiment_err("%s", err);
			return MT_EXIT_INPUT;
		}
	}

	/* Runs whose guest did not survive the migration: out, counted. */
	{
		size_t nout = 0, nall = e.t->nrows;
		char *why = NULL;

		if (guest_leave_out(e.t, S_ISDIR(sb.st_mode) ? o->input : NULL,
		    &nout, &why) == -1) {
			experiment_err("out of memory");
			rc = MT_EXIT_INPUT;
			goto out;
		}
		if (nout > 0)
			exp_note(&e, "%zu of %zu runs left out: the guest was "
			    "not clean after the migration: %s", nout, nall, why);
		free(why);
	}
	if ((rc = setup(&e, o->input)) != MT_EXIT_OK ||
	    (rc = fit(&e, o->input)) != MT_EXIT_OK)
		goto out;
	{
		char *pn = NULL;

		if (precopy_note(e.t, e.rcol, e.rscale, &pn) == -1) {
			experiment_err("out of memory");
			rc = MT_EXIT_INPUT;
			goto out;
		}
		if (pn)
			exp_note(&e, "%s", pn);
		free(pn);
	}
	if (o->outdir) {
		if (experiment_write_file(&e, o->outdir, "runs.csv", EXP_OUT_RUNS) == -1 ||
		    experiment_write_file(&e, o->outdir, "levels.csv", EXP_OUT_LEVELS) == -1 ||
		    experiment_write_file(&e, o->outdir, "model.json", EXP_OUT_MODEL_JSON) == -1 ||
		    experiment_write_file(&e, o->outdir, "model.csv", EXP_OUT_MODEL_CSV) == -1 ||
		    experiment_write_file(&e, o->outdir, "report.txt", EXP_OUT_TEXT) == -1) {
			rc = MT_EXIT_INPUT;
			goto out;
		}
	}
	if (!o->quiet) {
		enum experiment_out k = o->format == EXPERIMENT_JSON ? EXP_OUT_MODEL_JSON :
		    o->format == EXPERIMENT_CSV ? EXP_OUT_RUNS : EXP_OUT_TEXT;

		if (experiment_write(&e, stdout, k) == -1 || fflush(stdout) != 0) {
			experiment_err("stdout: write failed");
			rc = MT_EXIT_INPUT;
		}
	}
out:
	exp_free(&e);
	return rc;
}
