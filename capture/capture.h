/*
 * capture.h: the parts of migtrace-capture and how they talk: options,
 * one capture handle per interface, the prober, the libvirt watcher, the
 * manifest. Everything here is private to capture/.
 *
 * Threads: the main thread runs the poll loop over every pcap handle, a
 * signalfd and a wake-up eventfd; the prober and the libvirt event loop
 * (and a running migration) have their own threads and wake the main
 * thread through that eventfd (cap_wake()).
 */
#ifndef CAP_CAPTURE_H
#define CAP_CAPTURE_H

#include <stdint.h>
#include <sys/types.h>

#include <pcap/pcap.h>
#include <jansson.h>

#include "base/mt.h"
#include "base/outfile.h"

#define CAP_PROG "migtrace-capture"

enum cap_role {
	CAP_MGMT,		/* management network: the migration stream */
	CAP_EXT			/* external network: the VM's service traffic */
};

/* Defaults: headers only on management, a bit more outside. */
#define CAP_SNAPLEN_MGMT	128
#define CAP_SNAPLEN_EXT		256
/* 32 MiB of kernel ring: ~0.25 s of 1 Gbit/s line rate at full frames. */
#define CAP_BUFFER_KIB		32768
/* Packet buffer timeout (ms): how long a TPACKET_V3 block may wait. */
#define CAP_TIMEOUT_MS		100
#define CAP_MIG_PORTS		"49152-49215,16509,16514"

/* One interface being captured. */
struct cap_iface {
	enum cap_role role;
	char *name;			/* interface name */
	char *filter;			/* BPF expression, "" for everything */
	int snaplen;
	int buffer_kib;

	pcap_t *p;
	int dlt;
	int selfd;			/* pcap_get_selectable_fd() */
	char *file;			/* "mgmt-IF.pcap", relative to the dir */
	char *path;			/* "DIR/mgmt-IF.pcap", for messages */
	int fd;				/* the file, opened by us */
	pcap_dumper_t *d;
	char *iobuf;			/* stdio buffer of the file */

	uint64_t written;		/* records handed to pcap_dump */
	uint64_t wire_bytes;		/* sum of h->len */
	off_t end;			/* logical size after the last record */
	off_t flushed;			/* size known to be on disk */
	uint64_t flushed_count;		/* records known to be on disk */
	int werr;			/* errno of the first write error, 0 */
	int done;			/* closed (error or end) */

	struct pcap_stat st;
	int have_stats;
	char stats_err[PCAP_ERRBUF_SIZE];
};

/* Options, as parsed from the command line. */
struct cap_opts {
	const char *dir;
	struct cap_iface *ifs;
	int nifs;
	const char *mig_ports;
	const char *vm;
	const char *filter_mgmt, *filter_ext;
	int snaplen;			/* -s; 0 = per-role default */
	int buffer_kib;			/* -B */
	int promisc;
	int immediate;
	mt_ns duration;			/* 0 = none */
	const char *probe_addr;
	mt_ns probe_interval;
	const char *libvirt_uri, *domain, *libvirt_dest;
	const char *migrate_to, *migrate_uri;
	const char *qemu_logs[4];	/* --qemu-log FILE */
	int nqemu_logs;
	mt_ns linger;
	const char *user;		/* -Z */
	int force;
	int quiet;
	json_t *factors;		/* object of strings, never NULL */
	char **argv;
	int argc;
};

/* Why the capture stopped. */
enum cap_stop {
	CAP_STOP_NONE,
	CAP_STOP_SIGNAL,
	CAP_STOP_DURATION,
	CAP_STOP_MIGRATION,		/* job ended + linger */
	CAP_STOP_DISK_FULL,
	CAP_STOP_WRITE_ERROR,
	CAP_STOP_CAPTURE_ERROR
};

/* common.c ---------------------------------------------------------- */
/*
 * What every part uses, and which uses no other part: so the parts call
 * down to it and never back up to main.c or loop.c.
 */
/* Wake the main loop from another thread (async-signal-safe). */
void cap_wake(void);
int cap_wake_init(void);		/* 0, or -1 (errno) */
void cap_wake_close(void);
int cap_wake_fd(void);			/* for the loop to poll and read */
mt_ns cap_now(void);			/* CLOCK_REALTIME in ns */
/* One line on stderr: "migtrace-capture: ...", "...: WARNING: ...". */
void cap_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cap_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* options.c --------------------------------------------------------- */
/* Parse argv into o. 0, 1 (help or version printed), -1 (error printed). */
int opts_parse(int argc, char **argv, struct cap_opts *o);
/* Fill each interface's filter, snaplen, buffer, file. 0 or -1 (printed). */
int opts_configure(struct cap_opts *o);

/* iface.c ----------------------------------------------------------- */
/*
 * Open and activate the handle of ifc (nanosecond timestamps, snaplen,
 * buffer, filter). Return 0, or -1 with one line in err.
 */
