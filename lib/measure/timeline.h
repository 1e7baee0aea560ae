/*
 * timeline.h: fixed-width time bins from the first packet of a run, each
 * counting migration-stream bytes, probes sent and answered, and
 * announces: the CSV timeline and the throughput-over-time measures.
 *
 * Ownership: timeline_new() -> timeline_free(). Bins grow with the span
 * of the capture (one bin per width), not with its packet count; memory
 * does not: past 1 MiB of bins the oldest go to an unlinked temporary
 * file in $TMPDIR (else /tmp) and are read back when asked for.
 */
#ifndef MT_TIMELINE_H
#define MT_TIMELINE_H

#include "base/mt.h"

struct tbin {
	uint64_t stream_bytes;		/* new sequence-space payload bytes */
	uint64_t stream_frame_bytes;	/* link frames of the stream (utilisation) */
	uint32_t probes_sent;
	uint32_t probes_answered;	/* of those sent in this bin */
	uint32_t announces;
	uint32_t late_replies;		/* answered after the next request */
};

enum tl_field { TL_STREAM_BYTES, TL_STREAM_FRAME_BYTES, TL_PROBE_SENT, TL_PROBE_ANSWERED, TL_ANNOUNCE,
    TL_LATE_REPLY };

struct timeline;

/* Bins of 'width' ns; the first event fixes bin 0's start. */
struct timeline *timeline_new(mt_ns width);
void timeline_free(struct timeline *t);

/*
 * At most this many bins (64 MiB; 58 hours of 100 ms bins): a timestamp
 * far off (a damaged or hostile record, a clock jump) must not make the
 * timeline allocate for the whole span in between. Events later than
 * that are counted in timeline_dropped(), not binned.
 */
#define TIMELINE_MAX_BINS	((size_t)1 << 21)

/*
 * Count n in the bin holding ts. Events before the start (a later file of
 * a merge never goes back, but a user may give an explicit start) are put
 * in bin 0. Return 0, or -1 when out of memory.
 */
int timeline_add(struct timeline *t, mt_ns ts, enum tl_field f, uint64_t n);

/* Fix bin 0's start (before any timeline_add). */
void timeline_set_start(struct timeline *t, mt_ns start);

mt_ns timeline_start(const struct timeline *t);	/* MT_NS_NONE if empty */
mt_ns timeline_width(const struct timeline *t);
size_t timeline_count(const struct timeline *t);
/* Events past TIMELINE_MAX_BINS bins, left out of the bins. */
uint64_t timeline_dropped(const struct timeline *t);
/*
 * Bin i (i < timeline_count()), valid until the next call on t. NULL
 * only when a bin kept on disk cannot be read back (or, then, out of
 * memory).
 */
const struct tbin *timeline_bin(struct timeline *t, size_t i);
/* Bytes of bins held in memory now (at most 1 MiB, unless the temporary
 * file could not be written). */
size_t timeline_resident(const struct timeline *t);

#endif /* MT_TIMELINE_H */
