/*
 * pause.c: QEMU's downtime trace events of both hosts joined with the
 * packets, on the reference clock. Picks from each trace the events of
 * the migration the captures show, lays the pause out step by step and
 * writes "pause" into the report document. Facts: docs/qemu-trace.md.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/pause.h"
#include "base/jpath.h"

/* One event picked for the join, on the reference clock. */
struct pick {
	const struct qt_event *e;
	mt_ns ns;
	enum qt_side side;
	size_t trace;
};

/* What the packets show (MT_NS_NONE: not seen). */
struct wire {
	mt_ns last_reply, last_data, announce, first_reply;
};

struct join {
	const struct pause_trace *tr;
	size_t ntr;
	struct pick *p;
	size_t n, cap;
	json_t *notes;			/* the document's notes */
	json_t *pause;
	mt_warn_fn warn;		/* what is wrong with a file, or NULL */
	void *warn_ctx;
};

static void
vnote(struct join *j, int warn, const char *fmt, va_list ap)
{
	char buf[MT_ERRBUF_SIZE];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (json_is_array(j->notes))
		json_array_append_new(j->notes, json_string(buf));
	if (warn && j->warn != NULL)
		j->warn(j->warn_ctx, buf);
}

/* A note in the document. */
static void
note(struct join *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct join *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(j, 0, fmt, ap);
	va_end(ap);
}

/* A note that says what is wrong with a file: a warning too. */
static void
file_note(struct join *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
file_note(struct join *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(j, 1, fmt, ap);
	va_end(ap);
}

static json_t *
j_ns(mt_ns t)
{
	return t == MT_NS_NONE ? json_null() : json_integer((json_int_t)t);
}

static json_t *
j_s(mt_ns a, mt_ns b)
{
	if (a == MT_NS_NONE || b == MT_NS_NONE)
		return json_null();
	return json_real((double)(b - a) / MT_NS_PER_S);
}

void
pause_trace_init(struct pause_trace *pt, const struct qtrace *t)
{
	pt->t = t;
	pt->host = NULL;
	pt->offset = 0;
	pt->uncertainty = 0;
}

/* The packets' side of the join, from the report document. */
static void
wire_of(const json_t *doc, struct wire *w)
{
	const json_t *migs = json_object_get(doc, "migrations"), *m;
	size_t i;

	w->last_reply = jpath_ns(doc, "interruption.last_reply_before_ns");
	w->first_reply = jpath_ns(doc, "interruption.first_reply_after_ns");
	w->last_data = MT_NS_NONE;
	w->announce = MT_NS_NONE;
	/* Several migrations in the captures: the one whose gap is the
	 * interruption reported. */
	json_array_foreach(migs, i, m) {
		if (w->last_reply == MT_NS_NONE || jpath_ns(m,
		    "interruption.last_reply_before_ns") != w->last_reply)
			continue;
		w->last_data = jpath_ns(m, "last_data_ns");
		w->announce = jpath_ns(m, "interruption.announce_ns");
	}
	if (w->last_data == MT_NS_NONE && json_array_size(migs) <= 1)
		w->last_data = jpath_ns(doc, "migration.last_data_ns");
	if (w->announce == MT_NS_NONE) {
		mt_ns a = jpath_ns(doc, "announce.first_ns");
		if (a != MT_NS_NONE && w->last_reply != MT_NS_NONE &&
		    w->first_reply != MT_NS_NONE && a > w->last_reply &&
		    a < w->first_reply)
			w->announce = a;
	}
}

static int
cmp_pick(const void *x, const void *y)
{
	const struct pick *a = x, *b = y;

	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	if (a->trace != b->trace)
		return a->trace < b->trace ? -1 : 1;
	return a->e->line < b->e->line ? -1 : a->e->line > b->e->line;
}

static int
add_pick(struct join *j, const struct pick *p)
{
	if (j->n == j->cap) {
		size_t nc = j->cap ? 2 * j->cap : 256;
		struct pick *np = realloc(j->p, nc * sizeof(*np));
		if (np == NULL)
			return -1;
		j->p = np;
		j->cap = nc;
	}
	j->p[j->n++] = *p;
	return 0;
}

/* A thread and the side its checkpoints say. */
struct tside {
	long tid;
	enum qt_side side;
};

static int
cmp_tside(const void *x, const void *y)
{
	const struct tside *a = x, *b = y;

	return a->tid < b->tid ? -1 : a->tid > b->tid;
}

/*
 * Keep a run of n events. An event without a side of its own (a
 * runstate change, a checkpoint named neither src- nor dst-) takes the
 * side of a checkpoint from the same thread (QEMU's main loop runs the
 * destination's checkpoints and runstate changes), else the run's side.
 * The threads are looked up in a sorted table: a hostile log cannot make
 * this quadratic. Return 0, or -1 when out of memory.
 */
static int
pick_run(struct join *j, struct pick *v, size_t n, enum qt_side side)
{
	struct tside *ts = malloc((n + 1) * sizeof(*ts)), key, *hit;
	size_t nts = 0, i;

	if (ts == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].e->kind == QT_CHECKPOINT && v[i].side != QT_SIDE_UNKNOWN) {
			ts[nts].tid = v[i].e->tid;
			ts[nts++].side = v[i].side;
		}
	if (nts > 1)
		qsort(ts, nts, sizeof(*ts), cmp_tside);
	for (i = 0; i < n; i++) {
		if (v[i].side == QT_SIDE_UNKNOWN) {
			key.tid = v[i].e->tid;
			hit = nts > 0 ? bsearch(&key, ts, nts, sizeof(*ts),
			    cmp_tside) : NULL;
			v[i].side = hit != NULL ? hit->side : side;
		}
		if (add_pick(j, &v[i]) < 0) {
			free(ts);
			return -1;
		}
	}
	free(ts);
	return 0;
}

