/*
 * rundir.h: a run directory (migtrace-capture -o DIR, lab/lab run --out
 * DIR): its captures, job statistics and manifest factors.
 */
#ifndef MT_RUNDIR_H
#define MT_RUNDIR_H

#include <jansson.h>

#include "analysis.h"
#include "jobstats.h"

struct rundir {
	char **files;		/* the .pcap and .pcapng files, sorted */
	int nfiles;
	struct jobstats *js;	/* jobstats.json, domjobinfo-raw.txt or
				 * domjobinfo.txt, in that order; or NULL */
	json_t *factors;	/* the manifest's "factors", or NULL */
	char *status;		/* the manifest's "status", or NULL */
	double link_bps;	/* factors.link, 0 when absent */
};

/*
 * Open a run directory. Return 0, or -1 with errbuf naming the file at
 * fault (no captures, unreadable job statistics, broken manifest).
 * Release with rundir_close().
 */
int rundir_open(const char *dir, const struct analysis_opts *o,
    struct rundir *rd, char *errbuf);
void rundir_close(struct rundir *rd);

/* Add "run", "factors" and "capture_status" to a report document. */
void rundir_annotate(json_t *doc, const char *dir, const struct rundir *rd);

#endif /* MT_RUNDIR_H */
