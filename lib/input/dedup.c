/*
 * dedup.c: one frame, several capture points (dedup.h). A hash table of
 * the keys seen within the last DEDUP_WINDOW, each with the files that
 * hold its current frame, and a queue of the keys in time order to
 * forget them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "input/dedup.h"
#include "input/framekey.h"

/*
 * The table: open addressing on the key's own bits (a frame key is
 * already mixed), linear probing. Key 0 marks an empty slot; fkey_of()
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

struct dedup {
	struct seen *slot;
	size_t cap, count;	/* cap: a power of two */
};

#define DEDUP_CAP0	1024

struct dedup *
dedup_new(void)
{
	struct dedup *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->slot = calloc(DEDUP_CAP0,
	    sizeof(*d->slot))) == NULL) {
		free(d);
		return NULL;
	}
	d->cap = DEDUP_CAP0;
	return d;
}

void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slot);
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

int
dedup_copy(struct dedup *d, const struct pkt *p)
{
	uint64_t key, bit;
	struct seen *s;

	if (p->src < 0 || p->src >= DEDUP_MAX_FILES || (key = fkey_of(p)) == 0)
		return 0;
	bit = UINT64_C(1) << p->src;
	s = &d->slot[find(d->slot, d->cap, key)];
	if (s->key == key) {
		if (!(s->files & bit) && p->ts - s->ts <= DEDUP_WINDOW) {
			s->files |= bit;
			return 1;
		}
	} else {
		if (2 * (d->count + 1) > d->cap) {
			if (make_room(d, p->ts) < 0)
				return -1;
			s = &d->slot[find(d->slot, d->cap, key)];
		}
		s->key = key;
		d->count++;
	}
	s->ts = p->ts;
	s->files = bit;
	return 0;
}
