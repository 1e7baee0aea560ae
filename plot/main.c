/*
 * main.c: migtrace-plot: charts of migtrace-analyze output with gnuplot.
 *
 * For each input it finds what it can draw (by the files present),
 * writes the numbers behind each chart to DIR/<chart>.dat (whitespace-
 * separated, units in the header comment), and pipes a short script to
 * gnuplot that sets a few variables and loads the editable templates
 * common.gp and <chart>.gp from the template directory (-T, else
 * $MIGTRACE_PLOT_DIR, else the folder of the executable when it holds
 * them, as in a build tree, else PKGDATADIR). The script is kept as
 * DIR/<chart>.gnuplot and run in DIR: it names the chart and its data
 * by their file names, so `gnuplot FILE` in DIR redraws the chart.
 *
 * Charts:
 *   timeline       timeline.csv (+ report.json, jobstats.json) of one run
 *   by-factor      levels.csv of an experiment
 *   memory         runs.csv with a memory column: points, OLS line, band
 *   decomposition  runs.csv with paused_ms, convergence_ms, resolution_ms
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "base/jpath.h"
#include "base/mt.h"
#include "stats/regress.h"
#include "stats/table.h"

#define EXIT_USAGE	1
#define EXIT_INPUT	2
#define EXIT_GNUPLOT	3

#define FIT_POINTS	101	/* points of the fitted line and band */
#define MAX_GROUPS	64	/* by-factor: levels on the x axis */
#define MAX_SERIES	12	/* by-factor: bars per group */

static const char *progname = "migtrace-plot";

struct opts {
	const char *format;	/* png, pdf, svg */
	const char *outdir;
	const char *tdir;	/* templates */
	const char *gnuplot;
	const char *xcol;	/* memory chart: x column */
	const char *measure;	/* response column (--measure) */
	const char *by;		/* by-factor: "GROUP[,SERIES]" */
	double link_bps;	/* timeline: capacity line; 0: from report.json */
	int multi;		/* several inputs: prefix chart names */
};

static void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
perr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vmsg(progname, "", fmt, ap);
	va_end(ap);
}

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [options] -o DIR INPUT...\n"
"Draw charts of migtrace-analyze output with gnuplot. INPUT is an output\n"
"directory of migtrace-analyze (-o) or one of its files:\n"
"  timeline.csv (+ report.json, jobstats.json)  -> timeline\n"
"  levels.csv (--experiment)                    -> by-factor\n"
"  runs.csv (--experiment)                      -> memory, decomposition\n"
"\n"
"Options:\n"
"  -o, --output DIR       write the charts (and their .dat and .gnuplot files) here\n"
"  -f, --format FMT       png (default), pdf or svg\n"
"  -T, --templates DIR    gnuplot templates (default: $MIGTRACE_PLOT_DIR, else\n"
"                         beside this program, else %s)\n"
"      --link RATE        timeline: link capacity line (default: from report.json)\n"
"      --x COLUMN         memory: the x column of runs.csv (default: first *mem* column)\n"
"      --measure COLUMN   downtime to draw (default: interruption_ms)\n"
"      --by GROUP[,SERIES] by-factor: factor on the x axis and factor of the bars\n"
"  -h, --help             this help\n"
"  -V, --version          the version\n"
"\n"
"gnuplot: $GNUPLOT, else %s. Exit status: 0 success, 1 usage error,\n"
"2 unreadable or unusable input, 3 gnuplot missing or failed.\n",
	    progname, PKGDATADIR, GNUPLOT_PATH);
}

/* ---- small helpers -------------------------------------------------- */

/* dir/name into out; -1 (and "") when it does not fit. */
static int
pjoin(char *out, size_t len, const char *dir, const char *name)
{
	int n = snprintf(out, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

static int
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* A path in single quotes for gnuplot ('' stands for a quote). */
static void
gp_quote(FILE *f, const char *s)
{
	putc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			putc('\'', f);
		putc(*s, f);
	}
	putc('\'', f);
}

/* A label for gnuplot's enhanced text: escape the markup characters. */
static void
gp_label(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		if (strchr("\"\\", *s))
			putc('\\', f);
		if (strchr("_^@&~{}", *s))
			fputs("\\\\", f);
		putc(*s, f);
	}
	putc('"', f);
}

/* A double-quoted gnuplot string for noenhanced text: \\ and \" escaped. */
static void
gp_dq(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', f);
		if (*s == '\n' || *s == '\r')
			continue;
		putc(*s, f);
	}
	putc('"', f);
}

/* A field of a .dat file in double quotes (gnuplot has no escape there:
 * quotes inside are dropped, line ends become spaces). */
static void
dat_str(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			continue;
		putc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, f);
	}
	putc('"', f);
}

