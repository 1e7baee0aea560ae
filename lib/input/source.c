/*
 * source.c: open capture files through libpcap with nanosecond precision
 * (docs/captures.md), explain why one cannot be read, and merge any number
 * of them by timestamp with a binary heap of one pending record per file.
 *
 * Two ways to read, with the same records, warnings and stats:
 *
 * - In the caller's thread (srcset_readahead(s, 0)): libpcap hands out a
 *   pointer into its own per-handle buffer that stays valid until the
 *   next read on that handle, so nothing is copied: each file's pending
 *   record is left where libpcap put it and decoded when handed out, and
 *   the file whose record srcset_next() returned is read again only at
 *   the start of the following call.
 *
 * - Read ahead (the default with more than one CPU): reader threads, one
 *   fewer than the CPUs and at most one per file, each serving its share
 *   of the files, run pcap_dispatch() and pkt_decode() and hand the
 *   decoded records over in batches, through a small ring per file
 *   (SRC_NBATCH batches of SRC_BATCH records, so memory stays bounded).
 *   The caller's thread merges and measures, and when it would have to
 *   wait for a batch it reads one itself: whichever thread is behind
 *   reads, so both CPUs stay busy although reading and measuring do not
 *   cost the same. Reading and decoding a headers-only capture costs
 *   about as much as every measure together (bench/RESULTS.md), so on
 *   two CPUs the analysis runs near the speed of a bare libpcap loop.
 *   A file is read by one thread at a time (its busy flag, under the
 *   group's mutex); every warning, counter and the merge order stay in
 *   the caller's thread, so the output does not depend on the threads'
 *   timing.
 *
 * Either way a record keeps at most SRC_PAYLOAD_KEEP payload bytes (what
 * the measures read: QEMU's stream magic), valid until the next
 * srcset_next() call.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "input/source.h"

/* Known first four bytes of a capture file, in file order. */
static const uint32_t capture_magics[] = {
	0xa1b2c3d4, 0xd4c3b2a1,	/* pcap, microseconds, BE / LE writer */
	0xa1b23c4d, 0x4d3cb2a1,	/* pcap, nanoseconds */
	0xa1b2cd34, 0x34cdb2a1,	/* Kuznetzov's modified pcap */
	0x0a0d0d0a,		/* pcapng section header block */
};

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

struct srcrec {
	struct pkt p;		/* decoded; p.payload points to head */
	uint8_t head[SRC_PAYLOAD_KEEP];
};

/* Cache-line aligned: a 192-byte record then spans 3 lines, not 4, and a
 * batch's header (n, written per record while it fills) no line of the
 * batch before it. */
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

