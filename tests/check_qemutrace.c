/*
 * check_qemutrace.c: Check suite for lib/virt/qemutrace.c (QEMU's
 * downtime trace lines) and lib/analysis/pause.c (the join with the
 * packets). Lines are those QEMU's log trace backend writes
 * (docs/qemu-trace.md); the real ones come from a traced lab migration
 * (tests/qemutrace/). Expected values are read off the lines by hand.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/pause.h"
#include "base/jpath.h"
#include "virt/qemutrace.h"

/* tests/qemutrace/NAME under $top_srcdir (set by make check). */
static struct qtrace *
load(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[4096], err[MT_ERRBUF_SIZE];
	struct qtrace *t;

	snprintf(path, sizeof(path), "%s/tests/qemutrace/%s", top ? top : ".",
	    name);
	t = qtrace_load(path, err);
	ck_assert_msg(t != NULL, "%s", err);
	return t;
}

/* The first event of a kind and name, or NULL. */
static const struct qt_event *
find(const struct qtrace *t, enum qt_kind kind, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].kind == kind && strcmp(t->ev[i].name, name) == 0)
			return &t->ev[i];
	return NULL;
}

static size_t
count(const struct qtrace *t, enum qt_kind kind)
{
	size_t c = 0;

	for (size_t i = 0; i < t->n; i++)
		c += t->ev[i].kind == kind;
	return c;
}

static int
parse(const char *line, struct qt_event *ev)
{
	return qtrace_parse_line(line, strlen(line), ev);
}

START_TEST(checkpoint_line)
{
	struct qt_event ev;

	ck_assert_int_eq(parse("123456@1765081262.123456:"
	    "vmstate_downtime_checkpoint src-vm-stopped", &ev), 1);
	ck_assert_int_eq(ev.kind, QT_CHECKPOINT);
	ck_assert_int_eq(ev.ns, 1765081262123456000LL);
	ck_assert_int_eq(ev.tid, 123456);
	ck_assert_str_eq(ev.name, "src-vm-stopped");
	ck_assert_int_eq(ev.side, QT_SIDE_SOURCE);
	ck_assert_int_eq(ev.known, 1);
	/* A CR from a log copied elsewhere is not part of the name. */
	ck_assert_int_eq(parse("7@1.000001:vmstate_downtime_checkpoint "
	    "dst-precopy-bh-enter\r", &ev), 1);
	ck_assert_str_eq(ev.name, "dst-precopy-bh-enter");
	ck_assert_int_eq(ev.side, QT_SIDE_DEST);
	ck_assert_int_eq(ev.ns, 1000001000LL);
}
END_TEST

START_TEST(device_lines)
{
	struct qt_event ev;

	ck_assert_int_eq(parse("9@1765081262.500000:vmstate_downtime_save "
	    "type=iterable idstr=ram instance_id=0 downtime=150123", &ev), 1);
	ck_assert_int_eq(ev.kind, QT_SAVE);
	ck_assert_int_eq(ev.iterable, 1);
	ck_assert_str_eq(ev.name, "ram");
	ck_assert_int_eq(ev.us, 150123);
	ck_assert_int_eq(ev.side, QT_SIDE_SOURCE);
	ck_assert_int_eq(parse("9@1765081262.500000:vmstate_downtime_load "
	    "type=non-iterable idstr=0000:00:02.0/virtio-net instance_id=0 "
	    "downtime=77", &ev), 1);
	ck_assert_int_eq(ev.kind, QT_LOAD);
	ck_assert_int_eq(ev.iterable, 0);
	ck_assert_str_eq(ev.name, "0000:00:02.0/virtio-net");
	ck_assert_int_eq(ev.us, 77);
	ck_assert_int_eq(ev.side, QT_SIDE_DEST);
	/* instance_id is a uint32_t printed with %d. */
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_load type=iterable "
	    "idstr=x instance_id=-1 downtime=1", &ev), 1);
	ck_assert_uint_eq(ev.instance_id, 4294967295u);
}
END_TEST