int iface_open(struct cap_iface *ifc, const struct cap_opts *o, char *err,
    size_t errlen);
/* Create ifc->file in dirfd and start the dump. 0, or -1 with err. */
int iface_open_output(struct cap_iface *ifc, int dirfd, const char *dir,
    int force, char *err, size_t errlen);
/*
 * Read what the kernel has (non-blocking) and write it. Return the
 * number of packets, or -1 on a capture error (err filled), or -2 on a
 * write error (ifc->werr set).
 */
int iface_dispatch(struct cap_iface *ifc, char *err, size_t errlen);
/* Read the kernel counters into ifc->st. */
void iface_stats(struct cap_iface *ifc);
/*
 * Flush and close the dump. After a write error, cut the file back to
 * its last complete record so it stays valid. Return 0 or -1 (err).
 */
int iface_close(struct cap_iface *ifc, char *err, size_t errlen);
const char *iface_role_name(enum cap_role r);

/* privdrop.c -------------------------------------------------------- */
/* Switch to user (groups, gid, uid). Return 0 or -1 (err). */
int priv_drop(const char *user, char *err, size_t errlen);

/* probe.c ----------------------------------------------------------- */
struct probe;
/* Open the raw socket (needs CAP_NET_RAW). NULL with err on failure. */
struct probe *probe_new(const char *addr, mt_ns interval, char *err,
    size_t errlen);
int probe_start(struct probe *pr, char *err, size_t errlen);
/* Stop sending; keep counting replies until probe_free. */
void probe_stop_sending(struct probe *pr);
json_t *probe_json(struct probe *pr);
void probe_summary(struct probe *pr);
void probe_free(struct probe *pr);

/* virt.c ------------------------------------------------------------ */
struct virt;
/* Connect, look the domain up, register the events. NULL with err. */
struct virt *virt_new(const struct cap_opts *o, char *err, size_t errlen);
/* Start the migration (if --migrate-to) in its own thread. */
int virt_start_migration(struct virt *v, char *err, size_t errlen);
/*
 * Time the job ended (job-completed event, migration call returned, or,
 * watching, QEMU's MIGRATION event "failed" or "cancelled"), or
 * MT_NS_NONE while it runs.
 */
mt_ns virt_job_end(struct virt *v);
/* Abort a migration we started (on SIGINT/SIGTERM). */
void virt_abort(struct virt *v);
/* Wait for the migration thread, read the destination's stats. */
void virt_finish(struct virt *v);
/* jobstats.json document, and the manifest's "libvirt" object. */
json_t *virt_jobstats_json(struct virt *v);
json_t *virt_manifest_json(struct virt *v);
/*
 * "succeeded", "failed", "cancelled", "running", "none". With
 * --migrate-to, the migration call's outcome (a "failed" that QEMU saw
 * cancelled is "cancelled"); watching, what QEMU's MIGRATION events
 * said at the end ("none" until then).
 */
const char *virt_migration_status(struct virt *v);
/* The migration's error message, or NULL. */
const char *virt_migration_error(struct virt *v);
void virt_free(struct virt *v);

/*
 * Whether QEMU's downtime trace events are on for the source (its monitor)
 * and the destination (the domain XML the migration carries): one line
 * saying so, and how to switch them on where they are off.
 */
void virt_trace_check(struct virt *v);

/* qemulog.c --------------------------------------------------------- */
#define QLOG_MAX	4
struct qlog {
	char *path[QLOG_MAX];
	int fd[QLOG_MAX];		/* -1: not readable */
	off_t start[QLOG_MAX];		/* size when the capture started */
	int n;
};
/* Open the QEMU logs to copy (as root); warns about unreadable ones. */
int qlog_open(const struct cap_opts *o, struct qlog *q);
/* Copy each log's new lines to DIR/qemu-trace-N.log. 0, or -1 (said). */
int qlog_copy(struct qlog *q, int dirfd, const char *dir, int quiet);
void qlog_close(struct qlog *q);

/* manifest.c -------------------------------------------------------- */
struct cap_run {
	const struct cap_opts *o;
	mt_ns start, end;
	const char *status;		/* "running", "completed", ... */
	enum cap_stop stop;
	const char *error;		/* first error line, or NULL */
	struct probe *probe;
	struct virt *virt;
	uid_t uid;
};
json_t *manifest_json(const struct cap_run *run);
const char *cap_stop_name(enum cap_stop s);

/* loop.c ------------------------------------------------------------ */
struct loop {
	struct cap_opts *o;
	struct cap_run *run;
	int sigfd;			/* signalfd of SIGINT, SIGTERM */
	enum cap_stop stop;
	mt_ns drain_end;		/* MT_NS_NONE until stopping */
	mt_ns abort_until;		/* waiting for an aborted migration */
	char error[MT_ERRBUF_SIZE];
};
/* Capture until a stop; l->stop says why, l->error what went wrong. */
void run_loop(struct loop *l);

#endif /* CAP_CAPTURE_H */
