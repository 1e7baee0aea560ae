/*
 * experiment.c: --experiment DIR|TABLE.csv: the table of runs, level
 * statistics and the regression of downtime on the factors (see
 * experiment.h for the contract, migtrace-analyze(1) for the files).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "runs/experiment.h"
#include "base/jpath.h"
#include "stats/levels.h"
#include "stats/regress.h"
#include "stats/table.h"

static const char progname[] = "migtrace-analyze";

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))
#define MAX_JOBS 256

/*
 * The measures of one run, with the report-document keys they come from
 * (migtrace-analyze(1), JSON keys) and the scale to their column's unit.
 * These columns are measures, never factors.
 */
static const struct measure {
	const char *col;
	const char *key;
	double scale;
} measures[] = {
	{ "interruption_ms", "interruption.duration_s", 1e3 },
	{ "libvirt_downtime_ms", "jobstats.downtime_ms", 1 },
	{ "paused_ms", "decomposition.paused_s", 1e3 },
	{ "convergence_ms", "decomposition.convergence_s", 1e3 },
	{ "resolution_ms", "decomposition.resolution_s", 1e3 },
	{ "migration_bytes", "migration.bytes", 1 },
	{ "mean_bps", "migration.mean_bps", 1 },
};
#define NMEASURES (sizeof(measures) / sizeof(measures[0]))

/* The two downtimes every level table reports. */
static const char *const downtime_cols[] = { "interruption_ms",
	"libvirt_downtime_ms" };

static void errx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
errx_(const char *fmt, ...)
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

static int
is_measure(const char *col)
{
	for (size_t i = 0; i < NMEASURES; i++)
		if (strcmp(col, measures[i].col) == 0)
			return 1;
	return 0;
}

