/*
 * qemutrace.h: QEMU's downtime trace events, read from the per-domain
 * QEMU log libvirt keeps on each host (/var/log/libvirt/qemu/DOMAIN.log).
 *
 * In: lines of QEMU's "log" trace backend. With libvirt's `-msg
 * timestamp=on` (qemu.conf log_timestamp, on by default) each line is
 * `THREAD@SECONDS.MICROSECONDS:event args` (QEMU up to 10.x) or
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ event args` (later QEMU, util/log.c);
 * the time is the host's realtime clock. Everything else in the log
 * (libvirt's own lines, QEMU's messages, other events) is counted and
 * skipped. Facts and sources: docs/qemu-trace.md.
 *
 * Out: the events, in file order, with their host-clock times. Which
 * migration they belong to, and the join with the packets, is
 * lib/analysis/pause.h's business.
 */
#ifndef MT_QEMUTRACE_H
#define MT_QEMUTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "base/mt.h"

enum qt_kind {
	QT_CHECKPOINT,		/* vmstate_downtime_checkpoint NAME */
	QT_SAVE,		/* vmstate_downtime_save (source) */
	QT_LOAD,		/* vmstate_downtime_load (destination) */
	QT_RUNSTATE,		/* runstate_set: the new state */
};

enum qt_side { QT_SIDE_UNKNOWN, QT_SIDE_SOURCE, QT_SIDE_DEST };

#define QT_NAME_MAX	64	/* longer names are cut (and counted) */

struct qt_event {
	mt_ns ns;			/* host's realtime clock */
	enum qt_kind kind;
	long tid;			/* thread id; -1 unknown (ISO form) */
	unsigned line;			/* 1-based line in the file */
	/* QT_CHECKPOINT: the checkpoint name; QT_SAVE/QT_LOAD: the
	 * device's idstr; QT_RUNSTATE: the new state's name. */
	char name[QT_NAME_MAX];
	int iterable;			/* SAVE/LOAD: type=iterable */
	uint32_t instance_id;		/* SAVE/LOAD */
	int64_t us;			/* SAVE/LOAD: downtime=, microseconds */
	int state;			/* RUNSTATE: new_state number */
	enum qt_side side;		/* from the event itself; RUNSTATE:
					 * QT_SIDE_UNKNOWN */
	int known;			/* CHECKPOINT: a name QEMU 8.2-10.x
					 * emits (docs/qemu-trace.md) */
};

struct qtrace {
	char *path;			/* as given */
	struct qt_event *ev;		/* in file order */
	size_t n, cap;
	unsigned lines;			/* lines read */
	unsigned untimed;		/* downtime events without a time */
	unsigned first_untimed;		/* line of the first of them */
	unsigned bad;			/* downtime/runstate lines cut short
					 * or malformed (skipped) */
	unsigned first_bad;
	unsigned other_events;		/* timed lines of other events */
	unsigned long_lines;		/* lines over QT_LINE_MAX (skipped) */
	unsigned dropped;		/* events beyond QT_MAX_EVENTS */
};

/* Lines longer than this are not QEMU trace lines we read. */
#define QT_LINE_MAX	4096
/* Events kept from one file at most: ~10^4 migrations of ~100 events
 * (120 MB); the rest are counted in `dropped`. */
#define QT_MAX_EVENTS	(1u << 20)

/*
 * Read a QEMU log file. Return the trace (possibly with no events: the
 * counts say why), or NULL with errbuf naming the file when it cannot be
 * read. The caller owns the result: qtrace_free().
 */
struct qtrace *qtrace_load(const char *path, char *errbuf);

/* The same for size bytes at data (for the tests and the fuzzer);
 * name stands for the file in messages. */
struct qtrace *qtrace_parse_mem(const char *name, const char *data,
    size_t size, char *errbuf);

void qtrace_free(struct qtrace *t);

/*
 * Parse one line (len bytes, no newline) into *ev. Return 1 for a
 * downtime or runstate event, 0 for any other line, -1 for a downtime or
 * runstate line that is cut short or malformed, -2 for one without a
 * timestamp (well formed otherwise).
 */
int qtrace_parse_line(const char *line, size_t len, struct qt_event *ev);

/* The side a checkpoint name belongs to, from its prefix (src-, dst-). */
enum qt_side qtrace_checkpoint_side(const char *name);

/* "source", "destination" or "unknown". */
const char *qtrace_side_name(enum qt_side s);

#endif /* MT_QEMUTRACE_H */
