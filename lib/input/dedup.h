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
 * another file, 0 if not, -1 when out of memory.
 */
int dedup_copy(struct dedup *d, const struct pkt *p);

#endif /* MT_DEDUP_H */
