/* timeline.c: fixed-width bins, in chunks, the old ones on disk. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/timeline.h"

/*
 * Bins live in chunks of TL_CHUNK. At most TL_RESIDENT chunks are kept in
 * memory (1 MiB: 27 minutes of 100 ms bins); older ones go to an
 * unlinked temporary file and come back when touched again (a record a
 * little out of order, or the report reading every bin at the end). So
 * memory stays bounded however long the capture; a chunk never touched
 * (a silent hour) takes neither memory nor disk. If the temporary file
 * cannot be made or written, chunks simply stay in memory.
 */
#define TL_CHUNK	4096
#define TL_NCHUNKS	(TIMELINE_MAX_BINS / TL_CHUNK)
#define TL_RESIDENT	8
#define TL_CHUNK_BYTES	(TL_CHUNK * sizeof(struct tbin))

struct timeline {
	mt_ns width, start;
	size_t n;			/* bins */
	uint64_t dropped;		/* events past TIMELINE_MAX_BINS */
	struct tbin *chunk[TL_NCHUNKS];	/* in memory, or NULL */
	uint8_t on_disk[TL_NCHUNKS];	/* NULL and this: in the file; else zero */
	size_t resident;		/* chunks in memory */
	int fd;				/* the temporary file; -1 until needed */
	int no_spill;			/* it failed: keep everything in memory */
	/*
	 * The bin of the last timeline_add(), covering [hot_lo, hot_hi):
	 * events come in time order, most in the bin of the one before,
	 * which then costs no division and no chunk lookup. hot is NULL
	 * when unset (and after its chunk was written out).
	 */
	struct tbin *hot;
	mt_ns hot_lo, hot_hi;
};

static const struct tbin zero_bin;

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
	t->fd = -1;
	return t;
}

void
timeline_free(struct timeline *t)
{
	if (t == NULL)
		return;
	for (size_t c = 0; c < TL_NCHUNKS; c++)
		free(t->chunk[c]);
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

/* An unlinked file in $TMPDIR (else /tmp), as sort(1) uses. */
static int
spill_open(struct timeline *t)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/migtrace-timeline.XXXXXX", dir) >=
	    (int)sizeof(path))
		return -1;
	if ((fd = mkstemp(path)) < 0)
		return -1;
	(void)unlink(path);
	t->fd = fd;
	return 0;
}

/* Write chunk c to the file and free it. -1 if it cannot be written. */
static int
spill(struct timeline *t, size_t c)
{
	const char *p = (const char *)t->chunk[c];
	size_t done = 0;
	ssize_t w;

	if (t->fd < 0 && spill_open(t) < 0)
		return -1;
	while (done < TL_CHUNK_BYTES) {
		w = pwrite(t->fd, p + done, TL_CHUNK_BYTES - done,
		    (off_t)(c * TL_CHUNK_BYTES + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	free(t->chunk[c]);
	t->chunk[c] = NULL;
	t->hot = NULL;		/* it may have been in this chunk */
	t->on_disk[c] = 1;
	t->resident--;
	return 0;
}

/* Keep at most TL_RESIDENT chunks in memory, chunk 'keep' among them:
 * the oldest go first (time moves forward). */
static void
evict(struct timeline *t, size_t keep)
{
	for (size_t c = 0; c < TL_NCHUNKS && t->resident > TL_RESIDENT &&
	    !t->no_spill; c++)
		if (c != keep && t->chunk[c] != NULL && spill(t, c) < 0)
			t->no_spill = 1;
}

/* Chunk c in memory (read back or made zero), or NULL when out of memory
 * or the file cannot be read. */
static struct tbin *
chunk_get(struct timeline *t, size_t c)
{
	struct tbin *b;
	size_t done = 0;
	ssize_t r;

	if (t->chunk[c] != NULL)
		return t->chunk[c];
	if ((b = calloc(TL_CHUNK, sizeof(*b))) == NULL)
		return NULL;
	while (t->on_disk[c] && done < TL_CHUNK_BYTES) {
		r = pread(t->fd, (char *)b + done, TL_CHUNK_BYTES - done,
		    (off_t)(c * TL_CHUNK_BYTES + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(b);
			return NULL;
		}
		done += (size_t)r;
	}
	t->chunk[c] = b;
	t->on_disk[c] = 0;
	t->resident++;
	evict(t, c);
	return b;
}

void
timeline_set_start(struct timeline *t, mt_ns start)
{
	t->start = start;
	t->hot = NULL;
}

int
timeline_add(struct timeline *t, mt_ns ts, enum tl_field f, uint64_t n)
{
	size_t i;
	struct tbin *b;

	if (t->hot != NULL && ts >= t->hot_lo && ts < t->hot_hi) {
		b = t->hot;
		goto add;
	}
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
	if ((b = t->chunk[i / TL_CHUNK]) == NULL &&
	    (b = chunk_get(t, i / TL_CHUNK)) == NULL)
		return -1;
	if (i >= t->n)
		t->n = i + 1;	/* the bins in between are zero */
	b += i % TL_CHUNK;
	/* Bin 0 also takes what came before start: not cached. */
	if (ts >= t->start &&
	    !__builtin_mul_overflow((mt_ns)i, t->width, &t->hot_lo) &&
	    !__builtin_add_overflow(t->hot_lo, t->start, &t->hot_lo) &&
	    !__builtin_add_overflow(t->hot_lo, t->width, &t->hot_hi))
		t->hot = b;
add:
	switch (f) {
	case TL_STREAM_BYTES: b->stream_bytes += n; break;
	case TL_STREAM_FRAME_BYTES: b->stream_frame_bytes += n; break;
	case TL_PROBE_SENT: b->probes_sent += (uint32_t)n; break;
	case TL_PROBE_ANSWERED: b->probes_answered += (uint32_t)n; break;
	case TL_ANNOUNCE: b->announces += (uint32_t)n; break;
	case TL_LATE_REPLY: b->late_replies += (uint32_t)n; break;
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
timeline_bin(struct timeline *t, size_t i)
{
	struct tbin *b;

	if (i >= t->n)
		return NULL;
	if ((b = t->chunk[i / TL_CHUNK]) != NULL)
		return b + i % TL_CHUNK;
	if (!t->on_disk[i / TL_CHUNK])
		return &zero_bin;	/* never touched */
	if ((b = chunk_get(t, i / TL_CHUNK)) == NULL)
		return NULL;
	return b + i % TL_CHUNK;
}

size_t
timeline_resident(const struct timeline *t)
{
	return t->resident * TL_CHUNK_BYTES;
}
