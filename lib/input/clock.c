/*
 * clock.c: the offsets between the hosts that stamped the captures,
 * measured from the frames two capture points share (clock.h,
 * docs/clocks.md).
 *
 * One read of each file before the analysis collects, per frame with a
 * key (framekey.h), the key, the timestamp and its direction (source and
 * destination addresses). Keys seen twice in one file (a retransmission
 * on IPv6, an echo sequence number that wrapped) say nothing and are
 * dropped. The files of two hosts are joined on the key; for each pair
 * of hosts a and b, every matched frame gives d = ts_b - ts_a. A frame
 * that went from a to b has d = delay - theta, one that went back has
 * d = -delay - theta, theta being b's offset minus a's: so of the two
 * directions of an address pair, the one whose d are the larger (by
 * median) went a -> b. With d1 the smallest d from a to b and d2 the
 * smallest -d from b to a, theta = (d2 - d1) / 2 give or take
 * (d1 + d2) / 2, half the smallest round trip (RFC 5905 8). The minima
 * come from whichever frames crossed quickest, so queueing (the
 * migration filling the management link) raises only the frames that
 * queued. On long captures the lower edge of each direction's d, traced
 * by the smallest d of each CLK_WINDOW, gives the drift (fit_drift).
 *
 * Large files are sampled by key (a key's low bits), so every capture
 * point keeps the same frames and matching still works: at most
 * CLK_KEEP keys a file.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_fit.h>

#include "input/clock.h"
#include "input/framekey.h"
#include "input/source.h"

#define CLK_KEEP	(1u << 20)	/* keys kept per file, at most */
#define CLK_WINDOW	(10 * MT_NS_PER_S)	/* drift: one offset per window */
#define CLK_DRIFT_SPAN	(60 * MT_NS_PER_S)	/* drift: captures at least this long */
#define CLK_MAX_WINDOWS	4096

/* ---- the spec ------------------------------------------------------ */

static int
spec_has_file(const struct clk_spec *c, const char *f)
{
	for (int h = 0; h < c->nhosts; h++)
		for (int i = 0; i < c->host[h].nfiles; i++)
			if (strcmp(c->host[h].files[i], f) == 0)
				return 1;
	return 0;
}

int
clk_spec_host(struct clk_spec *c, const char *arg, char *errbuf)
{
	const char *eq = strchr(arg, '=');
	struct clk_host *h;
	char *list, *tok, *save = NULL;

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--host: '%.200s' is not "
		    "NAME=FILE[,FILE...]", arg);
		return -1;
	}
	for (int i = 0; i < c->nhosts; i++)
		if (strlen(c->host[i].name) == (size_t)(eq - arg) &&
		    strncmp(c->host[i].name, arg, (size_t)(eq - arg)) == 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--host: host '%s' "
			    "given twice", c->host[i].name);
			return -1;
		}
	if (c->nhosts == CLK_MAX_HOSTS) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--host: more than %d hosts",
		    CLK_MAX_HOSTS);
		return -1;
	}
	h = &c->host[c->nhosts];
	memset(h, 0, sizeof(*h));
	if ((h->name = strndup(arg, (size_t)(eq - arg))) == NULL ||
	    (list = strdup(eq + 1)) == NULL)
		goto nomem;
	c->nhosts++;
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char **n;

		if (spec_has_file(c, tok)) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--host %s: %.200s is "
			    "already given to a host (a file has one clock)",
			    h->name, tok);
			free(list);
			return -1;
		}
		if ((n = realloc(h->files, (size_t)(h->nfiles + 1) *
		    sizeof(*n))) == NULL) {
			free(list);
			goto nomem;
		}
		h->files = n;
		if ((h->files[h->nfiles] = strdup(tok)) == NULL) {
			free(list);
			goto nomem;
		}
		h->nfiles++;
	}
	free(list);
	if (h->nfiles == 0) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--host %s: no file", h->name);
		return -1;
	}
	return 0;
