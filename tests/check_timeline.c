/* check_timeline.c: Check suite for the time bins (lib/measure/timeline.c). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "measure/timeline.h"

#define T0	(1700000000LL * MT_NS_PER_S)
#define MS	MT_NS_PER_MS

/* Bin i; the test fails if it cannot be read. */
static struct tbin
bin(struct timeline *t, size_t i)
{
	const struct tbin *b = timeline_bin(t, i);

	ck_assert_ptr_nonnull(b);
	return *b;
}
#define BIN(t, i) bin(t, i)

START_TEST(bins)
{
	struct timeline *t = timeline_new(100 * MS);

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(timeline_start(t), MT_NS_NONE);
	ck_assert_uint_eq(timeline_count(t), 0);
	ck_assert_int_eq(timeline_width(t), 100 * MS);

	ck_assert_int_eq(timeline_add(t, T0 + 5, TL_STREAM_BYTES, 1000), 0);
	ck_assert_int_eq(timeline_start(t), T0 + 5);	/* the first event */
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 100 * MS - 1, TL_STREAM_BYTES, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 100 * MS, TL_STREAM_BYTES, 7), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 100 * MS, TL_STREAM_FRAME_BYTES, 1514), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 250 * MS, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 250 * MS, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 299 * MS, TL_PROBE_ANSWERED, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 5 + 950 * MS, TL_ANNOUNCE, 3), 0);
	ck_assert_uint_eq(timeline_count(t), 10);
	ck_assert_uint_eq(BIN(t, 0).stream_bytes, 1001);
	ck_assert_uint_eq(BIN(t, 1).stream_bytes, 7);
	ck_assert_uint_eq(BIN(t, 1).stream_frame_bytes, 1514);
	ck_assert_uint_eq(BIN(t, 2).probes_sent, 2);
	ck_assert_uint_eq(BIN(t, 2).probes_answered, 1);
	ck_assert_uint_eq(BIN(t, 9).announces, 3);
	/* Bins in between are zero. */
	for (int i = 3; i < 9; i++) {
		ck_assert_uint_eq(BIN(t, i).stream_bytes, 0);
		ck_assert_uint_eq(BIN(t, i).stream_frame_bytes, 0);
		ck_assert_uint_eq(BIN(t, i).probes_sent, 0);
		ck_assert_uint_eq(BIN(t, i).probes_answered, 0);
		ck_assert_uint_eq(BIN(t, i).announces, 0);
	}
	ck_assert_uint_eq(BIN(t, 0).probes_sent, 0);
	ck_assert_uint_eq(BIN(t, 9).stream_bytes, 0);
	timeline_free(t);
	timeline_free(NULL);
}
END_TEST

START_TEST(explicit_start_and_earlier_events)
{
	struct timeline *t = timeline_new(MT_NS_PER_S);

	timeline_set_start(t, T0);
	ck_assert_int_eq(timeline_start(t), T0);
	ck_assert_uint_eq(timeline_count(t), 0);
	ck_assert_int_eq(timeline_add(t, T0 - 5 * MT_NS_PER_S, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 2 * MT_NS_PER_S, TL_PROBE_SENT, 4), 0);
	ck_assert_int_eq(timeline_start(t), T0);
	ck_assert_uint_eq(timeline_count(t), 3);
	ck_assert_uint_eq(BIN(t, 0).probes_sent, 2);
	ck_assert_uint_eq(BIN(t, 1).probes_sent, 0);
	ck_assert_uint_eq(BIN(t, 2).probes_sent, 4);
	timeline_free(t);
}
END_TEST

/* Bins grow with the span, across many reallocations. */
START_TEST(long_span)
{
	struct timeline *t = timeline_new(MS);
	uint64_t sum = 0;

	for (int i = 0; i < 100000; i += 7)
		ck_assert_int_eq(timeline_add(t, T0 + (mt_ns)i * MS + 999999,
		    TL_STREAM_BYTES, (uint64_t)i), 0);
	ck_assert_uint_eq(timeline_count(t), 99995 + 1);
	for (size_t i = 0; i < timeline_count(t); i++) {
		if (i % 7 == 0)
			ck_assert_uint_eq(BIN(t, i).stream_bytes, i);
		else
			ck_assert_uint_eq(BIN(t, i).stream_bytes, 0);
		sum += BIN(t, i).stream_bytes;
	}
	ck_assert_uint_eq(sum, 714264285ULL);
	timeline_free(t);
}
END_TEST