static void
warnf(struct srcset *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warnf(struct srcset *s, const char *fmt, ...)
{
	char buf[MT_ERRBUF_SIZE];
	va_list ap;

	if (s->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->warn(s->ctx, buf);
}

/*
 * Memory of whole cache lines (zeroed), for what the caller's thread
 * touches per record: next to a reader's stdio stream or libpcap buffer
 * (written per record by the other CPU), a shared line made the merge
 * miss the cache on every record. It happened with the heap array and
 * the second file's FILE on one line, depending only on how long the
 * file names were: 0.42 or 0.53 s for 1 GB (bench/RESULTS.md).
 */
#define CACHE_LINE	64

static void *
cl_alloc(size_t n)
{
	size_t sz = (n + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	void *p = aligned_alloc(CACHE_LINE, sz);

	if (p != NULL)
		memset(p, 0, sz);
	return p;
}

/* cl_alloc(n) holding the first 'old' bytes of p (which is freed). */
static void *
cl_grow(void *p, size_t old, size_t n)
{
	void *q = cl_alloc(n);

	if (q != NULL && p != NULL)
		memcpy(q, p, old);
	if (q != NULL)
		free(p);
	return q;
}

/* The rings and stdio buffers come from mt_big_alloc() (see mt.h). */
#define RING_BYTES	(SRC_NBATCH * sizeof(struct srcbatch))

/* Free m's memory (the stream using it closed first). */
static void
streammem_free(struct streammem *m)
{
	mt_big_free(m->vbuf, SRC_STDIO_BUF);
	free(m->guard[0]);
	free(m->guard[1]);
	memset(m, 0, sizeof(*m));
}

struct srcset *
srcset_new(mt_warn_fn warn, void *ctx)
{
	struct srcset *s;

	if ((s = cl_alloc(sizeof(*s))) == NULL)
		return NULL;
	s->warn = warn;
	s->ctx = ctx;
	s->readahead = -1;
	return s;
}

void
srcset_readahead(struct srcset *s, int on)
{
	s->readahead = on != 0;
}

static void
file_close(struct srcfile *f)
{
	if (f->p != NULL) {
		pcap_close(f->p);	/* and its stream */
		f->p = NULL;
		streammem_free(&f->mem);	/* only then: its buffer */
	}
	f->pend.data = NULL;
}

static void readers_stop(struct srcset *s);

void
srcset_free(struct srcset *s)
{
	if (s == NULL)
		return;
	readers_stop(s);
	for (int i = 0; i < s->n; i++) {
		file_close(s->f[i]);
		free(s->f[i]->path);
		free(s->f[i]);
	}
	free(s->f);
	free(s->heap);
	free(s);
}

int
srcset_count(const struct srcset *s)
{
	return s->n;
}

const struct src_stats *
srcset_stats(const struct srcset *s, int i)
{
	if (i < 0 || i >= s->n)
		return NULL;
	return &s->f[i]->st;
}

/* ---------------------------------------------------------------------
 * Reading one file.
 */

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
	f->pend.len = len;
	f->pend.caplen = caplen;
	f->pend.data = data;
	f->nread++;
	return 1;
}

/*
 * Read the next record of f into its pending slot. Return 1 with a
 * record, 0 at the normal end, -1 on an error with f->err (without the
 * path) filled in. The file is closed on 0 and -1.
 */
static inline int
file_read(struct srcfile *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;

	r = pcap_next_ex(f->p, &h, &data);
	if (r == 1) {
		if (take_record(f, h, data) == 1)
			return 1;
		file_close(f);
		return -1;
	}
	if (r == PCAP_ERROR_BREAK || r == 0) {
		file_close(f);
		return 0;
	}
	snprintf(f->err, sizeof(f->err), "%s", pcap_geterr(f->p));
	file_close(f);
	return -1;
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

/* ---------------------------------------------------------------------
 * Reading ahead: reader threads fill each file's ring, the caller
 * takes, and fills one itself rather than wait.
 */

/* The offset reached in f's file, for the progress line. */
static uint64_t
file_pos(const struct srcfile *f)
{
	long pos;

	if (f->p == NULL)
		return f->size;
	pos = ftell(pcap_file(f->p));
	return pos > 0 ? (uint64_t)pos : 0;
}

/* Decode f's pending record into rec, its payload's first bytes kept. */
static inline void
store_pending(struct srcfile *f, struct srcrec *rec)
{
	decode_pending(f, &rec->p);
	if (rec->p.payload_caplen > 0) {
		memcpy(rec->head, rec->p.payload, rec->p.payload_caplen);
		rec->p.payload = rec->head;
	}
	f->pend.data = NULL;
}

/* pcap_dispatch()'s callback: one record into the batch being filled. */
static void
on_record(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct srcfile *f = (struct srcfile *)(void *)user;

	if (take_record(f, h, data) < 0) {
		f->bad = 1;
		pcap_breakloop(f->p);
		return;
	}
	store_pending(f, &f->fill->r[f->fill->n++]);
}

/*
 * Fill batch b from f: the pending record first (srcset_add read it),
 * then up to a full batch through pcap_dispatch() (cheaper per record
 * than pcap_next_ex()). Return 1, or 0/-1 when the file ended (normally,
 * or on an error with f->err set); it is then closed.
 */
static int
fill_batch(struct srcfile *f, struct srcbatch *b)
{
	int c;

	b->n = 0;
	if (f->pend.data != NULL)
		store_pending(f, &b->r[b->n++]);
	f->fill = b;
	while (b->n < SRC_BATCH) {
		c = pcap_dispatch(f->p, SRC_BATCH - b->n, on_record,
		    (u_char *)(void *)f);
		if (c > 0)
			continue;
		if (c == 0) {		/* the end of the file */
			file_close(f);
			return 0;
		}
		if (!f->bad)		/* else on_record said why */
			snprintf(f->err, sizeof(f->err), "%s",
			    pcap_geterr(f->p));
		file_close(f);
		return -1;
	}
	return 1;
}

/*
 * The file of g that most needs a batch: not ended, not being filled,
 * with room in its ring, and the fewest full batches (the caller,
 * waiting on a file, finds it empty). NULL if none. With g->mu held.
 */
static struct srcfile *
pick_file(const struct srcgroup *g)
{
	struct srcfile *best = NULL;

	for (int i = 0; i < g->n; i++) {
		struct srcfile *f = g->f[i];

		if (f->eof || f->busy || f->tail - f->head == SRC_NBATCH)
			continue;
		if (best == NULL || f->tail - f->head < best->tail - best->head)
			best = f;
	}
	return best;
}

/*
 * Fill f's next batch, which the caller of this function has marked busy
 * (with g->mu held, as on return; it is released meanwhile), and hand it
 * over. Both threads do this: the reader always, the caller's thread
 * when it would otherwise wait (ring_wait).
 */
static void
fill_next(struct srcgroup *g, struct srcfile *f)
{
	struct srcbatch *b = &f->ring[f->tail % SRC_NBATCH];
	int r;

	pthread_mutex_unlock(&g->mu);
	r = fill_batch(f, b);
	b->end_pos = file_pos(f);
	pthread_mutex_lock(&g->mu);
	if (b->n > 0)
		f->tail++;
	if (r != 1)
		f->eof = 1;
	f->busy = 0;
	pthread_cond_signal(&g->data);
	pthread_cond_signal(&g->room);	/* f may be free to fill again */
}

static int
group_open(const struct srcgroup *g)
{
	for (int i = 0; i < g->n; i++)
		if (!g->f[i]->eof)
			return 1;
	return 0;
}

static void *
reader_main(void *arg)
{
	struct srcgroup *g = arg;
	struct srcfile *f;

	pthread_mutex_lock(&g->mu);
	while (!g->quit && group_open(g)) {
		if ((f = pick_file(g)) == NULL) {
			pthread_cond_wait(&g->room, &g->mu);
			continue;
		}
		f->busy = 1;
		fill_next(g, f);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

/*
 * Start reader g for its files. Return 0, or -1 (its files are then read
 * in the caller's thread).
 */
static int
reader_start(struct srcgroup *g)
{
	int i;

	for (i = 0; i < g->n; i++) {
		struct srcfile *f = g->f[i];

		if ((f->ring = mt_big_alloc(RING_BYTES)) == NULL)
			goto fail;
		f->head = f->tail = 0;
		f->eof = f->busy = 0;
		f->rec = NULL;
		f->g = g;
	}
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->room, NULL);
	pthread_cond_init(&g->data, NULL);
	g->quit = 0;
	if (pthread_create(&g->th, NULL, reader_main, g) == 0)
		return 0;
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->room);
	pthread_cond_destroy(&g->data);
fail:
	for (i = 0; i < g->n; i++) {
		mt_big_free(g->f[i]->ring, RING_BYTES);
		g->f[i]->ring = NULL;
		g->f[i]->g = NULL;
	}
	return -1;
}

static void
readers_stop(struct srcset *s)
{
	for (int i = 0; i < s->ng; i++) {
		struct srcgroup *g = &s->g[i];

		if (g->n == 0)		/* not started */
			continue;
		pthread_mutex_lock(&g->mu);
		g->quit = 1;
		pthread_cond_signal(&g->room);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->th, NULL);
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->room);
		pthread_cond_destroy(&g->data);
		for (int j = 0; j < g->n; j++) {
			mt_big_free(g->f[j]->ring, RING_BYTES);
			g->f[j]->ring = NULL;
			g->f[j]->g = NULL;
		}
		free(g->f);
	}
	free(s->g);
	s->g = NULL;
	s->ng = 0;
}

/*
 * The caller's side: make f->rec the next record of the ring, giving the
 * batch of the previous one back when it is used up. Return 1 with a
 * record, 0 when the file has ended (f->err says whether on an error).
 */
static int
ring_wait(struct srcfile *f)
{
	const struct srcbatch *b;
	struct srcgroup *g = f->g;

	pthread_mutex_lock(&g->mu);
	if (f->rec != NULL) {
		f->head++;
		pthread_cond_signal(&g->room);
	}
	while (f->head == f->tail && !f->eof) {
		/*
		 * Rather than wait, read: f itself if the reader is not at it
		 * (it is empty, so it has room), else another file of the
		 * group that has room. Whichever thread is behind reads, so
		 * two CPUs share the reading when the reader alone cannot keep
		 * up (bench/RESULTS.md).
		 */
		struct srcfile *h = f->busy ? pick_file(g) : f;

		if (h != NULL) {
			h->busy = 1;
			fill_next(g, h);
		} else
			pthread_cond_wait(&g->data, &g->mu);
	}
	if (f->head == f->tail) {
		pthread_mutex_unlock(&g->mu);
		f->rec = NULL;
		return 0;
	}
	pthread_mutex_unlock(&g->mu);
	b = &f->ring[f->head % SRC_NBATCH];
	f->ri = 0;
	f->pos = b->end_pos;
	f->rec = &b->r[0];
	f->ts = f->rec->p.ts;
	f->len = f->rec->p.wire_len;
	return 1;
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
	return ring_wait(f);
}

/*
 * Start reading ahead, when asked for and worth it (more than one CPU):
 * one reader thread per file, but no more than one fewer than the CPUs
 * (the caller's thread merges and measures on the last one), the files
 * dealt out among them.
 */
static void
start_readers(struct srcset *s)
{
	long ncpu = mt_ncpu();
	int on = s->readahead, ng;

	if (on < 0)
		on = ncpu > 1;
	if (!on || s->hn > SRC_MAX_FILES || s->hn == 0)
		return;
	ng = s->hn;
	if (ncpu > 1 && ng > ncpu - 1)
		ng = (int)ncpu - 1;
	if ((s->g = calloc((size_t)ng, sizeof(*s->g))) == NULL)
		return;
	s->ng = ng;
	for (int i = 0; i < ng; i++) {
		struct srcgroup *g = &s->g[i];
		int n = 0;

		if ((g->f = calloc((size_t)s->hn, sizeof(*g->f))) == NULL)
			continue;
		for (int j = i; j < s->hn; j += ng)
			g->f[n++] = s->heap[j];
		g->n = n;
		if (reader_start(g) < 0) {
			free(g->f);
			g->f = NULL;
			g->n = 0;	/* read in this thread */
			continue;
		}
		for (int j = 0; j < n; j++)	/* the first records: */
			(void)ring_next(g->f[j]);	/* srcset_add read them */
	}
}

/*
 * Say what a read error means, with libpcap's words in brackets. 'first'
 * is set when the error comes on the first record, at srcset_add() time,
 * where it is an error of its own rather than the end of a file.
 */
static void
explain_read_error(const struct srcfile *f, const char *lp, int first,
    char *buf, size_t len)
{
	const char *rest = first ? "" : "; the rest of the file is skipped";
	unsigned t;

	if (sscanf(lp, "an interface has a type %u", &t) == 1)
		snprintf(buf, len, "%s: pcapng file whose interfaces have "
		    "different link types (%s, then %s; libpcap: %s): libpcap "
		    "reads one link type per file, so capture one file per "
		    "interface or split this one (editcap)%s", f->path,
		    pkt_dlt_name(f->dlt), pkt_dlt_name((int)t), lp, rest);
	else if (strncmp(lp, "an interface has a snapshot length", 34) == 0)
		snprintf(buf, len, "%s: pcapng file whose interfaces have "
		    "different snapshot lengths (libpcap: %s): libpcap needs "
		    "one per file, so capture one file per interface%s",
		    f->path, lp, rest);
	else if (strstr(lp, "truncated") != NULL)
		snprintf(buf, len, "%s: truncated last record after %" PRIu64
		    " packets (libpcap: %s); keeping the packets before it",
		    f->path, f->nread, lp);
	else if (strstr(lp, "capture length") != NULL)
		snprintf(buf, len, "%s: record %" PRIu64 " has an absurd "
		    "captured length (libpcap: %s)%s", f->path, f->nread + 1,
		    lp, rest);
	else if (first)
		snprintf(buf, len, "%s: cannot read the first record (%s)",
		    f->path, lp);
	else
		snprintf(buf, len, "%s: read error after %" PRIu64 " packets "
		    "(%s)%s", f->path, f->nread, lp, rest);
}

/*
 * libpcap could not open path: find out why from the first bytes, for a
 * message that tells the user what the file is. n is the file's size
 * when it is under the largest header below (m holds that much), else
 * at least that. The headers: pcap's file header is 24 bytes
 * (pcap-savefile(5)); a pcapng file starts with a Section Header Block
 * of at least 28 bytes, then an Interface Description Block of at least
 * 20 before any packet (draft-ietf-opsawg-pcapng, sections 4.1 and 4.2).
 */
#define PCAP_FILE_HEADER	24
#define PCAPNG_HEADERS_MIN	48

static void
explain_magic(const char *path, const uint8_t *m, size_t n, const char *lp,
    char *errbuf)
{
	uint32_t magic;
	const char *hint = "";

	if (n == 0) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: empty file, not a "
		    "capture file", path);
		return;
	}
	if (n < 4) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a capture file "
		    "(only %zu bytes)", path, n);
		return;
	}
	magic = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	    (uint32_t)m[2] << 8 | m[3];
	for (size_t i = 0; i < sizeof(capture_magics) / sizeof(capture_magics[0]); i++)
		if (magic == capture_magics[i]) {
			int ng = magic == 0x0a0d0d0a;
			size_t need = ng ? PCAPNG_HEADERS_MIN : PCAP_FILE_HEADER;

			/* Short, and libpcap found it short (not wrong). */
			if (n < need && (strstr(lp, "truncated") != NULL ||
			    strstr(lp, "no Interface Description") != NULL ||
			    (ng && n < 12)))
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short "
				    "for a %s file header (%zu of %zu bytes): "
				    "cut off while written?", path,
				    ng ? "pcapng" : "pcap", n, need);
			else
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: damaged "
				    "capture file header (libpcap: %s)", path,
				    lp);
			return;
		}
	if (m[0] == 0x1f && m[1] == 0x8b)
		hint = "; gzip-compressed? gunzip it first";
	else if (magic == 0xfd377a58)
		hint = "; xz-compressed? unxz it first";
	else if (magic == 0x28b52ffd)
		hint = "; zstd-compressed? unzstd it first";
	snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a capture file (bad magic "
	    "0x%08x%s)", path, magic, hint);
}

