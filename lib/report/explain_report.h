/*
 * explain_report.h: the "jobstats", "decomposition", "crosscheck" and
 * "model" sections of migtrace-analyze's report, added to the
 * report document (analysis_to_json) and printed after the text report.
 * Works from the document's keys only (see lib/analysis/analysis.h).
 *
 * Keys (absent or not computable: null; times s, sizes bytes, rates bits/s):
 *   jobstats.{source, form ("text", "rawstats", "json", "libvirt"),
 *     approximate (virsh's rounded sizes), job_type, operation,
 *     downtime_ms, downtime_net_ms, time_elapsed_ms, time_elapsed_net_ms,
 *     setup_time_ms, memory_total, memory_processed, memory_remaining,
 *     memory_bps (bits/s = libvirt's bytes/s x 8), memory_dirty_rate
 *     (pages/s), memory_iteration, memory_constant, memory_normal,
 *     memory_normal_bytes, page_size, data_processed, success,
 *     iterations, iteration_events[]}
 *   decomposition.{interruption_s, paused_s (libvirt downtime),
 *     convergence_s (first RARP -> first reply), resolution_s (the rest),
 *     probe_interval_s, rest_ok (rest in [0, probe interval] +- 1 ms),
 *     dominant ("paused", "convergence", "resolution"), finding}
 *   crosscheck.{bytes, throughput, duration}.{capture, libvirt, unit,
 *     capture_key, libvirt_key, rel_diff ((capture - libvirt) / libvirt),
 *     tolerance (0.05, 0.10, 0.15), ok, finding}; crosscheck.ok (all)
 *   model.{v_bytes, v_source, link_bps, link_source, dirty_bytes_per_s,
 *     lambda, downtime_limit_s, setup_s, converges, passes,
 *     measured_iterations, predicted_time_s, predicted_downtime_s,
 *     predicted_last_pass_bytes, measured_time_s (time_elapsed, else the
 *     stream's duration), measured_downtime_s, time_rel_diff,
 *     unexplained_downtime_s, note}
 *   model.what_if.{link_bps, efficiency, stream_bps, lambda, converges,
 *     passes, fixed_time_s, fixed_downtime_s, predicted_time_s,
 *     predicted_downtime_s}
 * The model's choices (V, R, the fixed costs carried into the what-if)
 * are explained in lib/stats/model.h and lib/analysis/explain.c.
 */
#ifndef MT_EXPLAIN_REPORT_H
#define MT_EXPLAIN_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "virt/jobstats.h"

struct explain_opts {
	double downtime_limit_s;	/* --downtime-limit; default 0.3 */
	double what_if_link_bps;	/* --what-if-link RATE; 0: not given */
};

void explain_opts_init(struct explain_opts *o);

/*
 * --downtime-limit VALUE: a plain number is milliseconds, as `virsh
 * migrate-setmaxdowntime` takes it; "0.5s", "300ms" as mt_parse_duration.
 * Return 0 and set *seconds (> 0), or -1.
 */
int explain_parse_limit(const char *s, double *seconds);

/*
 * Add "jobstats" (jobstats_to_json, null when js is NULL),
 * "decomposition", "crosscheck" and "model" (with "model.what_if" when
 * o->what_if_link_bps is set) to doc, reading the measures from doc's
 * interruption.*, announce.* and migration.* keys. Missing measures give
 * null outputs and a string appended to doc's "notes" array; js may be
 * NULL (then the model runs on the capture's stream alone, if any).
 * Return 0, or -1 with errbuf set when doc is not a JSON object.
 */
int explain_add_json(json_t *doc, const struct jobstats *js,
    const struct explain_opts *o, char *errbuf);

/*
 * Print the sections explain_add_json() added, as readable text (aligned
 * like virsh domjobinfo, a one-sentence verdict per section). Prints
 * nothing when doc has none of them.
 */
void explain_write_text(const json_t *doc, FILE *f);

#endif /* MT_EXPLAIN_REPORT_H */
