/*
 * jobstats.h: libvirt job statistics of one migration, in and out.
 *
 * In: `virsh domjobinfo --completed` text (default and --rawstats form),
 * the jobstats.json that migtrace-capture writes, typed parameters from
 * virDomainGetJobStats() or the JOB_COMPLETED event, or a live fetch.
 * Out: jobstats.json (written by migtrace-capture with the functions at
 * the end of this file) and the "jobstats" section of the report.
 *
 * Facts: docs/libvirt-jobstats.md (libvirt 9.0 libvirt-domain.h): times ms,
 * sizes bytes, memory_bps bytes/s, memory_dirty_rate pages/s.
 */
#ifndef MT_JOBSTATS_H
#define MT_JOBSTATS_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <libvirt/libvirt.h>

#include "base/mt.h"

/* Where the numbers came from (detected from the content of a file). */
enum jobstats_form {
	JOBSTATS_FORM_TEXT = 1,		/* virsh domjobinfo (default form) */
	JOBSTATS_FORM_RAWSTATS,		/* virsh domjobinfo --rawstats */
	JOBSTATS_FORM_JSON,		/* migtrace-capture's jobstats.json */
	JOBSTATS_FORM_PARAMS,		/* typed parameters (live or event) */
};

/*
 * One number. present == 0: libvirt did not report it (never invented;
 * null in the report). approximate != 0: converted from virsh's rounded
 * text (`91.028 MiB`, 3 decimals), so only good to half the last digit.
 * Sizes, times and counts are unsigned in libvirt (ULLONG); a few are INT
 * (operation, auto_converge_throttle): those are stored here as well,
 * and a negative INT is kept in `s` (with v = 0).
 */
struct jobstats_val {
	int present;
	int approximate;
	uint64_t v;
	int64_t s;			/* signed view: == v unless negative */
};

/* A MIGRATION_ITERATION event seen by migtrace-capture. */
struct jobstats_iter {
	int iteration;			/* QEMU dirty-sync-count after the pass */
	mt_ns ts_ns;			/* capture host's clock */
};

struct jobstats {
	enum jobstats_form form;
	char *source;			/* file path, or "URI domain" for a fetch */
	int job_type;			/* virDomainJobType; -1 unknown */
	char *domain, *source_uri, *dest_uri;	/* NULL when unknown */

	struct jobstats_val operation;		/* 4 in, 5 out (INT) */
	struct jobstats_val time_elapsed;	/* ms */
	struct jobstats_val time_elapsed_net;	/* ms */
	struct jobstats_val downtime;		/* ms, guest CPUs paused */
	struct jobstats_val downtime_net;	/* ms */
	struct jobstats_val setup_time;		/* ms */
	struct jobstats_val data_total;		/* bytes */
	struct jobstats_val data_processed;
	struct jobstats_val data_remaining;
	struct jobstats_val memory_total;	/* bytes */
	struct jobstats_val memory_processed;
	struct jobstats_val memory_remaining;
	struct jobstats_val memory_constant;	/* pages sent as markers */
	struct jobstats_val memory_normal;	/* pages sent in full */
	struct jobstats_val memory_normal_bytes;
	struct jobstats_val memory_bps;		/* bytes/s */
	struct jobstats_val memory_dirty_rate;	/* pages/s */
	struct jobstats_val memory_page_size;	/* bytes */
	struct jobstats_val memory_iteration;	/* passes (dirty-sync-count) */
	struct jobstats_val memory_postcopy_reqs;
	struct jobstats_val auto_converge_throttle;	/* % (INT) */
	struct jobstats_val success;		/* BOOLEAN, completed jobs */
	char *errmsg;				/* NULL when absent */

	struct jobstats_iter *iters;	/* from jobstats.json, may be NULL */
	int niters;
	mt_ns completed_ts_ns;		/* MT_NS_NONE when unknown */
};

/*
 * Read job statistics from a file, the form detected from its content
 * (JSON object; "Job type: N" + "name: value" lines; or "Job type:
 * Completed" + labelled lines). Unknown lines and parameters are skipped
 * with a warning through warn (which may be NULL). Return a new struct
 * the caller frees with jobstats_free(), or NULL with errbuf set to one
 * line naming the file ("d.txt: not libvirt job statistics (...)").
 */
struct jobstats *jobstats_load(const char *path, mt_warn_fn warn, void *ctx,
    char *errbuf);

/*
 * The same on a buffer already in memory; name is used in messages and
 * as `source`. buf need not be NUL-terminated.
 */
struct jobstats *jobstats_parse(const char *name, const char *buf, size_t len,
    mt_warn_fn warn, void *ctx, char *errbuf);

/*
 * From typed parameters as virDomainGetJobStats() or the JOB_COMPLETED
 * event deliver them (params are only read; the caller still owns them).
 * Building parameters with virTypedParamsAdd*() before any connection
 * needs virInitialize() first (libvirt's per-thread error storage).
 * name is used in messages and as `source`. NULL with errbuf set on a
 * parameter of the wrong type or a negative size.
 */
