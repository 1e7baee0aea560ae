/*
 * plot.h: the parts of migtrace-plot: main.c (the command line, which
 * charts an input allows), gnuplot.c (what the charts share), one file
 * per kind of chart (timeline.c, by_factor.c, runs.c).
 */
#ifndef MT_PLOT_H
#define MT_PLOT_H

#include <stdio.h>

#include <jansson.h>

#include "base/mt.h"
#include "stats/table.h"

#define EXIT_USAGE	1
#define EXIT_INPUT	2
#define EXIT_GNUPLOT	3

#define FIT_POINTS	101	/* points of the fitted line and band */
#define MAX_GROUPS	64	/* by-factor: levels on the x axis */
#define MAX_SERIES	12	/* by-factor: bars per group */

extern const char progname[];	/* "migtrace-plot" */

struct opts {
	const char *format;	/* png, pdf, svg */
	const char *outdir;
	const char *tdir;	/* templates */
	const char *gnuplot;
	const char *xcol;	/* memory chart: x column */
	const char *with;	/* memory chart: CSV:COLUMN, a second series */
	const char *measure;	/* response column (--measure) */
	const char *by;		/* by-factor: "GROUP[,SERIES]" */
	double link_bps;	/* timeline: capacity line; 0: from report.json */
	int multi;		/* several inputs: prefix chart names */
};

/* gnuplot.c: one error line on stderr, "migtrace-plot: ...". */
void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pjoin(char *out, size_t len, const char *dir, const char *name);
int is_dir(const char *path);
void gp_quote(FILE *f, const char *s);
void gp_dq(FILE *f, const char *s);
void dat_str(FILE *f, const char *s);
void gp_num(FILE *f, const char *name, double v);
void gp_str(FILE *f, const char *name, const char *v);
json_t *load_json(const char *path);
double rel_s(mt_ns t, mt_ns t0);
const char *base_name(const char *path);
void experiment_response(const char *dir, char *out, size_t len);
FILE *script_open(const struct opts *o, const char *prefix, const char *chart,
    char *path, size_t len);
int script_run(const struct opts *o, FILE *f, const char *path,
    const char *chart);
FILE *dat_open(const struct opts *o, const char *prefix, const char *name,
    char *path, size_t len);
int dat_close(FILE *f, const char *path);
int need_cols(const struct table *t, const char *path,
    const char *const *cols, int *idx, size_t n);
const char *measure_title(const char *m);
void axis_label(char *out, size_t len, const char *col);

/* The charts: 0, or an exit status (error printed). */
int chart_timeline(const struct opts *o, const char *dir, const char *csv,
    const char *prefix);
int chart_byfactor(const struct opts *o, const char *csv, const char *prefix);
int chart_memory(const struct opts *o, const char *csv, const struct table *t,
    const char *prefix);
int chart_decomposition(const struct opts *o, const char *csv,
    const struct table *t, const char *prefix);

/* runs.c: the memory column of runs.csv (--x, else the first *mem*
 * column), or -1. */
int pick_memory(const struct opts *o, const struct table *t);

#endif /* MT_PLOT_H */
