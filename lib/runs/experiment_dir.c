/*
 * experiment_dir.c: --experiment DIR: analyse every run directory under
 * DIR (analysis_run_dir(), in parallel with -j) and build the table of
 * runs: run, the factors (the manifests' "factors", or --factors
 * TABLE.csv), the measures (taken from each report document by its
 * documented keys).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/jpath.h"
#include "runs/experiment_int.h"

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

/* The run directories under dir, sorted by name. -1 on error (printed). */
static int
list_runs(const char *dir, char ***names_out, size_t *n_out)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if ((d = opendir(dir)) == NULL) {
		experiment_err("%s: %s", dir, strerror(errno));
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
		qsort(names, n, sizeof(*names), mt_cmp_str);
	*names_out = names;
	*n_out = n;
	return 0;
oom:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	experiment_err("out of memory");
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
struct table *
experiment_runs_from_dir(const struct experiment_opts *o, const struct table *ftab)
{
	char **runs = NULL, **fnames = NULL, **cells = NULL, **names = NULL;
	size_t nruns = 0, nf = 0, ncols, nthreads;
	struct pool p;
	struct analysis_opts ao;
	pthread_t th[EXPERIMENT_MAX_JOBS];
	struct tbuild tb = { NULL, 0 };
	struct table *out = NULL;
	int failed = 0, frun = -1;

	memset(&p, 0, sizeof(p));
	if (list_runs(o->input, &runs, &nruns) == -1)
		return NULL;
	if (nruns == 0) {
		experiment_err("%s: no run directories in it", o->input);
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
	if (nthreads > EXPERIMENT_MAX_JOBS)
		nthreads = EXPERIMENT_MAX_JOBS;
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
			experiment_err("%s", p.errs[i]);
			failed = 1;
		}
	if (failed)
		goto done;

	/* Factor names: --factors TABLE's columns, or the manifests'. */
	if (ftab) {
		frun = table_col(ftab, "run");
		if (frun == -1) {
			experiment_err("%s: no \"run\" column to match the runs",
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
				if (strcmp(k, "run") == 0 || experiment_is_measure(k))
					continue;
				if (add_name(&fnames, &nf, k) == -1)
					goto oom;
			}
		}
	}

	ncols = 1 + nf + experiment_nmeasures;
	if ((names = calloc(ncols, sizeof(*names))) == NULL ||
	    (cells = calloc(ncols, sizeof(*cells))) == NULL)
		goto oom;
	names[0] = strdup("run");
	for (size_t k = 0; k < nf; k++)
		names[1 + k] = strdup(fnames[k]);
	for (size_t m = 0; m < experiment_nmeasures; m++)
		names[1 + nf + m] = strdup(experiment_measures[m].col);
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
				experiment_err("%s: no row for run %s", o->factors,
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
		for (size_t m = 0; m < experiment_nmeasures; m++) {
			double v = experiment_measures[m].scale *
			    jpath_num(p.docs[i], experiment_measures[m].key);

			/* s -> ms: keep whole ns, not 1e3 * 0.048206's noise */
			if (experiment_measures[m].scale == 1e3)
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
	experiment_err("out of memory");
done:
	table_free(tb.t);
	if (names)
		for (size_t c = 0; c < ncols; c++)
			free(names[c]);
	free(names);
	if (cells)
		for (size_t c = 0; c < 1 + nf + experiment_nmeasures; c++)
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
