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
 *
 * This file holds the set, the reading in the caller's thread and the
 * merge; source_open.c opens the files, source_ahead.c reads ahead.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/source_int.h"

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

/* Free m's memory (the stream using it closed first). */
void
src_streammem_free(struct streammem *m)
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

void
src_file_close(struct srcfile *f)
{
	if (f->p != NULL) {
		pcap_close(f->p);	/* and its stream */
		f->p = NULL;
		src_streammem_free(&f->mem);	/* only then: its buffer */
	}
	f->pend.data = NULL;
}

/*
 * Note that record index of f, with timestamp ts, starts at offset pos
 * (srcset_marks). Marks older than f->mspan before the newest are
 * dropped, but for the newest of them: it holds the start of the span.
 */
void
src_mark(struct srcfile *f, uint64_t pos, uint64_t index, mt_ns ts)
{
	size_t drop = 0;

	if (f->nmarks > 0 && f->marks[f->nmarks - 1].index == index)
		return;		/* the first record, marked at the start */
	while (drop + 1 < f->nmarks && f->marks[drop + 1].ts <= ts - f->mspan)
		drop++;
	if (drop > 0) {
		memmove(f->marks, f->marks + drop,
		    (f->nmarks - drop) * sizeof(*f->marks));
		f->nmarks -= drop;
	}
	if (f->nmarks == f->capmarks) {
		size_t cap = f->capmarks ? 2 * f->capmarks : 16;
		struct srcmark *m = realloc(f->marks, cap * sizeof(*m));

		if (m == NULL) {
			f->marks_lost = 1;
			return;
		}
		f->marks = m;
		f->capmarks = cap;
	}
	f->marks[f->nmarks++] = (struct srcmark){ pos, index, ts };
}

void
srcset_free(struct srcset *s)
{
	if (s == NULL)
		return;
	src_readers_stop(s);
	for (int i = 0; i < s->n; i++) {
		src_file_close(s->f[i]);
		free(s->f[i]->path);
		free(s->f[i]->marks);
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
 * Read the next record of f into its pending slot. Return 1 with a
 * record, 0 at the normal end, -1 on an error with f->err (without the
 * path) filled in. The file is closed on 0 and -1.
 */
static inline __attribute__((always_inline)) int
file_read(struct srcfile *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;

	r = pcap_next_ex(f->p, &h, &data);
	if (r == 1) {
		if (take_record(f, h, data) == 1)
			return 1;
		src_file_close(f);
		return -1;
	}
	if (r == PCAP_ERROR_BREAK || r == 0) {
		src_file_close(f);
		return 0;
	}
	snprintf(f->err, sizeof(f->err), "%s", pcap_geterr(f->p));
	src_file_close(f);
	return -1;
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
 * Adding a file opened by source_open.c.
 */

/* Add an open handle to the set (source_int.h). */
int
src_add_handle(struct srcset *s, const char *path, pcap_t *p,
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
			src_streammem_free(m);
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
	f->replay = -1;
	{
		long at = ftell(pcap_file(p));

		f->pos0 = f->pos = at > 0 ? (uint64_t)at : 0;
	}
	r = file_read(f);
	f->ts = f->pend.ts;
	f->len = f->pend.len;
	if (r < 0) {
		src_explain_read_error(f, f->err, 1, msg, sizeof(msg));
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
	src_file_close(f);
	free(f->path);
	free(f);
	snprintf(errbuf, MT_ERRBUF_SIZE, "%s: out of memory", path);
	return -1;
nomem:
	if (f != NULL)
		free(f);
	pcap_close(p);
	if (m != NULL)
		src_streammem_free(m);
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
		src_explain_read_error(f, f->err, 0, msg, sizeof(msg));
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
	long at = -1;

	if (f->ring != NULL)
		return ring_next(f);
	if (__builtin_expect(f->mspan != 0, 0) && f->nread % SRC_BATCH == 0)
		at = ftell(pcap_file(f->p));	/* a mark every batch */
	if (file_read(f) != 1)
		return 0;
	f->ts = f->pend.ts;
	f->len = f->pend.len;
	if (__builtin_expect(at >= 0, 0))
		src_mark(f, (uint64_t)at, f->nread - 1, f->ts);
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
		for (int i = 0; i < s->hn; i++)	/* the first records */
			if (s->heap[i]->mspan != 0)
				src_mark(s->heap[i], s->heap[i]->pos0, 0,
				    s->heap[i]->ts);
		src_start_readers(s);
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
		if (out->layers & PKT_L_TUNNEL_BAD)
			st->tunnels_bad++;
	}
	return 1;
}

int
srcset_set_clock(struct srcset *s, int i, mt_ns offset, double drift,
    mt_ns t0, char *errbuf)
{
	struct srcfile *f = s->f[i];

	f->off = offset;
	f->drift = drift;
	f->t0 = t0;
	f->reclocked = offset != 0 || drift != 0;
	/* The first record, read by srcset_add(), moves too. */
	if (!s->started && f->pend.data != NULL) {
		if (reclock(f, &f->pend.ts) < 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: timestamps out of "
			    "range with a clock offset of %" PRId64 " ns",
			    f->path, offset);
			return -1;
		}
		f->ts = f->pend.ts;
	}
	for (int k = s->hn / 2; k >= 0; k--)
		heap_down(s, k);
	return 0;
}

void
srcset_progress(const struct srcset *s, uint64_t *done, uint64_t *total)
{
	uint64_t d = 0, t = 0;

	for (int i = 0; i < s->n; i++) {
		const struct srcfile *f = s->f[i];
		/* Read ahead: where the batch being merged ends (the reader
		 * is ahead of it); else where libpcap is. */
		uint64_t pos = f->ring == NULL ? src_file_pos(f) :
		    f->rec != NULL ? f->pos : f->size;

		t += f->size;
		d += pos < f->size ? pos : f->size;
	}
	*done = d;
	*total = t;
}
