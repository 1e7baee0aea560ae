/*
 * pause_report.h: the "pause" section of migtrace-analyze's report (QEMU's
 * downtime checkpoints joined with the packets, lib/analysis/pause.h),
 * rendered as text from the report document's keys only.
 *
 * Keys (absent or not computable: null; times integer ns on the reference
 * clock, durations s):
 *   pause.traces[].{file, host (null: the reference host), offset_ns,
 *     events, untimed, malformed, used, other_migrations, side}
 *   pause.checkpoints[].{side, name, ns}, in time order
 *   pause.unknown_checkpoints[] (names)
 *   pause.devices[].{side, type, idstr, instance_id, us, events}, by
 *     side, longest first
 *   pause.runstates[].{side, state, name, ns}
 *   pause.{stopped_ns, loaded_ns, resumed_ns, resumed_by ("runstate",
 *     "announce"), qemu_downtime_s, last_data_to_loaded_s,
 *     loaded_to_resumed_s, resumed_to_first_reply_s}
 *   pause.steps[].{step, by ("wire", "source", "destination"), event, ns,
 *     since_previous_s, share (of the interruption)}
 *   pause.disagreements[] (sentences)
 */
#ifndef MT_PAUSE_REPORT_H
#define MT_PAUSE_REPORT_H

#include <stdio.h>

#include <jansson.h>

/* The "Inside the pause" table; nothing when the document has no pause. */
void pause_write_text(const json_t *doc, FILE *f);

/*
 * The pause as a bar of phases, for migtrace-plot: one row a phase (the
 * time between two steps of pause.steps), "phase start_ms end_ms by
 * label", ms since the first step. Return the number of rows (0: no
 * pause, or fewer than two steps); *total_ms gets the last step's time.
 */
size_t pause_write_bar(const json_t *doc, FILE *f, double *total_ms);

#endif /* MT_PAUSE_REPORT_H */