static void
gp_num(FILE *f, const char *name, double v)
{
	if (isfinite(v))
		fprintf(f, "%s = %.17g\n", name, v);
	else
		fprintf(f, "%s = NaN\n", name);
}

/* A string variable, escaped for gnuplot enhanced text. */
static void
gp_str(FILE *f, const char *name, const char *v)
{
	fprintf(f, "%s = ", name);
	gp_label(f, v);
	putc('\n', f);
}

static json_t *
load_json(const char *path)
{
	json_error_t je;
	json_t *j;

	if (!exists(path))
		return NULL;
	if ((j = json_load_file(path, 0, &je)) == NULL)
		perr("%s:%d: not valid JSON (%s); ignored", path, je.line,
		    je.text);
	return j;
}

/* Seconds from t0 to t (exact integer difference first), NaN if none. */
static double
rel_s(mt_ns t, mt_ns t0)
{
	if (t == MT_NS_NONE || t0 == MT_NS_NONE)
		return NAN;
	return (double)(t - t0) / 1e9;
}

/* The file name of path (what follows the last '/'). */
static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/*
 * The response an experiment's analysis used, from model.json beside its
 * tables (migtrace-analyze --experiment -o writes "response": the column
 * name): the measure each chart draws unless --measure names another.
 * Into out (len bytes); "" when there is no such file or key.
 */
static void
experiment_response(const char *dir, char *out, size_t len)
{
	char path[4096];
	json_t *m;
	const char *r;

	out[0] = '\0';
	if (pjoin(path, sizeof(path), dir, "model.json") < 0)
		return;
	m = load_json(path);
	if ((r = json_string_value(json_object_get(m, "response"))) != NULL)
		snprintf(out, len, "%s", r);
	json_decref(m);
}

/* ---- running gnuplot ------------------------------------------------ */

/*
 * Open DIR/<prefix><chart>.gnuplot for writing and start it with the
 * terminal variables. Returns the stream, or NULL (error printed).
 */
static FILE *
script_open(const struct opts *o, const char *prefix, const char *chart,
    char *path, size_t len)
{
	FILE *f;
	char out[4096];

	snprintf(path, len, "%s/%s%s.gnuplot", o->outdir, prefix, chart);
	snprintf(out, sizeof(out), "%s/%s%s.%s", o->outdir, prefix, chart,
	    o->format);
	if ((f = fopen(path, "w")) == NULL) {
		perr("%s: %s", path, strerror(errno));
		return NULL;
	}
	fprintf(f, "# %s: written by %s %s; redraw with: gnuplot %s%s.gnuplot\n"
	    "# in this folder (the chart and its data are named relative to "
	    "it)\n", chart, progname, PACKAGE_VERSION, prefix, chart);
	fprintf(f, "fmt = '%s'\n", o->format);
	fputs("outfile = ", f);
	gp_quote(f, base_name(out));
	fputs("\ntdir = ", f);
	gp_quote(f, o->tdir);
	fputc('\n', f);
	return f;
}

/* Finish the script (load the templates) and run gnuplot on it. */
static int
script_run(const struct opts *o, FILE *f, const char *path, const char *chart)
{
	pid_t pid;
	int st;

	fputs("load tdir.'/common.gp'\n", f);
	fprintf(f, "load tdir.'/%s.gp'\n", chart);
	if (fclose(f) != 0) {
		perr("%s: write failed", path);
		return EXIT_INPUT;
	}
	if ((pid = fork()) == -1) {
		perr("fork: %s", strerror(errno));
		return EXIT_GNUPLOT;
	}
	if (pid == 0) {
		/* In DIR, as a user redrawing the chart would run it. */
		if (chdir(o->outdir) == -1) {
			fprintf(stderr, "%s: %s: %s\n", progname, o->outdir,
			    strerror(errno));
			_exit(127);
		}
		execlp(o->gnuplot, o->gnuplot, base_name(path), (char *)NULL);
		fprintf(stderr, "%s: cannot run gnuplot (%s): %s (install "
		    "gnuplot-nox, or set GNUPLOT)\n", progname, o->gnuplot,
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			perr("waitpid: %s", strerror(errno));
			return EXIT_GNUPLOT;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (!(WIFEXITED(st) && WEXITSTATUS(st) == 127))
			perr("gnuplot failed drawing %s (%s)", chart, path);
		return EXIT_GNUPLOT;
	}
	return 0;
}

static FILE *
dat_open(const struct opts *o, const char *prefix, const char *name,
    char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s%s", o->outdir, prefix, name);
	if ((f = fopen(path, "w")) == NULL)
		perr("%s: %s", path, strerror(errno));
	return f;
}

static int
dat_close(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad) {
		perr("%s: write failed", path);
		return -1;
	}
	return 0;
}

