/*
 * dedup.c: one frame, several capture points (dedup.h). A hash table of
 * the keys seen within the last DEDUP_WINDOW, each with the files that
 * hold its current frame, and a queue of the keys in time order to
 * forget them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "input/dedup.h"
#include "input/framekey.h"

struct seen {
	mt_ns ts;		/* its first copy */
	uint64_t files;		/* bit i: file i holds a copy */
};

struct qent {
	uint64_t key;
	mt_ns ts;
};

struct dedup {
	struct htab *t;
	struct qent *q;		/* ring of the keys in time order */
	size_t head, n, cap;
};

struct dedup *
dedup_new(void)
{
	struct dedup *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->t = htab_new(sizeof(uint64_t),
	    sizeof(struct seen))) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	htab_free(d->t);
	free(d->q);
	free(d);
}

static int
push(struct dedup *d, uint64_t key, mt_ns ts)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 1024;
		struct qent *q = malloc(cap * sizeof(*q));

		if (q == NULL)
			return -1;
		for (size_t i = 0; i < d->n; i++)
			q[i] = d->q[(d->head + i) % d->cap];
		free(d->q);
		d->q = q;
		d->cap = cap;
		d->head = 0;
	}
	d->q[(d->head + d->n++) % d->cap] = (struct qent){ key, ts };
	return 0;
}

/* Forget the keys first seen more than DEDUP_WINDOW before now. */
static void
expire(struct dedup *d, mt_ns now)
{
	while (d->n > 0) {
		struct qent *e = &d->q[d->head];
		struct seen *s;

		if (now - e->ts <= DEDUP_WINDOW)
			break;
		/* Only if it still stands for that frame. */
		if ((s = htab_get(d->t, &e->key)) != NULL && s->ts == e->ts)
			htab_del_value(d->t, s);
		d->head = (d->head + 1) % d->cap;
		d->n--;
	}
}

int
dedup_copy(struct dedup *d, const struct pkt *p)
{
	uint64_t key = fkey_of(p), bit;
	struct seen *s;
	int created;

	if (key == 0 || p->src < 0 || p->src >= DEDUP_MAX_FILES)
		return 0;
	bit = UINT64_C(1) << p->src;
	expire(d, p->ts);
	if ((s = htab_put(d->t, &key, &created)) == NULL)
		return -1;
	if (!created && !(s->files & bit) && p->ts - s->ts <= DEDUP_WINDOW) {
		s->files |= bit;
		return 1;
	}
	s->ts = p->ts;
	s->files = bit;
	return push(d, key, p->ts);
}