/* Shortest "%.Ng" that reads back to v; "" for NaN. */
static void
fmt_num(char *b, size_t len, double v)
{
	if (!isfinite(v)) {
		b[0] = '\0';
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {	/* integers in full */
		snprintf(b, len, "%.0f", v);
		return;
	}
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(b, len, "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
}

/* ---- building a table in memory (DIR mode) -------------------------- */

struct tbuild {
	struct table *t;
	size_t cap;		/* rows allocated */
};

static int
tb_init(struct tbuild *b, char **names, size_t ncols)
{
	memset(b, 0, sizeof(*b));
	if ((b->t = calloc(1, sizeof(*b->t))) == NULL)
		return -1;
	b->t->ncols = ncols;
	b->t->names = names;
	return 0;
}

/* Append a row of ncols strings (copied; NULL becomes ""). */
static int
tb_row(struct tbuild *b, char *const *cells)
{
	struct table *t = b->t;

	if (t->nrows == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		char **nc = realloc(t->cells, ncap * t->ncols * sizeof(*nc));

		if (nc == NULL)
			return -1;
		t->cells = nc;
		size_t *nl = realloc(t->lines, ncap * sizeof(*nl));
		if (nl == NULL)
			return -1;
		t->lines = nl;
		b->cap = ncap;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		char *s = strdup(cells[c] ? cells[c] : "");

		if (s == NULL) {
			for (size_t k = 0; k < c; k++)
				free(t->cells[t->nrows * t->ncols + k]);
			return -1;
		}
		t->cells[t->nrows * t->ncols + c] = s;
	}
	t->lines[t->nrows] = t->nrows + 2;
	t->nrows++;
	return 0;
}

/* ---- DIR mode: analyse run directories ------------------------------ */

struct pool {
	const struct analysis_opts *ao;
	char **paths;
	json_t **docs;
	char (*errs)[MT_ERRBUF_SIZE];
	size_t n, next;
	pthread_mutex_t mu;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->mu);
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->n)
			break;
		p->docs[i] = analysis_run_dir(p->ao, p->paths[i], p->errs[i]);
	}
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The run directories under dir, sorted by name. -1 on error (printed). */
static int
list_runs(const char *dir, char ***names_out, size_t *n_out)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if ((d = opendir(dir)) == NULL) {
		errx_("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &sb) == -1 || !S_ISDIR(sb.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (nn == NULL)
				goto oom;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto oom;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	*names_out = names;
	*n_out = n;
	return 0;
oom:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	errx_("out of memory");
	return -1;
}

/* A factor value from a manifest as text ("" when null). */
static void
json_text(json_t *v, char *b, size_t len)
{
	if (json_is_string(v))
		snprintf(b, len, "%s", json_string_value(v));
	else if (json_is_number(v))
		fmt_num(b, len, json_number_value(v));
	else if (json_is_true(v))
		snprintf(b, len, "true");
	else if (json_is_false(v))
		snprintf(b, len, "false");
	else
		b[0] = '\0';
}

static int
add_name(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return 0;
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/*
 * Analyse every run directory under dir and build the table of runs:
 * run, the factors, the measures. Return it, or NULL (error printed).
 */
static struct table *
runs_from_dir(const struct experiment_opts *o, const struct table *ftab)
{
	char **runs = NULL, **fnames = NULL, **cells = NULL, **names = NULL;
	size_t nruns = 0, nf = 0, ncols, nthreads;
	struct pool p;
	struct analysis_opts ao;
	pthread_t th[MAX_JOBS];
	struct tbuild tb = { NULL, 0 };
	struct table *out = NULL;
	int failed = 0, frun = -1;

	memset(&p, 0, sizeof(p));
	if (list_runs(o->input, &runs, &nruns) == -1)
		return NULL;
	if (nruns == 0) {
		errx_("%s: no run directories in it", o->input);
		goto done;
	}
	if (o->aopts)
		ao = *o->aopts;
	else
		analysis_opts_init(&ao);
	ao.progress = 0;	/* lines from parallel runs would mix */

	p.ao = &ao;
	p.n = nruns;
	p.paths = calloc(nruns, sizeof(*p.paths));
	p.docs = calloc(nruns, sizeof(*p.docs));
	p.errs = calloc(nruns, sizeof(*p.errs));
	if (p.paths == NULL || p.docs == NULL || p.errs == NULL)
		goto oom;
	for (size_t i = 0; i < nruns; i++)
		if (asprintf(&p.paths[i], "%s/%s", o->input, runs[i]) == -1) {
			p.paths[i] = NULL;
			goto oom;
		}
	pthread_mutex_init(&p.mu, NULL);
	nthreads = o->jobs > 0 ? (size_t)o->jobs : (size_t)mt_ncpu();
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > MAX_JOBS)
		nthreads = MAX_JOBS;
	if (nthreads > nruns)
		nthreads = nruns;
	/* Runs in parallel already fill the cores: no reader threads on top
	 * (they would only add switching; the reports are the same). */
	if (nthreads > 1)
		ao.readahead = 0;
	if (nthreads == 1)
		worker(&p);
	else {
		size_t started = 0;

		for (size_t i = 0; i < nthreads; i++) {
			if (pthread_create(&th[i], NULL, worker, &p) != 0)
				break;
			started++;
		}
		if (started == 0)
			worker(&p);
		for (size_t i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	pthread_mutex_destroy(&p.mu);
	for (size_t i = 0; i < nruns; i++)
		if (p.docs[i] == NULL) {
			errx_("%s", p.errs[i]);
			failed = 1;
		}
	if (failed)
		goto done;

	/* Factor names: --factors TABLE's columns, or the manifests'. */
	if (ftab) {
		frun = table_col(ftab, "run");
		if (frun == -1) {
			errx_("%s: no \"run\" column to match the runs",
			    o->factors);
			goto done;
		}
		for (size_t c = 0; c < ftab->ncols; c++)
			if ((int)c != frun && add_name(&fnames, &nf,
			    ftab->names[c]) == -1)
				goto oom;
	} else {
		for (size_t i = 0; i < nruns; i++) {
			json_t *fo = json_object_get(p.docs[i], "factors");
			const char *k;
			json_t *v;

			json_object_foreach(fo, k, v) {
				if (strcmp(k, "run") == 0 || is_measure(k))
					continue;
				if (add_name(&fnames, &nf, k) == -1)
					goto oom;
			}
		}
	}

	ncols = 1 + nf + NMEASURES;
	if ((names = calloc(ncols, sizeof(*names))) == NULL ||
	    (cells = calloc(ncols, sizeof(*cells))) == NULL)
		goto oom;
	names[0] = strdup("run");
	for (size_t k = 0; k < nf; k++)
		names[1 + k] = strdup(fnames[k]);
	for (size_t m = 0; m < NMEASURES; m++)
		names[1 + nf + m] = strdup(measures[m].col);
	for (size_t c = 0; c < ncols; c++)
		if (names[c] == NULL)
			goto oom;
	if (tb_init(&tb, names, ncols) == -1)
		goto oom;
	names = NULL;
	for (size_t c = 0; c < ncols; c++)
		if ((cells[c] = malloc(256)) == NULL)
			goto oom;
	for (size_t i = 0; i < nruns; i++) {
		json_t *fo = json_object_get(p.docs[i], "factors");
		size_t frow = 0;

		snprintf(cells[0], 256, "%s", runs[i]);
		if (ftab) {
			for (frow = 0; frow < ftab->nrows; frow++)
				if (strcmp(table_cell(ftab, frow, (size_t)frun),
				    runs[i]) == 0)
					break;
			if (frow == ftab->nrows) {
				errx_("%s: no row for run %s", o->factors,
				    runs[i]);
				goto done;
			}
		}
		for (size_t k = 0; k < nf; k++) {
			if (ftab)
				snprintf(cells[1 + k], 256, "%s", table_cell(ftab,
				    frow, (size_t)table_col(ftab, fnames[k])));
			else
				json_text(json_object_get(fo, fnames[k]),
				    cells[1 + k], 256);
		}
		for (size_t m = 0; m < NMEASURES; m++) {
			double v = measures[m].scale *
			    jpath_num(p.docs[i], measures[m].key);

			/* s -> ms: keep whole ns, not 1e3 * 0.048206's noise */
			if (measures[m].scale == 1e3)
				v = round(v * 1e6) / 1e6;
			fmt_num(cells[1 + nf + m], 256, v);
		}
		if (tb_row(&tb, cells) == -1)
			goto oom;
	}
	out = tb.t;
	tb.t = NULL;
	goto done;
oom:
	errx_("out of memory");
done:
	table_free(tb.t);
	if (names)
		for (size_t c = 0; c < ncols; c++)
			free(names[c]);
	free(names);
	if (cells)
		for (size_t c = 0; c < 1 + nf + NMEASURES; c++)
			free(cells[c]);
	free(cells);
	for (size_t k = 0; k < nf; k++)
		free(fnames[k]);
	free(fnames);
	for (size_t i = 0; i < nruns; i++) {
		free(runs[i]);
		if (p.paths)
			free(p.paths[i]);
		if (p.docs)
			json_decref(p.docs[i]);
	}
	free(runs);
	free(p.paths);
	free(p.docs);
	free(p.errs);
	return out;
}

/* ---- the model ------------------------------------------------------ */

/* Scale from a column's unit (by suffix) to ms; 0 when not a time. */
static double
to_ms_scale(const char *col, int *assumed)
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

struct factor {
	char *name;
	int col;
	int categorical;
	int leveled;		/* levels repeat: level statistics make sense */
	double *x;		/* numeric values */
	const char **lv;	/* level text per run */
	const char *baseline;
	const char *unit;
};

struct exp {
	const struct experiment_opts *o;
	struct table *t;
	const char **run;	/* run names */
	char **runbuf;
	size_t n;
	int rcol;		/* response column */
	double rscale;
	double *y;		/* response in ms */
	struct factor *f;
	size_t nf;
	struct regress_model *m;
	char **notes;		/* experiment-level notes */
	size_t nnotes;
	char *baseline_buf;
	int factor_table;	/* --factors TABLE merged in (DIR mode) */
};

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
static double *
column_ms(const struct exp *e, int col, double scale)
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
		errx_("%s: no runs", src);
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
				errx_("%s: run \"%s\" appears twice", src,
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
		errx_("%s: no response column \"%s\" (name the downtime "
		    "column with --response)", src, resp);
		return MT_EXIT_USAGE;
	}
	e->rscale = to_ms_scale(e->t->names[e->rcol], &assumed);
	if (e->rscale == 0) {
		errx_("%s: the response %s is in %s, not a time", src,
		    e->t->names[e->rcol], regress_unit_of(e->t->names[e->rcol]));
		return MT_EXIT_USAGE;
	}
	if (assumed)
		exp_note(e, "the response column %s has no unit suffix "
		    "(_ms, _s): taken as milliseconds", e->t->names[e->rcol]);
	for (size_t i = 0; i < e->n; i++) {
		double x;

		if (table_num(e->t, i, (size_t)e->rcol, &x) == -1) {
			errx_("%s: run %s: the response %s is not a number "
			    "(\"%s\")", src, e->run[i], e->t->names[e->rcol],
			    table_cell(e->t, i, (size_t)e->rcol));
			return MT_EXIT_INPUT;
		}
	}
	if ((e->y = column_ms(e, e->rcol, e->rscale)) == NULL)
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
				errx_("%s: no factor column \"%s\" (--factors)",
				    src, tok);
				free(list);
				return MT_EXIT_USAGE;
			}
			if (c == e->rcol || c == runcol) {
				errx_("%s: \"%s\" is the %s, not a factor "
				    "(--factors)", src, tok, c == runcol ?
				    "run name" : "response");
				free(list);
				return MT_EXIT_USAGE;
			}
			for (size_t k = 0; k < e->nf; k++)
				if (e->f[k].col == c) {
					errx_("--factors: \"%s\" given twice", tok);
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

		if ((int)c == runcol || (int)c == e->rcol || is_measure(name))
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
		errx_("%s: no factors (columns besides run and %s)", src,
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
				errx_("--baseline: \"%s\" is not FACTOR=LEVEL",
				    tok);
				return MT_EXIT_USAGE;
			}
			*eq = '\0';
			for (k = 0; k < e->nf; k++)
				if (strcmp(e->f[k].name, tok) == 0)
					break;
			if (k == e->nf || !e->f[k].categorical) {
				errx_("--baseline: %s is not a categorical "
				    "factor of the model", tok);
				return MT_EXIT_USAGE;
			}
			e->f[k].baseline = eq + 1;
		}
	}
	return MT_EXIT_OK;
oom:
	errx_("out of memory");
	return MT_EXIT_INPUT;
}