/* ---- timeline ------------------------------------------------------- */

static int
need_cols(const struct table *t, const char *path, const char *const *cols,
    int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((idx[i] = table_col(t, cols[i])) == -1) {
			perr("%s: no column \"%s\"", path, cols[i]);
			return -1;
		}
	return 0;
}

static int
chart_timeline(const struct opts *o, const char *dir, const char *csv,
    const char *prefix)
{
	static const char *const cols[] = { "bin_start_ns", "bin_start_s",
	    "stream_bps", "probes_sent", "probes_answered", "announces" };
	int ci[6], rc = EXIT_INPUT;
	char err[MT_ERRBUF_SIZE], path[4096], dpath[4096], epath[4096];
	struct table *t;
	json_t *rep = NULL, *js = NULL, *iters = NULL;
	FILE *f = NULL, *e = NULL, *s = NULL;
	double maxbps = 0, bin_s = 0, link, ymax, xmax = 0;
	mt_ns t0_ns = MT_NS_NONE;
	double first_s = 0;
	double istart, iend, idur;
	size_t nann = 0, niter = 0;

	if ((t = table_read(csv, err)) == NULL) {
		perr("%s", err);
		return EXIT_INPUT;
	}
	if (need_cols(t, csv, cols, ci, 6) == -1)
		goto out;
	if (t->nrows == 0) {
		perr("%s: no bins", csv);
		goto out;
	}
	pjoin(path, sizeof(path), dir, "report.json");
	rep = load_json(path);
	pjoin(path, sizeof(path), dir, "jobstats.json");
	js = load_json(path);

	/* timeline.dat: seconds from the first bin, Mbit/s, counts. */
	if ((f = dat_open(o, prefix, "timeline.dat", dpath, sizeof(dpath))) == NULL)
		goto out;
	fprintf(f, "# t_s\tstream_mbps\tprobes_sent\tprobes_answered\t"
	    "answered_pct\tannounces\n");
	for (size_t r = 0; r < t->nrows; r++) {
		double v[6];

		for (int k = 0; k < 6; k++)
			if (table_num(t, r, (size_t)ci[k], &v[k]) != 0) {
				perr("%s:%zu: %s is not a number", csv,
				    t->lines[r], cols[k]);
				goto out;
			}
		if (r == 0) {
			/*
			 * Time zero of bin_start_s, in integer ns: doubles
			 * hold epoch ns only to ~256 ns.
			 */
			char *end;
			long long ns = strtoll(table_cell(t, r, (size_t)ci[0]),
			    &end, 10);

			t0_ns = (mt_ns)ns - (mt_ns)llround(v[1] * 1e9);
			first_s = v[1];
		} else if (r == 1)
			bin_s = v[1] - first_s;
		if (v[2] > maxbps)
			maxbps = v[2];
		xmax = v[1];
		fprintf(f, "%.9f\t%.6f\t%.0f\t%.0f\t", v[1], v[2] / 1e6, v[3],
		    v[4]);
		if (v[3] > 0)
			fprintf(f, "%.3f", 100.0 * v[4] / v[3]);
		else
			fputs("NaN", f);
		fprintf(f, "\t%.0f\n", v[5]);
	}
	if (t->nrows < 2)
		bin_s = 0.1;
	xmax += bin_s;
	if (dat_close(f, dpath) == -1) {
		f = NULL;
		goto out;
	}
	f = NULL;

	/* timeline_events.dat: announces (per bin) and pre-copy passes. */
	if ((e = dat_open(o, prefix, "timeline_events.dat", epath,
	    sizeof(epath))) == NULL)
		goto out;
	fprintf(e, "# kind\tt_s\tlabel\ttext  (kind 1: announces in the bin "
	    "starting at t_s, label = count; kind 2: a pre-copy pass starts, "
	    "label = pass; kind 3: where to write the pass numbers, text)\n");
	for (size_t r = 0; r < t->nrows; r++) {
		double a, ts;

		if (table_num(t, r, (size_t)ci[5], &a) == 0 && a > 0 &&
		    table_num(t, r, (size_t)ci[1], &ts) == 0) {
			fprintf(e, "1\t%.9f\t%.0f\t\"\"\n", ts, a);
			nann++;
		}
	}
	iters = json_object_get(js, "iterations");
	if (!json_is_array(iters) && rep) {
		/* migtrace-analyze's report.json: jobstats.iteration_events */
		json_t *jr = json_object_get(rep, "jobstats");

		iters = json_object_get(jr, "iteration_events");
		if (!json_is_array(iters))
			iters = json_object_get(jr, "iterations");
	}
	if (json_is_array(iters)) {
		size_t i;
		json_t *it;
		double lab_t = -INFINITY, lab_n = 0, last_n = 0;
		int open = 0;

		/*
		 * kind 2 rows: t, pass, and the label to draw there. Passes
		 * closer than 2 % of the time axis to the last labelled one
		 * share its label ("2-4"): the last passes before the
		 * switchover come milliseconds apart.
		 */
		json_array_foreach(iters, i, it) {
			mt_ns ts = jpath_ns(it, "ts_ns");
			double n = jpath_num(it, "iteration");
			double tr = rel_s(ts, t0_ns);

			if (ts == MT_NS_NONE || !isfinite(n))
				continue;
			if (open && tr - lab_t < 0.02 * xmax) {
				last_n = n;
				fprintf(e, "2\t%.9f\t%.0f\t\"\"\n", tr, n);
			} else {
				if (open && last_n != lab_n)
					fprintf(e, "3\t%.9f\t%.0f\t\"%.0f-%.0f\"\n",
					    lab_t, lab_n, lab_n, last_n);
				else if (open)
					fprintf(e, "3\t%.9f\t%.0f\t\"%.0f\"\n",
					    lab_t, lab_n, lab_n);
				fprintf(e, "2\t%.9f\t%.0f\t\"\"\n", tr, n);
				lab_t = tr;
				lab_n = last_n = n;
				open = 1;
			}
			niter++;
		}
		if (open && last_n != lab_n)
			fprintf(e, "3\t%.9f\t%.0f\t\"%.0f-%.0f\"\n", lab_t,
			    lab_n, lab_n, last_n);
		else if (open)
			fprintf(e, "3\t%.9f\t%.0f\t\"%.0f\"\n", lab_t, lab_n,
			    lab_n);
	}
	if (dat_close(e, epath) == -1) {
		e = NULL;
		goto out;
	}
	e = NULL;

	istart = rel_s(jpath_ns(rep, "interruption.last_reply_before_ns"), t0_ns);
	iend = rel_s(jpath_ns(rep, "interruption.first_reply_after_ns"), t0_ns);
	idur = jpath_num(rep, "interruption.duration_s");
	link = o->link_bps > 0 ? o->link_bps : jpath_num(rep, "migration.link_bps");
	ymax = fmax(maxbps, isfinite(link) ? link : 0) / 1e6 * 1.22;
	if (!(ymax > 0))
		ymax = 1;

	if ((s = script_open(o, prefix, "timeline", path, sizeof(path))) == NULL)
		goto out;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fputs("\neventfile = ", s);
	gp_quote(s, base_name(epath));
	fputc('\n', s);
	gp_num(s, "xmax", xmax);
	gp_num(s, "ymax", ymax);
	gp_num(s, "bin_s", bin_s);
	gp_num(s, "link_mbps", isfinite(link) && link > 0 ? link / 1e6 : NAN);
	gp_num(s, "int_start", istart);
	gp_num(s, "int_end", iend);
	gp_num(s, "int_ms", idur * 1e3);
	gp_num(s, "ann_first", rel_s(jpath_ns(rep, "announce.first_ns"), t0_ns));
	fprintf(s, "n_announce_bins = %zu\nn_iterations = %zu\n", nann, niter);
	rc = script_run(o, s, path, "timeline");
	s = NULL;
out:
	if (f)
		fclose(f);
	if (e)
		fclose(e);
	json_decref(rep);
	json_decref(js);
	table_free(t);
	return rc;
}

