/*
 * dedup.c: one frame, several capture points (dedup.h).
 *
 * A copy needs two files that carry the same conversation: the pair of
 * hosts, either way (a frame's key is in two parts, framekey.h: the
 * pair, and the rest). Most conversations are carried by one file only
 * (the plain case: a management and an external capture share no
 * frame), so a frame of such a conversation is never a copy and only
 * goes to a log in time order, with the rest of its key: appended, and
 * dropped from the front once older than DEDUP_WINDOW when the log is
 * full, both sequential. The first frame of a conversation from
 * a second file turns it "shared": its frames still in the log are put
 * through the key table in their order (walked backwards through a
 * per-conversation link, then applied forwards), which leaves the table
 * as if every frame of it had gone there, and from then on its frames go
 * to the table. The answer is the same as the table alone would give (a
 * frame is a copy only of one with its key, so of its conversation), at
 * a sequential append instead of a random table access for every frame,
 * and with no finished key for such a frame.
 *
 * A file that can be read again (dedup_lazy) does not even log: while it
 * shares no conversation, a frame of it costs one lookup of its
 * conversation in the gate, dedup.h's inline part (none when the file's
 * frame before had the same pair: gate.last). The first time another
 * file carries one of its conversations, backfill() has the caller read
 * its frames of the last DEDUP_WINDOW again into the log, which then
 * holds what it would hold had the file been logged all along (its
 * shared conversations' frames aside: those went to the table), and the
 * file is logged from then on (bench/RESULTS-2026-12-07b.md).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/dedup.h"
#include "input/framekey.h"

/*
 * The table: open addressing on the key's own bits (table_key() mixes
 * its parts), linear probing. Key 0 marks an empty slot; table_key()
 * never gives 0. A key first seen more than DEDUP_WINDOW ago can never
 * make a copy again (dedup_copy() treats it as a new frame), so nothing
 * is removed one by one: when the table is half full it is rebuilt with
 * only the keys still inside the window, twice as large if they fill a
 * quarter of it. Each rebuild reads the table once, in order, and comes
 * after at least cap/4 new keys. This runs for every frame whenever
 * several files are read (bench/RESULTS.md).
 */
struct seen {
	uint64_t key;
	mt_ns ts;		/* its first copy */
	uint64_t files;		/* bit i: file i holds a copy */
};


/* A conversation's state but for its pair and plain (the gate's). */
struct conv {
	uint64_t files;		/* the files that carried it (one, until shared) */
	uint64_t last;		/* its newest log entry's number, NO_ENTRY, or
				 * SHARED: its frames go to the key table */
};

/* A frame of a conversation not shared yet. */
struct lent {
	uint64_t rest;		/* its key but for the address pair (fkey_rest) */
	mt_ns ts;
	uint64_t prev;		/* the conversation's entry before, or NO_ENTRY */
	uint64_t bit;		/* its file's bit */
};

#define NO_ENTRY	UINT64_MAX
#define SHARED		(UINT64_MAX - 1)

struct dedup {
	struct dedup_gate gate;	/* first: dedup.h's inline part reads it:
				 * the conversations' pairs and plain */
	struct conv *cs;	/* the rest of them, slot by slot */
	struct seen *slot;	/* the key table */
	size_t cap, count;	/* cap: a power of two */
	size_t ccount;
	struct lent *log;	/* entries head..tail-1 at number & (lcap - 1) */
	uint64_t head, tail;
	size_t lcap;
	/* Files read again rather than logged (dedup_lazy). */
	uint64_t lazy;		/* their bits, until backfilled */
	dedup_backfill_fn backfill;
	void *bfctx;
	uint64_t bfbit;		/* the file being backfilled */
	int bferr;		/* out of memory during it */
	uint64_t *walk;		/* scratch for a replay */
	size_t wcap;
};

_Static_assert(offsetof(struct dedup, gate) == 0, "dedup.h reads the gate");

#define DEDUP_CAP0	1024
#define DEDUP_CBITS0	10	/* 1024 conversations' slots to start with */

struct dedup *
dedup_new(void)
{
	struct dedup *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->slot = calloc(DEDUP_CAP0,
	    sizeof(*d->slot))) == NULL ||
	    (d->gate.id = calloc(DEDUP_CAP0, sizeof(*d->gate.id))) == NULL ||
	    (d->gate.plain = calloc(DEDUP_CAP0, 1)) == NULL ||
	    (d->cs = calloc(DEDUP_CAP0, sizeof(*d->cs))) == NULL ||
	    (d->log = malloc(DEDUP_CAP0 * sizeof(*d->log))) == NULL) {
		dedup_free(d);
		return NULL;
	}
	d->cap = d->lcap = DEDUP_CAP0;
	d->gate.cbits = DEDUP_CBITS0;
	return d;
}

void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slot);
	free(d->gate.id);
	free(d->gate.plain);
	free(d->cs);
	free(d->log);
	free(d->walk);
	free(d);
}