START_TEST(runstate_line)
{
	struct qt_event ev;

	ck_assert_int_eq(parse("42@1765081262.600000:runstate_set "
	    "current_run_state 4 (paused) new_state 9 (running)", &ev), 1);
	ck_assert_int_eq(ev.kind, QT_RUNSTATE);
	ck_assert_int_eq(ev.state, 9);
	ck_assert_str_eq(ev.name, "running");
	ck_assert_int_eq(ev.side, QT_SIDE_UNKNOWN);
}
END_TEST

START_TEST(iso_timestamp)
{
	struct qt_event ev;

	/* 2025-12-07T04:21:02Z is 1765081262 s after the epoch (date -d). */
	ck_assert_int_eq(parse("2025-12-07T04:21:02.250000Z "
	    "vmstate_downtime_checkpoint src-downtime-end", &ev), 1);
	ck_assert_int_eq(ev.ns, 1765081262250000000LL);
	ck_assert_int_eq(ev.tid, -1);
}
END_TEST

START_TEST(other_lines)
{
	struct qt_event ev;

	ck_assert_int_eq(parse("2025-12-07 04:21:01.875+0000: starting up "
	    "libvirt version: 11.3.0", &ev), 0);
	ck_assert_int_eq(parse("2025-12-07T04:21:02.250000Z qemu-system-x86_64:"
	    " terminating on signal 15", &ev), 0);
	ck_assert_int_eq(parse("9@1.000000:migrate_set_state new state active",
	    &ev), 0);
	ck_assert_int_eq(parse("", &ev), 0);
	ck_assert_int_eq(parse("vmstate_downtime_checkpointer x", &ev), 0);
}
END_TEST

START_TEST(bad_lines)
{
	struct qt_event ev;

	/* Without a timestamp: well formed, but not placeable. */
	ck_assert_int_eq(parse("vmstate_downtime_checkpoint src-vm-stopped",
	    &ev), -2);
	/* Cut short at every point of a device line. */
	static const char full[] = "9@1.000000:vmstate_downtime_save "
	    "type=iterable idstr=ram instance_id=0 downtime=150123";
	size_t prefix = strlen("9@1.000000:vmstate_downtime_save");
	for (size_t n = prefix; n < sizeof(full) - 2; n++) {
		int r = qtrace_parse_line(full, n, &ev);
		/* "downtime=15" is complete, shorter than the full line. */
		if (n >= strlen(full) - 5)
			ck_assert_int_eq(r, 1);
		else
			ck_assert_msg(r == -1, "cut at %zu: %d", n, r);
	}
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_checkpoint", &ev), -1);
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_checkpoint a b",
	    &ev), -1);
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_save type=other "
	    "idstr=ram instance_id=0 downtime=1", &ev), -1);
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_save type=iterable "
	    "idstr=ram instance_id=0 downtime=99999999999999999999", &ev), -1);
	ck_assert_int_eq(parse("9@1.000000:runstate_set current_run_state 4 "
	    "(paused) new_state 9 (runn", &ev), -1);
	/* A non-ASCII byte in a name: a damaged line. */
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_checkpoint src-\xff",
	    &ev), -1);
	/* Seconds beyond 9*10^9 would overflow ns: not a timestamp (the
	 * first is what fuzz_qemutrace found, a signed overflow). */
	ck_assert_int_eq(parse("200@9715816224.539958:"
	    "vmstate_downtime_checkpoint src-vm-stopped", &ev), 0);
	ck_assert_int_eq(parse("9@99999999999999.000000:"
	    "vmstate_downtime_checkpoint src-vm-stopped", &ev), 0);
	ck_assert_int_eq(parse("9999-12-31T23:59:59.000000Z "
	    "vmstate_downtime_checkpoint src-vm-stopped", &ev), 0);
}
END_TEST

