/*
 * experiment_int.h: the inside of an experiment, shared by its files:
 * experiment.c (the table of runs -> response, factors, the model),
 * experiment_dir.c (a directory of run directories -> the table of runs)
 * and experiment_write.c (the model -> the output files and the text).
 */
#ifndef MT_EXPERIMENT_INT_H
#define MT_EXPERIMENT_INT_H

#include <stdio.h>

#include "runs/experiment.h"
#include "stats/regress.h"
#include "stats/table.h"

#define EXPERIMENT_MAX_JOBS 256

/*
 * The measures of one run, with the report-document keys they come from
 * (migtrace-analyze(1), JSON keys) and the scale to their column's unit.
 * These columns are measures, never factors.
 */
struct experiment_measure {
	const char *col;
	const char *key;
	double scale;
};
extern const struct experiment_measure experiment_measures[];
extern const size_t experiment_nmeasures;

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

/* One error line on stderr: "migtrace-analyze: ...". */
void experiment_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether col is one of experiment_measures (never a factor). */
int experiment_is_measure(const char *col);

/*
 * Scale from a column's unit (by its suffix) to ms; 0 when not a time.
 * *assumed is set when the column has no unit (then 1: ms).
 */
double experiment_ms_scale(const char *col, int *assumed);

/* A column's values in ms (NaN when empty or not a number); the caller
 * frees it. NULL when out of memory. */
double *experiment_column_ms(const struct exp *e, int col, double scale);

/*
 * Analyse every run directory under o->input and build the table of
 * runs: run, the factors (ftab: --factors TABLE.csv, or NULL), the
 * measures. Return it, or NULL (error printed).
 */
struct table *experiment_runs_from_dir(const struct experiment_opts *o,
    const struct table *ftab);

enum experiment_out {
	EXP_OUT_RUNS, EXP_OUT_LEVELS, EXP_OUT_MODEL_JSON, EXP_OUT_MODEL_CSV,
	EXP_OUT_TEXT
};

/* Write one output to f. 0, or -1 when out of memory. */
int experiment_write(const struct exp *e, FILE *f, enum experiment_out k);

/* Write one output to dir/name. 0, or -1 (error printed). */
int experiment_write_file(const struct exp *e, const char *dir,
    const char *name, enum experiment_out k);

#endif /* MT_EXPERIMENT_INT_H */