/* key's slot, or the empty slot ending its probe run. */
static inline size_t
find(const struct seen *slot, size_t cap, uint64_t key)
{
	size_t m = cap - 1, i = (size_t)key & m;

	while (slot[i].key != 0 && slot[i].key != key)
		i = (i + 1) & m;
	return i;
}

/* Keep the keys seen within DEDUP_WINDOW of now, in a table of cap
 * slots. */
static int
rebuild(struct dedup *d, size_t cap, mt_ns now)
{
	struct seen *old = d->slot, *slot = calloc(cap, sizeof(*slot));
	size_t count = 0;

	if (slot == NULL)
		return -1;
	for (size_t i = 0; i < d->cap; i++) {
		if (old[i].key == 0 || now - old[i].ts > DEDUP_WINDOW)
			continue;
		slot[find(slot, cap, old[i].key)] = old[i];
		count++;
	}
	free(old);
	d->slot = slot;
	d->cap = cap;
	d->count = count;
	return 0;
}

/* Room for one more key: drop the expired ones, grow if that is not
 * enough. */
static int
make_room(struct dedup *d, mt_ns now)
{
	size_t live = 0;

	for (size_t i = 0; i < d->cap; i++)
		if (d->slot[i].key != 0 && now - d->slot[i].ts <= DEDUP_WINDOW)
			live++;
	return rebuild(d, 4 * (live + 1) > d->cap ? 2 * d->cap : d->cap, now);
}

/* The key table's answer for one frame: 1 a copy, 0 not, -1 no memory. */
static __attribute__((noinline)) int
table_apply(struct dedup *d, uint64_t key, mt_ns ts, uint64_t bit)
{
	struct seen *s = &d->slot[find(d->slot, d->cap, key)];

	if (s->key == key) {
		if (!(s->files & bit) && ts - s->ts <= DEDUP_WINDOW) {
			s->files |= bit;
			return 1;
		}
	} else {
		if (2 * (d->count + 1) > d->cap) {
			if (make_room(d, ts) < 0)
				return -1;
			s = &d->slot[find(d->slot, d->cap, key)];
		}
		s->key = key;
		d->count++;
	}
	s->ts = ts;
	s->files = bit;
	return 0;
}

/* The table's key of a frame of conversation pair whose other fields
 * are rest (fkey_rest): both parts mixed, never 0. */
static inline uint64_t
table_key(uint64_t pair, uint64_t rest)
{
	uint64_t h = (rest ^ pair * 0x9e3779b97f4a7c15ULL) *
	    0xbf58476d1ce4e5b9ULL;

	h ^= h >> 31;
	return h != 0 ? h : 1;
}

/* The slot of conversation pair, added if new; SIZE_MAX when out of
 * memory. */
static __attribute__((noinline)) size_t
conv_get(struct dedup *d, uint64_t pair)
{
	struct dedup_gate *g = &d->gate;
	size_t i = dedup_conv_find(g->id, g->cbits, pair);

	if (g->id[i] == pair)
		return i;
	if (4 * (d->ccount + 1) > (size_t)1 << g->cbits) {	/* grow */
		unsigned bits = g->cbits + 1;
		size_t n = (size_t)1 << bits;
		uint64_t *id = calloc(n, sizeof(*id));
		uint8_t *plain = calloc(n, 1);
		struct conv *cs = calloc(n, sizeof(*cs));

		if (id == NULL || plain == NULL || cs == NULL) {
			free(id);
			free(plain);
			free(cs);
			return SIZE_MAX;
		}
		for (size_t k = 0; k < (size_t)1 << g->cbits; k++)
			if (g->id[k] != 0) {
				size_t t = dedup_conv_find(id, bits, g->id[k]);

				id[t] = g->id[k];
				plain[t] = g->plain[k];
				cs[t] = d->cs[k];
			}
		free(g->id);
		free(g->plain);
		free(d->cs);
		g->id = id;
		g->plain = plain;
		d->cs = cs;
		g->cbits = bits;
		i = dedup_conv_find(id, bits, pair);
	}
	g->id[i] = pair;
	g->plain[i] = 0;
	d->cs[i] = (struct conv){ 0, NO_ENTRY };
	d->ccount++;
	return i;
}

/*
 * Room for one more log entry. Entries older than DEDUP_WINDOW are
 * dropped only here, when the log is full (share() stops at the first
 * one anyway): nothing is done for them frame by frame. Twice the room
 * when the window's own entries fill it.
 */
static __attribute__((noinline)) int
log_room(struct dedup *d, mt_ns now)
{
	size_t m = d->lcap - 1, cap = 2 * d->lcap;
	struct lent *l;

	while (d->head < d->tail && now - d->log[d->head & m].ts > DEDUP_WINDOW)
		d->head++;
	if (d->tail - d->head < d->lcap)
		return 0;
	if ((l = malloc(cap * sizeof(*l))) == NULL)
		return -1;
	for (uint64_t n = d->head; n < d->tail; n++)
		l[n & (cap - 1)] = d->log[n & m];
	free(d->log);
	d->log = l;
	d->lcap = cap;
	return 0;
}

