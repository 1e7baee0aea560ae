/*
 * guest.h: which runs of an experiment the analysis leaves out because
 * the guest did not survive the migration cleanly.
 *
 * The lab checks the guest after every run (lab/README.md: the
 * destination's console holds no kernel error, the guest answers every
 * ping afterwards) and keeps a run whose guest failed it, marked: in a
 * table of runs the column guest_ok is 0 (and guest_reason says why), in
 * a run directory run.json has "guest_check": {"ok": false, "reason": ...}
 * (an older run.json without guest_check counts as clean when its
 * "status" is "ok"). Such a run measured a migration, but of a guest that
 * was broken by it, so its downtime is left out of the statistics.
 */
#ifndef MT_RUNS_GUEST_H
#define MT_RUNS_GUEST_H

#include <stddef.h>

#include "stats/table.h"

/*
 * Remove from t the rows of runs whose guest was not clean: by its
 * guest_ok column when it has one (a cell other than 1 or true), else,
 * when rundir is not NULL, by rundir/RUN/run.json (RUN: the row's run
 * cell; rows without a run.json stay). Sets *left_out to the number
 * removed and *why to "RUN (reason); RUN (reason)" for them (NULL when
 * none; the caller frees it). Return 0, or -1 when out of memory.
 */
int guest_leave_out(struct table *t, const char *rundir, size_t *left_out,
    char **why);

/*
 * 1 if col is one of the columns in which the lab's table (lab/lab table)
 * records a run rather than a factor of it: guest_ok, guest_reason, qemu,
 * libvirt, converged, load1, switchover_pending_b, expected_downtime_ms.
 * They become factors only when --factors names them.
 */
int guest_is_record_col(const char *col);

#endif /* MT_RUNS_GUEST_H */
