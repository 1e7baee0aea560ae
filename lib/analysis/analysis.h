/*
 * analysis.h: one run's analysis, from capture files to the report
 * document. The pipeline: srcset (merge) -> struct pkt -> measures
 * (vm, echo, announce, stream) -> struct analysis -> report writers.
 *
 * Other parts of migtrace-analyze (the text report, experiments, job
 * statistics) use the report document (analysis_to_json, report/report.h)
 * and its documented keys rather than the struct, so the struct can
 * change without touching them.
 */
#ifndef MT_ANALYSIS_H
#define MT_ANALYSIS_H

#include <jansson.h>
#include <stdio.h>

#include "base/mt.h"
#include "input/clock.h"

/* Exit codes of migtrace-analyze (documented in migtrace-analyze(1)). */
#define MT_EXIT_OK		0
#define MT_EXIT_USAGE		1	/* bad options */
#define MT_EXIT_INPUT		2	/* a file cannot be read or is not a capture */
#define MT_EXIT_NO_VM		3	/* no VM found (use --vm), or --vm not seen */
#define MT_EXIT_NO_STREAM	4	/* no migration stream found */
#define MT_EXIT_NOT_COVERED	5	/* the captures do not cover the migration */
#define MT_EXIT_OVER_BUDGET	6	/* over the --max-interruption budget */

/* Options of one analysis; analysis_opts_init() sets the defaults. */
struct analysis_opts {
	struct mt_addr vm_ip;		/* --vm IP (family 0: not given) */
	struct mt_mac vm_mac;		/* --vm MAC */
	int vm_mac_given;
	const char *vm_from;		/* who named the VM, for the report:
					   NULL is --vm */
	mt_ns min_gap;			/* --min-gap; 0: 3 probe intervals */
	mt_ns bin;			/* --bin; default 100 ms */
	double link_bps;		/* --link; 0: not given */
	uint16_t mig_port_lo, mig_port_hi;	/* --mig-ports, default 49152-49215 */
	int progress;			/* progress line on stderr */
	int readahead;			/* -1: a reader thread per file when
					   more than one CPU (srcset); 0: none */
	const struct clk_spec *clocks;	/* --host, --clock-ref, --clock-offset;
					   NULL or empty: one clock */
	mt_warn_fn warn;		/* warnings (one line each) */
	void *warn_ctx;
	/* Tunnels (lib/input/decap.h) */
	uint16_t vxlan_port;		/* --vxlan-port: one more VXLAN port, 0 none */
	int vni_given;			/* --vni: only frames out of tunnels */
	uint32_t vni;			/* with this VNI, GRE key or session */
	int no_switchover;		/* the migration is known not to have
					   switched over (a run directory's
					   manifest: cancelled, failed): the
					   captures need not cover one */
};

void analysis_opts_init(struct analysis_opts *o);

struct analysis;	/* opaque result of one run */

/*
 * Analyse capture files (merged by time). Return the result, or NULL with
 * errbuf set ("f.pcap: not a capture file (bad magic 0x...)"). A result
 * may still lack measures (no VM found, no stream): those are null in the
 * JSON and said in the notes.
 */
struct analysis *analysis_run(const struct analysis_opts *o,
    char *const *files, int nfiles, char *errbuf);

/*
 * The same for one capture held in memory (size bytes at data; name
 * stands for the file in messages and the report). The bytes reach
 * libpcap through fmemopen(), a fresh stream per pass, and are not
 * copied: they must stay valid until the call returns. For the fuzzers.
 */
struct analysis *analysis_run_mem(const struct analysis_opts *o,
    const char *name, const uint8_t *data, size_t size, char *errbuf);
void analysis_free(struct analysis *a);

/*
 * Exit status the analysis implies for migtrace-analyze (0, or the
 * documented codes for "no VM found", "no migration stream", "the
 * captures do not cover the migration").
 */
int analysis_status(const struct analysis *a);

/*
 * When the captures do not hold a migration's switchover (the VM's
 * traffic ends before it or starts after it): the note saying which
 * capture stops short and by how much (owned by a). NULL otherwise.
 */
const char *analysis_not_covered(const struct analysis *a);

/*
 * Analyse one run directory as `lab/lab run` and migtrace-capture leave
 * it (*.pcap, *.pcapng, manifest.json, jobstats.json or domjobinfo*.txt):
 * return the report document with the manifest's "factors" copied in as
 * "factors", or NULL with errbuf set. Used by --experiment DIR.
 */
json_t *analysis_run_dir(const struct analysis_opts *o, const char *dir,
    char *errbuf);

#endif /* MT_ANALYSIS_H */
