/*
 * source_int.h: the inside of a set of capture files, shared by its
 * files: source.c (the set, reading in the caller's thread, the merge),
 * source_open.c (opening a file, saying why one cannot be read) and
 * source_ahead.c (reading ahead in threads). The record-by-record helpers
 * both threads run are static inline here, as they were in one file.
 */
#ifndef MT_SOURCE_INT_H
#define MT_SOURCE_INT_H

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "input/source.h"

/* Read ahead: records handed over at a time, and batches in flight. */
/*
 * 4 x 2048 records, 1.5 MiB a file. Each hand-over that finds the other
 * side asleep costs a wake-up (an inter-processor interrupt, dear in a
 * VM), so batches are not small; with several of them in flight, the
 * reader runs ahead and the caller's thread, when it catches up, reads a
 * batch itself (ring_wait). Measured on 1 GB of headers-only capture,
 * the same memory each: 2 x 4096 0.50 s, 4 x 2048 0.42 s, 8 x 1024
 * 0.43 s (bench/RESULTS.md).
 */
#ifndef SRC_BATCH
#define SRC_BATCH	2048
#endif
#ifndef SRC_NBATCH
#define SRC_NBATCH	4
#endif
/* Each file's stdio buffer (see srcset_add). */
#define SRC_STDIO_BUF	(256 * 1024)

/* Files read ahead at most (each ring holds up to 1.5 MiB of records); a
 * set of more files (rotated captures, say) is read in one thread. */
#define SRC_MAX_FILES	4

/* A record's place in its file: its offset, number (0-based) and time. */
struct srcmark {
	uint64_t pos, index;
	mt_ns ts;
};

struct srcrec {
	struct pkt p;		/* decoded; p.payload points to head */
	uint8_t head[SRC_PAYLOAD_KEEP];
};

/* Cache-line aligned: the records start on a line (a record is 232 bytes
 * since struct pkt carries a tunnel's outer addresses, 192 before), and a
 * batch's header (n, written per record while it fills) shares no line
 * with the batch before it. */
struct srcbatch {
	_Alignas(64) int n;
	uint64_t end_pos;	/* file offset after its last record */
	_Alignas(64) struct srcrec r[SRC_BATCH];
};

/*
 * What srcset_add() allocates around a file's stdio stream: its buffer
 * (NULL: stdio's own) and guard chunks (see there), all NULL for a
 * stream the caller opened (srcset_add_fp).
 */
struct streammem {
	char *vbuf;
	char *guard[2];
};

/*
 * One file. Read ahead, its reader thread owns the second group of
 * fields until it sets eof, the caller's thread the first; each group
 * starts a cache line of its own, so that the two threads, each writing
 * its own fields per packet, do not share a line.
 */
struct srcfile {
	/* The caller's. Hot fields first: the merge touches these per packet. */
	mt_ns ts;		/* the record to hand out next: the merge key */
	uint32_t len;		/* its wire length */
	int idx;		/* position in the set: pkt.src, tie-break */
	const struct srcrec *rec;	/* it, in the ring (read ahead) */
	int ri;			/* index of rec in its batch */
	struct srcbatch *ring;	/* NULL: read in the caller's thread */
	mt_ns prev_ts;		/* previous record's timestamp, file order */
	struct src_stats st;
	int warned_backwards;
	char *path;
	uint64_t size;		/* bytes on disk; 0 if unknown (a pipe) */
	uint64_t pos;		/* read ahead: the offset the caller has reached */
	struct srcgroup *g;	/* read ahead: the thread that reads it */
	/* Reading again (srcset_marks, srcset_replay). */
	mt_ns mspan;		/* marks kept over this much time; 0: none */
	struct srcmark *marks;	/* where records begin, oldest first */
	size_t nmarks, capmarks;
	int marks_lost;		/* one could not be kept (out of memory) */
	int reopen;		/* added by its path: can be opened again */
	int replay;		/* srcset_can_replay(): -1 not asked yet */
	uint64_t pos0;		/* the offset of its first record */

	/*
	 * The reader's (the caller's when not read ahead). dlt and src are
	 * read per record: kept here, not in the caller's group, whose line
	 * the caller writes per record (sharing it cost the reader half its
	 * time in one stalled load, perf annotate).
	 */
	_Alignas(64) pcap_t *p;	/* NULL once the file has ended */
	struct streammem mem;	/* its stream's, freed after pcap_close() */
	int dlt;
	int src;		/* = idx */
	/* Its clock (srcset_set_clock): ts + off + drift * (ts - t0). */
	mt_ns off, t0;
	double drift;
	int reclocked;		/* off or drift is not 0 */
	/* The last record libpcap gave, in its buffer; data NULL once used. */
	struct {
		mt_ns ts;
		uint32_t len, caplen;
		const uint8_t *data;
	} pend;
	uint64_t nread;		/* records read, the pending one included */
	struct srcbatch *fill;	/* the batch on_record() fills */
	int bad;		/* on_record() stopped on a damaged record */
	char err[PCAP_ERRBUF_SIZE];	/* why reading stopped, path-less */

	/* Both: batches [head, tail) (mod SRC_NBATCH) of the ring are full
	 * and the caller's to take. g->mu guards head, tail, eof, busy. */
	_Alignas(64) unsigned head, tail;
	int eof;
	int busy;		/* a thread is filling its next batch */
};