START_TEST(unknown_checkpoint)
{
	struct qt_event ev;

	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_checkpoint "
	    "src-something-new", &ev), 1);
	ck_assert_int_eq(ev.known, 0);
	ck_assert_int_eq(ev.side, QT_SIDE_SOURCE);
	ck_assert_int_eq(parse("9@1.000000:vmstate_downtime_checkpoint "
	    "elsewhere", &ev), 1);
	ck_assert_int_eq(ev.side, QT_SIDE_UNKNOWN);
}
END_TEST

START_TEST(counts)
{
	static const char log[] =
	    "2025-12-07 04:21:01.875+0000: starting up libvirt\n"
	    "9@1.000000:vmstate_downtime_checkpoint src-downtime-start\n"
	    "vmstate_downtime_checkpoint src-vm-stopped\n"
	    "9@1.000001:vmstate_downtime_save type=iter\n"
	    "9@1.000002:migrate_set_state new state completed\n"
	    "9@1.000003:vmstate_downtime_checkpoint src-downtime-end";
	char err[MT_ERRBUF_SIZE];
	struct qtrace *t = qtrace_parse_mem("x.log", log, sizeof(log) - 1, err);

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->lines, 6);
	ck_assert_uint_eq(t->n, 2);
	ck_assert_uint_eq(t->untimed, 1);
	ck_assert_uint_eq(t->first_untimed, 3);
	ck_assert_uint_eq(t->bad, 1);
	ck_assert_uint_eq(t->first_bad, 4);
	ck_assert_uint_eq(t->other_events, 1);
	ck_assert_uint_eq(t->ev[1].line, 6);
	qtrace_free(t);
	qtrace_free(NULL);
	ck_assert_ptr_null(qtrace_load("/nonexistent/x.log", err));
	ck_assert_msg(strstr(err, "/nonexistent/x.log: ") == err, "%s", err);
}
END_TEST

/* ---- the join ------------------------------------------------------ */

#define S 1000000000LL
#define MS 1000000LL
#define US 1000LL
#define T0 (1765081262LL * S)

/* A capture report with the wire's times (ns), as analysis_to_json
 * writes them; one migration. */
static json_t *
wire_doc(mt_ns last_reply, mt_ns last_data, mt_ns announce, mt_ns first_reply)
{
	return json_pack("{s:{s:I, s:I}, s:{s:I}, s:{s:I}, s:[{s:I, s:{s:I, "
	    "s:I, s:I}}], s:[]}",
	    "interruption", "last_reply_before_ns", (json_int_t)last_reply,
	    "first_reply_after_ns", (json_int_t)first_reply,
	    "announce", "first_ns", (json_int_t)announce,
	    "migration", "last_data_ns", (json_int_t)last_data,
	    "migrations", "last_data_ns", (json_int_t)last_data,
	    "interruption", "last_reply_before_ns", (json_int_t)last_reply,
	    "first_reply_after_ns", (json_int_t)first_reply,
	    "announce_ns", (json_int_t)announce, "notes");
}

static struct qtrace *
mem(const char *name, const char *text)
{
	char err[MT_ERRBUF_SIZE];
	struct qtrace *t = qtrace_parse_mem(name, text, strlen(text), err);

	ck_assert_ptr_nonnull(t);
	return t;
}

static int
has_note(const json_t *doc, const char *needle)
{
	const json_t *n;
	size_t i;

	json_array_foreach(json_object_get(doc, "notes"), i, n)
		if (strstr(json_string_value(n), needle) != NULL)
			return 1;
	return 0;
}

/*
 * Source and destination of one migration at T0 + 1 s, and an earlier
 * migration (60 s before) in the source's log.
 */
