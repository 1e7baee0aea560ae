/*
 * check_source.c: Check suite for reading and merging captures
 * (lib/input/source*.c): every file format libpcap reads, the k-way merge, and
 * every bad file a user can hand us. Files are written by the tests,
 * with libpcap's pcap_dump or byte by byte.
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "input/source.h"
#include "check_source.h"

/* ---------------------------------------------------------------------
 * Formats.
 */

/* Hand-written pcap: microsecond or nanosecond magic, LE or BE writer. */
static void
check_pcap_magic(uint32_t magic, int be, int nano)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = !be };
	struct srcset *s;
	struct pkt p[4];
	const struct src_stats *st;
	uint32_t frac = nano ? 123456789 : 123456;
	mt_ns want0 = NS(0, nano ? 123456789 : 123456000);

	pcap_hdr(&w, magic, 1);
	pcap_rec(&w, T0, frac, 1, 100);
	pcap_rec(&w, T0 + 1, 0, 1, 101);
	pcap_rec(&w, T0 + 2, nano ? 999999999 : 999999, 1, 102);
	wsave(&w, path_of("f.pcap"), w.n);

	s = srcset_new(NULL, NULL);
	ck_assert_msg(srcset_add(s, path_of("f.pcap"), errbuf) == 0, "%s", errbuf);
	ck_assert_int_eq(read_all(s, p, 4), 3);
	ck_assert_int_eq(p[0].ts, want0);
	ck_assert_int_eq(p[1].ts, NS(1, 0));
	ck_assert_int_eq(p[2].ts, NS(2, nano ? 999999999 : 999999000));
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(p[i].status, PKT_OK);
		ck_assert_int_eq(p[i].echo, PKT_ECHO_REQUEST);
		ck_assert_uint_eq(p[i].icmp_seq, 100 + (unsigned)i);
		ck_assert_uint_eq(p[i].wire_len, FRAME_WIRE);
		ck_assert_uint_eq(p[i].cap_len, FRAME_LEN);
		ck_assert_int_eq(p[i].src, 0);
		ck_assert_int_eq(p[i].dlt, 1);
	}
	st = srcset_stats(s, 0);
	ck_assert_str_eq(st->path, path_of("f.pcap"));
	ck_assert_int_eq(st->dlt, 1);
	ck_assert_uint_eq(st->packets, 3);
	ck_assert_uint_eq(st->bytes, 3 * FRAME_WIRE);
	ck_assert_int_eq(st->first_ts, want0);
	ck_assert_int_eq(st->last_ts, p[2].ts);
	ck_assert_int_eq(st->damaged, 0);
	ck_assert_uint_eq(st->backwards + st->truncated + st->invalid, 0);
	srcset_free(s);
}

START_TEST(pcap_usec_le) { check_pcap_magic(0xa1b2c3d4, 0, 0); }
END_TEST
START_TEST(pcap_usec_be) { check_pcap_magic(0xa1b2c3d4, 1, 0); }
END_TEST
START_TEST(pcap_nsec_le) { check_pcap_magic(0xa1b23c4d, 0, 1); }
END_TEST
START_TEST(pcap_nsec_be) { check_pcap_magic(0xa1b23c4d, 1, 1); }
END_TEST

/* Hand-written pcapng, both byte orders, ns and default us resolution. */
static void
check_pcapng(int be, unsigned tsresol)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = !be };
	struct srcset *s;
	struct pkt p[4];
	uint64_t unit = tsresol == 9 ? 1 : 1000;	/* ns per tick */

	png_shb(&w);
	png_idb(&w, 1, tsresol);
	png_epb(&w, (uint64_t)NS(0, 5000) / unit, 2, 1);
	png_epb(&w, (uint64_t)NS(3, 7000) / unit, 2, 2);
	wsave(&w, path_of("f.pcapng"), w.n);

	s = srcset_new(NULL, NULL);
	ck_assert_msg(srcset_add(s, path_of("f.pcapng"), errbuf) == 0, "%s", errbuf);
	ck_assert_int_eq(read_all(s, p, 4), 2);
	ck_assert_int_eq(p[0].ts, NS(0, 5000));
	ck_assert_int_eq(p[1].ts, NS(3, 7000));
	ck_assert_uint_eq(p[1].icmp_id, 2);
	ck_assert_uint_eq(p[1].icmp_seq, 2);
	ck_assert_uint_eq(p[1].wire_len, FRAME_WIRE);
	srcset_free(s);
}