/* ---- by-factor ------------------------------------------------------ */

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

static const char *
measure_title(const char *m)
{
	if (strcmp(m, "interruption_ms") == 0)
		return "service interruption (ms)";
	if (strcmp(m, "libvirt_downtime_ms") == 0)
		return "libvirt downtime (ms)";
	if (strcmp(m, "libvirt_total_ms") == 0)
		return "total migration time (ms)";
	return NULL;
}

/*
 * A readable axis label for a column of runs.csv or a factor: the
 * study's own words for the columns migtrace knows, else "name (unit)"
 * from the name's suffix, else the name itself.
 */
static void
axis_label(char *out, size_t len, const char *col)
{
	static const struct {
		const char *col, *label;
	} known[] = {
		{ "fill_mib", "guest memory in use (MiB)" },
		{ "mem_used_mib", "guest memory in use (MiB)" },
		{ "dirty_mib", "memory written during the migration (MiB)" },
		{ "mem_mib", "guest memory size (MiB)" },
		{ "cpu_load", "host CPU load (%)" },
		{ "flavor", "flavor" },
		{ "link", "migration link" },
		{ "interruption_ms", "service interruption (ms)" },
		{ "libvirt_downtime_ms", "libvirt downtime (ms)" },
		{ "libvirt_total_ms", "total migration time (ms)" },
	};
	const char *u = regress_unit_of(col);

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(col, known[i].col) == 0) {
			snprintf(out, len, "%s", known[i].label);
			return;
		}
	if (u)
		snprintf(out, len, "%s (%s)", col, u);
	else
		snprintf(out, len, "%s", col);
}