/* The distance from t to the span [lo, hi] (0 inside it). */
static mt_ns
dist(mt_ns t, mt_ns lo, mt_ns hi)
{
	return t < lo ? lo - t : t > hi ? t - hi : 0;
}

/*
 * Pick from trace k the events of the migration whose stream ended at
 * anchor: the trace splits into runs of events without a gap of
 * PAUSE_GAP_NS; the run nearest the anchor is this migration's, if it
 * lies within PAUSE_NEAR_NS of it (a loaded destination may load the
 * stream's last bytes seconds after they arrived). Return 0, or -1 when
 * out of memory.
 */
static int
pick_trace(struct join *j, size_t k, mt_ns anchor, json_t *info)
{
	const struct pause_trace *pt = &j->tr[k];
	const struct qtrace *t = pt->t;
	struct pick *v;
	size_t n = t->n, first = j->n, i, a, b, best_a = 0, best_b = 0;
	mt_ns nearest = MT_NS_NONE;

	if (n == 0)
		return 0;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		v[i].e = &t->ev[i];
		v[i].ns = t->ev[i].ns + pt->offset;
		v[i].side = t->ev[i].side;
		v[i].trace = k;
	}
	qsort(v, n, sizeof(*v), cmp_pick);
	for (a = 0; anchor != MT_NS_NONE && a < n; a = b) {
		mt_ns d;

		for (b = a + 1; b < n && v[b].ns - v[b - 1].ns <= PAUSE_GAP_NS; b++)
			;
		d = dist(anchor, v[a].ns, v[b - 1].ns);
		if (nearest == MT_NS_NONE || d < nearest) {
			nearest = d;
			best_a = a;
			best_b = b;
		}
	}
	if (nearest != MT_NS_NONE && nearest <= PAUSE_NEAR_NS) {
		enum qt_side side = QT_SIDE_UNKNOWN;
		int src = 0, dst = 0;

		for (i = best_a; i < best_b; i++) {
			src += v[i].side == QT_SIDE_SOURCE;
			dst += v[i].side == QT_SIDE_DEST;
		}
		if (src > 0 || dst > 0)
			side = src >= dst ? QT_SIDE_SOURCE : QT_SIDE_DEST;
		if (pick_run(j, v + best_a, best_b - best_a, side) < 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	json_object_set_new(info, "used", json_integer((json_int_t)(j->n - first)));
	json_object_set_new(info, "other_migrations",
	    json_integer((json_int_t)(n - (j->n - first))));
	if (j->n == first && anchor != MT_NS_NONE)
		file_note(j, "%s: none of its %zu downtime events lies within %.0f s "
		    "of the stream's last data (the nearest run of them is "
		    "%.1f s away): they belong to another migration, or this "
		    "host's clock is off", t->path, n,
		    (double)PAUSE_NEAR_NS / MT_NS_PER_S,
		    (double)nearest / MT_NS_PER_S);
	else if (n > j->n - first)
		note(j, "%s: %zu events of other migrations or earlier lives "
		    "of the domain skipped", t->path, n - (j->n - first));
	return 0;
}

/* The first picked checkpoint called name, or NULL. */
static const struct pick *
checkpoint(const struct join *j, const char *name)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->p[i].e->kind == QT_CHECKPOINT &&
		    strcmp(j->p[i].e->name, name) == 0)
			return &j->p[i];
	return NULL;
}

