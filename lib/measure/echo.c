/* echo.c: echo request/reply matching, probe interval, gaps, lost probes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "measure/echo.h"
#include "base/htab.h"

/* A request waiting for its reply, in request order. */
struct pending {
	uint32_t key;		/* id << 16 | seq */
	mt_ns ts;
};

/* What the table holds per (id, seq) until the reply timeout. */
struct req {
	mt_ns ts;		/* when the request was sent */
	int answered;		/* its reply was seen (later copies are duplicates) */
};

/*
 * The requests waiting are kept in a ring indexed by sequence number
 * first, and in the hash table only when their ring slot is taken (a
 * second prober, a sequence number come round again). A prober numbers
 * its requests one by one, so nearly every request, reply and expiry is
 * one array access to memory touched in order; with the hash table
 * alone, a day of probes every 10 ms (1 000 waiting at a time: the 10 s
 * timeout) spent a fifth of the analysis in it (bench/RESULTS.md).
 */
#define ECHO_RING	16384	/* slots, a power of two */

struct rslot {
	struct req r;
	uint32_t key;
	int used;
};

struct echo {
	struct mt_addr target;
	mt_ns min_gap_opt;	/* 0: derived from the interval */
	struct rslot *ring;	/* ECHO_RING slots, by ring_index(key) */
	struct htab *pending;	/* key -> struct req, when its slot is taken */
	struct pending *queue;	/* FIFO of requests, for expiry */
	size_t qhead, qlen, qcap;

	mt_ns *spacing;		/* first ECHO_SPACING_SAMPLES spacings */
	size_t nspacing;
	mt_ns last_request;
	mt_ns floor;		/* keep gaps longer than this; <0: keep all */

	mt_ns last_reply, first_reply;
	struct echo_gap *gaps;
	size_t ngaps, capgaps;
	mt_ns *lost;		/* request times never answered */
	size_t nlost, caplost;

	uint64_t requests, replies, matched, duplicates, reply_duplicates;
	mt_ns reply_req;	/* the last reply's request time, or none */
};

static int
cmp_ns(const void *a, const void *b)
{
	mt_ns x = *(const mt_ns *)a, y = *(const mt_ns *)b;
	return (x > y) - (x < y);
}

static mt_ns
median(const mt_ns *v, size_t n)
{
	mt_ns *tmp = malloc(n * sizeof(*tmp));
	mt_ns m;

	if (tmp == NULL)
		return MT_NS_NONE;
	memcpy(tmp, v, n * sizeof(*tmp));
	qsort(tmp, n, sizeof(*tmp), cmp_ns);
	/* Lower median for even n: an existing spacing, not an average. */
	m = tmp[(n - 1) / 2];
	free(tmp);
	return m;
}

