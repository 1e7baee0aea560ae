/*
 * report.h: the report of one run, one model rendered three ways.
 *
 * The model is the JSON document (its keys: migtrace-analyze(1)).
 * analysis_to_json() fills it from an analysis, once; explain_add_json()
 * (explain_report.h), pause_add_json() (analysis/pause.h) and
 * rundir_annotate() (runs/rundir.h) add sections.
 * `--format json` prints it; the text report is rendered from it alone, so
 * a field exists once and the two cannot disagree. The CSV timeline is a
 * different dataset (one row per time bin, too many for the document) and
 * is streamed from the analysis's timeline.
 */
#ifndef MT_REPORT_H
#define MT_REPORT_H

#include <stdio.h>

#include <jansson.h>

struct analysis;

/* The report document. Returns a new reference the caller owns. */
json_t *analysis_to_json(const struct analysis *a);

/*
 * The text report, from the document only: the measures, then what job
 * statistics explain (explain_write_text), then inside the pause
 * (pause_write_text), then the document's notes.
 * Wall-clock times are UTC, marked Z; with REPORT_LOCAL_TIME in flags,
 * the local zone with its offset (+01:00).
 */
#define REPORT_LOCAL_TIME	1u
void report_write_text(const json_t *doc, unsigned flags, FILE *f);

/* The Clocks table (report_clocks.c), from the document's "clocks":
 * nothing when it is null (one clock). */
void report_clocks_text(const json_t *doc, FILE *f);

/* Append text to the document's "notes" (made if missing). */
void report_add_note(json_t *doc, const char *text);

/* The CSV timeline: a header line, then one line per time bin. */
void report_write_csv(const struct analysis *a, FILE *f);

#endif /* MT_REPORT_H */