nomem:
	snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
	return -1;
}

int
clk_spec_offset(struct clk_spec *c, const char *arg, char *errbuf)
{
	const char *eq = strrchr(arg, '=');
	const char *d;
	struct clk_given *n;
	mt_ns v;
	int neg;

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--clock-offset: '%.200s' is "
		    "not FILE=DURATION", arg);
		return -1;
	}
	d = eq + 1;
	neg = *d == '-';
	if (*d == '-' || *d == '+')
		d++;
	if (*d == '-' || *d == '+' || mt_parse_duration(d, &v) < 0) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--clock-offset: '%.200s' is "
		    "not a duration (e.g. -41.7ms)", eq + 1);
		return -1;
	}
	for (int i = 0; i < c->ngiven; i++)
		if (strlen(c->given[i].file) == (size_t)(eq - arg) &&
		    strncmp(c->given[i].file, arg, (size_t)(eq - arg)) == 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "--clock-offset: %s "
			    "given twice", c->given[i].file);
			return -1;
		}
	if ((n = realloc(c->given, (size_t)(c->ngiven + 1) * sizeof(*n))) == NULL)
		goto nomem;
	c->given = n;
	if ((n[c->ngiven].file = strndup(arg, (size_t)(eq - arg))) == NULL)
		goto nomem;
	n[c->ngiven].offset = neg ? -v : v;
	c->ngiven++;
	return 0;
nomem:
	snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
	return -1;
}

int
clk_spec_ref(struct clk_spec *c, const char *name, char *errbuf)
{
	if (c->ref != NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--clock-ref given twice");
		return -1;
	}
	if (*name == '\0' || strchr(name, '=') != NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "--clock-ref: '%.200s' is not "
		    "a host name", name);
		return -1;
	}
	if ((c->ref = strdup(name)) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return -1;
	}
	return 0;
}

int
clk_spec_used(const struct clk_spec *c)
{
	return c != NULL && (c->nhosts > 0 || c->ref != NULL || c->ngiven > 0);
}

void
clk_spec_free(struct clk_spec *c)
{
	if (c == NULL)
		return;
	for (int h = 0; h < c->nhosts; h++) {
		for (int i = 0; i < c->host[h].nfiles; i++)
			free(c->host[h].files[i]);
		free(c->host[h].files);
		free(c->host[h].name);
	}
	for (int i = 0; i < c->ngiven; i++)
		free(c->given[i].file);
	free(c->given);
	free(c->ref);
	memset(c, 0, sizeof(*c));
}

/* ---- the plan ------------------------------------------------------ */

/* 1 if spec file name s names input path f: equal, or f's last
 * components ("dir/a.pcap" for "a.pcap"). */
static int
names(const char *s, const char *f)
{
	size_t ls = strlen(s), lf = strlen(f);

	if (ls == lf)
		return strcmp(s, f) == 0;
	return lf > ls && f[lf - ls - 1] == '/' && strcmp(f + lf - ls, s) == 0;
}

/* The one input s names: its index, or -1 with errbuf set. */
static int
find_input(const char *opt, const char *s, char *const *files, int nfiles,
    char *errbuf)
{
	int found = -1;

	for (int i = 0; i < nfiles; i++) {
		if (!names(s, files[i]))
			continue;
		if (found >= 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: %.200s names two "
			    "captures (%.100s and %.100s): give more of the path",
			    opt, s, files[found], files[i]);
			return -1;
		}
		found = i;
	}
	if (found < 0)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: %.200s is not one of the "
		    "captures analysed", opt, s);
	return found;
}