/*
 * A reader thread and the files it reads, each into its own ring. One
 * thread can serve several files: on two CPUs one reader for every file
 * and the caller's thread keep both busy, where a thread per file made
 * three threads take turns on two CPUs (bench/RESULTS.md).
 */
struct srcgroup {
	pthread_mutex_t mu;
	pthread_cond_t room;	/* the reader waits for a batch given back */
	pthread_cond_t data;	/* the caller waits for a batch filled */
	int quit;
	struct srcfile **f;
	int n;
	pthread_t th;
};

struct srcset {
	mt_warn_fn warn;
	void *ctx;
	struct srcfile **f;	/* one allocation each: stats pointers stay put */
	int n, cap;
	struct srcfile **heap;	/* open files, min (ts, idx) at heap[0] */
	int hn;
	int started;		/* srcset_next() was called */
	int stale;		/* heap[0]'s record was handed out: read again */
	int readahead;		/* srcset_readahead(); -1: not said */
	struct pkt cur;		/* the record handed out, when not read ahead */
	struct srcgroup *g;	/* reader threads, ng of them */
	int ng;
};

/* Whole cache lines: see cl_alloc() in source.c. */
#define CACHE_LINE	64

/* The rings and stdio buffers come from mt_big_alloc() (see mt.h). */
#define RING_BYTES	(SRC_NBATCH * sizeof(struct srcbatch))

/* source.c */
void src_streammem_free(struct streammem *m);
void src_mark(struct srcfile *f, uint64_t pos, uint64_t index, mt_ns ts);
void src_file_close(struct srcfile *f);
/*
 * Add an open handle p and its stream's memory *m (NULL: none), which the
 * set owns from here, also on failure: check its link type, read its
 * first record, put it in the heap. 0, or -1 with errbuf set.
 */
int src_add_handle(struct srcset *s, const char *path, pcap_t *p,
    struct streammem *m, uint64_t size, char *errbuf);

/* source_open.c */
void src_explain_read_error(const struct srcfile *f, const char *lp,
    int first, char *buf, size_t len);

/* source_ahead.c */
void src_start_readers(struct srcset *s);
void src_readers_stop(struct srcset *s);
int src_ring_wait(struct srcfile *f);
uint64_t src_file_pos(const struct srcfile *f);

/* Put *ts on the reference clock (srcset_set_clock): 0, or -1 if it
 * leaves int64 nanoseconds. */
static inline int
reclock(const struct srcfile *f, mt_ns *ts)
{
	mt_ns v = f->off;

	if (f->drift != 0)
		v += (mt_ns)llround(f->drift * (double)(*ts - f->t0));
	return __builtin_add_overflow(*ts, v, ts) ? -1 : 0;
}

/*
 * libpcap gave record h, data: make it f's pending one. Return 1, or -1
 * with f->err (without the path) filled in when it is damaged.
 */
static inline int
take_record(struct srcfile *f, const struct pcap_pkthdr *h,
    const uint8_t *data)
{
	/*
	 * Each field read on its own: libpcap has just stored them one by
	 * one, and the compiler, reading len and caplen (and the two time
	 * fields) as one wider load, missed store-to-load forwarding on
	 * every record (44% of the reader's own time, perf annotate).
	 */
	const volatile struct pcap_pkthdr *vh = h;
	int64_t sec = vh->ts.tv_sec, frac = vh->ts.tv_usec;
	uint32_t len = vh->len, caplen = vh->caplen;

	/*
	 * Opened with PCAP_TSTAMP_PRECISION_NANO, tv_usec holds
	 * nanoseconds. pcapng timestamps are 64-bit and can overflow
	 * int64 ns (past year 2262): a damaged file.
	 */
	if (__builtin_expect(sec > INT64_MAX / MT_NS_PER_S - 1 ||
	    sec < INT64_MIN / MT_NS_PER_S + 1, 0)) {
		snprintf(f->err, sizeof(f->err), "record %" PRIu64 ": timestamp "
		    "out of range (%lld s)", f->nread + 1, (long long)sec);
		return -1;
	}
	f->pend.ts = (mt_ns)sec * MT_NS_PER_S + frac;
	if (__builtin_expect(f->reclocked, 0) &&
	    reclock(f, &f->pend.ts) < 0) {
		snprintf(f->err, sizeof(f->err), "record %" PRIu64 ": timestamp "
		    "out of range with its clock offset", f->nread + 1);
		return -1;
	}
	f->pend.len = len;
	f->pend.caplen = caplen;
	f->pend.data = data;
	f->nread++;
	return 1;
}

/* Decode f's pending record (in libpcap's buffer) into *out. */
static inline void
decode_pending(const struct srcfile *f, struct pkt *out)
{
	out->ts = f->pend.ts;
	out->wire_len = f->pend.len;
	out->src = f->src;
	(void)pkt_decode(f->dlt, f->pend.data, f->pend.caplen, out);
	if (out->payload_caplen > SRC_PAYLOAD_KEEP)
		out->payload_caplen = SRC_PAYLOAD_KEEP;
}

/* The same, inline where the batch has more. */
static inline int
ring_next(struct srcfile *f)
{
	if (__builtin_expect(f->rec != NULL, 1)) {
		const struct srcbatch *b = &f->ring[f->head % SRC_NBATCH];

		if (__builtin_expect(++f->ri < b->n, 1)) {
			f->rec = &b->r[f->ri];
			f->ts = f->rec->p.ts;
			f->len = f->rec->p.wire_len;
			return 1;
		}
	}
	return src_ring_wait(f);
}

#endif /* MT_SOURCE_INT_H */