static const char src_log[] =
    "100@1765081203.000000:vmstate_downtime_checkpoint src-downtime-start\n"
    "100@1765081263.002000:vmstate_downtime_checkpoint src-downtime-start\n"
    "100@1765081263.002100:vmstate_downtime_checkpoint src-vm-stopped\n"
    "100@1765081263.200000:vmstate_downtime_save type=iterable idstr=ram "
    "instance_id=0 downtime=197800\n"
    "100@1765081263.200100:vmstate_downtime_checkpoint src-iterable-saved\n"
    "100@1765081263.201000:vmstate_downtime_save type=non-iterable "
    "idstr=cpu instance_id=0 downtime=700\n"
    "100@1765081263.202000:vmstate_downtime_checkpoint src-non-iterable-saved\n"
    "100@1765081263.240000:vmstate_downtime_checkpoint src-downtime-end\n";
static const char dst_log[] =
    "200@1765081263.205000:vmstate_downtime_load type=iterable idstr=ram "
    "instance_id=0 downtime=2000\n"
    "200@1765081263.206000:vmstate_downtime_load type=iterable idstr=ram "
    "instance_id=0 downtime=500\n"
    "200@1765081263.208000:vmstate_downtime_checkpoint "
    "dst-precopy-loadvm-completed\n"
    "201@1765081263.208100:vmstate_downtime_checkpoint dst-precopy-bh-enter\n"
    "201@1765081263.208300:runstate_set current_run_state 7 (inmigrate) "
    "new_state 4 (paused)\n"
    "201@1765081263.208400:vmstate_downtime_checkpoint "
    "dst-precopy-bh-vm-started\n"
    "201@1765081263.250000:runstate_set current_run_state 4 (paused) "
    "new_state 9 (running)\n";

START_TEST(join_steps)
{
	struct qtrace *a = mem("a.log", src_log), *b = mem("b.log", dst_log);
	struct pause_trace pt[2];
	char err[MT_ERRBUF_SIZE];
	/* Last reply 1 ms before downtime start; last data 204 ms after T0+1s. */
	json_t *doc = wire_doc(T0 + S + 1 * MS, T0 + S + 204 * MS,
	    T0 + S + 250 * MS + 300 * US, T0 + S + 301 * MS);
	const json_t *p, *steps;

	pause_trace_init(&pt[0], a);
	pause_trace_init(&pt[1], b);
	ck_assert_int_eq(pause_add_json(doc, pt, 2, NULL, NULL, err), 0);
	p = json_object_get(doc, "pause");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(jpath_ns(p, "stopped_ns"), T0 + S + 2 * MS + 100 * US);
	ck_assert_int_eq(jpath_ns(p, "loaded_ns"), T0 + S + 208 * MS);
	ck_assert_int_eq(jpath_ns(p, "resumed_ns"), T0 + S + 250 * MS);
	ck_assert_str_eq(json_string_value(json_object_get(p, "resumed_by")),
	    "runstate");
	/* 240 ms - 2 ms */
	ck_assert_double_eq_tol(jpath_num(p, "qemu_downtime_s"), 0.238, 1e-12);
	ck_assert_double_eq_tol(jpath_num(p, "last_data_to_loaded_s"), 0.004, 1e-12);
	ck_assert_double_eq_tol(jpath_num(p, "loaded_to_resumed_s"), 0.042, 1e-12);
	ck_assert_double_eq_tol(jpath_num(p, "resumed_to_first_reply_s"), 0.051, 1e-12);
	steps = json_object_get(p, "steps");
	ck_assert_uint_eq(json_array_size(steps), 8);
	/* RAM: 200.1 - 2.1 ms = 198 ms of a 300 ms interruption. */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(steps,
	    2), "step")), "RAM remainder saved");
	ck_assert_double_eq_tol(jpath_num(json_array_get(steps, 2),
	    "since_previous_s"), 0.198, 1e-12);
	ck_assert_double_eq_tol(jpath_num(json_array_get(steps, 2), "share"),
	    0.198 / 0.300, 1e-12);
	/* Checkpoints: 5 source, 3 destination (the earlier one skipped). */
	ck_assert_uint_eq(json_array_size(json_object_get(p, "checkpoints")), 8);
	ck_assert_int_eq(jpath_num(json_array_get(json_object_get(p, "traces"),
	    0), "other_migrations"), 1);
	ck_assert(has_note(doc, "a.log: 1 events of other migrations"));
	/* Devices: the destination's two ram loads summed (2500 us). */
	{
		const json_t *d = json_object_get(p, "devices"), *x;
		size_t i;
		int seen = 0;

		json_array_foreach(d, i, x)
			if (strcmp(json_string_value(json_object_get(x, "side")),
			    "destination") == 0) {
				ck_assert_int_eq(jpath_num(x, "us"), 2500);
				ck_assert_int_eq(jpath_num(x, "events"), 2);
				seen++;
			}
		ck_assert_int_eq(seen, 1);
		ck_assert_str_eq(json_string_value(json_object_get(
		    json_array_get(d, 0), "idstr")), "ram");
	}
	/* The runstate change belongs to the destination (thread 201). */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(p, "runstates"), 1), "side")), "destination");
	ck_assert_uint_eq(json_array_size(json_object_get(p, "disagreements")), 0);
	json_decref(doc);
	qtrace_free(a);
	qtrace_free(b);
}
END_TEST