static mt_ns
at(const struct pick *p)
{
	return p != NULL ? p->ns : MT_NS_NONE;
}

/* The uncertainty of a picked event's time on the reference clock. */
static mt_ns
unc(const struct join *j, const struct pick *p)
{
	return PAUSE_RESOLUTION_NS + (p != NULL ? j->tr[p->trace].uncertainty : 0);
}

static json_t *
checkpoints_json(struct join *j)
{
	json_t *arr = json_array(), *unknown = json_array();
	char list[MT_ERRBUF_SIZE] = "";

	for (size_t i = 0; i < j->n; i++) {
		const struct pick *p = &j->p[i];

		if (p->e->kind != QT_CHECKPOINT)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I}",
		    "side", qtrace_side_name(p->side), "name", p->e->name,
		    "ns", (json_int_t)p->ns));
		if (!p->e->known) {
			json_array_append_new(unknown, json_string(p->e->name));
			if (strlen(list) + strlen(p->e->name) + 3 < sizeof(list) - 64)
				snprintf(list + strlen(list), sizeof(list) -
				    strlen(list), "%s%s", list[0] ? ", " : "",
				    p->e->name);
		}
	}
	if (json_array_size(unknown) > 0)
		note(j, "checkpoints this version does not know, kept as read "
		    "(a QEMU newer than 10.x?): %s", list);
	json_object_set_new(j->pause, "unknown_checkpoints", unknown);
	return arr;
}

/* Sum of one device's save or load times inside the pause. */
struct dev {
	enum qt_side side;
	int iterable;
	const char *idstr;
	uint32_t instance_id;
	int64_t us;
	unsigned count;
	mt_ns first;
};

static int
cmp_dev(const void *x, const void *y)
{
	const struct dev *a = x, *b = y;

	if (a->side != b->side)
		return a->side < b->side ? -1 : 1;
	if (a->us != b->us)
		return a->us > b->us ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/*
 * The devices: every save and load picked. QEMU traces them only inside
 * the pause: saves in the completion of the migration, loads of whole
 * (non-iterable) sections and of iterable devices' END sections
 * (migration/savevm.c; docs/qemu-trace.md). A device's events are
 * summed. Sorted by side, longest first.
 */
/* Device key order: side, type, idstr, instance. */
static int
cmp_devkey(const void *x, const void *y)
{
	const struct dev *a = x, *b = y;
	int c;

	if (a->side != b->side)
		return a->side < b->side ? -1 : 1;
	if (a->iterable != b->iterable)
		return a->iterable < b->iterable ? -1 : 1;
	if ((c = strcmp(a->idstr, b->idstr)) != 0)
		return c;
	if (a->instance_id != b->instance_id)
		return a->instance_id < b->instance_id ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static json_t *
devices_json(struct join *j)
{
	struct dev *d = calloc(j->n + 1, sizeof(*d));
	json_t *arr = json_array();
	size_t nd = 0, i, k;

	if (d == NULL)
		return arr;
	/* One entry per event, sorted by device, then summed. */
	for (i = 0; i < j->n; i++) {
		const struct pick *p = &j->p[i];

		if (p->e->kind != QT_SAVE && p->e->kind != QT_LOAD)
			continue;
		d[nd].side = p->side;
		d[nd].iterable = p->e->iterable;
		d[nd].idstr = p->e->name;
		d[nd].instance_id = p->e->instance_id;
		d[nd].first = p->ns;
		d[nd].us = p->e->us;
		d[nd].count = 1;
		nd++;
	}
	if (nd > 1)
		qsort(d, nd, sizeof(*d), cmp_devkey);
	for (i = 0, k = 0; i < nd; i++) {
		if (k > 0 && d[k - 1].side == d[i].side &&
		    d[k - 1].iterable == d[i].iterable &&
		    d[k - 1].instance_id == d[i].instance_id &&
		    strcmp(d[k - 1].idstr, d[i].idstr) == 0) {
			/* Saturate: a hostile log may sum past int64. */
			if (d[i].us > 0 && d[k - 1].us > INT64_MAX - d[i].us)
				d[k - 1].us = INT64_MAX;
			else if (d[i].us < 0 && d[k - 1].us < INT64_MIN - d[i].us)
				d[k - 1].us = INT64_MIN;
			else
				d[k - 1].us += d[i].us;
			d[k - 1].count++;
			continue;
		}
		d[k++] = d[i];
	}
	nd = k;
	if (nd > 1)
		qsort(d, nd, sizeof(*d), cmp_dev);
	for (k = 0; k < nd; k++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}",
		    "side", qtrace_side_name(d[k].side),
		    "type", d[k].iterable ? "iterable" : "non-iterable",
		    "idstr", d[k].idstr,
		    "instance_id", (json_int_t)d[k].instance_id,
		    "us", (json_int_t)d[k].us,
		    "events", (json_int_t)d[k].count));
	free(d);
	return arr;
}