static void
explain_open_error(const char *path, const char *lp, char *errbuf)
{
	uint8_t m[PCAPNG_HEADERS_MIN];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot open (%s)", path,
		    strerror(errno));
		return;
	}
	n = fread(m, 1, sizeof(m), fp);
	fclose(fp);
	explain_magic(path, m, n, lp, errbuf);
}

/* The same for a stream, whose first bytes libpcap has taken: from
 * libpcap's message alone. */
static void
explain_stream_error(const char *path, const char *lp, char *errbuf)
{
	unsigned got;
	const char *g;

	if (strstr(lp, "only got 0") != NULL && strstr(lp, "read 4 ") != NULL)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: empty, not a capture",
		    path);
	else if (strstr(lp, "file header bytes") != NULL &&
	    (g = strstr(lp, "only got ")) != NULL &&
	    sscanf(g, "only got %u", &got) == 1 && strstr(lp, "read 24 ") != NULL)
		/* libpcap read the 4-byte magic, then part of the rest. */
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short for a pcap "
		    "file header (%u of %d bytes): cut off while written?",
		    path, got + 4, PCAP_FILE_HEADER);
	else if (strstr(lp, "truncated pcapng") != NULL)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short for a pcapng "
		    "file header (libpcap: %s): cut off while written?", path,
		    lp);
	else
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a pcap or pcapng "
		    "capture (libpcap: %s)", path, lp);
}