START_TEST(join_disagree)
{
	struct qtrace *a = mem("a.log", src_log), *b = mem("b.log", dst_log);
	struct pause_trace pt[2];
	char err[MT_ERRBUF_SIZE];
	/* The stream's last data 10 ms after loadvm completed: wrong. */
	json_t *doc = wire_doc(T0 + S + 1 * MS, T0 + S + 218 * MS,
	    T0 + S + 251 * MS, T0 + S + 301 * MS);
	const json_t *dis;

	pause_trace_init(&pt[0], a);
	pause_trace_init(&pt[1], b);
	ck_assert_int_eq(pause_add_json(doc, pt, 2, NULL, NULL, err), 0);
	dis = jpath(doc, "pause.disagreements");
	ck_assert_uint_eq(json_array_size(dis), 1);
	ck_assert_msg(strstr(json_string_value(json_array_get(dis, 0)),
	    "dst-precopy-loadvm-completed is 10.000 ms before the stream's "
	    "last bytes") != NULL, "%s", json_string_value(json_array_get(dis, 0)));
	ck_assert(has_note(doc, "disagree"));
	json_decref(doc);
	qtrace_free(a);
	qtrace_free(b);
}
END_TEST

START_TEST(join_no_events)
{
	struct qtrace *a = mem("old.log", "2025-12-07 04:21:01.875+0000: "
	    "starting up libvirt version: 9.0.0, qemu version: 7.2.0\n");
	struct qtrace *u = mem("untimed.log", "vmstate_downtime_checkpoint "
	    "src-vm-stopped\n");
	struct pause_trace pt[2];
	char err[MT_ERRBUF_SIZE];
	json_t *doc = wire_doc(T0, T0 + 100 * MS, T0 + 200 * MS, T0 + 300 * MS);
	const json_t *p;

	pause_trace_init(&pt[0], a);
	pause_trace_init(&pt[1], u);
	ck_assert_int_eq(pause_add_json(doc, pt, 2, NULL, NULL, err), 0);
	p = json_object_get(doc, "pause");
	ck_assert(has_note(doc, "old.log: no QEMU downtime events in it: QEMU "
	    "older than 8.2"));
	ck_assert(has_note(doc, "untimed.log: 1 downtime events without a "
	    "timestamp (first at line 1)"));
	ck_assert(has_note(doc, "-msg timestamp=on"));
	ck_assert(json_is_null(json_object_get(p, "stopped_ns")));
	/* Without a runstate change, the first announce stands in. */
	ck_assert_str_eq(json_string_value(json_object_get(p, "resumed_by")),
	    "announce");
	ck_assert_int_eq(jpath_ns(p, "resumed_ns"), T0 + 200 * MS);
	json_decref(doc);
	qtrace_free(a);
	qtrace_free(u);
}
END_TEST

