/* timeline.c: a growable array of fixed-width bins. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

struct timeline {
	mt_ns width, start;
	struct tbin *bins;
	size_t n, cap;
	uint64_t dropped;	/* events past TIMELINE_MAX_BINS */
};

struct timeline *
timeline_new(mt_ns width)
{
	struct timeline *t;

	if (width <= 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->width = width;
	t->start = MT_NS_NONE;
	return t;
}

void
timeline_free(struct timeline *t)
{
	if (t == NULL)
		return;
	free(t->bins);
	free(t);
}

void
timeline_set_start(struct timeline *t, mt_ns start)
{
	t->start = start;
}

int
timeline_add(struct timeline *t, mt_ns ts, enum tl_field f, uint64_t n)
{
	size_t i;
	struct tbin *b;

	if (t->start == MT_NS_NONE)
		t->start = ts;
	/* ts - start in unsigned arithmetic: it may not fit in int64. */
	if (ts <= t->start)
		i = 0;
	else if (((uint64_t)ts - (uint64_t)t->start) / (uint64_t)t->width >=
	    TIMELINE_MAX_BINS) {
		t->dropped++;
		return 0;
	} else
		i = (size_t)(((uint64_t)ts - (uint64_t)t->start) /
		    (uint64_t)t->width);
	if (i >= t->n) {
		if (i >= t->cap) {
			size_t ncap = t->cap ? t->cap : 256;
			struct tbin *nb;
			while (ncap <= i) {
				/* A hostile timestamp far away: the size would
				 * overflow (and realloc(p, 0) would free p). */
				if (ncap > SIZE_MAX / 2 / sizeof(*nb))
					return -1;
				ncap *= 2;
			}
			nb = realloc(t->bins, ncap * sizeof(*nb));
			if (nb == NULL)
				return -1;
			t->bins = nb;
			t->cap = ncap;
		}
		memset(t->bins + t->n, 0, (i + 1 - t->n) * sizeof(*t->bins));
		t->n = i + 1;
	}
	b = &t->bins[i];
	switch (f) {
	case TL_STREAM_BYTES: b->stream_bytes += n; break;
	case TL_STREAM_FRAME_BYTES: b->stream_frame_bytes += n; break;
	case TL_PROBE_SENT: b->probes_sent += (uint32_t)n; break;
	case TL_PROBE_ANSWERED: b->probes_answered += (uint32_t)n; break;
	case TL_ANNOUNCE: b->announces += (uint32_t)n; break;
	}
	return 0;
}

mt_ns
timeline_start(const struct timeline *t)
{
	return t->start;
}

mt_ns
timeline_width(const struct timeline *t)
{
	return t->width;
}

size_t
timeline_count(const struct timeline *t)
{
	return t->n;
}

uint64_t
timeline_dropped(const struct timeline *t)
{
	return t->dropped;
}

const struct tbin *
timeline_bins(const struct timeline *t)
{
	return t->bins;
}