static int
fit(struct exp *e, const char *src)
{
	struct regress_factor *rf = calloc(e->nf, sizeof(*rf));
	char err[MT_ERRBUF_SIZE];

	if (rf == NULL) {
		errx_("out of memory");
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
		errx_("%s: %s", src, err);
		return MT_EXIT_INPUT;
	}
	return MT_EXIT_OK;
}

/* ---- writers ------------------------------------------------------- */

static json_t *
jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

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
	json_object_set_new(doc, "r2", jnum(m->r2));
	json_object_set_new(doc, "adj_r2", jnum(m->adj_r2));
	json_object_set_new(doc, "residual_se_ms", jnum(m->rse));
	json_object_set_new(doc, "f", jnum(m->f));
	json_object_set_new(doc, "f_p", jnum(m->f_p));
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
		    "estimate", jnum(c->estimate),
		    "std_error", jnum(c->std_error),
		    "t", jnum(c->t), "p", jnum(c->p),
		    "ci95_lo", jnum(c->ci_lo), "ci95_hi", jnum(c->ci_hi),
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
		    "ss", jnum(m->share[k].ss),
		    "share", jnum(m->share[k].share)));
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

		table_put_field(f, c->name);
		putc(',', f);
		table_put_field(f, c->factor);
		putc(',', f);
		table_put_field(f, c->level);
		putc(',', f);
		table_put_num(f, c->estimate);
		putc(',', f);
		table_put_num(f, c->std_error);
		putc(',', f);
		table_put_num(f, c->t);
		putc(',', f);
		table_put_num(f, c->p);
		putc(',', f);
		table_put_num(f, c->ci_lo);
		putc(',', f);
		table_put_num(f, c->ci_hi);
		putc(',', f);
		table_put_field(f, c->unit);
		putc('\n', f);
	}
}