START_TEST(join_other_migration)
{
	struct qtrace *a = mem("a.log", src_log);
	struct pause_trace pt;
	char err[MT_ERRBUF_SIZE];
	/* The captures show a migration an hour later. */
	json_t *doc = wire_doc(T0 + 3600 * S, T0 + 3600 * S + 100 * MS,
	    T0 + 3600 * S + 200 * MS, T0 + 3600 * S + 300 * MS);

	pause_trace_init(&pt, a);
	ck_assert_int_eq(pause_add_json(doc, &pt, 1, NULL, NULL, err), 0);
	ck_assert(has_note(doc, "a.log: none of its 8 downtime events lies "
	    "within 30 s"));
	ck_assert_uint_eq(json_array_size(jpath(doc, "pause.checkpoints")), 0);
	json_decref(doc);
	qtrace_free(a);
}
END_TEST

/*
 * A real traced lab migration (QEMU 10.0.2, libvirt 11.3.0): each node's
 * log as lab/lab run --qemu-trace copied it. The counts are grep's
 * (grep -c ':vmstate_downtime_save ' and so on), the values the lines'.
 */
START_TEST(real_source_log)
{
	struct qtrace *t = load("lab-source.log");
	const struct qt_event *e;

	ck_assert_uint_eq(t->lines, 104);
	ck_assert_uint_eq(count(t, QT_CHECKPOINT), 5);
	ck_assert_uint_eq(count(t, QT_SAVE), 44);
	ck_assert_uint_eq(count(t, QT_LOAD), 0);
	ck_assert_uint_eq(count(t, QT_RUNSTATE), 3);
	ck_assert_uint_eq(t->other_events, 5);	/* migrate_pending_exact... */
	ck_assert_uint_eq(t->untimed, 0);
	ck_assert_uint_eq(t->bad, 0);
	/* 9453@1796615194.168483:vmstate_downtime_checkpoint src-vm-stopped */
	e = find(t, QT_CHECKPOINT, "src-vm-stopped");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->ns, 1796615194168483000LL);
	ck_assert_int_eq(e->tid, 9453);
	ck_assert_int_eq(e->known, 1);
	/* ...:vmstate_downtime_save type=iterable idstr=ram instance_id=0
	 * downtime=193308 */
	e = find(t, QT_SAVE, "ram");
	ck_assert_int_eq(e->iterable, 1);
	ck_assert_int_eq(e->us, 193308);
	e = find(t, QT_SAVE, "0000:00:02.0/virtio-net");
	ck_assert_int_eq(e->iterable, 0);
	ck_assert_int_eq(e->us, 7273);
	ck_assert_int_eq(e->ns, 1796615194392426000LL);
	/* runstate_set current_run_state 9 (running) new_state 7 (finish-migrate) */
	e = find(t, QT_RUNSTATE, "finish-migrate");
	ck_assert_int_eq(e->state, 7);
	ck_assert_int_eq(e->ns, 1796615194166367000LL);
	qtrace_free(t);
}
END_TEST

START_TEST(real_destination_log)
{
	struct qtrace *t = load("lab-destination.log");
	const struct qt_event *e;

	ck_assert_uint_eq(t->lines, 87);
	ck_assert_uint_eq(count(t, QT_CHECKPOINT), 4);
	ck_assert_uint_eq(count(t, QT_LOAD), 33);
	ck_assert_uint_eq(count(t, QT_RUNSTATE), 3);
	ck_assert_uint_eq(t->other_events, 0);
	e = find(t, QT_LOAD, "ram");
	ck_assert_int_eq(e->us, 214588);
	e = find(t, QT_CHECKPOINT, "dst-precopy-loadvm-completed");
	ck_assert_int_eq(e->ns, 1796615194532343000LL);
	ck_assert_int_eq(e->side, QT_SIDE_DEST);
	/* 9236@1796615194.653776:runstate_set current_run_state 4 (paused)
	 * new_state 9 (running) */
	e = find(t, QT_RUNSTATE, "running");
	ck_assert_int_eq(e->ns, 1796615194653776000LL);
	ck_assert_int_eq(e->tid, 9236);
	qtrace_free(t);
}
END_TEST