/* ---------------------------------------------------------------------
 * The heap: file indices ordered by (pending timestamp, index).
 */

static inline int
heap_less(const struct srcfile *a, const struct srcfile *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	return a->idx < b->idx;
}

static void
heap_up(struct srcset *s, int i)
{
	struct srcfile *x = s->heap[i];

	while (i > 0) {
		int parent = (i - 1) / 2;
		if (!heap_less(x, s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = x;
}

static void
heap_down(struct srcset *s, int i)
{
	struct srcfile *x = s->heap[i];

	for (;;) {
		int c = 2 * i + 1;
		if (c >= s->hn)
			break;
		if (c + 1 < s->hn && heap_less(s->heap[c + 1], s->heap[c]))
			c++;
		if (!heap_less(s->heap[c], x))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	s->heap[i] = x;
}

/* ---------------------------------------------------------------------
 * Adding files.
 */

static int add_handle(struct srcset *s, const char *path, pcap_t *p,
    struct streammem *m, uint64_t size, char *errbuf);

int
srcset_add(struct srcset *s, const char *path, char *errbuf)
{
	char pcerr[PCAP_ERRBUF_SIZE];
	struct stat sb;
	uint64_t size = 0;
	struct streammem m = { NULL, { NULL, NULL } };
	pcap_t *p;
	FILE *fp;
	int stream = 1;		/* standard input, a pipe: read only once */

	if (s->started) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot add a file after "
		    "reading has started", path);
		return -1;
	}
	if (strcmp(path, "-") != 0) {
		if (stat(path, &sb) < 0) {
			if (errno == ENOENT)
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: no such "
				    "file", path);
			else
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot "
				    "open (%s)", path, strerror(errno));
			return -1;
		}
		if (S_ISDIR(sb.st_mode)) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: is a directory, "
			    "not a capture file", path);
			return -1;
		}
		if (S_ISREG(sb.st_mode)) {
			stream = 0;
			if (sb.st_size == 0) {
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: empty "
				    "file, not a capture file", path);
				return -1;
			}
			size = (uint64_t)sb.st_size;
		}
	}

	/*
	 * Opened here rather than by pcap_open_offline(), for two things
	 * libpcap's own stdio stream lacks: a large buffer (stdio's default
	 * is the file system's 4 KiB block, a read() per 4 KiB; a syscall
	 * is dear in a VM: 1 GB took 0.2 s less CPU with 256 KiB) and no
	 * locking on each of libpcap's two fread() calls per record (a
	 * stream is used by one thread at a time: the reader's, or the
	 * caller's; the hand-over is ordered by the reader's start).
	 */
	/*
	 * The stream and libpcap's handle and record buffer are written per
	 * record by whichever thread reads the file: guard chunks before
	 * and after keep whatever malloc puts next off their cache lines
	 * (see cl_alloc). Freed with the file.
	 */
	m.guard[0] = malloc(CACHE_LINE);
	if (strcmp(path, "-") == 0) {
		/* Standard input, as tcpdump -r -: a stream of its own (libpcap
		 * closes it), once. */
		int fd = -1;

		for (int i = 0; i < s->n; i++)
			if (strcmp(s->f[i]->path, "-") == 0) {
				streammem_free(&m);
				snprintf(errbuf, MT_ERRBUF_SIZE, "-: standard "
				    "input given twice");
				return -1;
			}
		if ((fd = dup(STDIN_FILENO)) < 0 ||
		    (fp = fdopen(fd, "rb")) == NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "-: cannot read "
			    "standard input (%s)", strerror(errno));
			if (fd >= 0)
				close(fd);
			streammem_free(&m);
			return -1;
		}
	} else if ((fp = fopen(path, "rb")) == NULL) {
		streammem_free(&m);
		explain_open_error(path, "", errbuf);
		return -1;
	}
	(void)posix_fadvise(fileno(fp), 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((m.vbuf = mt_big_alloc(SRC_STDIO_BUF)) != NULL)
		(void)setvbuf(fp, m.vbuf, _IOFBF, SRC_STDIO_BUF);
	(void)__fsetlocking(fp, FSETLOCKING_BYCALLER);
	pcerr[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, pcerr);
	m.guard[1] = malloc(CACHE_LINE);
	if (p == NULL) {
		fclose(fp);	/* libpcap leaves it open on failure */
		streammem_free(&m);
		if (stream)
			explain_stream_error(path, pcerr, errbuf);
		else
			explain_open_error(path, pcerr, errbuf);
		return -1;
	}
	if (add_handle(s, path, p, &m, size, errbuf) < 0)
		return -1;
	s->f[s->n - 1]->st.once = stream;
	return 0;
}