char **
clk_spec_files(const struct clk_spec *c, char *const *files, int nfiles,
    int *nout)
{
	int n = nfiles;
	char **all;

	for (int h = 0; h < c->nhosts; h++)
		n += c->host[h].nfiles;
	if ((all = malloc((size_t)(n > 0 ? n : 1) * sizeof(*all))) == NULL)
		return NULL;
	n = 0;
	for (int i = 0; i < nfiles; i++)
		all[n++] = files[i];
	for (int h = 0; h < c->nhosts; h++)
		for (int k = 0; k < c->host[h].nfiles; k++) {
			int named = 0;

			for (int i = 0; i < nfiles && !named; i++)
				named = names(c->host[h].files[k], files[i]);
			if (!named)
				all[n++] = c->host[h].files[k];
		}
	*nout = n;
	return all;
}

int
clk_plan(const struct clk_spec *c, char *const *files, int nfiles,
    struct clk_plan *p, char *errbuf)
{
	int unnamed = 0, ref = -1;
	char opt[160];

	memset(p, 0, sizeof(*p));
	p->host_of = malloc((size_t)(nfiles > 0 ? nfiles : 1) * sizeof(*p->host_of));
	p->given = malloc((size_t)(nfiles > 0 ? nfiles : 1) * sizeof(*p->given));
	if (p->host_of == NULL || p->given == NULL) {
		clk_plan_free(p);
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return -1;
	}
	for (int i = 0; i < nfiles; i++) {
		p->host_of[i] = -1;
		p->given[i] = MT_NS_NONE;
	}
	for (int h = 0; h < c->nhosts; h++) {
		p->name[h] = c->host[h].name;
		if (c->ref != NULL && strcmp(c->ref, c->host[h].name) == 0)
			ref = h;
		snprintf(opt, sizeof(opt), "--host %.100s", c->host[h].name);
		for (int k = 0; k < c->host[h].nfiles; k++) {
			int i = find_input(opt, c->host[h].files[k], files,
			    nfiles, errbuf);
			if (i < 0)
				goto fail;
			if (p->host_of[i] >= 0) {
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: %.200s is "
				    "already given to host %s (a file has one "
				    "clock)", opt, files[i], p->name[p->host_of[i]]);
				goto fail;
			}
			p->host_of[i] = h;
		}
	}
	p->nhosts = c->nhosts;
	for (int i = 0; i < nfiles; i++)
		unnamed += p->host_of[i] < 0;
	if (ref < 0 && (unnamed > 0 || c->ref != NULL || c->nhosts == 0)) {
		ref = p->nhosts++;
		p->name[ref] = c->ref != NULL ? c->ref : "reference";
	}
	if (ref < 0)
		ref = 0;
	p->ref = ref;
	for (int i = 0; i < nfiles; i++)
		if (p->host_of[i] < 0)
			p->host_of[i] = ref;
	for (int k = 0; k < c->ngiven; k++) {
		int i = find_input("--clock-offset", c->given[k].file, files,
		    nfiles, errbuf);
		if (i < 0)
			goto fail;
		p->given[i] = c->given[k].offset;
	}
	for (int i = 0; i < nfiles; i++)
		if (p->host_of[i] == ref)
			return 0;
	snprintf(errbuf, MT_ERRBUF_SIZE, "--clock-ref %.200s: no capture is "
	    "stamped by it (name its files with --host, or leave some unnamed)",
	    p->name[ref]);
fail:
	clk_plan_free(p);
	return -1;
}

void
clk_plan_free(struct clk_plan *p)
{
	if (p == NULL)
		return;
	free(p->host_of);
	free(p->given);
	p->host_of = NULL;
	p->given = NULL;
}

/* ---- collecting keys ----------------------------------------------- */

struct ent {
	uint64_t key;
	mt_ns ts;
	uint32_t dir, rdir;
};

struct keys {
	struct ent *e;
	size_t n, cap;
	unsigned shift;		/* keys kept: low 'shift' bits zero */
};

static int
ent_cmp(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->ts > b->ts) - (a->ts < b->ts);
}

static inline int
sampled(uint64_t key, unsigned shift)
{
	return (key & ((UINT64_C(1) << shift) - 1)) == 0;
}

