/* check_timeline.c: Check suite for the time bins (lib/timeline.c). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "timeline.h"

#define T0	(1700000000LL * MT_NS_PER_S)
#define MS	MT_NS_PER_MS

START_TEST(bins)
{
	struct timeline *t = timeline_new(100 * MS);
	const struct tbin *b;

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
	b = timeline_bins(t);
	ck_assert_uint_eq(b[0].stream_bytes, 1001);
	ck_assert_uint_eq(b[1].stream_bytes, 7);
	ck_assert_uint_eq(b[1].stream_frame_bytes, 1514);
	ck_assert_uint_eq(b[2].probes_sent, 2);
	ck_assert_uint_eq(b[2].probes_answered, 1);
	ck_assert_uint_eq(b[9].announces, 3);
	/* Bins in between are zero. */
	for (int i = 3; i < 9; i++) {
		ck_assert_uint_eq(b[i].stream_bytes, 0);
		ck_assert_uint_eq(b[i].stream_frame_bytes, 0);
		ck_assert_uint_eq(b[i].probes_sent, 0);
		ck_assert_uint_eq(b[i].probes_answered, 0);
		ck_assert_uint_eq(b[i].announces, 0);
	}
	ck_assert_uint_eq(b[0].probes_sent, 0);
	ck_assert_uint_eq(b[9].stream_bytes, 0);
	timeline_free(t);
	timeline_free(NULL);
}
END_TEST

START_TEST(explicit_start_and_earlier_events)
{
	struct timeline *t = timeline_new(MT_NS_PER_S);
	const struct tbin *b;

	timeline_set_start(t, T0);
	ck_assert_int_eq(timeline_start(t), T0);
	ck_assert_uint_eq(timeline_count(t), 0);
	ck_assert_int_eq(timeline_add(t, T0 - 5 * MT_NS_PER_S, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, T0 + 2 * MT_NS_PER_S, TL_PROBE_SENT, 4), 0);
	ck_assert_int_eq(timeline_start(t), T0);
	ck_assert_uint_eq(timeline_count(t), 3);
	b = timeline_bins(t);
	ck_assert_uint_eq(b[0].probes_sent, 2);
	ck_assert_uint_eq(b[1].probes_sent, 0);
	ck_assert_uint_eq(b[2].probes_sent, 4);
	timeline_free(t);
}
END_TEST

/* Bins grow with the span, across many reallocations. */
START_TEST(long_span)
{
	struct timeline *t = timeline_new(MS);
	const struct tbin *b;
	uint64_t sum = 0;

	for (int i = 0; i < 100000; i += 7)
		ck_assert_int_eq(timeline_add(t, T0 + (mt_ns)i * MS + 999999,
		    TL_STREAM_BYTES, (uint64_t)i), 0);
	ck_assert_uint_eq(timeline_count(t), 99995 + 1);
	b = timeline_bins(t);
	for (size_t i = 0; i < timeline_count(t); i++) {
		if (i % 7 == 0)
			ck_assert_uint_eq(b[i].stream_bytes, i);
		else
			ck_assert_uint_eq(b[i].stream_bytes, 0);
		sum += b[i].stream_bytes;
	}
	ck_assert_uint_eq(sum, 714264285ULL);
	timeline_free(t);
}
END_TEST

/*
 * An event absurdly far from the start (a hostile timestamp) would need
 * more bins than memory can hold: it is counted as dropped, not binned,
 * nothing is allocated for the span (issue 8: a record one year off made
 * the analyzer allocate 12 GB), and the timeline stays usable.
 */
START_TEST(absurd_span)
{
	struct timeline *t = timeline_new(1);
	const struct tbin *b;

	ck_assert_int_eq(timeline_add(t, 0, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, INT64_MAX, TL_PROBE_SENT, 1), 0);
	ck_assert_int_eq(timeline_add(t, INT64_MAX / 2, TL_PROBE_SENT, 1), 0);
	ck_assert_uint_eq(timeline_count(t), 1);
	ck_assert_uint_eq(timeline_dropped(t), 2);
	ck_assert_int_eq(timeline_add(t, 3, TL_PROBE_SENT, 5), 0);
	ck_assert_uint_eq(timeline_count(t), 4);
	b = timeline_bins(t);
	ck_assert_uint_eq(b[0].probes_sent, 1);
	ck_assert_uint_eq(b[3].probes_sent, 5);
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