/*
 * An event absurdly far from the start (a hostile timestamp) would need
 * more bins than memory can hold: it is counted as dropped, not binned,
 * nothing is allocated for the span (a record one year off made
 * the analyzer allocate 12 GB), and the timeline stays usable.
 */
START_TEST(absurd_span)
{
	struct timeline *t = timeline_new(1);

	ck_assert_int_eq(timeline_add(t, 0, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, INT64_MAX, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, INT64_MAX / 2, TL_PROBE_SENT, 1), 0);
	ck_assert_uint_eq(timeline_count(t), 1);
	ck_assert_uint_eq(timeline_dropped(t), 2);
	ck_assert_int_eq(timeline_add(t, 3, TL_PROBE_SENT, 5), 0);
	ck_assert_uint_eq(timeline_count(t), 4);
	ck_assert_uint_eq(BIN(t, 0).probes_sent, 1);
	ck_assert_uint_eq(BIN(t, 3).probes_sent, 5);
	timeline_free(t);
}
END_TEST

/* The cap: the last bin allowed is TIMELINE_MAX_BINS - 1. A start far
 * below zero and an event far above it: no int64 overflow either. */
START_TEST(span_cap)
{
	struct timeline *t = timeline_new(MT_NS_PER_S);

	ck_assert_int_eq(timeline_add(t, 0, TL_ANNOUNCE, 1), 0);
	ck_assert_int_eq(timeline_add(t, (mt_ns)(TIMELINE_MAX_BINS - 1) *
	    MT_NS_PER_S, TL_ANNOUNCE, 1), 0);
	ck_assert_uint_eq(timeline_count(t), TIMELINE_MAX_BINS);
	ck_assert_int_eq(timeline_add(t, (mt_ns)TIMELINE_MAX_BINS *
	    MT_NS_PER_S, TL_ANNOUNCE, 1), 0);
	ck_assert_uint_eq(timeline_count(t), TIMELINE_MAX_BINS);
	ck_assert_uint_eq(timeline_dropped(t), 1);
	timeline_free(t);

	t = timeline_new(1);
	timeline_set_start(t, INT64_MIN + 1);
	ck_assert_int_eq(timeline_add(t, INT64_MAX, TL_ANNOUNCE, 1), 0);
	ck_assert_uint_eq(timeline_dropped(t), 1);
	ck_assert_uint_eq(timeline_count(t), 0);
	timeline_free(t);
}
END_TEST

/*
 * A day of 100 ms bins (864 000, 27 MB): memory stays at 1 MiB, the rest
 * goes to the temporary file and comes back exact, also for events that
 * land in a bin already on disk (records out of order).
 */
START_TEST(spill)
{
	enum { N = 864000 };
	struct timeline *t = timeline_new(100 * MS);
	uint64_t sum = 0;
	size_t bad = 0, most = 0, first_bad = N;

	/* Plain ifs in the loops: a Check assertion costs a system call. */
	for (size_t i = 0; i < N; i++) {
		mt_ns ts = T0 + (mt_ns)i * 100 * MS;
		if (timeline_add(t, ts, TL_PROBE_SENT, 1 + i % 3) != 0 ||
		    (i % 1000 == 0 &&
		    timeline_add(t, ts, TL_STREAM_BYTES, i) != 0))
			bad++;
		if (timeline_resident(t) > most)
			most = timeline_resident(t);
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_le(most, 1 << 20);
	/* Late events, far back: into chunks on disk. */
	ck_assert_int_eq(timeline_add(t, T0 + 5 * 100 * MS, TL_ANNOUNCE, 7), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 400000 * 100 * MS, TL_ANNOUNCE, 9), 0);
	ck_assert_uint_le(timeline_resident(t), 1 << 20);
	ck_assert_uint_eq(timeline_count(t), N);
	for (size_t i = 0; i < N; i++) {
		const struct tbin *b = timeline_bin(t, i);
		if (b == NULL || b->probes_sent != 1 + i % 3 ||
		    b->stream_bytes != (i % 1000 == 0 ? i : 0) ||
		    b->announces != (i == 5 ? 7 : i == 400000 ? 9 : 0)) {
			if (bad++ == 0)
				first_bad = i;
			continue;
		}
		sum += b->stream_bytes;
		if (timeline_resident(t) > most)
			most = timeline_resident(t);
	}
	ck_assert_msg(bad == 0, "%zu bins read back wrong, the first %zu",
	    bad, first_bad);
	ck_assert_uint_eq(sum, 372816000ULL);
	ck_assert_uint_le(most, 1 << 20);
	ck_assert_ptr_null(timeline_bin(t, N));
	timeline_free(t);
}
END_TEST

