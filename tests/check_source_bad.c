/*
 * check_source_bad.c: the capture reading Check suite (check_source.c)
 * on damaged and unreadable files: one clear warning or error each.
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
 * Damaged files.
 */

static void
check_truncated(size_t cut)
{
	static const struct rec good[] = { { NS(0, 15000), 0 }, { NS(0, 25000), 1 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p[8];
	const struct src_stats *st;

	pcap_hdr(&w, 0xa1b2c3d4, 1);
	pcap_rec(&w, T0, 10, 0, 0);
	pcap_rec(&w, T0, 20, 0, 1);
	pcap_rec(&w, T0, 30, 0, 2);
	wsave(&w, path_of("cut.pcap"), w.n - cut);
	dump_file(path_of("good.pcap"), 1, 1, good, 2);

	ck_assert_int_eq(srcset_add(s, path_of("cut.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("good.pcap"), errbuf), 0);
	/* two of the cut file and both of the other, in order */
	ck_assert_int_eq(read_all(s, p, 8), 4);
	ck_assert_int_eq(p[0].ts, NS(0, 10000));
	ck_assert_int_eq(p[1].ts, NS(0, 15000));
	ck_assert_int_eq(p[1].src, 1);
	ck_assert_int_eq(p[2].ts, NS(0, 20000));
	ck_assert_int_eq(p[3].ts, NS(0, 25000));
	st = srcset_stats(s, 0);
	ck_assert_uint_eq(st->packets, 2);
	ck_assert_int_eq(st->damaged, 1);
	ck_assert_int_eq(srcset_stats(s, 1)->damaged, 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_msg(strstr(wn.last, path_of("cut.pcap")) == wn.last, "%s", wn.last);
	ck_assert_msg(strstr(wn.last, "truncated last record after 2 packets") != NULL,
	    "%s", wn.last);
	srcset_free(s);
}

START_TEST(truncated_data) { check_truncated(5); }
END_TEST
START_TEST(truncated_record_header) { check_truncated(FRAME_LEN + 6); }
END_TEST

/* The only record is cut: a warning, no packets, not an error. */
START_TEST(truncated_first_record)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p;

	pcap_hdr(&w, 0xa1b2c3d4, 1);
	pcap_rec(&w, T0, 10, 0, 0);
	wsave(&w, path_of("cut.pcap"), w.n - 1);
	ck_assert_int_eq(srcset_add(s, path_of("cut.pcap"), errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_ptr_nonnull(strstr(wn.last, "after 0 packets"));
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(srcset_stats(s, 0)->damaged, 1);
	srcset_free(s);
}
END_TEST

static void
check_add_fails(const char *path, const char *want)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);

	errbuf[0] = '\0';
	ck_assert_int_eq(srcset_add(s, path, errbuf), -1);
	ck_assert_msg(strncmp(errbuf, path, strlen(path)) == 0 &&
	    errbuf[strlen(path)] == ':', "does not name the file: %s", errbuf);
	ck_assert_msg(strstr(errbuf, want) != NULL, "want \"%s\" in: %s", want,
	    errbuf);
	ck_assert_ptr_null(strchr(errbuf, '\n'));
	ck_assert_int_eq(srcset_count(s), 0);
	ck_assert_int_eq(wn.n, 0);
	srcset_free(s);
}

START_TEST(missing_file)
{
	check_add_fails(path_of("nope.pcap"), "no such file");
}
END_TEST

START_TEST(directory)
{
	check_add_fails(dir, "is a directory");
}
END_TEST

START_TEST(empty_file)
{
	struct fb w = { .le = 1 };

	wsave(&w, path_of("empty.pcap"), 0);
	check_add_fails(path_of("empty.pcap"), "empty file");
}
END_TEST

START_TEST(bad_magic)
{
	struct fb w = { .le = 1 };

	pbytes(&w, "hello, this is not a capture at all\n", 36);
	wsave(&w, path_of("text.pcap"), w.n);
	check_add_fails(path_of("text.pcap"),
	    "not a capture file (bad magic 0x68656c6c)");
	w.n = 0;
	pbytes(&w, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	wsave(&w, path_of("gz.pcap"), w.n);
	check_add_fails(path_of("gz.pcap"), "bad magic 0x1f8b0800; gzip");
	wsave(&w, path_of("short.pcap"), 3);
	check_add_fails(path_of("short.pcap"), "not a capture file (only 3 bytes)");
}
END_TEST

START_TEST(bad_header)
{
	struct fb w = { .le = 1 };

	pcap_hdr(&w, 0xa1b2c3d4, 1);
	wsave(&w, path_of("hdr.pcap"), 10);	/* good magic, cut header */
	check_add_fails(path_of("hdr.pcap"), "too short for a pcap file header (10 of 24 bytes)");
}
END_TEST

START_TEST(unsupported_link_type)
{
	static const struct rec r[] = { { NS(0, 1), 1 } };

	dump_file(path_of("user0.pcap"), 147, 0, r, 1);
	check_add_fails(path_of("user0.pcap"), "unsupported link type 147");
}
END_TEST

START_TEST(absurd_caplen)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s;
	struct pkt p;

	/* as the first record: the file cannot be read at all */
	pcap_hdr(&w, 0xa1b2c3d4, 1);
	p32(&w, T0);
	p32(&w, 0);
	p32(&w, 0xfffffff0);
	p32(&w, 0xfffffff0);
	pbytes(&w, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 42);
	wsave(&w, path_of("absurd.pcap"), w.n);
	check_add_fails(path_of("absurd.pcap"), "absurd captured length");

	/* after a good one: a warning, the good one kept */
	w.n = 0;
	pcap_hdr(&w, 0xa1b2c3d4, 1);
	pcap_rec(&w, T0, 1, 0, 0);
	p32(&w, T0);
	p32(&w, 2);
	p32(&w, 0xfffffff0);
	p32(&w, 0xfffffff0);
	wsave(&w, path_of("absurd2.pcap"), w.n);
	s = srcset_new(collect, &wn);
	ck_assert_int_eq(srcset_add(s, path_of("absurd2.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_msg(strstr(wn.last, "record 2 has an absurd captured length") != NULL,
	    "%s", wn.last);
	ck_assert_int_eq(srcset_stats(s, 0)->damaged, 1);
	srcset_free(s);
}
END_TEST

START_TEST(pcapng_mixed_link_types)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s;
	struct pkt p;

	/* two interfaces before any packet: srcset_add refuses */
	png_shb(&w);
	png_idb(&w, 1, 0);
	png_idb(&w, 113, 0);
	png_epb(&w, (uint64_t)NS(0, 0) / 1000, 0, 0);
	wsave(&w, path_of("mixed.pcapng"), w.n);
	check_add_fails(path_of("mixed.pcapng"),
	    "interfaces have different link types (EN10MB, then LINUX_SLL");

	/* second interface after a packet: warning, the packet kept */
	w.n = 0;
	png_shb(&w);
	png_idb(&w, 1, 0);
	png_epb(&w, (uint64_t)NS(0, 0) / 1000, 0, 0);
	png_idb(&w, 276, 0);
	png_epb(&w, (uint64_t)NS(1, 0) / 1000, 0, 1);
	wsave(&w, path_of("mixed2.pcapng"), w.n);
	s = srcset_new(collect, &wn);
	ck_assert_int_eq(srcset_add(s, path_of("mixed2.pcapng"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_msg(strstr(wn.last, "different link types (EN10MB, then "
	    "LINUX_SLL2") != NULL, "%s", wn.last);
	ck_assert_int_eq(srcset_stats(s, 0)->damaged, 1);
	srcset_free(s);
}
END_TEST

START_TEST(pcapng_timestamp_overflow)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p;

	png_shb(&w);
	png_idb(&w, 1, 0);
	png_epb(&w, (uint64_t)NS(0, 0) / 1000, 0, 0);
	png_epb(&w, UINT64_MAX - 5, 0, 1);	/* year 500000-something */
	wsave(&w, path_of("far.pcapng"), w.n);
	ck_assert_int_eq(srcset_add(s, path_of("far.pcapng"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_ptr_nonnull(strstr(wn.last, "timestamp out of range"));
	srcset_free(s);
}
END_TEST

/* A capture in memory (the fuzzers' way in): same reading, same errors. */

/* The test cases of this file, in their order, for check_source.c. */
void
source_tests_bad(TCase *tc)
{
	tcase_add_test(tc, truncated_data);
	tcase_add_test(tc, truncated_record_header);
	tcase_add_test(tc, truncated_first_record);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, directory);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, bad_header);
	tcase_add_test(tc, unsupported_link_type);
	tcase_add_test(tc, absurd_caplen);
	tcase_add_test(tc, pcapng_mixed_link_types);
	tcase_add_test(tc, pcapng_timestamp_overflow);
}