int
srcset_add_fp(struct srcset *s, const char *name, FILE *fp, char *errbuf)
{
	char pcerr[PCAP_ERRBUF_SIZE];
	uint8_t m[PCAPNG_HEADERS_MIN];
	size_t n;
	pcap_t *p;

	if (s->started) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot add a file after "
		    "reading has started", name);
		fclose(fp);
		return -1;
	}
	pcerr[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, pcerr);
	if (p == NULL) {
		/* libpcap leaves fp open on failure: the first bytes say why. */
		if (fseek(fp, 0, SEEK_SET) == 0) {
			n = fread(m, 1, sizeof(m), fp);
			explain_magic(name, m, n, pcerr, errbuf);
		} else
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot read "
			    "(libpcap: %s)", name, pcerr);
		fclose(fp);
		return -1;
	}
	return add_handle(s, name, p, NULL, 0, errbuf);
}

/*
 * Add an open handle p and its stream's memory *m (NULL: none), which the
 * set owns from here, also on failure: check its link type, read its
 * first record, put it in the heap.
 */
static int
add_handle(struct srcset *s, const char *path, pcap_t *p,
    struct streammem *m, uint64_t size, char *errbuf)
{
	char msg[MT_ERRBUF_SIZE];
	struct srcfile *f = NULL;
	int dlt, r;