static int
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

/* ---- memory --------------------------------------------------------- */

static int
pick_measure(const struct opts *o, const struct table *t, const char *csv)
{
	int c;

	if (o->measure) {
		if ((c = table_col(t, o->measure)) == -1)
			perr("%s: no column \"%s\" (--measure)", csv, o->measure);
		return c;
	}
	if ((c = table_col(t, "interruption_ms")) >= 0 &&
	    table_col_numeric(t, (size_t)c))
		return c;
	if ((c = table_col(t, "libvirt_downtime_ms")) >= 0 &&
	    table_col_numeric(t, (size_t)c))
		return c;
	return -1;
}

/* The memory column: --x, else the first numeric column named *mem*. */
static int
pick_memory(const struct opts *o, const struct table *t)
{
	if (o->xcol)
		return table_col(t, o->xcol);
	for (size_t c = 0; c < t->ncols; c++)
		if (strstr(t->names[c], "mem") && table_col_numeric(t, c))
			return (int)c;
	return -1;
}

/*
 * Where to draw run i sideways of its x: runs that share an x (the levels
 * of a designed experiment) are put, in the order of their y, into up to
 * JITTER_LANES lanes around it, so neighbours in y land in different
 * lanes. A lane is 0.8 % of the x range, at most a tenth of the smallest
 * step between two x values. Deterministic: the same input, the same chart.
 */
#define JITTER_LANES	5

static double
jitter(const double *x, const double *y, size_t n, size_t i, double xmin,
    double xmax)
{
	size_t rank = 0, k = 0, lanes;
	double w = 0.008 * (xmax - xmin), step = INFINITY;

	for (size_t j = 0; j < n; j++) {
		if (x[j] != x[i]) {
			if (fabs(x[j] - x[i]) < step)
				step = fabs(x[j] - x[i]);
			continue;
		}
		k++;
		if (y[j] < y[i] || (y[j] == y[i] && j < i))
			rank++;
	}
	if (k < 2 || !(w > 0))
		return 0;
	w = fmin(w, 0.1 * step);
	lanes = k < JITTER_LANES ? k : JITTER_LANES;
	return ((double)(rank % lanes) - (double)(lanes - 1) / 2) * w;
}