/*
 * The bin of the last event is remembered (timeline_add's fast path):
 * reading other bins can write its chunk out meanwhile, and the next
 * event in that bin must go to the chunk read back, not to freed memory
 * (ASan would see it) nor be lost.
 */
START_TEST(hot_bin_written_out)
{
	enum { CHUNK = 4096, FAR = 40 };
	struct timeline *t = timeline_new(100 * MS);
	const struct tbin *b;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(timeline_add(t, T0, TL_PROBE_SENT, 1), 0);
	/* An event in each of FAR chunks (most then on disk), then back to
	 * bin 0, which becomes the remembered bin. */
	for (size_t c = 1; c <= FAR; c++)
		ck_assert_int_eq(timeline_add(t, T0 + (mt_ns)(c * CHUNK) *
		    100 * MS, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 1, TL_PROBE_SENT, 2), 0);
	/* Reading the chunks back from disk writes bin 0's chunk out. */
	for (size_t c = 1; c < FAR; c++)
		ck_assert_uint_eq(BIN(t, c * CHUNK).probes_sent, 1);
	ck_assert_int_eq(timeline_add(t, T0 + 2, TL_PROBE_SENT, 4), 0);
	b = timeline_bin(t, 0);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->probes_sent, 7);
	b = timeline_bin(t, (size_t)FAR * CHUNK);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->probes_sent, 1);
	timeline_free(t);
}
END_TEST

/* A silent stretch costs neither memory nor disk; its bins read as zero. */
START_TEST(silent_span)
{
	struct timeline *t = timeline_new(MS);

	ck_assert_int_eq(timeline_add(t, T0, TL_ANNOUNCE, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 1000000 * MS, TL_ANNOUNCE, 2), 0);
	ck_assert_uint_eq(timeline_count(t), 1000001);
	ck_assert_uint_le(timeline_resident(t), 2 * 4096 * sizeof(struct tbin));
	ck_assert_uint_eq(BIN(t, 0).announces, 1);
	ck_assert_uint_eq(BIN(t, 500000).announces, 0);
	ck_assert_uint_eq(BIN(t, 1000000).announces, 2);
	timeline_free(t);
}
END_TEST

/* No usable temporary directory: everything stays in memory, exact. */
START_TEST(no_tmpdir)
{
	struct timeline *t;
	size_t bad = 0;

	setenv("TMPDIR", "/nonexistent/migtrace-check", 1);
	t = timeline_new(MS);
	for (size_t i = 0; i < 20 * 4096; i++)
		if (timeline_add(t, T0 + (mt_ns)i * MS, TL_PROBE_ANSWERED,
		    i % 5) != 0)
			bad++;
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_gt(timeline_resident(t), 1 << 20);
	for (size_t i = 0; i < 20 * 4096; i++) {
		const struct tbin *b = timeline_bin(t, i);
		if (b == NULL || b->probes_answered != i % 5)
			bad++;
	}
	ck_assert_uint_eq(bad, 0);
	timeline_free(t);
	unsetenv("TMPDIR");
}
END_TEST

START_TEST(bad_width)
{
	ck_assert_ptr_null(timeline_new(0));
	ck_assert_ptr_null(timeline_new(-1));
}
END_TEST

static Suite *
timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");

	tcase_add_test(tc, bins);
	tcase_add_test(tc, explicit_start_and_earlier_events);
	tcase_add_test(tc, long_span);
	tcase_add_test(tc, absurd_span);
	tcase_add_test(tc, span_cap);
	tcase_add_test(tc, bad_width);
	tcase_add_test(tc, spill);
	tcase_add_test(tc, hot_bin_written_out);
	tcase_add_test(tc, silent_span);
	tcase_add_test(tc, no_tmpdir);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(timeline_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