	dlt = pcap_datalink(p);
	if (!pkt_dlt_supported(dlt)) {
		const char *name = pcap_datalink_val_to_name(dlt);
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: unsupported link type "
		    "%d%s%s%s; migtrace reads EN10MB, LINUX_SLL, LINUX_SLL2, "
		    "RAW, IPV4, IPV6, NULL and LOOP", path, dlt,
		    name ? " (" : "", name ? name : "", name ? ")" : "");
		pcap_close(p);
		if (m != NULL)
			streammem_free(m);
		return -1;
	}

	if ((f = aligned_alloc(_Alignof(struct srcfile), sizeof(*f))) != NULL)
		memset(f, 0, sizeof(*f));
	if (f == NULL ||
	    (f->path = strdup(path)) == NULL)
		goto nomem;
	f->p = p;
	if (m != NULL)
		f->mem = *m;
	f->dlt = dlt;
	f->size = size;
	f->st.path = f->path;
	f->st.dlt = dlt;
	f->st.first_ts = f->st.last_ts = MT_NS_NONE;

	/*
	 * Read the first record now: a pcapng file with mixed link types or
	 * a bad first record fails here, with the file named, instead of
	 * half-way through a merge. A first record cut short is treated as
	 * any truncated last record: a warning, a file with no packets.
	 */
	f->idx = f->src = s->n;
	r = file_read(f);
	f->ts = f->pend.ts;
	f->len = f->pend.len;
	if (r < 0) {
		explain_read_error(f, f->err, 1, msg, sizeof(msg));
		if (strstr(f->err, "truncated") == NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s", msg);
			free(f->path);
			free(f);
			return -1;
		}
		f->st.damaged = 1;
		warnf(s, "%s", msg);
	}

	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 4;
		size_t old = (size_t)s->cap * sizeof(*s->f);
		struct srcfile **nf = cl_grow(s->f, old, (size_t)cap *
		    sizeof(*nf));
		struct srcfile **nh;
		if (nf == NULL)
			goto nomem_f;
		s->f = nf;
		if ((nh = cl_grow(s->heap, old, (size_t)cap * sizeof(*nh))) ==
		    NULL)
			goto nomem_f;
		s->heap = nh;
		s->cap = cap;
	}
	s->f[s->n] = f;
	if (r == 1) {
		s->heap[s->hn] = f;
		heap_up(s, s->hn++);
	}
	s->n++;
	return 0;