/* Grow *arr (element size sz) to hold at least n+1 elements. */
static int
reserve(void **arr, size_t *cap, size_t n, size_t sz)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	p = realloc(*arr, ncap * sz);
	if (p == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

struct echo *
echo_new(const struct mt_addr *target, mt_ns min_gap)
{
	struct echo *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->target = *target;
	e->min_gap_opt = min_gap;
	e->floor = min_gap > 0 ? min_gap : -1;
	e->last_request = e->last_reply = e->first_reply = MT_NS_NONE;
	e->pending = htab_new(sizeof(uint32_t), sizeof(struct req));
	e->ring = calloc(ECHO_RING, sizeof(*e->ring));
	e->spacing = malloc(ECHO_SPACING_SAMPLES * sizeof(mt_ns));
	if (e->pending == NULL || e->ring == NULL || e->spacing == NULL) {
		echo_free(e);
		return NULL;
	}
	return e;
}

void
echo_free(struct echo *e)
{
	if (e == NULL)
		return;
	htab_free(e->pending);
	free(e->ring);
	free(e->queue);
	free(e->spacing);
	free(e->gaps);
	free(e->lost);
	free(e);
}

static int
add_lost(struct echo *e, mt_ns ts)
{
	if (reserve((void **)&e->lost, &e->caplost, e->nlost, sizeof(mt_ns)) < 0)
		return -1;
	e->lost[e->nlost++] = ts;
	return 0;
}

/* Consecutive sequence numbers of one identifier, consecutive slots. */
static inline size_t
ring_index(uint32_t key)
{
	return ((key & 0xffff) + (key >> 16) * 0x9e37u) & (ECHO_RING - 1);
}

/* The request waiting under key, or NULL. */
static struct req *
pend_get(struct echo *e, uint32_t key)
{
	struct rslot *sl = &e->ring[ring_index(key)];

	if (sl->used && sl->key == key)
		return &sl->r;
	return htab_count(e->pending) > 0 ? htab_get(e->pending, &key) : NULL;
}

/* The request under key, made zero if new (*created then 1); NULL when
 * out of memory. */
static struct req *
pend_put(struct echo *e, uint32_t key, int *created)
{
	struct rslot *sl = &e->ring[ring_index(key)];
	struct req *r;

	if ((r = pend_get(e, key)) != NULL) {
		*created = 0;
		return r;
	}
	if (!sl->used) {
		memset(sl, 0, sizeof(*sl));
		sl->used = 1;
		sl->key = key;
		*created = 1;
		return &sl->r;
	}
	return htab_put(e->pending, &key, created);
}

/* Forget r (from pend_get or pend_put). */
static void
pend_del(struct echo *e, struct req *r)
{
	if ((char *)r >= (char *)e->ring &&
	    (char *)r < (char *)(e->ring + ECHO_RING))
		((struct rslot *)(void *)r)->used = 0;	/* r is a slot's first member */
	else
		htab_del_value(e->pending, r);
}

/* Requests older than the reply timeout are lost. */
static int
expire(struct echo *e, mt_ns now)
{
	while (e->qlen > 0) {
		struct pending *q = &e->queue[e->qhead];
		struct req *r;

		if (now != MT_NS_NONE && now - q->ts <= ECHO_REPLY_TIMEOUT)
			break;
		r = pend_get(e, q->key);
		/* This request, not a later one reusing the key. */
		if (r != NULL && r->ts == q->ts) {
			int answered = r->answered;
			pend_del(e, r);
			if (!answered && add_lost(e, q->ts) < 0)
				return -1;
		}
		e->qhead = (e->qhead + 1) % e->qcap;
		e->qlen--;
	}
	return 0;
}

static int
enqueue(struct echo *e, uint32_t key, mt_ns ts)
{
	if (e->qlen == e->qcap) {
		size_t ncap = e->qcap ? e->qcap * 2 : 256;
		struct pending *q = malloc(ncap * sizeof(*q));
		if (q == NULL)
			return -1;
		for (size_t i = 0; i < e->qlen; i++)
			q[i] = e->queue[(e->qhead + i) % e->qcap];
		free(e->queue);
		e->queue = q;
		e->qcap = ncap;
		e->qhead = 0;
	}
	e->queue[(e->qhead + e->qlen) % e->qcap] = (struct pending){ key, ts };
	e->qlen++;
	return 0;
}

/*
 * Three probe intervals, the default smallest gap. Saturates: a hostile
 * capture can space its probes by centuries, and 3 * that overflows.
 */
static mt_ns
three(mt_ns interval)
{
	if (interval < 0)	/* MT_NS_NONE: median() out of memory */
		return -1;	/* a floor of -1 keeps every gap */
	return interval > INT64_MAX / 3 ? INT64_MAX : 3 * interval;
}

/* Once the interval is known, drop the candidate gaps too short to keep. */
static void
set_floor(struct echo *e, mt_ns floor)
{
	size_t j = 0;

	e->floor = floor;
	for (size_t i = 0; i < e->ngaps; i++)
		if (e->gaps[i].end - e->gaps[i].start > floor)
			e->gaps[j++] = e->gaps[i];
	e->ngaps = j;
}

static int
on_request(struct echo *e, const struct pkt *p)
{
	uint32_t key = (uint32_t)p->icmp_id << 16 | p->icmp_seq;
	int created;
	struct req *r;

	if (expire(e, p->ts) < 0)
		return -1;
	r = pend_put(e, key, &created);
	if (r == NULL)
		return -1;
	if (!created) {
		/* The same probe seen again (two captures of one link). */
		e->duplicates++;
		return 0;
	}
	r->ts = p->ts;
	if (enqueue(e, key, p->ts) < 0)
		return -1;
	e->requests++;
	/* A request stamped before the previous one (a file whose time goes
	 * backwards) says nothing about the interval: a spacing <= 0 would
	 * make it negative. */
	if (e->last_request != MT_NS_NONE && p->ts > e->last_request &&
	    e->nspacing < ECHO_SPACING_SAMPLES) {
		e->spacing[e->nspacing++] = p->ts - e->last_request;
		if (e->nspacing == ECHO_SPACING_SAMPLES && e->min_gap_opt == 0)
			set_floor(e, three(median(e->spacing, e->nspacing)));
	}
	e->last_request = p->ts;
	return ECHO_NEW_REQUEST;
}

static int
on_reply(struct echo *e, const struct pkt *p)
{
	uint32_t key = (uint32_t)p->icmp_id << 16 | p->icmp_seq;
	struct req *r;

	/* A request older than the timeout is lost, even when no later
	 * request came to expire it: it matches no reply. */
	if (expire(e, p->ts) < 0)
		return -1;
	e->reply_req = MT_NS_NONE;
	if ((r = pend_get(e, key)) != NULL) {
		if (r->answered) {
			/* The same reply seen again (two captures of one link). */
			e->reply_duplicates++;
			return 0;
		}
		r->answered = 1;
		e->matched++;
		e->reply_req = r->ts;
	}
	e->replies++;
	if (e->first_reply == MT_NS_NONE)
		e->first_reply = p->ts;
	if (e->last_reply != MT_NS_NONE && p->ts - e->last_reply > e->floor &&
	    p->ts > e->last_reply) {
		if (reserve((void **)&e->gaps, &e->capgaps, e->ngaps,
		    sizeof(*e->gaps)) < 0)
			return -1;
		e->gaps[e->ngaps++] = (struct echo_gap){ e->last_reply, p->ts, 0 };
		/* Replies without enough requests to know the interval: do not
		 * keep every spacing forever; fall back to the one we have. */
		if (e->floor < 0 && e->ngaps > 4 * ECHO_SPACING_SAMPLES)
			set_floor(e, e->nspacing > 0 ?
			    three(median(e->spacing, e->nspacing)) : MT_NS_PER_S);
	}
	if (e->last_reply == MT_NS_NONE || p->ts > e->last_reply)
		e->last_reply = p->ts;
	return ECHO_NEW_REPLY;
}

mt_ns
echo_reply_request_ts(const struct echo *e)
{
	return e->reply_req;
}

int
echo_add(struct echo *e, const struct pkt *p)
{
	if (!(p->layers & PKT_L_ECHO))
		return 0;
	if (p->echo == PKT_ECHO_REQUEST && mt_addr_eq(&p->ip_dst, &e->target))
		return on_request(e, p);
	if (p->echo == PKT_ECHO_REPLY && mt_addr_eq(&p->ip_src, &e->target))
		return on_reply(e, p);
	return 0;
}

/* Number of sorted times in the open interval (a, b). */
static uint64_t
count_between(const mt_ns *v, size_t n, mt_ns a, mt_ns b)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {	/* first index with v > a */
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] > a)
			hi = mid;
		else
			lo = mid + 1;
	}
	first = lo;
	hi = n;
	while (lo < hi) {	/* first index with v >= b */
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] >= b)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo - first;
}

