/*
 * experiment.h: migtrace-analyze --experiment: many runs -> one table of
 * runs, statistics per factor level, and a regression of downtime on the
 * factors (lib/stats/regress.h).
 *
 * Two inputs:
 * - a CSV table of already-measured runs (header row; `run` names the
 *   row; the response column in ms, or in s/us by its suffix; every other
 *   numeric column is a factor unless --factors picks them; text columns
 *   become indicators);
 * - a directory of run directories, each analysed with
 *   analysis_run_dir() (in parallel, -j), the measures taken from the
 *   report document by their documented keys and the factors from its
 *   "factors" object (or from --factors TABLE.csv: run -> factors).
 * Both become the same table of runs (runs.csv), so a runs.csv can be fed
 * back as --experiment runs.csv.
 *
 * Outputs with -o DIR: runs.csv, levels.csv, model.json, model.csv,
 * report.txt. On stdout: the text report (--format text), model.json
 * (json) or runs.csv (csv).
 */
#ifndef MT_EXPERIMENT_H
#define MT_EXPERIMENT_H

#include "analysis/analysis.h"

enum experiment_format { EXPERIMENT_TEXT, EXPERIMENT_JSON, EXPERIMENT_CSV };

struct experiment_opts {
	const char *input;	/* --experiment DIR | TABLE.csv (required) */
	/*
	 * --factors: "a,b,c" (these factors, in this order: the order of the
	 * sequential shares), or a CSV file (a path ending in .csv, or an
	 * existing file) mapping `run` to factor columns (DIR mode).
	 * NULL: every factor.
	 */
	const char *factors;
	/*
	 * --response: "interruption" (default; column interruption_ms),
	 * "libvirt" (column libvirt_downtime_ms), or any column of a table.
	 */
	const char *response;
	/* --baseline FACTOR=LEVEL[,...]: baseline of a categorical factor. */
	const char *baseline;
	const char *outdir;	/* -o DIR; NULL: no files */
	int jobs;		/* -j N; 0: the number of online CPUs */
	enum experiment_format format;	/* --format: what goes to stdout */
	int quiet;		/* -q: nothing on stdout */
	/* Options of each run's analysis (DIR mode); NULL: the defaults. */
	const struct analysis_opts *aopts;
};

void experiment_opts_init(struct experiment_opts *o);

/*
 * Run the experiment. Errors are printed to stderr as one line
 * ("migtrace-analyze: runs/r3: no migration stream found"). Return the
 * exit status: MT_EXIT_OK, MT_EXIT_USAGE (bad --factors/--response/
 * --baseline/-j), MT_EXIT_INPUT (unreadable input, a run that cannot be
 * analysed, a model that cannot be fitted: too few runs, a constant or
 * collinear factor, runs lacking a value).
 */
int experiment_main(const struct experiment_opts *o);

#endif /* MT_EXPERIMENT_H */