static int
keys_add(struct keys *k, uint64_t key, mt_ns ts, uint32_t dir, uint32_t rdir)
{
	if (!sampled(key, k->shift))
		return 0;
	if (k->n == k->cap) {
		if (k->cap == CLK_KEEP) {
			size_t j = 0;

			/* Keep half as many keys, the same ones everywhere. */
			k->shift++;
			for (size_t i = 0; i < k->n; i++)
				if (sampled(k->e[i].key, k->shift))
					k->e[j++] = k->e[i];
			k->n = j;
			if (!sampled(key, k->shift))
				return 0;
		} else {
			size_t cap = k->cap ? 2 * k->cap : 4096;
			struct ent *n = realloc(k->e, cap * sizeof(*n));

			if (n == NULL)
				return -1;
			k->e = n;
			k->cap = cap;
		}
	}
	k->e[k->n++] = (struct ent){ key, ts, dir, rdir };
	return 0;
}

/* Sort by key, dropping every key seen more than once. */
static void
keys_finish(struct keys *k)
{
	size_t j = 0;

	qsort(k->e, k->n, sizeof(*k->e), ent_cmp);
	for (size_t i = 0; i < k->n;) {
		size_t e = i + 1;

		while (e < k->n && k->e[e].key == k->e[i].key)
			e++;
		if (e == i + 1)
			k->e[j++] = k->e[i];
		i = e;
	}
	k->n = j;
}

static int
read_keys(const char *path, struct keys *k, char *errbuf)
{
	struct srcset *s = srcset_new(NULL, NULL);
	const struct pkt *p;
	int r;

	if (s == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return -1;
	}
	srcset_readahead(s, 0);
	if (srcset_add(s, path, errbuf) < 0) {
		srcset_free(s);
		return -1;
	}
	if (srcset_stats(s, 0)->once) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: clock offsets need the "
		    "capture read once more, and a pipe can be read only once: "
		    "give a file, or its offset with --clock-offset", path);
		srcset_free(s);
		return -1;
	}
	while ((r = srcset_next(s, &p, errbuf)) == 1) {
		uint64_t key = fkey_of(p);

		if (key != 0 && keys_add(k, key, p->ts, fkey_dir(p, 0),
		    fkey_dir(p, 1)) < 0) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
			r = -1;
			break;
		}
	}
	srcset_free(s);
	if (r < 0)
		return -1;
	keys_finish(k);
	return 0;
}

/* ---- one pair of hosts --------------------------------------------- */

/* A frame seen by host a (at t) and by host b (d later, raw clocks). */
struct match {
	mt_ns t, d;
	uint32_t dir, rdir;
};

struct matches {
	struct match *m;
	size_t n, cap;
};

static int
join(const struct keys *a, const struct keys *b, struct matches *out)
{
	size_t i = 0, j = 0;

	while (i < a->n && j < b->n) {
		if (a->e[i].key < b->e[j].key) {
			i++;
		} else if (a->e[i].key > b->e[j].key) {
			j++;
		} else {
			if (out->n == out->cap) {
				size_t cap = out->cap ? 2 * out->cap : 1024;
				struct match *n = realloc(out->m, cap * sizeof(*n));

				if (n == NULL)
					return -1;
				out->m = n;
				out->cap = cap;
			}
			out->m[out->n++] = (struct match){ a->e[i].ts,
			    b->e[j].ts - a->e[i].ts, a->e[i].dir, a->e[i].rdir };
			i++;
			j++;
		}
	}
	return 0;
}

/* One direction's matches: the smallest, median and largest d. */
struct dstat {
	uint32_t dir, rdir;
	mt_ns lo, med, hi;
	uint64_t n;
	int cls;		/* 1: went a -> b, -1: b -> a, 0: not told */
};