struct jobstats *jobstats_from_params(const char *name, int job_type,
    virTypedParameterPtr params, int nparams, mt_warn_fn warn, void *ctx,
    char *errbuf);

/*
 * Live: virConnectOpen(uri), look the domain up by name, and fetch its
 * last completed job (VIR_DOMAIN_JOB_STATS_COMPLETED). libvirt.so.0 is
 * loaded at run time (jobstats_fetch.c): nothing else in this library
 * calls a libvirt function, so a program needs $(LIBVIRT_LIBS) only if it
 * calls libvirt itself. NULL with errbuf set ("qemu+tcp://b/system:
 * domain 'vm1': no completed job ...", "--libvirt: cannot load
 * libvirt.so.0: ...").
 */
struct jobstats *jobstats_fetch(const char *uri, const char *domain,
    mt_warn_fn warn, void *ctx, char *errbuf);

void jobstats_free(struct jobstats *js);

/* "text", "rawstats", "json", "libvirt". */
const char *jobstats_form_name(enum jobstats_form f);

/*
 * Names for libvirt's enumerations, as the report gives them (lower
 * case, libvirt's enum names: include/libvirt/libvirt-domain.h):
 * virDomainJobType "none", "bounded", "unbounded", "completed",
 * "failed", "cancelled"; virDomainJobOperation "unknown", "start",
 * "save", "restore", "migration-in", "migration-out", "snapshot",
 * "snapshot-revert", "dump", "backup", "snapshot-delete". NULL for a
 * value this build does not know (the report then keeps the number).
 */
const char *jobstats_job_type_name(int t);
const char *jobstats_operation_name(int op);

/*
 * The "jobstats" section of the report: downtime_ms, downtime_net_ms,
 * time_elapsed_ms, setup_time_ms, memory_total, memory_processed,
 * memory_bps, memory_dirty_rate, memory_iteration, memory_constant,
 * memory_normal, page_size (null when absent), approximate, form,
 * source, iterations (count) and iteration_events ([{iteration,
 * ts_ns}], from jobstats.json). Units as libvirt's except memory_bps: bits/s there (libvirt's
 * bytes/s x 8), as every *_bps of the report. New reference, owned by
 * the caller.
 */
json_t *jobstats_to_json(const struct jobstats *js);

/*
 * ---- Writing jobstats.json (migtrace-capture) ----
 *
 * {"format":"migtrace-jobstats","version":1,"domain":NAME,
 *  "source_uri":S,"dest_uri":D,
 *  "job":{"type":N,"params":[{"name":"time_elapsed","type":"ullong",
 *                             "value":8712}, ...]},
 *  "iterations":[{"iteration":1,"ts_ns":T}, ...],
 *  "completed_ts_ns":T}
 *
 * Every typed parameter is kept with its libvirt type name (int, uint,
 * llong, ullong, double, boolean, string). Integers are exact JSON
 * integers; a ULLONG above INT64_MAX (which a JSON integer of jansson
 * cannot hold) is written as a decimal string, and the reader accepts
 * both. A non-finite DOUBLE is written as null (JSON has no NaN) and
 * read back as absent. "job" is null until the job completed, and
 * completed_ts_ns null when unknown.
 *
 * migtrace-capture adds, at the end, keys this reader ignores:
 * "job_source", "dest_job", and "qemu_migration": QEMU's MIGRATION
 * events in order, [{"status":"setup","ts_ns":T,"qemu_ts_ns":Q}, ...]
 * (capture/virt.c, migtrace-capture(8)).
 */

/* A new document with no job and no iterations yet. NULL on ENOMEM.
 * Any of the strings may be NULL (written as null). */
json_t *jobstats_doc_new(const char *domain, const char *source_uri,
    const char *dest_uri);

/* Append a MIGRATION_ITERATION event. Return 0, or -1 on ENOMEM. */
int jobstats_doc_add_iteration(json_t *doc, int iteration, mt_ns ts_ns);

/*
 * Set the completed job (from virDomainGetJobStats(..., COMPLETED) or the
 * JOB_COMPLETED event; params only read). completed_ts_ns may be
 * MT_NS_NONE. Return 0, or -1 with errbuf set.
 */
int jobstats_doc_set_job(json_t *doc, int job_type,
    virTypedParameterPtr params, int nparams, mt_ns completed_ts_ns,
    char *errbuf);

/* The params array alone: [{"name","type","value"}, ...]. New reference. */
json_t *jobstats_params_to_json(virTypedParameterPtr params, int nparams);

/*
 * Write doc to path (indented, keys in insertion order) through a
 * temporary file and rename(), so a reader never sees half a file.
 * Return 0, or -1 with errbuf set ("DIR/jobstats.json: ...").
 */
int jobstats_json_write(const char *path, const json_t *doc, char *errbuf);

#endif /* MT_JOBSTATS_H */