nomem_f:
	file_close(f);
	free(f->path);
	free(f);
	snprintf(errbuf, MT_ERRBUF_SIZE, "%s: out of memory", path);
	return -1;
nomem:
	if (f != NULL)
		free(f);
	pcap_close(p);
	if (m != NULL)
		streammem_free(m);
	snprintf(errbuf, MT_ERRBUF_SIZE, "%s: out of memory", path);
	return -1;
}

/* ---------------------------------------------------------------------
 * The merge.
 */

/* The file at the heap's root has ended (and is closed): drop it. */
static void
drop_root(struct srcset *s)
{
	struct srcfile *f = s->heap[0];
	char msg[MT_ERRBUF_SIZE];

	if (f->err[0] != '\0') {
		f->st.damaged = 1;
		explain_read_error(f, f->err, 0, msg, sizeof(msg));
		warnf(s, "%s", msg);
	}
	s->heap[0] = s->heap[--s->hn];
	if (s->hn > 0)
		heap_down(s, 0);
}

/* Say once per file that its timestamps go backwards. */
static void
warn_backwards(struct srcset *s, struct srcfile *f)
{
	mt_ns d = f->prev_ts - f->ts;

	f->warned_backwards = 1;
	warnf(s, "%s: timestamps go backwards (record %" PRIu64 " is %"
	    PRId64 ".%09" PRId64 " s earlier than the one before it); such "
	    "records are counted and merged by their own timestamps",
	    f->path, f->st.packets + 1, (int64_t)(d / MT_NS_PER_S),
	    (int64_t)(d % MT_NS_PER_S));
}

