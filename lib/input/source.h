/*
 * source.h: read any number of capture files (pcap with micro- or
 * nanosecond magic in either byte order, pcapng) through libpcap with
 * nanosecond precision, and merge them by timestamp with a streaming
 * k-way merge (a binary heap of one pending packet per file).
 *
 * With more than one CPU each file is read and decoded ahead in a thread
 * of its own (sets of up to 4 files; see source.c); the records, their order,
 * the warnings and the stats are the same either way.
 *
 * Ownership: srcset_new() returns a set the caller frees with
 * srcset_free() (NULL is fine). Paths are copied.
 */
#ifndef MT_SOURCE_H
#define MT_SOURCE_H

#include <stdio.h>

#include "base/mt.h"
#include "input/pkt.h"

struct srcset;

/* Payload bytes a record keeps (out->payload_caplen is at most this). */
#define SRC_PAYLOAD_KEEP	32

/* Per-file counters, for the report. */
struct src_stats {
	const char *path;
	int dlt;
	uint64_t packets;	/* records read */
	uint64_t bytes;		/* wire bytes */
	uint64_t truncated;	/* frames whose headers the snaplen cut */
	uint64_t invalid;	/* frames with a malformed header */
	uint64_t backwards;	/* timestamps earlier than the previous one */
	int damaged;		/* 1 if reading stopped on an error (see warnings) */
	int once;		/* standard input or a pipe: cannot be opened
				 * and read again (srcset_add only) */
	mt_ns first_ts, last_ts;	/* earliest, latest; MT_NS_NONE if no packets */
	uint64_t tunnels_bad;	/* of truncated + invalid: a tunnel header
				 * cut or malformed (PKT_L_TUNNEL_BAD) */
};

/*
 * Warnings (truncated last record, timestamps going backwards, ...) go to
 * warn(ctx, line) when warn is non-NULL; each names the file.
 */
struct srcset *srcset_new(mt_warn_fn warn, void *ctx);
void srcset_free(struct srcset *s);

/*
 * Read ahead in a thread per file (on != 0) or in the caller's thread
 * (0). The default is on with more than one CPU online. Call before the
 * first srcset_next().
 */
void srcset_readahead(struct srcset *s, int on);

/*
 * Open a capture file and add it to the set. Return 0, or -1 with
 * errbuf set to "PATH: problem" (missing, a directory, not a capture file,
 * empty, unsupported link type, pcapng with mixed link types, ...).
 * The first record is read here, so a file whose first record cannot be
 * read fails here; a cut first record is only a warning (no packets).
 * Files must all be added before the first srcset_next().
 */
int srcset_add(struct srcset *s, const char *path, char *errbuf);

/*
 * The same for a capture already open as fp (e.g. fmemopen() of bytes in
 * memory, for the fuzzers); name stands for the file in messages and
 * stats. The set owns fp from this call on, also when it fails (fp is
 * then closed). Same return and errbuf as srcset_add().
 */
int srcset_add_fp(struct srcset *s, const char *name, FILE *fp, char *errbuf);

/*
 * Put file i's timestamps on another clock: each record's ts becomes
 * ts + offset + drift * (ts - t0) (lib/input/clock.h measures them).
 * Call after srcset_add() and before the first srcset_next(). Return 0,
 * or -1 with errbuf set when the timestamps leave the int64 range.
 */
int srcset_set_clock(struct srcset *s, int i, mt_ns offset, double drift,
    mt_ns t0, char *errbuf);

/* Number of files added. */
int srcset_count(const struct srcset *s);

/*
 * Give the next packet in timestamp order across all files (ties: lower
 * file index first), decoded, through *out: the record belongs to the
 * set and stays valid, with its payload bytes (out->payload, at most
 * SRC_PAYLOAD_KEEP of them), until the next srcset_next() call. Return
 * 1 with a packet, 0 at the end of every file, -1 on a fatal error
 * (errbuf set). A read error in one file (e.g. a truncated record) is a
 * warning: that file ends, the others go on, and its stats say damaged.
 */
int srcset_next(struct srcset *s, const struct pkt **out, char *errbuf);

/* Counters of file i (0-based); valid until srcset_free(). */
const struct src_stats *srcset_stats(const struct srcset *s, int i);

/*
 * Reading a file again, for dedup.c: with srcset_marks(s, span) called
 * before the first srcset_next(), the set notes where each file that
 * can be read again (srcset_can_replay) has its records begin, a batch of records (SRC_BATCH) apart, over the last
 * span of capture time; srcset_replay() then reads the records handed
 * out since a moment inside that span again, from the file.
 */
void srcset_marks(struct srcset *s, mt_ns span);
/*
 * 1 if file i can be read again: a regular file in pcap format, added by
 * its path (a pipe or standard input cannot be read twice, and a pcapng
 * record needs the blocks before it, which a mark would skip). 0 if not.
 */
int srcset_can_replay(struct srcset *s, int i);
typedef void (*srcset_visit_fn)(void *ctx, const struct pkt *p);
/*
 * Decode file i's records again, from the last one marked at or before
 * since (or the oldest mark kept) to the last one srcset_next() handed
 * out, in file order, on the same clock, and give each to visit(ctx, p)
 * (p is valid during the call). 0, or -1 with errbuf set ("PATH: ...":
 * the file changed or went away, out of memory).
 */
int srcset_replay(struct srcset *s, int i, mt_ns since, srcset_visit_fn visit,
    void *ctx, char *errbuf);

/* Bytes of all files consumed so far and in total, for a progress line. */
void srcset_progress(const struct srcset *s, uint64_t *done, uint64_t *total);

#endif /* MT_SOURCE_H */