static void
write_runs_csv(const struct exp *e, FILE *f)
{
	const struct table *t = e->t;

	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			putc(',', f);
		table_put_field(f, t->names[c]);
	}
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
			scales[k++] = to_ms_scale(downtime_cols[i], &assumed);
		}
	}
	return k;
}

static void
put_stat_row(FILE *f, const char *factor, const char *level, const char *by,
    const char *by_level, const char *measure, const struct levels_stat *s)
{
	table_put_field(f, factor);
	putc(',', f);
	table_put_field(f, level);
	putc(',', f);
	table_put_field(f, by);
	putc(',', f);
	table_put_field(f, by_level);
	putc(',', f);
	table_put_field(f, measure);
	fprintf(f, ",%zu,", s->n);
	table_put_num(f, s->mean);
	putc(',', f);
	table_put_num(f, s->sd);
	putc(',', f);
	table_put_num(f, s->ci_lo);
	putc(',', f);
	table_put_num(f, s->ci_hi);
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
			double *y = column_ms(e, cols[mi], scales[mi]);
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
				double *y = column_ms(e, cols[mi], scales[mi]);

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
				double *y = column_ms(e, cols[mi], scales[mi]);
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

enum out_kind { OUT_RUNS, OUT_LEVELS, OUT_MODEL_JSON, OUT_MODEL_CSV, OUT_TEXT };

static int
write_one(const struct exp *e, FILE *f, enum out_kind k)
{
	json_t *doc;

	switch (k) {
	case OUT_RUNS:
		write_runs_csv(e, f);
		break;
	case OUT_LEVELS:
		if (write_levels_csv(e, f) == -1)
			return -1;
		break;
	case OUT_MODEL_JSON:
		if ((doc = model_json(e)) == NULL)
			return -1;
		json_dumpf(doc, f, JSON_FLAGS);
		fputc('\n', f);
		json_decref(doc);
		break;
	case OUT_MODEL_CSV:
		write_model_csv(e, f);
		break;
	case OUT_TEXT:
		write_text(e, f);
		break;
	}
	return 0;
}

static int
write_file(const struct exp *e, const char *dir, const char *name,
    enum out_kind k)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		errx_("%s: %s", path, strerror(errno));
		return -1;
	}
	bad = write_one(e, f, k) == -1;
	bad |= ferror(f);
	if (fclose(f) != 0 || bad) {
		errx_("%s: write failed", path);
		return -1;
	}
	return 0;
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
		errx_("--experiment needs a directory of runs or a table");
		return MT_EXIT_USAGE;
	}
	if (o->jobs < 0 || o->jobs > MAX_JOBS) {
		errx_("-j %d: give 1 to %d jobs (0: one per core)", o->jobs,
		    MAX_JOBS);
		return MT_EXIT_USAGE;
	}
	if (stat(o->input, &sb) == -1) {
		errx_("%s: %s", o->input, strerror(errno));
		return MT_EXIT_INPUT;
	}
	if (o->outdir && (stat(o->outdir, &sb) == -1 || !S_ISDIR(sb.st_mode))) {
		if (mt_mkdir_p(o->outdir, 0777) == -1) {
			errx_("%s: %s", o->outdir, strerror(errno));
			return MT_EXIT_INPUT;
		}
	}
	stat(o->input, &sb);
	if (S_ISDIR(sb.st_mode)) {
		/* --factors TABLE.csv: a table mapping run -> factors. */
		if (o->factors && access(o->factors, F_OK) == 0) {
			if ((ftab = table_read(o->factors, err)) == NULL) {
				errx_("%s", err);
				return MT_EXIT_INPUT;
			}
		}
		e.factor_table = ftab != NULL;
		e.t = runs_from_dir(o, ftab);
		table_free(ftab);
		if (e.t == NULL)
			return MT_EXIT_INPUT;
	} else {
		if (o->factors && strchr(o->factors, ',') == NULL &&
		    access(o->factors, F_OK) == 0) {
			errx_("--factors %s: a factor table goes with "
			    "--experiment DIR; with a table, name the columns "
			    "(--factors a,b,c)", o->factors);
			return MT_EXIT_USAGE;
		}
		if ((e.t = table_read(o->input, err)) == NULL) {
			errx_("%s", err);
			return MT_EXIT_INPUT;
		}
	}

	if ((rc = setup(&e, o->input)) != MT_EXIT_OK ||
	    (rc = fit(&e, o->input)) != MT_EXIT_OK)
		goto out;
	if (o->outdir) {
		if (write_file(&e, o->outdir, "runs.csv", OUT_RUNS) == -1 ||
		    write_file(&e, o->outdir, "levels.csv", OUT_LEVELS) == -1 ||
		    write_file(&e, o->outdir, "model.json", OUT_MODEL_JSON) == -1 ||
		    write_file(&e, o->outdir, "model.csv", OUT_MODEL_CSV) == -1 ||
		    write_file(&e, o->outdir, "report.txt", OUT_TEXT) == -1) {
			rc = MT_EXIT_INPUT;
			goto out;
		}
	}
	if (!o->quiet) {
		enum out_kind k = o->format == EXPERIMENT_JSON ? OUT_MODEL_JSON :
		    o->format == EXPERIMENT_CSV ? OUT_RUNS : OUT_TEXT;

		if (write_one(&e, stdout, k) == -1 || fflush(stdout) != 0) {
			errx_("stdout: write failed");
			rc = MT_EXIT_INPUT;
		}
	}
out:
	exp_free(&e);
	return rc;
}