int
echo_result(struct echo *e, struct echo_result *out)
{
	mt_ns min_gap;
	size_t j = 0;

	memset(out, 0, sizeof(*out));
	if (expire(e, MT_NS_NONE) < 0)	/* whatever is still pending is lost */
		return -1;
	if (e->nlost > 1)	/* e->lost is NULL when none was lost */
		qsort(e->lost, e->nlost, sizeof(mt_ns), cmp_ns);

	out->interval = e->nspacing > 0 ? median(e->spacing, e->nspacing) : MT_NS_NONE;
	if (e->min_gap_opt > 0)
		min_gap = e->min_gap_opt;
	else if (out->interval != MT_NS_NONE && out->interval > 0)
		min_gap = three(out->interval);
	else
		min_gap = MT_NS_PER_S;
	for (size_t i = 0; i < e->ngaps; i++) {
		struct echo_gap g = e->gaps[i];
		if (g.end - g.start <= min_gap)
			continue;
		g.lost = count_between(e->lost, e->nlost, g.start, g.end);
		e->gaps[j++] = g;
	}
	e->ngaps = j;
	for (size_t i = 0; i < e->ngaps; i++)
		if (e->gaps[i].end - e->gaps[i].start >
		    e->gaps[out->longest].end - e->gaps[out->longest].start)
			out->longest = i;

	out->requests = e->requests;
	out->replies = e->replies;
	out->matched = e->matched;
	out->lost = e->nlost;
	out->duplicates = e->duplicates;
	out->reply_duplicates = e->reply_duplicates;
	out->min_gap = min_gap;
	out->first_reply = e->first_reply;
	out->last_reply = e->last_reply;
	out->gaps = e->gaps;
	out->ngaps = e->ngaps;
	return 0;
}