/* One estimate of theta = b's offset - a's from matches m[0..n). */
struct est {
	int ok;
	mt_ns theta, u;
	uint64_t pairs;
	uint64_t inconsistent;	/* address pairs it could not tell */
};

static int
dir_d_cmp(const void *x, const void *y)
{
	const struct match *a = x, *b = y;

	if (a->dir != b->dir)
		return a->dir < b->dir ? -1 : 1;
	return (a->d > b->d) - (a->d < b->d);
}

static const struct dstat *
find_dir(const struct dstat *g, size_t ng, uint32_t dir)
{
	size_t lo = 0, hi = ng;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g[mid].dir < dir)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ng && g[lo].dir == dir ? &g[lo] : NULL;
}

/*
 * Which way each direction went: of an address pair's two directions,
 * the one whose median d is the larger went a -> b (its d are delay -
 * theta, the other's -delay - theta: apart by the two delays, however
 * theta drifts meanwhile). The smallest d each way then give theta.
 * With a drift r (theta = c + r * (t - t0)), each d is first moved by
 * r * (t - t0), which leaves c. The directions, sorted by dir, are given
 * back through *groups (the caller frees them) when groups is non-NULL.
 */
static int
estimate(const struct match *m, size_t n, mt_ns t0, double r, struct est *e,
    struct dstat **groups, size_t *ngroups)
{
	struct match *s = malloc((n > 0 ? n : 1) * sizeof(*s));
	struct dstat *g = malloc((n > 0 ? n : 1) * sizeof(*g));
	size_t ng = 0;
	mt_ns d1 = INT64_MAX, d2 = INT64_MAX;

	memset(e, 0, sizeof(*e));
	if (s == NULL || g == NULL) {
		free(s);
		free(g);
		return -1;
	}
	if (n > 0)
		memcpy(s, m, n * sizeof(*s));
	if (r != 0)
		for (size_t i = 0; i < n; i++)
			s[i].d += (mt_ns)llround(r * (double)(s[i].t - t0));
	qsort(s, n, sizeof(*s), dir_d_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && s[j].dir == s[i].dir)
			j++;
		g[ng++] = (struct dstat){ s[i].dir, s[i].rdir, s[i].d,
		    s[i + (j - i) / 2].d, s[j - 1].d, j - i, 0 };
		i = j;
	}
	for (size_t i = 0; i < ng; i++) {
		struct dstat *x = &g[i];
		const struct dstat *y = find_dir(g, ng, x->rdir);

		if (y == NULL || y == x)
			continue;	/* one way only: no direction to tell */
		if (x->med > y->med) {
			x->cls = 1;
			if (x->lo < d1)
				d1 = x->lo;
			e->pairs += x->n;
		} else if (x->med < y->med) {
			x->cls = -1;
			if (-x->hi < d2)
				d2 = -x->hi;
			e->pairs += x->n;
		} else
			e->inconsistent++;
	}
	free(s);
	if (groups != NULL) {
		*groups = g;
		*ngroups = ng;
	} else
		free(g);
	/* No way each, or a round trip below zero: nothing to tell. */
	if (d1 == INT64_MAX || d2 == INT64_MAX || d1 + d2 < 0)
		return 0;
	e->ok = 1;
	e->theta = (d2 - d1) / 2;
	e->u = (d1 + d2 + 1) / 2;
	return 0;
}

/* A link between two hosts: theta(ts) = c + r * (ts - t0). */
struct link {
	int ok;
	mt_ns c, u;
	double r;
	uint64_t pairs, inconsistent;
};

static int
match_cmp(const void *x, const void *y)
{
	const struct match *a = x, *b = y;

	return (a->t > b->t) - (a->t < b->t);
}

