/*
 * precopy.h: the pre-copy model's expected downtime beside the measured
 * one, over the runs of an experiment.
 *
 * The lab's table (lab/lab table) carries, per run, expected_downtime_ms:
 * the bytes QEMU still had to send when it decided to stop the guest,
 * over the rate the migration ran at (docs/lab-backports.md). The model
 * (pre-copy: the guest stops when what is left fits in the downtime
 * limit at the link rate) says the guest is paused about that long.
 */
#ifndef MT_RUNS_PRECOPY_H
#define MT_RUNS_PRECOPY_H

#include "stats/table.h"

/*
 * When t has a numeric expected_downtime_ms column, set *note to one line
 * comparing it with the response (column rcol, scale rscale to ms) over
 * the runs that have both: n, both means, the median and range of
 * measured - expected, and the least-squares line of measured on
 * expected (slope with its 95% interval, R^2). *note is NULL when there
 * is no such column or fewer than 3 such runs; the caller frees it.
 * Return 0, or -1 when out of memory.
 */
int precopy_note(const struct table *t, int rcol, double rscale, char **note);

#endif /* MT_RUNS_PRECOPY_H */