static int
chart_memory(const struct opts *o, const char *csv, const struct table *t,
    const char *prefix)
{
	int xc = pick_memory(o, t), yc = pick_measure(o, t, csv);
	int runc = table_col(t, "run"), rc = EXIT_INPUT;
	double *x = NULL, *y = NULL, xmin = INFINITY, xmax = -INFINITY, tq;
	const char **names = NULL;
	size_t n = 0;
	char err[MT_ERRBUF_SIZE], path[4096], dpath[4096], fpath[4096];
	struct regress_model *m = NULL;
	FILE *f = NULL, *s = NULL;
	const char *xu;

	if (xc == -1) {
		perr("%s: no memory column%s%s", csv, o->xcol ? " " : "",
		    o->xcol ? o->xcol : " (name one with --x)");
		return EXIT_INPUT;
	}
	if (yc == -1) {
		if (!o->measure)
			perr("%s: no downtime column (interruption_ms; name "
			    "one with --measure)", csv);
		return EXIT_INPUT;
	}
	x = malloc((t->nrows + 1) * sizeof(*x));
	y = malloc((t->nrows + 1) * sizeof(*y));
	names = calloc(t->nrows + 1, sizeof(*names));
	if (x == NULL || y == NULL || names == NULL)
		goto out;
	for (size_t r = 0; r < t->nrows; r++) {
		if (table_num(t, r, (size_t)xc, &x[n]) != 0 ||
		    table_num(t, r, (size_t)yc, &y[n]) != 0)
			continue;	/* a run lacking either is not drawn */
		names[n] = runc >= 0 ? table_cell(t, r, (size_t)runc) : "";
		xmin = fmin(xmin, x[n]);
		xmax = fmax(xmax, x[n]);
		n++;
	}
	xu = regress_unit_of(t->names[xc]);
	{
		struct regress_factor rf = { .name = t->names[xc], .unit = xu,
		    .x = x };

		m = regress_fit(t->names[yc], regress_unit_of(t->names[yc]) ?
		    regress_unit_of(t->names[yc]) : "ms", y, n, names, &rf, 1,
		    err);
	}
	if (m == NULL) {
		perr("%s: cannot fit %s on %s: %s", csv, t->names[yc],
		    t->names[xc], err);
		goto out;
	}
	tq = regress_t95(m);

	if ((f = dat_open(o, prefix, "memory.dat", dpath, sizeof(dpath))) == NULL)
		goto out;
	fprintf(f, "# %s\t%s\trun\tx_drawn  (x_drawn: x spread sideways "
	    "where runs share an x, lane by rank of y)\n", t->names[xc],
	    t->names[yc]);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%.6f\t%.6f\t", x[i], y[i]);
		dat_str(f, names[i]);
		fprintf(f, "\t%.6f\n", x[i] + jitter(x, y, n, i, xmin, xmax));
	}
	if (dat_close(f, dpath) == -1) {
		f = NULL;
		goto out;
	}
	/* The fitted mean and its 95% confidence band over the x range. */
	if ((f = dat_open(o, prefix, "memory_fit.dat", fpath, sizeof(fpath))) == NULL)
		goto out;
	fprintf(f, "# %s\tfit_ms\tci95_lo_ms\tci95_hi_ms  (OLS %s = a + b x: "
	    "a = %.17g, b = %.17g, R^2 = %.17g, n = %zu)\n", t->names[xc],
	    t->names[yc], m->coef[0].estimate, m->coef[1].estimate, m->r2, n);
	for (int i = 0; i < FIT_POINTS; i++) {
		double xv = xmin + (xmax - xmin) * i / (FIT_POINTS - 1);
		double row[2] = { 1, xv }, fit, se;

		regress_predict(m, row, &fit, &se);
		fprintf(f, "%.6f\t%.6f\t%.6f\t%.6f\n", xv, fit, fit - tq * se,
		    fit + tq * se);
	}
	if (dat_close(f, fpath) == -1) {
		f = NULL;
		goto out;
	}
	f = NULL;

	if ((s = script_open(o, prefix, "memory", path, sizeof(path))) == NULL)
		goto out;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fputs("\nfitfile = ", s);
	gp_quote(s, base_name(fpath));
	fputc('\n', s);
	gp_num(s, "slope", m->coef[1].estimate);
	gp_num(s, "slope_lo", m->coef[1].ci_lo);
	gp_num(s, "slope_hi", m->coef[1].ci_hi);
	gp_num(s, "intercept", m->coef[0].estimate);
	gp_num(s, "r2", m->r2);
	fprintf(s, "nruns = %zu\n", n);
	gp_num(s, "xmin", xmin);
	gp_num(s, "xmax", xmax);
	gp_str(s, "slope_unit", m->coef[1].unit);
	{
		char b[300];

		axis_label(b, sizeof(b), t->names[xc]);
		gp_str(s, "xlabel_text", b);
		/* The column's own unit: a response in seconds is drawn
		 * as it is in runs.csv. */
		if (measure_title(t->names[yc]))
			snprintf(b, sizeof(b), "%s", measure_title(t->names[yc]));
		else if (regress_unit_of(t->names[yc]))
			axis_label(b, sizeof(b), t->names[yc]);
		else
			snprintf(b, sizeof(b), "%s (ms)", t->names[yc]);
		gp_str(s, "ylabel_text", b);
	}
	rc = script_run(o, s, path, "memory");
	s = NULL;
out:
	if (f)
		fclose(f);
	regress_free(m);
	free(x);
	free(y);
	free(names);
	return rc;
}

/* ---- decomposition -------------------------------------------------- */

/*
 * decomposition.dat: per run, in runs.csv order, its number (1..N), name,
 * the three parts and the measured interruption (interruption_ms when
 * runs.csv has it, else their sum). The chart labels bars by name for a
 * few runs and by number for many.
 */
#define DECOMP_MAX_NAMED	16

