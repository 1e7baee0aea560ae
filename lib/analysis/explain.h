/*
 * explain.h: one migration explained: the network's service interruption
 * split into its causes, the capture reconciled with libvirt's job
 * statistics, and the pre-copy model (lib/stats/model.h) next to the measures.
 *
 * Input is plain numbers (filled by lib/report/explain_report.c from the
 * report document and struct jobstats), so the arithmetic is testable
 * exactly. An absent number is NAN (times: MT_NS_NONE); what cannot be
 * computed from absent inputs is NAN in the output, never invented.
 */
#ifndef MT_EXPLAIN_H
#define MT_EXPLAIN_H

#include "stats/model.h"
#include "base/mt.h"

/* Default tolerances of the crosschecks (relative difference). */
#define EXPLAIN_TOL_BYTES	0.05	/* stream framing, device state */
#define EXPLAIN_TOL_RATE	0.10	/* QEMU's mbps vs first-to-last data */
#define EXPLAIN_TOL_DURATION	0.15	/* job setup, prepare and finish */
/* libvirt reports downtime in whole ms: slack when judging the rest. */
#define EXPLAIN_MS_SLACK_S	0.001
/*
 * Payload share of a TCP/IPv4 stream on Ethernet at MTU 1500 with TCP
 * timestamps: 1448 bytes of 1538 on the wire (preamble, header, FCS and
 * inter-frame gap included). Used for --what-if-link when the measured
 * run's own link rate (and so its efficiency) is unknown.
 */
#define EXPLAIN_TCP_EFFICIENCY	(1448.0 / 1538.0)
/*
 * The what-if is calibrated on the measured run: at the measured link it
 * gives the measured downtime and interruption back within this much
 * (libvirt's whole milliseconds), unless the model's own memory term
 * already exceeds the measurement (then the fixed term is 0, said so).
 */
#define EXPLAIN_WI_TOL_S	0.001

struct explain_in {
	/* From the capture (the report document). */
	mt_ns last_reply_before_ns;	/* interruption.last_reply_before_ns */
	mt_ns first_reply_after_ns;	/* interruption.first_reply_after_ns */
	mt_ns announce_first_ns;	/* announce.first_ns */
	double interruption_s;		/* interruption.duration_s */
	double probe_interval_s;	/* interruption.probe_interval_s */
	double stream_bytes;		/* migration.bytes */
	double stream_duration_s;	/* migration.duration_s */
	double stream_mean_bps;		/* migration.mean_bps (bits/s) */
	double link_bps;		/* migration.link_bps (--link) */
	int aborted;			/* migration.outcome "aborted" */
	int postcopy;			/* migration.postcopy present */

	/* From libvirt (struct jobstats); NAN when absent. */
	double downtime_s;
	double time_elapsed_s;
	double setup_s;
	double memory_total;		/* bytes */
	double memory_processed;	/* bytes */
	double memory_bps;		/* bytes/s */
	double memory_constant;		/* pages */
	double page_size;		/* bytes */
	double dirty_rate;		/* pages/s */
	double iterations;		/* memory_iteration */

	/* Options. */
	double limit_s;			/* --downtime-limit; 0: 300 ms */
	double what_if_bps;		/* --what-if-link; 0: none */
	double tol_bytes, tol_rate, tol_duration;	/* 0: defaults */
};

/* Set everything absent, options to defaults. */
void explain_in_init(struct explain_in *in);

enum explain_part { EXPLAIN_NONE = 0, EXPLAIN_PAUSED, EXPLAIN_CONVERGENCE,
    EXPLAIN_RESOLUTION };

struct explain_decomp {
	double interruption_s;
	double paused_s;	/* libvirt downtime: guest CPUs stopped */
	double convergence_s;	/* first announce -> first reply after */
	double resolution_s;	/* the rest, expected in [0, probe interval] */
	double probe_interval_s;
	int rest_checked;	/* all of the above known */
	int rest_ok;		/* rest within [0, probe interval] (+ slack) */
	enum explain_part dominant;
	char finding[MT_ERRBUF_SIZE];	/* "" when nothing to report */
};

enum explain_check_id { EXPLAIN_CK_BYTES, EXPLAIN_CK_RATE,
    EXPLAIN_CK_DURATION, EXPLAIN_NCHECKS };

struct explain_check {
	const char *name;	/* "bytes", "throughput", "duration" */
	double capture, libvirt;	/* same unit: bytes, bits/s, s */
	double rel_diff;	/* (capture - libvirt) / libvirt; NAN */
	double tolerance;
	int checked;		/* both sides known */
	int ok;
	char finding[MT_ERRBUF_SIZE];
};

struct explain_model {
	int run;		/* 0: not enough inputs (see note) */
	const char *v_source;	/* how V was obtained */
	const char *r_source;	/* how R was obtained */
	struct model_in in;
	struct model_out out;
	double measured_time_s, measured_downtime_s;
	double time_rel_diff, downtime_diff_s;
	/* What-if: model at another rate, plus the fixed costs measured. */
	int what_if;
	double wi_link_bps, wi_rate_Bps, wi_efficiency;
	double wi_fixed_time_s, wi_fixed_downtime_s;
	/* The interruption seen by the probes: the model's memory term plus
	 * the part of the measured interruption it does not explain. */
	double measured_interruption_s, wi_fixed_interruption_s;
	int wi_calibrated;	/* fixed terms >= 0: reproduces the run */
	struct model_out wi;
	double wi_time_s, wi_downtime_s, wi_interruption_s;
	char note[MT_ERRBUF_SIZE];
};

struct explain_result {
	struct explain_decomp dec;
	struct explain_check ck[EXPLAIN_NCHECKS];
	struct explain_model model;
};

/* Compute everything from in. Never fails; absent inputs give NAN. */
void explain_run(const struct explain_in *in, struct explain_result *r);

/* "paused", "convergence", "resolution" or NULL. */
const char *explain_part_name(enum explain_part p);

#endif /* MT_EXPLAIN_H */