/* The next record of heap[0]'s file: 1 with one, 0 at its end. */
static inline int
file_advance(struct srcfile *f)
{
	if (f->ring != NULL)
		return ring_next(f);
	if (file_read(f) != 1)
		return 0;
	f->ts = f->pend.ts;
	f->len = f->pend.len;
	return 1;
}

int
srcset_next(struct srcset *s, const struct pkt **outp, char *errbuf)
{
	struct srcfile *f;
	struct src_stats *st;
	const struct pkt *out;

	(void)errbuf;		/* no fatal error is left: files fail alone */
	if (!s->started) {
		s->started = 1;
		start_readers(s);
	}
	if (s->stale) {
		/* Only now may the record out->payload is in be reused. */
		s->stale = 0;
		if (__builtin_expect(file_advance(s->heap[0]), 1)) {
			/* Mostly the same file stays first: no call then. */
			if (s->hn > 1 && (heap_less(s->heap[1], s->heap[0]) ||
			    (s->hn > 2 && heap_less(s->heap[2], s->heap[0]))))
				heap_down(s, 0);
		} else {
			drop_root(s);
		}
	}
	if (s->hn == 0)
		return 0;

	f = s->heap[0];
	s->stale = 1;
	if (f->ring != NULL) {
		out = &f->rec->p;
	} else {
		decode_pending(f, &s->cur);
		out = &s->cur;
	}
	*outp = out;

	st = &f->st;
	if (st->packets == 0) {
		st->first_ts = st->last_ts = f->ts;
	} else {
		if (__builtin_expect(f->ts < f->prev_ts, 0)) {
			st->backwards++;
			if (!f->warned_backwards)
				warn_backwards(s, f);
		}
		if (f->ts < st->first_ts)
			st->first_ts = f->ts;
		if (f->ts > st->last_ts)
			st->last_ts = f->ts;
	}
	f->prev_ts = f->ts;
	st->packets++;
	st->bytes += f->len;
	if (__builtin_expect(out->status != PKT_OK, 0)) {
		if (out->status == PKT_TRUNCATED)
			st->truncated++;
		else
			st->invalid++;
	}
	return 1;
}

void
srcset_progress(const struct srcset *s, uint64_t *done, uint64_t *total)
{
	uint64_t d = 0, t = 0;

	for (int i = 0; i < s->n; i++) {
		const struct srcfile *f = s->f[i];
		/* Read ahead: where the batch being merged ends (the reader
		 * is ahead of it); else where libpcap is. */
		uint64_t pos = f->ring == NULL ? file_pos(f) :
		    f->rec != NULL ? f->pos : f->size;

		t += f->size;
		d += pos < f->size ? pos : f->size;
	}
	*done = d;
	*total = t;
}
