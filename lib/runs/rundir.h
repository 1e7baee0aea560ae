/*
 * rundir.h: a run directory (migtrace-capture -o DIR, lab/lab run --out
 * DIR): its captures, job statistics, manifest factors and QEMU traces.
 */
#ifndef MT_RUNDIR_H
#define MT_RUNDIR_H

#include <jansson.h>

#include "analysis/analysis.h"
#include "virt/jobstats.h"

struct rundir {
	char **files;		/* the .pcap and .pcapng files, sorted */
	int nfiles;
	struct jobstats *js;	/* jobstats.json, domjobinfo-raw.txt or
				 * domjobinfo.txt, in that order; or NULL */
	json_t *factors;	/* the manifest's "factors", or NULL */
	char *status;		/* the manifest's "status", or NULL */
	char *qemu_status;	/* its libvirt.qemu_migration_status */
	int qemu_cancelling;	/* its libvirt.qemu_cancelling is true */
	char *libvirt_status;	/* its libvirt.status (--migrate-to) */
	double link_bps;	/* factors.link, 0 when absent */
	char *vm;		/* the manifest's "vm" (capture --vm), or NULL */
	char *manifest;		/* its path, or NULL without one */
	char **qtraces;		/* qemu-trace*.log: the hosts' QEMU logs
				 * (lab/lab run --qemu-trace,
				 * migtrace-capture), sorted */
	int nqtraces;
};

/*
 * Open a run directory. Return 0, or -1 with errbuf naming the file at
 * fault (no captures, unreadable job statistics, broken manifest).
 * Release with rundir_close().
 */
int rundir_open(const char *dir, const struct analysis_opts *o,
    struct rundir *rd, char *errbuf);
void rundir_close(struct rundir *rd);

/*
 * libvirt's (or QEMU's) word on how the migration ended: "completed",
 * "failed" or "cancelled", or NULL when nothing says. From, in this
 * order: js's job type (a completed-job record: COMPLETED, FAILED,
 * CANCELLED); the manifest's QEMU cancelling event (a cancel QEMU
 * reports as failed when it shut the socket first), QEMU's last
 * migration status, virsh migrate's end (libvirt.status), its status
 * (failed or cancelled). rd and js may be NULL. source gets where it was
 * read.
 */
const char *rundir_libvirt_outcome(const struct rundir *rd,
    const struct jobstats *js, char *source, size_t len);

/* Add "run", "factors" and "capture_status" to a report document. */
void rundir_annotate(json_t *doc, const char *dir, const struct rundir *rd);

/*
 * What the run says that the user did not: the link rate (factors.link)
 * and the VM (the manifest's "vm", from migtrace-capture --vm: the
 * analysis then need not read the captures twice to find it). A "vm"
 * that is not an address is warned about and left out.
 */
void rundir_apply(const struct rundir *rd, struct analysis_opts *o);

#endif /* MT_RUNDIR_H */
