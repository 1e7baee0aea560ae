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

#include <stddef.h>
#include <stdint.h>

#include "input/framekey.h"
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
 * failed (below). Inline: asked of every frame when there are several
 * files, and most of them take the gate.
 */
static inline int dedup_copy(struct dedup *d, const struct pkt *p);

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

/* ---- inline ---- */

/*
 * The gate, the first member of struct dedup: its table of
 * conversations (a pair of hosts, either way: fkey_pair()), open
 * addressing on the top bits of a multiply (an IPv4 pair differs in its
 * last bytes), linear probing, in two arrays of its own so that what
 * every frame reads stays in the cache (8 and 1 bytes a slot; dedup.c
 * keeps the rest apart). A frame of a conversation that only its file
 * has carried, while that file is lazy (dedup_lazy), is not a copy and
 * needs nothing kept: plain says so.
 */
struct dedup_gate {
	uint64_t *id;		/* each slot's pair; 0 marks an empty slot */
	uint8_t *plain;		/* 1 + the one lazy file that carried it, or 0 */
	unsigned cbits;		/* 2^cbits slots */
	/* Each file's last frame's pair when it was plain (0: none): the
	 * next frame mostly has the same (a stream's data and ACKs), and
	 * then needs no table (its slots are further from the cache). */
	uint64_t last[DEDUP_MAX_FILES];
};

/* pair's slot in a table of 2^bits, or the empty slot ending its run. */
static inline size_t
dedup_conv_find(const uint64_t *id, unsigned bits, uint64_t pair)
{
	size_t m = ((size_t)1 << bits) - 1;
	size_t i = (size_t)((pair * 0x9e3779b97f4a7c15ULL) >> (64 - bits));

	while (id[i] != 0 && id[i] != pair)
		i = (i + 1) & m;
	return i;
}

/* dedup_copy() for a frame the gate did not take; pair its fkey_pair(). */
int dedup_copy_slow(struct dedup *d, const struct pkt *p, uint64_t pair);

static inline int
dedup_copy(struct dedup *d, const struct pkt *p)
{
	struct dedup_gate *g = (struct dedup_gate *)(void *)d;
	uint64_t pair;
	size_t i;

	if ((unsigned)p->src >= DEDUP_MAX_FILES || (pair = fkey_pair(p)) == 0)
		return 0;
	if (g->last[p->src] == pair)
		return 0;
	i = dedup_conv_find(g->id, g->cbits, pair);
	if (g->id[i] == pair && g->plain[i] == 1 + p->src) {
		g->last[p->src] = pair;
		return 0;
	}
	return dedup_copy_slow(d, p, pair);
}

#endif /* MT_DEDUP_H */