static inline int
log_append(struct dedup *d, struct conv *c, uint64_t rest, mt_ns ts,
    uint64_t bit)
{
	if (__builtin_expect(d->tail - d->head == d->lcap, 0) &&
	    log_room(d, ts) < 0)
		return -1;
	d->log[d->tail & (d->lcap - 1)] = (struct lent){ rest, ts,
	    c->last != NO_ENTRY && c->last >= d->head ? c->last : NO_ENTRY, bit };
	c->last = d->tail++;
	return 0;
}

/* Slot i's conversation is shared from now on: its frames in the log go
 * through the key table first, in time order. */
static __attribute__((noinline)) int
share(struct dedup *d, size_t i, mt_ns now)
{
	struct conv *c = &d->cs[i];
	size_t n = 0, m = d->lcap - 1;

	for (uint64_t e = c->last; e != NO_ENTRY && e >= d->head;
	    e = d->log[e & m].prev) {
		if (now - d->log[e & m].ts > DEDUP_WINDOW)
			break;
		if (n == d->wcap) {
			size_t cap = d->wcap ? 2 * d->wcap : 256;
			uint64_t *w = realloc(d->walk, cap * sizeof(*w));

			if (w == NULL)
				return -1;
			d->walk = w;
			d->wcap = cap;
		}
		d->walk[n++] = e;
	}
	while (n > 0) {
		const struct lent *l = &d->log[d->walk[--n] & m];

		if (table_apply(d, table_key(d->gate.id[i], l->rest), l->ts,
		    l->bit) < 0)
			return -1;
	}
	c->last = SHARED;
	return 0;
}

void
dedup_lazy(struct dedup *d, int file, dedup_backfill_fn fn, void *ctx)
{
	if (file < 0 || file >= DEDUP_MAX_FILES)
		return;
	d->lazy |= UINT64_C(1) << file;
	d->backfill = fn;
	d->bfctx = ctx;
}

void
dedup_backfilled(struct dedup *d, const struct pkt *p)
{
	uint64_t pair = fkey_pair(p);
	size_t i;

	if (pair == 0 || d->bferr)
		return;
	i = dedup_conv_find(d->gate.id, d->gate.cbits, pair);
	/* Its conversation, if it is still the file's alone (not shared,
	 * whose frames went to the key table as they came). */
	if (d->gate.id[i] != pair || d->cs[i].last == SHARED ||
	    d->cs[i].files != d->bfbit)
		return;
	if (log_append(d, &d->cs[i], fkey_rest(p), p->ts, d->bfbit) < 0)
		d->bferr = 1;
}

/* The lazy file owner (a bit) shares a conversation from now on: its
 * frames of the last DEDUP_WINDOW to the log, and its frames after them
 * too from now on. 0, or -1 (out of memory, or the backfill's error). */
static __attribute__((noinline)) int
backfill(struct dedup *d, uint64_t owner, mt_ns now)
{
	uint8_t mark = (uint8_t)(1 + __builtin_ctzll(owner));

	/* Its frames are no longer the plain case (nor ever again: only a
	 * lazy file's are). */
	d->gate.last[mark - 1] = 0;
	for (size_t k = 0; k < (size_t)1 << d->gate.cbits; k++)
		if (d->gate.plain[k] == mark)
			d->gate.plain[k] = 0;
	d->lazy &= ~owner;
	d->bfbit = owner;
	d->bferr = 0;
	if (d->backfill(d->bfctx, __builtin_ctzll(owner),
	    now - DEDUP_WINDOW) < 0 || d->bferr)
		return -1;
	return 0;
}

int
dedup_copy_slow(struct dedup *d, const struct pkt *p, uint64_t pair)
{
	uint64_t bit = UINT64_C(1) << p->src;
	size_t i = conv_get(d, pair);
	struct conv *c;

	if (i == SIZE_MAX)
		return -1;
	c = &d->cs[i];
	if (c->last != SHARED) {
		uint64_t owner = c->files;

		if ((owner & ~bit) == 0) {
			/* Only this file carries it: no copy. A file that can
			 * be read again keeps nothing (and the gate takes its
			 * frames from now on); else to the log. */
			c->files = bit;
			if (d->lazy & bit) {
				d->gate.plain[i] = (uint8_t)(1 + p->src);
				return 0;
			}
			return log_append(d, c, fkey_rest(p), p->ts, bit);
		}
		/* A second file: the first one's frames still in the
		 * window go through the key table (read again first: which
		 * also ends the gate's plain marks of that file, the only
		 * kind it has, this one's among them). */
		if ((d->lazy & owner) && backfill(d, owner, p->ts) < 0)
			return -1;
		if (share(d, i, p->ts) < 0)
			return -1;
	}
	return table_apply(d, table_key(pair, fkey_rest(p)), p->ts, bit);
}
