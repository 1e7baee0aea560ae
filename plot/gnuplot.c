/*
 * gnuplot.c: what every chart of migtrace-plot uses: error lines, file
 * helpers, quoting for gnuplot, the .dat and .gnuplot files, running
 * gnuplot in the output folder, and readable labels for known columns.
 */
#include "config.h"

#include <errno.h>
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
#include "plot/plot.h"

void
perr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vmsg(progname, "", fmt, ap);
	va_end(ap);
}

/* ---- small helpers -------------------------------------------------- */

/* dir/name into out; -1 (and "") when it does not fit. */
int
pjoin(char *out, size_t len, const char *dir, const char *name)
{
	int n = snprintf(out, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* A path in single quotes for gnuplot ('' stands for a quote). */
void
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
void
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
void
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

void
gp_num(FILE *f, const char *name, double v)
{
	if (isfinite(v))
		fprintf(f, "%s = %.17g\n", name, v);
	else
		fprintf(f, "%s = NaN\n", name);
}

/* A string variable, escaped for gnuplot enhanced text. */
void
gp_str(FILE *f, const char *name, const char *v)
{
	fprintf(f, "%s = ", name);
	gp_label(f, v);
	putc('\n', f);
}

json_t *
load_json(const char *path)
{
	json_error_t je;
	json_t *j;

	if (!mt_is_file(path))
		return NULL;
	if ((j = json_load_file(path, 0, &je)) == NULL)
		perr("%s:%d: not valid JSON (%s); ignored", path, je.line,
		    je.text);
	return j;
}

/* Seconds from t0 to t (exact integer difference first), NaN if none. */
double
rel_s(mt_ns t, mt_ns t0)
{
	if (t == MT_NS_NONE || t0 == MT_NS_NONE)
		return NAN;
	return (double)(t - t0) / 1e9;
}

/* The file name of path (what follows the last '/'). */
const char *
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
void
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
FILE *
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
int
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

FILE *
dat_open(const struct opts *o, const char *prefix, const char *name,
    char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s%s", o->outdir, prefix, name);
	if ((f = fopen(path, "w")) == NULL)
		perr("%s: %s", path, strerror(errno));
	return f;
}

int
dat_close(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad) {
		perr("%s: write failed", path);
		return -1;
	}
	return 0;
}

/* ---- columns -------------------------------------------------------- */

int
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

const char *
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
void
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