/*
 * The drift, on captures longer than CLK_DRIFT_SPAN: the smallest d of
 * each CLK_WINDOW, each way, trace the lower edges of the two clouds of
 * d, lines of slope -r (a -> b: delay - c - r * (t - t0)) and +r (b -> a,
 * -d). A line fitted through each (GSL) gives r; the offset and its
 * uncertainty are then estimated with the drift taken out. Kept (l set)
 * when that uncertainty is below the estimate without drift, or when
 * that one failed (a drift larger than the round trip blurs the two
 * directions of a long capture together).
 */
static int
fit_drift(struct matches *ms, mt_ns t0, struct link *l)
{
	double *xa, *ya, *xb, *yb, c0, sa, sb, cov00, cov01, cov11, ss, r;
	size_t na = 0, nb = 0, nw = 0, ng = 0, i = 0;
	struct dstat *g = NULL;
	struct est e;
	mt_ns span;

	if (ms->n < 2)
		return 0;
	qsort(ms->m, ms->n, sizeof(*ms->m), match_cmp);
	span = ms->m[ms->n - 1].t - ms->m[0].t;
	if (span < CLK_DRIFT_SPAN)
		return 0;
	if ((xa = malloc(4 * CLK_MAX_WINDOWS * sizeof(*xa))) == NULL)
		return -1;
	ya = xa + CLK_MAX_WINDOWS;
	xb = ya + CLK_MAX_WINDOWS;
	yb = xb + CLK_MAX_WINDOWS;
	if (estimate(ms->m, ms->n, t0, 0, &e, &g, &ng) < 0) {
		free(xa);
		return -1;
	}
	while (i < ms->n && nw++ < CLK_MAX_WINDOWS) {
		size_t j = i, ia = SIZE_MAX, ib = SIZE_MAX;

		for (; j < ms->n && ms->m[j].t - ms->m[i].t < CLK_WINDOW; j++) {
			const struct dstat *x = find_dir(g, ng, ms->m[j].dir);

			if (x == NULL || x->cls == 0)
				continue;
			if (x->cls > 0 && (ia == SIZE_MAX || ms->m[j].d < ms->m[ia].d))
				ia = j;
			if (x->cls < 0 && (ib == SIZE_MAX || -ms->m[j].d < -ms->m[ib].d))
				ib = j;
		}
		if (ia != SIZE_MAX) {
			xa[na] = (double)(ms->m[ia].t - t0);
			ya[na++] = (double)ms->m[ia].d;
		}
		if (ib != SIZE_MAX) {
			xb[nb] = (double)(ms->m[ib].t - t0);
			yb[nb++] = -(double)ms->m[ib].d;
		}
		i = j;
	}
	free(g);
	if (na < 3 || nb < 3 ||
	    gsl_fit_linear(xa, 1, ya, 1, na, &c0, &sa, &cov00, &cov01, &cov11, &ss) != 0 ||
	    gsl_fit_linear(xb, 1, yb, 1, nb, &c0, &sb, &cov00, &cov01, &cov11, &ss) != 0) {
		free(xa);
		return 0;
	}
	free(xa);
	r = (sb - sa) / 2;
	if (estimate(ms->m, ms->n, t0, r, &e, NULL, NULL) < 0)
		return -1;
	if (!e.ok || (l->ok && e.u >= l->u))
		return 0;
	l->ok = 1;
	l->c = e.theta;
	l->r = r;
	l->u = e.u;
	l->pairs = e.pairs;
	l->inconsistent = e.inconsistent;
	return 0;
}

/* ---- the tree ------------------------------------------------------- */

int
clk_estimate(const struct clk_plan *p, char *const *files, int nfiles,
    struct clk_result *out, char *errbuf)
{
	int H = p->nhosts, rc = -1;
	struct keys *k = calloc((size_t)(nfiles > 0 ? nfiles : 1), sizeof(*k));
	struct link link[CLK_MAX_HOSTS + 1][CLK_MAX_HOSTS + 1];
	mt_ns hc[CLK_MAX_HOSTS + 1], hu[CLK_MAX_HOSTS + 1], t0 = INT64_MAX;
	double hr[CLK_MAX_HOSTS + 1];
	int done[CLK_MAX_HOSTS + 1], via[CLK_MAX_HOSTS + 1];
	uint64_t hpairs[CLK_MAX_HOSTS + 1];