START_TEST(pcapng_le_ns) { check_pcapng(0, 9); }
END_TEST
START_TEST(pcapng_be_us) { check_pcapng(1, 0); }
END_TEST

/* Written by libpcap, in three link types, merged. */
START_TEST(dumped_link_types)
{
	static const struct rec a[] = { { NS(0, 1), 1 }, { NS(0, 3), 3 } };
	static const struct rec b[] = { { NS(0, 2), 2 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p[4];

	dump_file(path_of("eth.pcap"), 1, 1, a, 2);
	dump_file(path_of("raw.pcap"), 12, 2, b, 1);
	ck_assert_int_eq(srcset_add(s, path_of("eth.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("raw.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_count(s), 2);
	ck_assert_int_eq(read_all(s, p, 4), 3);
	ck_assert_int_eq(p[0].dlt, 1);
	ck_assert_int_eq(p[1].dlt, 12);
	ck_assert_int_eq(p[1].src, 1);
	ck_assert_uint_eq(p[1].icmp_id, 2);
	ck_assert_uint_eq(p[1].wire_len, FRAME_WIRE - 14);
	ck_assert_int_eq(p[2].ts, NS(0, 3));
	ck_assert_int_eq(srcset_stats(s, 1)->dlt, 12);
	ck_assert_ptr_null(srcset_stats(s, 2));
	srcset_free(s);
}
END_TEST

START_TEST(empty_capture)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;

	dump_file(path_of("none.pcap"), 1, 0, NULL, 0);
	ck_assert_int_eq(srcset_add(s, path_of("none.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_uint_eq(srcset_stats(s, 0)->packets, 0);
	ck_assert_int_eq(srcset_stats(s, 0)->first_ts, MT_NS_NONE);
	srcset_free(s);
	srcset_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------------
 * The merge.
 */

START_TEST(merge_three)
{
	/* ties across files and inside one: lower index first, then file order */
	static const struct rec f0[] = { { NS(0, 10), 0 }, { NS(0, 40), 1 },
		{ NS(0, 70), 2 }, { NS(1, 0), 3 } };
	static const struct rec f1[] = { { NS(0, 20), 0 }, { NS(0, 40), 1 },
		{ NS(0, 80), 2 } };
	static const struct rec f2[] = { { NS(0, 0), 0 }, { NS(0, 40), 1 },
		{ NS(0, 40), 2 }, { NS(0, 90), 3 } };
	static const struct { int src; unsigned seq; mt_ns ts; } want[] = {
		{ 2, 0, NS(0, 0) }, { 0, 0, NS(0, 10) }, { 1, 0, NS(0, 20) },
		{ 0, 1, NS(0, 40) }, { 1, 1, NS(0, 40) }, { 2, 1, NS(0, 40) },
		{ 2, 2, NS(0, 40) }, { 0, 2, NS(0, 70) }, { 1, 2, NS(0, 80) },
		{ 2, 3, NS(0, 90) }, { 0, 3, NS(1, 0) },
	};
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	size_t i = 0;
	int r;

	dump_file(path_of("0.pcap"), 1, 0, f0, 4);
	dump_file(path_of("1.pcap"), 1, 1, f1, 3);
	dump_file(path_of("2.pcap"), 1, 2, f2, 4);
	for (int k = 0; k < 3; k++) {
		char name[16];
		snprintf(name, sizeof(name), "%d.pcap", k);
		ck_assert_int_eq(srcset_add(s, path_of(name), errbuf), 0);
	}
	while ((r = srcset_next(s, &p, errbuf)) == 1) {
		ck_assert_uint_lt(i, sizeof(want) / sizeof(want[0]));
		ck_assert_int_eq(p.src, want[i].src);
		ck_assert_int_eq(p.ts, want[i].ts);
		/* decoded from this file's own bytes, still in place */
		ck_assert_uint_eq(p.icmp_id, (unsigned)want[i].src);
		ck_assert_uint_eq(p.icmp_seq, want[i].seq);
		ck_assert_ptr_null(p.payload);	/* 42 bytes: headers only */
		i++;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(i, sizeof(want) / sizeof(want[0]));
	ck_assert_uint_eq(srcset_stats(s, 2)->packets, 4);
	srcset_free(s);
}
END_TEST

/* The payload pointer of a packet stays good until the next call. */
START_TEST(payload_valid_until_next)
{
	static const struct rec a[] = { { NS(0, 1), 1 }, { NS(0, 3), 3 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	uint8_t f[FRAME_LEN + 4];

	/* file 0: frames with 4 payload bytes "PAY0".."PAY3" */
	pcap_hdr(&w, 0xa1b2c3d4, 1);
	for (unsigned k = 0; k < 4; k += 2) {
		frame(f, 0, k);
		memcpy(f + FRAME_LEN, "PAY", 3);
		f[FRAME_LEN + 3] = (uint8_t)('0' + k);
		p32(&w, T0);
		p32(&w, k);	/* us */
		p32(&w, sizeof(f));
		p32(&w, FRAME_WIRE);
		pbytes(&w, f, sizeof(f));
	}
	wsave(&w, path_of("pay.pcap"), w.n);
	dump_file(path_of("b.pcap"), 1, 1, a, 2);
	ck_assert_int_eq(srcset_add(s, path_of("pay.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("b.pcap"), errbuf), 0);
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
		if (p.src == 0) {
			ck_assert_uint_eq(p.payload_caplen, 4);
			ck_assert_mem_eq(p.payload, "PAY", 3);
			ck_assert_uint_eq(p.payload[3], '0' + p.icmp_seq);
		}
	}
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	srcset_free(s);
}
END_TEST

/* Files many batches long (read ahead: the ring wraps, the readers wait). */
START_TEST(long_merge)
{
	enum { N0 = 20000, N1 = 15000 };
	static struct rec r0[N0], r1[N1];
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	unsigned next[2] = { 0, 0 };
	mt_ns last = 0;
	int r, n = 0, bad = 0, first_bad = -1;

	for (int i = 0; i < N0; i++)
		r0[i] = (struct rec){ NS(0, 2 * i), (unsigned)i };
	for (int i = 0; i < N1; i++)	/* the same instants, and odd ones */
		r1[i] = (struct rec){ NS(0, i < 5000 ? 2 * i : 2 * i + 1),
		    (unsigned)i };
	dump_file(path_of("0.pcap"), 1, 0, r0, N0);
	dump_file(path_of("1.pcap"), 1, 1, r1, N1);
	ck_assert_int_eq(srcset_add(s, path_of("0.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("1.pcap"), errbuf), 0);
	/* Plain ifs in the loop: a Check assertion costs a system call. */
	while ((r = srcset_next(s, &p, errbuf)) == 1) {
		int ok = (p.src == 0 && next[0] < N0) ||
		    (p.src == 1 && next[1] < N1);
		if (ok) {
			mt_ns want = p.src == 0 ? r0[next[0]].ts :
			    r1[next[1]].ts;
			/* In order; ties: the lower file index first. */
			ok = p.icmp_seq == (next[p.src] & 0xffff) &&
			    p.ts == want && (n == 0 || p.ts > last ||
			    (p.ts == last && p.src == 1));
			next[p.src]++;
		}
		if (!ok && bad++ == 0)
			first_bad = n;
		last = p.ts;
		n++;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_msg(bad == 0, "%d records out of place, the first #%d",
	    bad, first_bad);
	ck_assert_uint_eq(next[0], N0);
	ck_assert_uint_eq(next[1], N1);
	ck_assert_uint_eq(srcset_stats(s, 0)->packets, N0);
	ck_assert_uint_eq(srcset_stats(s, 1)->packets, N1);
	srcset_free(s);
}
END_TEST

/* Freed half-way: readers blocked on a full ring must be stopped. */
START_TEST(free_midway)
{
	enum { N = 30000 };	/* more than a full ring */
	static struct rec r[N];
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;

	for (int i = 0; i < N; i++)
		r[i] = (struct rec){ NS(0, i), (unsigned)i };
	dump_file(path_of("0.pcap"), 1, 0, r, N);
	dump_file(path_of("1.pcap"), 1, 1, r, N);
	ck_assert_int_eq(srcset_add(s, path_of("0.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("1.pcap"), errbuf), 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_uint_eq(p.icmp_seq, 4);
	srcset_free(s);
}
END_TEST

START_TEST(many_files)
{
	/* 40 files, 25 packets each, timestamps interleaved: i*40+file */
	enum { NF = 40, NP = 25 };
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	const struct src_stats *st0;
	struct pkt p;
	mt_ns prev = 0;
	int n = 0;

	for (int k = 0; k < NF; k++) {
		struct rec r[NP];
		char name[16];

		for (int i = 0; i < NP; i++) {
			r[i].ts = NS(0, (long long)i * NF + (NF - 1 - k));
			r[i].seq = (unsigned)i;
		}
		snprintf(name, sizeof(name), "m%d.pcap", k);
		dump_file(path_of(name), 1, (unsigned)k, r, NP);
		ck_assert_int_eq(srcset_add(s, path_of(name), errbuf), 0);
		if (k == 0)
			st0 = srcset_stats(s, 0);
	}
	/* stats pointers stay valid while files are added */
	ck_assert_ptr_eq(st0, srcset_stats(s, 0));
	while (srcset_next(s, &p, errbuf) == 1) {
		ck_assert_int_eq(p.ts, NS(0, n));
		ck_assert_int_ge(p.ts, prev);
		prev = p.ts;
		n++;
	}
	ck_assert_int_eq(n, NF * NP);
	srcset_free(s);
}
END_TEST


START_TEST(backwards)
{
	/* file 0 in file order: 10 20 15 30 5 (two steps back) */
	static const struct rec a[] = { { NS(0, 10), 0 }, { NS(0, 20), 1 },
		{ NS(0, 15), 2 }, { NS(0, 30), 3 }, { NS(0, 5), 4 } };
	static const struct rec b[] = { { NS(0, 12), 0 }, { NS(0, 17), 1 } };
	static const mt_ns want[] = { 10, 12, 17, 20, 15, 30, 5 };
	char errbuf[MT_ERRBUF_SIZE];
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p[8];
	const struct src_stats *st;

	dump_file(path_of("a.pcap"), 1, 0, a, 5);
	dump_file(path_of("b.pcap"), 1, 1, b, 2);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("b.pcap"), errbuf), 0);
	ck_assert_int_eq(read_all(s, p, 8), 7);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(p[i].ts, NS(0, want[i]));
	/* a.pcap delivered in its own order */
	ck_assert_uint_eq(p[4].icmp_seq, 2);
	st = srcset_stats(s, 0);
	ck_assert_uint_eq(st->backwards, 2);
	ck_assert_int_eq(st->first_ts, NS(0, 5));
	ck_assert_int_eq(st->last_ts, NS(0, 30));
	ck_assert_int_eq(st->damaged, 0);
	ck_assert_uint_eq(srcset_stats(s, 1)->backwards, 0);
	ck_assert_int_eq(wn.n, 1);		/* once per file */
	ck_assert_msg(strstr(wn.last, path_of("a.pcap")) == wn.last, "%s", wn.last);
	ck_assert_ptr_nonnull(strstr(wn.last, "backwards"));
	srcset_free(s);
}
END_TEST

/* Open errors: one line that names the file and says what is wrong. */
START_TEST(add_fp_memory)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 0 };
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p[4];
	FILE *fp;

	pcap_hdr(&w, 0xa1b23c4d, 1);
	pcap_rec(&w, T0, 7, 3, 1);
	pcap_rec(&w, T0, 9, 3, 2);
	ck_assert_ptr_nonnull(fp = fmemopen(w.b, w.n, "r"));
	ck_assert_msg(srcset_add_fp(s, "mem.pcap", fp, errbuf) == 0, "%s", errbuf);
	ck_assert_int_eq(read_all(s, p, 4), 2);
	ck_assert_int_eq(p[1].ts, NS(0, 9));
	ck_assert_uint_eq(p[1].icmp_seq, 2);
	ck_assert_str_eq(srcset_stats(s, 0)->path, "mem.pcap");
	srcset_free(s);

	s = srcset_new(NULL, NULL);
	ck_assert_ptr_nonnull(fp = fmemopen("hello, not a capture", 20, "r"));
	ck_assert_int_eq(srcset_add_fp(s, "mem.txt", fp, errbuf), -1);
	ck_assert_str_eq(errbuf, "mem.txt: not a capture file (bad magic 0x68656c6c)");
	ck_assert_int_eq(srcset_count(s), 0);
	srcset_free(s);
}
END_TEST

START_TEST(add_after_start)
{
	static const struct rec r[] = { { NS(0, 1), 1 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;

	dump_file(path_of("a.pcap"), 1, 0, r, 1);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "after reading has started"));
	srcset_free(s);
}
END_TEST

START_TEST(progress)
{
	enum { NP = 50000 };	/* read ahead: progress moves a batch at a time */
	static struct rec r[NP];
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	struct stat sa, sb;
	uint64_t done, total, last = 0;
	int n = 0, grew = 0;

	for (int i = 0; i < NP; i++) {
		r[i].ts = NS(0, i);
		r[i].seq = (unsigned)i;
	}
	dump_file(path_of("a.pcap"), 1, 0, r, NP);
	dump_file(path_of("b.pcap"), 1, 1, r, 10);
	ck_assert_int_eq(stat(path_of("a.pcap"), &sa), 0);
	ck_assert_int_eq(stat(path_of("b.pcap"), &sb), 0);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("b.pcap"), errbuf), 0);
	srcset_progress(s, &done, &total);
	ck_assert_uint_eq(total, (uint64_t)(sa.st_size + sb.st_size));
	ck_assert_uint_lt(done, total / 2);
	while (srcset_next(s, &p, errbuf) == 1) {
		if (++n % 100 == 0) {
			srcset_progress(s, &done, &total);
			ck_assert_uint_ge(done, last);
			ck_assert_uint_le(done, total);
			grew += done > last;
			last = done;
		}
	}
	ck_assert_int_gt(grew, 5);
	srcset_progress(s, &done, &total);
	ck_assert_uint_eq(done, total);
	srcset_free(s);
}
END_TEST

static Suite *
source_suite(const char *name)
{
	Suite *s = suite_create(name);
	TCase *tc;

	tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pcap_usec_le);
	tcase_add_test(tc, pcap_usec_be);
	tcase_add_test(tc, pcap_nsec_le);
	tcase_add_test(tc, pcap_nsec_be);
	tcase_add_test(tc, pcapng_le_ns);
	tcase_add_test(tc, pcapng_be_us);
	tcase_add_test(tc, dumped_link_types);
	tcase_add_test(tc, empty_capture);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, merge_three);
	tcase_add_test(tc, payload_valid_until_next);
	tcase_add_test(tc, many_files);
	tcase_add_test(tc, long_merge);
	tcase_add_test(tc, free_midway);
	tcase_add_test(tc, backwards);
	tcase_add_test(tc, progress);
	tcase_add_test(tc, add_after_start);
	tcase_add_test(tc, add_fp_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_input");
	tcase_add_checked_fixture(tc, setup, teardown);
	source_tests_bad(tc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed = 0;

	for (readahead = 0; readahead <= 1; readahead++) {
		sr = srunner_create(source_suite(readahead ?
		    "source (read ahead)" : "source"));
		srunner_run_all(sr, CK_ENV);
		failed += srunner_ntests_failed(sr);
		srunner_free(sr);
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