static int
chart_decomposition(const struct opts *o, const char *csv,
    const struct table *t, const char *prefix)
{
	static const char *const cols[] = { "paused_ms", "convergence_ms",
	    "resolution_ms" };
	int ci[3], runc = table_col(t, "run"), rc = EXIT_INPUT;
	int ic = table_col(t, "interruption_ms");
	char path[4096], dpath[4096];
	FILE *f, *s;
	size_t n = 0, maxlen = 0, nneg = 0;
	double ymax = 0, ymin = 0, minrest = 0;

	if (need_cols(t, csv, cols, ci, 3) == -1)
		return EXIT_INPUT;
	if ((f = dat_open(o, prefix, "decomposition.dat", dpath, sizeof(dpath))) == NULL)
		return EXIT_INPUT;
	fprintf(f, "# i\trun\tpaused_ms\tconvergence_ms\tresolution_ms\t"
	    "interruption_ms  (i: the run's number, in the order of %s)\n",
	    csv);
	for (size_t r = 0; r < t->nrows; r++) {
		double v[4];
		const char *name = runc >= 0 ? table_cell(t, r, (size_t)runc) : "";
		int k;

		for (k = 0; k < 3; k++)
			if (table_num(t, r, (size_t)ci[k], &v[k]) != 0)
				break;
		if (k < 3)
			continue;	/* a run without a decomposition */
		if (ic < 0 || table_num(t, r, (size_t)ic, &v[3]) != 0)
			v[3] = v[0] + v[1] + v[2];
		n++;
		fprintf(f, "%zu\t", n);
		dat_str(f, name);
		fprintf(f, "\t%.6f\t%.6f\t%.6f\t%.6f\n", v[0], v[1], v[2], v[3]);
		if (strlen(name) > maxlen)
			maxlen = strlen(name);
		ymax = fmax(ymax, fmax(v[3], v[0] + v[1] + fmax(v[2], 0)));
		ymin = fmin(ymin, fmin(v[0], v[0] + v[1]));
		if (v[2] < 0) {
			nneg++;
			minrest = fmin(minrest, v[2]);
		}
	}
	if (dat_close(f, dpath) == -1)
		return EXIT_INPUT;
	if (n == 0) {
		perr("%s: no run has paused_ms, convergence_ms and "
		    "resolution_ms", csv);
		return EXIT_INPUT;
	}
	if ((s = script_open(o, prefix, "decomposition", path, sizeof(path))) == NULL)
		return EXIT_INPUT;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fprintf(s, "\nnruns = %zu\nmax_name = %zu\n", n, maxlen);
	fprintf(s, "named = %d\n", n <= DECOMP_MAX_NAMED);
	fprintf(s, "n_negative_rest = %zu\n", nneg);
	gp_num(s, "min_rest", minrest);
	gp_num(s, "ymax", ymax);
	gp_num(s, "ymin", ymin);
	rc = script_run(o, s, path, "decomposition");
	return rc;
}

/* ---- inputs --------------------------------------------------------- */

/* Draw every chart the input allows. Return 0 or an exit status. */
static int
plot_input(const struct opts *oa, const char *input)
{
	char dir[4096], file[4096], prefix[300] = "", resp[256];
	char *tmp;
	int drawn = 0, rc;
	struct opts oi = *oa;
	const struct opts *o = &oi;

	if (is_dir(input)) {
		snprintf(dir, sizeof(dir), "%s", input);
		file[0] = '\0';
	} else if (exists(input)) {
		if ((tmp = strdup(input)) == NULL)
			return EXIT_INPUT;
		snprintf(dir, sizeof(dir), "%s", dirname(tmp));
		free(tmp);
		snprintf(file, sizeof(file), "%s", input);
	} else {
		perr("%s: %s", input, strerror(errno ? errno : ENOENT));
		return EXIT_INPUT;
	}
	if (o->multi) {
		if ((tmp = strdup(input)) == NULL)
			return EXIT_INPUT;
		char *b = basename(is_dir(input) ? tmp : dirname(tmp));
		snprintf(prefix, sizeof(prefix), "%s-", b);
		free(tmp);
	}

	/* An experiment: draw the response its analysis used. */
	experiment_response(dir, resp, sizeof(resp));
	if (oi.measure == NULL && resp[0] != '\0')
		oi.measure = resp;

	const char *bn = file[0] ? strrchr(file, '/') : NULL;
	bn = bn ? bn + 1 : file;
	char p[4096];

	/* timeline */
	pjoin(p, sizeof(p), dir, "timeline.csv");
	if ((file[0] ? strcmp(bn, "timeline.csv") == 0 : exists(p))) {
		if ((rc = chart_timeline(o, dir, file[0] ? file : p, prefix)) != 0)
			return rc;
		drawn++;
	}
	/* by-factor */
	pjoin(p, sizeof(p), dir, "levels.csv");
	if ((file[0] ? strcmp(bn, "levels.csv") == 0 : exists(p))) {
		if ((rc = chart_byfactor(o, file[0] ? file : p, prefix)) != 0)
			return rc;
		drawn++;
	}
	/* memory and decomposition from runs.csv */
	pjoin(p, sizeof(p), dir, "runs.csv");
	if ((file[0] ? strcmp(bn, "runs.csv") == 0 : exists(p))) {
		char err[MT_ERRBUF_SIZE];
		const char *csv = file[0] ? file : p;
		struct table *t = table_read(csv, err);

		if (t == NULL) {
			perr("%s", err);
			return EXIT_INPUT;
		}
		if (pick_memory(o, t) >= 0 || o->xcol) {
			if ((rc = chart_memory(o, csv, t, prefix)) != 0) {
				table_free(t);
				return rc;
			}
			drawn++;
		}
		if (table_col(t, "paused_ms") >= 0 &&
		    table_col(t, "convergence_ms") >= 0 &&
		    table_col(t, "resolution_ms") >= 0) {
			if ((rc = chart_decomposition(o, csv, t, prefix)) != 0) {
				table_free(t);
				return rc;
			}
			drawn++;
		}
		table_free(t);
	}
	if (drawn == 0) {
		perr("%s: nothing to draw (no timeline.csv, levels.csv, or "
		    "runs.csv with a memory column or a decomposition)", input);
		return EXIT_INPUT;
	}
	return 0;
}