	if (k == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return -1;
	}
	memset(link, 0, sizeof(link));
	for (int i = 0; i < nfiles; i++) {
		if (p->given[i] != MT_NS_NONE)
			continue;
		if (read_keys(files[i], &k[i], errbuf) < 0)
			goto out;
		if (k[i].n > 0 && k[i].e[0].ts < t0)
			t0 = k[i].e[0].ts;	/* any early time will do */
	}
	if (t0 == INT64_MAX)
		t0 = 0;

	for (int a = 0; a < H; a++)
		for (int b = a + 1; b < H; b++) {
			struct matches ms = { NULL, 0, 0 };
			struct est e;
			struct link *l = &link[a][b];

			for (int i = 0; i < nfiles; i++)
				for (int j = 0; j < nfiles; j++)
					if (p->host_of[i] == a && p->host_of[j] == b &&
					    p->given[i] == MT_NS_NONE &&
					    p->given[j] == MT_NS_NONE &&
					    join(&k[i], &k[j], &ms) < 0) {
						free(ms.m);
						snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
						goto out;
					}
			if (estimate(ms.m, ms.n, t0, 0, &e, NULL, NULL) < 0) {
				free(ms.m);
				snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
				goto out;
			}
			l->ok = e.ok;
			l->c = e.theta;
			l->u = e.u;
			l->r = 0;
			l->pairs = e.pairs;
			l->inconsistent = e.inconsistent;
			if (fit_drift(&ms, t0, l) < 0) {
				free(ms.m);
				snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
				goto out;
			}
			free(ms.m);
			/* b -> a: the opposite */
			link[b][a] = *l;
			link[b][a].c = -l->c;
			link[b][a].r = -l->r;
		}

	/* Dijkstra from the reference: a path's uncertainty is its sum. */
	for (int h = 0; h < H; h++) {
		done[h] = 0;
		via[h] = -1;
		hu[h] = INT64_MAX;
		hc[h] = 0;
		hr[h] = 0;
		hpairs[h] = 0;
	}
	hu[p->ref] = 0;
	for (;;) {
		int best = -1;

		for (int h = 0; h < H; h++)
			if (!done[h] && hu[h] != INT64_MAX &&
			    (best < 0 || hu[h] < hu[best]))
				best = h;
		if (best < 0)
			break;
		done[best] = 1;
		for (int h = 0; h < H; h++) {
			const struct link *l = &link[best][h];

			if (done[h] || !l->ok || hu[best] + l->u >= hu[h])
				continue;
			hu[h] = hu[best] + l->u;
			hc[h] = hc[best] + l->c;
			hr[h] = hr[best] + l->r;
			via[h] = best;
			hpairs[h] = l->pairs;
		}
	}
	for (int i = 0; i < nfiles; i++) {
		int h = p->host_of[i];
		struct clk_result *r = &out[i];

		memset(r, 0, sizeof(*r));
		r->t0 = t0;
		r->via = -1;
		r->uncertainty = MT_NS_NONE;
		if (p->given[i] != MT_NS_NONE) {
			r->how = CLK_GIVEN;
			r->offset = p->given[i];
		} else if (h == p->ref) {
			r->how = CLK_REFERENCE;
			r->uncertainty = 0;
		} else if (!done[h]) {
			r->how = CLK_UNKNOWN;
		} else {
			r->how = CLK_ESTIMATED;
			r->offset = hc[h];
			r->drift = hr[h];
			r->uncertainty = hu[h];
			r->pairs = hpairs[h];
			r->via = via[h];
		}
	}
	rc = 0;
out:
	for (int i = 0; i < nfiles; i++)
		free(k[i].e);
	free(k);
	return rc;
}