/*
 * The real pair joined, with the wire's times of that run's captures
 * (tcpdump --time-stamp-precision=nano -tt -r: the last echo reply
 * before the gap, the source's last segment with migration payload, the
 * first RARP, the first reply after).
 */
#define REAL_LAST_REPLY		1796615194151732132LL
#define REAL_LAST_DATA		1796615194530889003LL
#define REAL_ANNOUNCE		1796615194653871857LL
#define REAL_FIRST_REPLY	1796615194906123348LL

START_TEST(real_join)
{
	struct qtrace *a = load("lab-source.log"), *b = load("lab-destination.log");
	struct pause_trace pt[2];
	char err[MT_ERRBUF_SIZE];
	json_t *doc = wire_doc(REAL_LAST_REPLY, REAL_LAST_DATA, REAL_ANNOUNCE,
	    REAL_FIRST_REPLY);
	const json_t *p;

	pause_trace_init(&pt[0], a);
	pause_trace_init(&pt[1], b);
	ck_assert_int_eq(pause_add_json(doc, pt, 2, NULL, NULL, err), 0);
	p = json_object_get(doc, "pause");
	ck_assert_int_eq(jpath_ns(p, "stopped_ns"), 1796615194168483000LL);
	ck_assert_int_eq(jpath_ns(p, "loaded_ns"), 1796615194532343000LL);
	ck_assert_int_eq(jpath_ns(p, "resumed_ns"), 1796615194653776000LL);
	/* src-downtime-end .532901 - src-downtime-start .166329 */
	ck_assert_double_eq_tol(jpath_num(p, "qemu_downtime_s"), 0.366572, 1e-12);
	ck_assert_double_eq_tol(jpath_num(p, "loaded_to_resumed_s"), 0.121433, 1e-12);
	ck_assert_double_eq_tol(jpath_num(p, "last_data_to_loaded_s"),
	    (double)(1796615194532343000LL - REAL_LAST_DATA) / 1e9, 1e-12);
	ck_assert_double_eq_tol(jpath_num(p, "resumed_to_first_reply_s"),
	    (double)(REAL_FIRST_REPLY - 1796615194653776000LL) / 1e9, 1e-12);
	/* Checkpoints 5 + 4; devices 1 + 43 distinct saves, 33 loads (the
	 * lines, grep -c; no device is traced twice in one pause). */
	ck_assert_uint_eq(json_array_size(json_object_get(p, "checkpoints")), 9);
	ck_assert_uint_eq(json_array_size(json_object_get(p, "devices")), 44 + 33);
	/* Each log's run-state change long before or after: another life. */
	ck_assert(has_note(doc, "lab-source.log: 1 events of other migrations"));
	ck_assert(has_note(doc, "lab-destination.log: 1 events of other "
	    "migrations"));
	ck_assert_uint_eq(json_array_size(json_object_get(p, "disagreements")), 0);
	json_decref(doc);
	qtrace_free(a);
	qtrace_free(b);
}
END_TEST

static Suite *
qemutrace_suite(void)
{
	Suite *s = suite_create("qemutrace");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, checkpoint_line);
	tcase_add_test(tc, device_lines);
	tcase_add_test(tc, runstate_line);
	tcase_add_test(tc, iso_timestamp);
	tcase_add_test(tc, other_lines);
	tcase_add_test(tc, bad_lines);
	tcase_add_test(tc, unknown_checkpoint);
	tcase_add_test(tc, counts);
	suite_add_tcase(s, tc);
	tc = tcase_create("join");
	tcase_add_test(tc, join_steps);
	tcase_add_test(tc, join_disagree);
	tcase_add_test(tc, join_no_events);
	tcase_add_test(tc, join_other_migration);
	suite_add_tcase(s, tc);
	tc = tcase_create("real");
	tcase_add_test(tc, real_source_log);
	tcase_add_test(tc, real_destination_log);
	tcase_add_test(tc, real_join);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(qemutrace_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