static json_t *
runstates_json(const struct join *j)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < j->n; i++) {
		const struct pick *p = &j->p[i];

		if (p->e->kind == QT_RUNSTATE)
			json_array_append_new(arr, json_pack("{s:s, s:i, s:s, s:I}",
			    "side", qtrace_side_name(p->side), "state", p->e->state,
			    "name", p->e->name, "ns", (json_int_t)p->ns));
	}
	return arr;
}

/* The destination's guest running: its runstate change, at or after
 * loaded when that is known. */
static const struct pick *
resumed_event(const struct join *j, mt_ns loaded)
{
	for (size_t i = 0; i < j->n; i++) {
		const struct pick *p = &j->p[i];

		if (p->e->kind == QT_RUNSTATE && p->side == QT_SIDE_DEST &&
		    strcmp(p->e->name, "running") == 0 &&
		    (loaded == MT_NS_NONE || p->ns >= loaded))
			return p;
	}
	return NULL;
}

struct step {
	const char *name, *by, *event;
	mt_ns ns;
};

static json_t *
steps_json(const struct step *s, size_t n, mt_ns outage)
{
	json_t *arr = json_array();
	mt_ns prev = MT_NS_NONE;

	for (size_t i = 0; i < n; i++) {
		json_t *o;

		if (s[i].ns == MT_NS_NONE)
			continue;
		o = json_pack("{s:s, s:s, s:s?, s:I}", "step", s[i].name,
		    "by", s[i].by, "event", s[i].event, "ns", (json_int_t)s[i].ns);
		json_object_set_new(o, "since_previous_s", j_s(prev, s[i].ns));
		json_object_set_new(o, "share", prev == MT_NS_NONE ||
		    outage == MT_NS_NONE || outage <= 0 ? json_null() :
		    json_real((double)(s[i].ns - prev) / (double)outage));
		json_array_append_new(arr, o);
		prev = s[i].ns;
	}
	return arr;
}

/*
 * A checkpoint that should not come after (before) a packet does, by
 * more than the clocks' uncertainty: say so.
 */
static void
disagree(struct join *j, json_t *arr, const struct pick *p, mt_ns pkt,
    int must_precede, const char *what)
{
	mt_ns u, d;
	char buf[MT_ERRBUF_SIZE];

	if (p == NULL || pkt == MT_NS_NONE)
		return;
	u = unc(j, p) + PAUSE_RESOLUTION_NS;
	d = must_precede ? p->ns - pkt : pkt - p->ns;
	if (d <= u)
		return;
	snprintf(buf, sizeof(buf), "%s %s is %.3f ms %s %s on the wire "
	    "(clocks' uncertainty %.3f ms)", qtrace_side_name(p->side),
	    p->e->name, (double)d / MT_NS_PER_MS, must_precede ? "after" :
	    "before", what, (double)u / MT_NS_PER_MS);
	json_array_append_new(arr, json_string(buf));
	note(j, "the trace and the captures disagree: %s", buf);
}

