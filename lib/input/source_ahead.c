/*
 * source_ahead.c: reading ahead. Reader threads fill each file's ring of
 * decoded records; the caller's thread takes them, and fills a batch
 * itself rather than wait (see source.c for why and how fast).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "input/source_int.h"

/* The offset reached in f's file, for the progress line. */
uint64_t
src_file_pos(const struct srcfile *f)
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
	if (rec->p.payload_caplen == SRC_PAYLOAD_KEEP) {
		/* The usual length (a data segment, cut to it): a copy of a
		 * known size is two moves, not a call. */
		memcpy(rec->head, rec->p.payload, SRC_PAYLOAD_KEEP);
		rec->p.payload = rec->head;
	} else if (rec->p.payload_caplen > 0) {
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
			src_file_close(f);
			return 0;
		}
		if (!f->bad)		/* else on_record said why */
			snprintf(f->err, sizeof(f->err), "%s",
			    pcap_geterr(f->p));
		src_file_close(f);
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
 * when it would otherwise wait (src_ring_wait).
 */
static void
fill_next(struct srcgroup *g, struct srcfile *f)
{
	struct srcbatch *b = &f->ring[f->tail % SRC_NBATCH];
	int r;

	pthread_mutex_unlock(&g->mu);
	r = fill_batch(f, b);
	b->end_pos = src_file_pos(f);
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

void
src_readers_stop(struct srcset *s)
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
int
src_ring_wait(struct srcfile *f)
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
	/* The batch starts where the one before ended. */
	if (f->mspan != 0)
		src_mark(f, f->pos, f->st.packets, b->r[0].p.ts);
	f->pos = b->end_pos;
	f->rec = &b->r[0];
	f->ts = f->rec->p.ts;
	f->len = f->rec->p.wire_len;
	return 1;
}

/*
 * Start reading ahead, when asked for and worth it (more than one CPU):
 * one reader thread per file, but no more than one fewer than the CPUs
 * (the caller's thread merges and measures on the last one), the files
 * dealt out among them.
 */
void
src_start_readers(struct srcset *s)
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

