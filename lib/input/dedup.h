/*
 * dedup.h: count a frame captured at several points once. Records come
 * merged by time (on one clock, clock.h); the first copy of a frame is
 * kept (the capture point nearest its sender sees it first) and a later
 * copy, the same key (framekey.h) from another file within
 * DEDUP_WINDOW, is a copy. The same key again in a file that already
 * holds it is a new frame (a repeated announce, a retransmission).
 *
 * Ownership: dedup_new() returns a table the caller frees with
 * dedup_free() (NULL is fine).
 */
#ifndef MT_DEDUP_H
#define MT_DEDUP_H

#include <stdint.h>

#include "input/pkt.h"

/* How far apart two copies of one frame can be: its one-way time between
 * two capture points (under 1 ms on a LAN) plus what the clocks may still
 * disagree by (docs/clocks.md); longer only lets a retransmission pass
 * for a copy. */
#define DEDUP_WINDOW	(100 * MT_NS_PER_MS)

/* Files 0..63 are told apart; a record of a later file is never a copy. */
#define DEDUP_MAX_FILES	64

struct dedup;

struct dedup *dedup_new(void);
void dedup_free(struct dedup *d);

/*
 * 1 if p (records in time order) is a copy of a frame already seen in
 * another file, 0 if not, -1 when out of memory or when a backfill
 * failed (below).
 */
int dedup_copy(struct dedup *d, const struct pkt *p);

/*
 * A file that can be read again (source.h: srcset_replay) need not have
 * anything kept of its frames while it shares no conversation with
 * another file (the plain case: a management and an external capture):
 * dedup_lazy() says so. When one of its conversations turns up in
 * another file, dedup_copy() calls fn(ctx, file, since), which must give
 * dedup_backfilled() the file's frames given to dedup_copy() from since
 * on (older ones do no harm), in their order; from then on the file's
 * frames are kept as any other file's. fn returns 0, or -1 on an error
 * of its own (dedup_copy() then returns -1).
 */
typedef int (*dedup_backfill_fn)(void *ctx, int file, mt_ns since);
void dedup_lazy(struct dedup *d, int file, dedup_backfill_fn fn, void *ctx);
void dedup_backfilled(struct dedup *d, const struct pkt *p);

#endif /* MT_DEDUP_H */