/* Notes on what a trace holds besides the events picked. */
static void
trace_notes(struct join *j, const struct qtrace *t)
{
	if (t->n == 0 && t->untimed == 0)
		file_note(j, "%s: no QEMU downtime events in it: QEMU older than "
		    "8.2 has none; else switch them on (-trace "
		    "enable=vmstate_downtime* in the domain XML's "
		    "<qemu:commandline>, see docs/qemu-trace.md)", t->path);
	if (t->untimed > 0)
		file_note(j, "%s: %u downtime events without a timestamp (first "
		    "at line %u), not used: QEMU writes one with -msg "
		    "timestamp=on, which libvirt passes unless qemu.conf sets "
		    "log_timestamp = 0", t->path, t->untimed, t->first_untimed);
	if (t->dropped > 0)
		file_note(j, "%s: more than %u downtime events: the %u after "
		    "them are not read (split the log by time)", t->path,
		    QT_MAX_EVENTS, t->dropped);
	if (t->bad > 0)
		file_note(j, "%s: %u downtime or runstate lines cut short or "
		    "malformed (first at line %u), skipped", t->path, t->bad,
		    t->first_bad);
}

int
pause_add_json(json_t *doc, const struct pause_trace *tr, size_t n,
    mt_warn_fn warn, void *warn_ctx, char *errbuf)
{
	struct join j;
	struct wire w;
	json_t *traces, *disagreements;
	const struct pick *start, *stopped, *itsaved, *saved, *end, *loaded,
	    *resumed;
	mt_ns resumed_ns, outage;
	const char *resumed_by;
	size_t k;

	if (n == 0)
		return 0;
	memset(&j, 0, sizeof(j));
	j.tr = tr;
	j.ntr = n;
	j.warn = warn;
	j.warn_ctx = warn_ctx;
	j.notes = json_object_get(doc, "notes");
	j.pause = json_object();
	json_object_set_new(doc, "pause", j.pause);
	wire_of(doc, &w);
	if (w.last_data == MT_NS_NONE)
		note(&j, "the captures show no migration stream's last data: "
		    "the QEMU traces cannot be matched to a migration");

	traces = json_array();
	json_object_set_new(j.pause, "traces", traces);
	for (k = 0; k < n; k++) {
		const struct qtrace *t = tr[k].t;
		json_t *info = json_pack("{s:s, s:o, s:I, s:I, s:I, s:I}",
		    "file", t->path, "host", tr[k].host ? json_string(tr[k].host) :
		    json_null(), "offset_ns", (json_int_t)tr[k].offset,
		    "events", (json_int_t)t->n, "untimed", (json_int_t)t->untimed,
		    "malformed", (json_int_t)t->bad);
		json_array_append_new(traces, info);
		trace_notes(&j, t);
		if (pick_trace(&j, k, w.last_data, info) < 0)
			goto oom;
	}
	if (j.n > 1)
		qsort(j.p, j.n, sizeof(*j.p), cmp_pick);

	start = checkpoint(&j, "src-downtime-start");
	stopped = checkpoint(&j, "src-vm-stopped");
	itsaved = checkpoint(&j, "src-iterable-saved");
	saved = checkpoint(&j, "src-non-iterable-saved");
	end = checkpoint(&j, "src-downtime-end");
	loaded = checkpoint(&j, "dst-precopy-loadvm-completed");
	resumed = resumed_event(&j, at(loaded));
	resumed_ns = at(resumed);
	resumed_by = resumed != NULL ? "runstate" : NULL;
	if (resumed == NULL && w.announce != MT_NS_NONE) {
		resumed_ns = w.announce;
		resumed_by = "announce";
	}
	/* Each side's lines, for the reader of the text report. */
	for (k = 0; k < j.n; k++) {
		json_t *info = json_array_get(traces, j.p[k].trace);
		const char *s = qtrace_side_name(j.p[k].side);
		const char *had = json_string_value(json_object_get(info, "side"));

		if (j.p[k].side == QT_SIDE_UNKNOWN)
			continue;
		if (had == NULL)
			json_object_set_new(info, "side", json_string(s));
		else if (strcmp(had, s) != 0)
			json_object_set_new(info, "side", json_string("both"));
	}
	for (k = 0; k < n; k++) {
		json_t *info = json_array_get(traces, k);
		if (json_object_get(info, "side") == NULL)
			json_object_set_new(info, "side", json_null());
	}

	json_object_set_new(j.pause, "checkpoints", checkpoints_json(&j));
	json_object_set_new(j.pause, "devices", devices_json(&j));
	json_object_set_new(j.pause, "runstates", runstates_json(&j));
	json_object_set_new(j.pause, "stopped_ns", j_ns(at(stopped)));
	json_object_set_new(j.pause, "loaded_ns", j_ns(at(loaded)));
	json_object_set_new(j.pause, "resumed_ns", j_ns(resumed_ns));
	json_object_set_new(j.pause, "resumed_by", resumed_by ?
	    json_string(resumed_by) : json_null());
	/* QEMU's own downtime (migration/migration.c: downtime_start to
	 * downtime_end), exactly as its two trace lines say. */
	json_object_set_new(j.pause, "qemu_downtime_s", start && end &&
	    start->trace == end->trace ? j_s(start->ns, end->ns) : json_null());
	json_object_set_new(j.pause, "last_data_to_loaded_s",
	    j_s(w.last_data, at(loaded)));
	json_object_set_new(j.pause, "loaded_to_resumed_s",
	    j_s(at(loaded), resumed_ns));
	json_object_set_new(j.pause, "resumed_to_first_reply_s",
	    j_s(resumed_ns, w.first_reply));

	outage = w.last_reply != MT_NS_NONE && w.first_reply != MT_NS_NONE ?
	    w.first_reply - w.last_reply : MT_NS_NONE;
	{
		struct step s[] = {
			{ "last reply before", "wire", NULL, w.last_reply },
			{ "guest stopped", "source", "src-vm-stopped", at(stopped) },
			{ "RAM remainder saved", "source", "src-iterable-saved",
			    at(itsaved) },
			{ "device state saved", "source",
			    "src-non-iterable-saved", at(saved) },
			{ "stream's last bytes", "wire", NULL, w.last_data },
			{ "destination loaded", "destination",
			    "dst-precopy-loadvm-completed", at(loaded) },
			{ "guest resumed", resumed != NULL ? "destination" :
			    "wire", resumed != NULL ? "runstate_set running" :
			    "first announce", resumed_ns },
			{ "first reply after", "wire", NULL, w.first_reply },
		};
		json_object_set_new(j.pause, "steps",
		    steps_json(s, sizeof(s) / sizeof(s[0]), outage));
	}

	disagreements = json_array();
	disagree(&j, disagreements, stopped, w.last_reply, 0,
	    "the last reply before");
	disagree(&j, disagreements, saved, w.last_data, 1,
	    "the stream's last bytes");
	disagree(&j, disagreements, loaded, w.last_data, 0,
	    "the stream's last bytes");
	disagree(&j, disagreements, resumed, w.announce, 1,
	    "the first announce");
	disagree(&j, disagreements, resumed, w.first_reply, 1,
	    "the first reply after");
	json_object_set_new(j.pause, "disagreements", disagreements);

	if (j.n > 0 && stopped == NULL && loaded == NULL)
		note(&j, "the QEMU traces hold no src-vm-stopped and no "
		    "dst-precopy-loadvm-completed for this migration: "
		    "post-copy, or only some events switched on");
	free(j.p);
	return 0;
oom:
	free(j.p);
	snprintf(errbuf, MT_ERRBUF_SIZE, "QEMU traces: out of memory");
	return -1;
}

int
pause_add_files(json_t *doc, char *const *paths, size_t n, mt_warn_fn warn,
    void *warn_ctx, char *errbuf)
{
	struct pause_trace *pt;
	size_t k;
	int r = -1;

	if (n == 0)
		return 0;
	if ((pt = calloc(n, sizeof(*pt))) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "QEMU traces: out of memory");
		return -1;
	}
	for (k = 0; k < n; k++) {
		struct qtrace *t = qtrace_load(paths[k], errbuf);
		if (t == NULL)
			goto out;
		pause_trace_init(&pt[k], t);
	}
	r = pause_add_json(doc, pt, n, warn, warn_ctx, errbuf);
out:
	for (k = 0; k < n; k++)
		qtrace_free((struct qtrace *)pt[k].t);
	free(pt);
	return r;
}
