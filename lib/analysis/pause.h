/*
 * pause.h: inside the pause. QEMU's downtime checkpoints and per-device
 * save and load times, from the traces of both hosts (virt/qemutrace.h),
 * put on the reference clock and joined with what the packets show (the
 * report document of analysis.h): the last reply before, the stream's
 * last bytes, the first announce, the first reply after.
 *
 * Facts (event names, where QEMU emits them, what libvirt adds):
 * docs/qemu-trace.md.
 */
#ifndef MT_PAUSE_H
#define MT_PAUSE_H

#include <jansson.h>

#include "base/mt.h"
#include "virt/qemutrace.h"

/*
 * One trace and the host it was recorded on. Times in the trace are the
 * host's realtime clock; reference = host time + offset. A trace without
 * a host belongs to the reference host (the one whose clock stamps the
 * captures): offset 0, uncertainty the timestamps' resolution. Whoever
 * estimates the offset of another host's clock fills offset and
 * uncertainty.
 */
struct pause_trace {
	const struct qtrace *t;
	const char *host;		/* NULL: the reference host */
	mt_ns offset;
	mt_ns uncertainty;		/* >= 0 */
};

/*
 * A trace splits into runs of events at gaps longer than PAUSE_GAP_NS
 * (the events of one pause come within a second even on a loaded host;
 * a domain's boot, its earlier migrations and its shutdown are further
 * apart); the run nearest the stream's last data is this migration's,
 * if it lies within PAUSE_NEAR_NS of it (on a loaded lab host a
 * destination finished loading 3.7 s after the source stopped the guest).
 */
#define PAUSE_GAP_NS		(5 * MT_NS_PER_S)
#define PAUSE_NEAR_NS		(30 * MT_NS_PER_S)
/* The resolution of a trace line's time and of a capture's (1 us). */
#define PAUSE_RESOLUTION_NS	1000

/* Fill a pause_trace for a trace of the reference host. */
void pause_trace_init(struct pause_trace *pt, const struct qtrace *t);

/*
 * Join the traces with the report document: add "pause" to doc (null
 * when no trace was given) and a note for each thing the traces say
 * that limits the join (no events, no timestamps, malformed lines,
 * unknown checkpoints, events of other migrations, a checkpoint on the
 * wrong side of a packet). What is wrong with a file (no events, no
 * timestamps, malformed lines, none near this migration) also goes to
 * warn (one line naming the file), when warn is not NULL. Never fails
 * for what the traces hold; return 0, or -1 with errbuf set when out of
 * memory.
 */
int pause_add_json(json_t *doc, const struct pause_trace *tr, size_t n,
    mt_warn_fn warn, void *warn_ctx, char *errbuf);

/*
 * Read the QEMU logs at paths (all of the reference host) and join them
 * as pause_add_json() does. Return 0, or -1 with errbuf naming the file
 * that cannot be read.
 */
int pause_add_files(json_t *doc, char *const *paths, size_t n,
    mt_warn_fn warn, void *warn_ctx, char *errbuf);

#endif /* MT_PAUSE_H */