/*
 * The templates when neither -T nor MIGTRACE_PLOT_DIR names them: the
 * folder of this executable if it holds common.gp (a build tree, where
 * make puts them beside plot/migtrace-plot), else PKGDATADIR (installed).
 * buf (len bytes) holds the first; returns one of the two.
 */
static const char *
template_dir(char *buf, size_t len)
{
	char exe[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return PKGDATADIR;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return PKGDATADIR;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/common.gp", exe);
	if (!exists(path) || (size_t)snprintf(buf, len, "%s", exe) >= len)
		return PKGDATADIR;
	return buf;
}

int
main(int argc, char **argv)
{
	enum { OPT_LINK = 256, OPT_X, OPT_MEASURE, OPT_BY };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "templates", required_argument, NULL, 'T' },
		{ "link", required_argument, NULL, OPT_LINK },
		{ "x", required_argument, NULL, OPT_X },
		{ "measure", required_argument, NULL, OPT_MEASURE },
		{ "by", required_argument, NULL, OPT_BY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o;
	int c, rc = 0;
	char tpath[4096], exedir[4096], tabs[PATH_MAX], gabs[PATH_MAX];

	memset(&o, 0, sizeof(o));
	o.format = "png";
	while ((c = getopt_long(argc, argv, "o:f:T:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.outdir = optarg;
			break;
		case 'f':
			o.format = optarg;
			break;
		case 'T':
			o.tdir = optarg;
			break;
		case OPT_LINK:
			if (mt_parse_rate(optarg, &o.link_bps) == -1 ||
			    !(o.link_bps > 0)) {
				perr("--link %s: not a rate (e.g. 100M, 1G)", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_X:
			o.xcol = optarg;
			break;
		case OPT_MEASURE:
			o.measure = optarg;
			break;
		case OPT_BY:
			o.by = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", progname, PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n",
			    progname);
			return EXIT_USAGE;
		}
	}
	if (strcmp(o.format, "png") != 0 && strcmp(o.format, "pdf") != 0 &&
	    strcmp(o.format, "svg") != 0) {
		perr("--format %s: use png, pdf or svg", o.format);
		return EXIT_USAGE;
	}
	if (o.outdir == NULL || optind >= argc) {
		perr("%s", o.outdir == NULL ? "no output directory (-o DIR)" :
		    "no input (an output directory of migtrace-analyze)");
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    progname);
		return EXIT_USAGE;
	}
	if (o.tdir == NULL)
		o.tdir = getenv("MIGTRACE_PLOT_DIR");
	if (o.tdir == NULL || *o.tdir == '\0')
		o.tdir = template_dir(exedir, sizeof(exedir));
	snprintf(tpath, sizeof(tpath), "%s/common.gp", o.tdir);
	if (!exists(tpath)) {
		perr("%s: no templates here (common.gp missing; use -T DIR or "
		    "MIGTRACE_PLOT_DIR)", o.tdir);
		return EXIT_USAGE;
	}
	/* The scripts run in DIR and name the templates from anywhere. */
	if (realpath(o.tdir, tabs) != NULL)
		o.tdir = tabs;
	o.gnuplot = getenv("GNUPLOT");
	if (o.gnuplot == NULL || *o.gnuplot == '\0')
		o.gnuplot = GNUPLOT_PATH;
	else if (strchr(o.gnuplot, '/') != NULL && o.gnuplot[0] != '/' &&
	    realpath(o.gnuplot, gabs) != NULL)
		o.gnuplot = gabs;	/* a relative path, from DIR too */
	if (mt_mkdir_p(o.outdir, 0777) == -1) {
		perr("%s: %s", o.outdir, strerror(errno));
		return EXIT_INPUT;
	}
	if (!is_dir(o.outdir)) {
		perr("%s: not a directory", o.outdir);
		return EXIT_USAGE;
	}
	o.multi = argc - optind > 1;
	for (int i = optind; i < argc; i++) {
		errno = 0;
		int r = plot_input(&o, argv[i]);

		if (r != 0 && rc == 0)
			rc = r;
	}
	return rc;
}
