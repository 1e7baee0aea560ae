/*
 * check_report.c: Check suite for the analysis pipeline and its report
 * writers (lib/analysis/analysis.c, lib/report/report_*.c): small captures written
 * here with libpcap, analysed with analysis_run(), the JSON document's
 * keys and values checked exactly.
 */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis_int.h"
#include "report/report.h"
#include "check_report.h"


/* Everything in one capture, the VM found by itself, a link given. */
/*
 * Which gap is the interruption: 30 probes lost in a 310 ms gap (A), and
 * later a longer gap of 604.5 ms whose probes were all answered, late (B:
 * a guest that stalls but loses nothing). Without an announce, A (most
 * probes lost); with the first RARP inside A, A; inside B, B.
 */
static void
late_burst(struct capture *c)
{
	for (int k = 0; k < 160; k++) {
		echo(c, T0 + 5 * MS + k * 10 * MS, 0, (uint16_t)k);
		if (k < 100 || (k >= 130 && k < 150))
			echo(c, T0 + 5 * MS + k * 10 * MS + 500 * US, 1, (uint16_t)k);
		else if (k >= 150)
			echo(c, T0 + 2100 * MS + (k - 150) * 100 * US, 1, (uint16_t)k);
	}
}

START_TEST(gap_choice)
{
	static const struct {
		mt_ns rarp;		/* 0: none */
		const char *by;
		mt_ns start, end;
		long long lost;
	} cases[] = {
		{ 0, "lost-probes", T0 + 995500 * US, T0 + 1305500 * US, 30 },
		{ T0 + 1250 * MS, "announce", T0 + 995500 * US, T0 + 1305500 * US, 30 },
		{ T0 + 1800 * MS, "announce", T0 + 1495500 * US, T0 + 2100 * MS, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct capture c = { 0 };
		struct analysis_opts o;
		struct analysis *a;
		char name[32], *path;
		json_t *doc;

		late_burst(&c);
		if (cases[i].rarp != 0)
			rarp(&c, cases[i].rarp);
		snprintf(name, sizeof(name), "gaps%zu.pcap", i);
		path = write_pcap(&c, name);
		analysis_opts_init(&o);
		ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
		a = run(&o, path);
		doc = analysis_to_json(a);
		ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 2);
		is_str(doc, "interruption.chosen_by", cases[i].by);
		is_int(doc, "interruption.last_reply_before_ns", cases[i].start);
		is_int(doc, "interruption.first_reply_after_ns", cases[i].end);
		is_int(doc, "interruption.lost_probes", cases[i].lost);
		json_decref(doc);
		analysis_free(a);
		free(path);
		free(c.f);
	}
}
END_TEST

/*
 * "the gap that lost the most probes, else the longest": two gaps that
 * lost 5 probes each, one 10 ms longer (the reply to the request after
 * the lost ones came late, after the next one); the longer one is the
 * interruption, whether it comes first or second. Two gaps that lost
 * nothing (the held replies all come in a burst just after the next
 * reply): the longer one, chosen by "longest".
 */
static void
two_gaps(struct capture *c, int lost, int longer_first)
{
	int g[2] = { 50, 120 };	/* the first request held in each gap */

	for (int k = 0; k < 200; k++) {
		mt_ns t = T0 + 5 * MS + k * 10 * MS + 500 * US;
		int held = 0;

		echo(c, T0 + 5 * MS + k * 10 * MS, 0, (uint16_t)k);
		for (int i = 0; i < 2; i++) {
			int n = (i == 0) == (longer_first != 0) ? 6 : 5;
			if (k >= g[i] && k < g[i] + n) {
				held = 1;
				if (lost && k < g[i] + 5)
					break;	/* never answered */
				/* answered just after the reply to g + n */
				echo(c, T0 + 5 * MS + (g[i] + n) * 10 * MS +
				    500 * US + (k - g[i] + 1) * US, 1, (uint16_t)k);
			}
		}
		if (!held)
			echo(c, t, 1, (uint16_t)k);
	}
}

START_TEST(gap_tie)
{
	for (int lost = 0; lost <= 1; lost++)
		for (int first = 0; first <= 1; first++) {
			struct capture c = { 0 };
			struct analysis_opts o;
			struct analysis *a;
			char name[32], *path;
			json_t *doc;
			int g = first ? 50 : 120;
			mt_ns start = T0 + 5 * MS + (g - 1) * 10 * MS + 500 * US;

			two_gaps(&c, lost, first);
			snprintf(name, sizeof(name), "tie%d%d.pcap", lost, first);
			path = write_pcap(&c, name);
			analysis_opts_init(&o);
			ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
			a = run(&o, path);
			doc = analysis_to_json(a);
			ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 2);
			is_int(doc, "interruption.gaps.0.lost_probes", lost ? 5 : 0);
			is_int(doc, "interruption.gaps.1.lost_probes", lost ? 5 : 0);
			is_str(doc, "interruption.chosen_by", lost ? "lost-probes" : "longest");
			is_int(doc, "interruption.last_reply_before_ns", start);
			is_int(doc, "interruption.first_reply_after_ns", start + 70 * MS);
			is_real(doc, "interruption.duration_s", 0.07);
			json_decref(doc);
			analysis_free(a);
			free(path);
			free(c.f);
		}
}
END_TEST

/*
 * The same capture from memory (analysis_run_mem, fmemopen: the fuzzing
 * path) and from the file gives the same document, both passes included
 * (no --vm), when given the same name.
 */
START_TEST(from_memory)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a, *m;
	char errbuf[MT_ERRBUF_SIZE] = "", *path, *buf = NULL;
	json_t *da, *dm;
	size_t len = 0;
	FILE *f;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	path = write_pcap(&c, "mem.pcap");
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	buf = malloc(4 << 20);
	ck_assert_ptr_nonnull(buf);
	len = fread(buf, 1, 4 << 20, f);
	fclose(f);
	ck_assert_uint_gt(len, 24);

	analysis_opts_init(&o);
	a = run(&o, path);
	m = analysis_run_mem(&o, path, (const uint8_t *)buf, len, errbuf);
	ck_assert_msg(m != NULL, "analysis_run_mem: %s", errbuf);
	da = analysis_to_json(a);
	dm = analysis_to_json(m);
	ck_assert(json_equal(da, dm));
	is_str(dm, "vm.ip", "192.0.2.10");
	is_int(dm, "interruption.lost_probes", 30);
	json_decref(da);
	json_decref(dm);
	analysis_free(a);
	analysis_free(m);

	/* Garbage from memory: an error naming the given name. */
	m = analysis_run_mem(&o, "junk.bin", (const uint8_t *)"not a capture", 13,
	    errbuf);
	ck_assert_ptr_null(m);
	ck_assert_ptr_nonnull(strstr(errbuf, "junk.bin"));
	free(buf);
	free(path);
	free(c.f);
}
END_TEST

START_TEST(full_run)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;
	size_t npk;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	npk = c.n;
	ck_assert_uint_eq(npk, 200 + 170 + 3 + 3 + 2 * NSEG);
	path = write_pcap(&c, "full.pcap");

	analysis_opts_init(&o);
	ck_assert_int_eq(mt_parse_rate("13M", &o.link_bps), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_OK);
	doc = analysis_to_json(a);
	all_keys(doc);

	is_str(doc, "program.name", "migtrace-analyze");
	is_str(doc, "program.version", PACKAGE_VERSION);
	ck_assert_uint_eq(json_array_size(get(doc, "inputs")), 1);
	is_str(doc, "inputs.0.file", path);
	is_str(doc, "inputs.0.link_type", "EN10MB");
	is_int(doc, "inputs.0.packets", (long long)npk);
	is_int(doc, "inputs.0.bytes", (long long)c.wire_bytes);
	is_int(doc, "inputs.0.first_ns", T0 + MS);
	is_int(doc, "inputs.0.last_ns", T0 + 1995 * MS + 500 * US);
	is_int(doc, "inputs.0.truncated_headers", 0);
	is_int(doc, "inputs.0.invalid_headers", 0);
	is_int(doc, "inputs.0.backwards_timestamps", 0);
	is_bool(doc, "inputs.0.damaged", 0);
	is_int(doc, "packets", (long long)npk);
	is_int(doc, "first_ns", T0 + MS);
	is_int(doc, "last_ns", T0 + 1995 * MS + 500 * US);

	is_str(doc, "vm.ip", "192.0.2.10");
	is_str(doc, "vm.mac", "52:54:00:12:34:56");
	is_str(doc, "vm.reason", "192.0.2.10 answers echo requests (170 replies) "
	    "and its MAC 52:54:00:12:34:56 is announced by RARP");

	check_echo(doc);
	is_null(doc, "interruption.tcp_stall");	/* the VM has no TCP flow */

	is_int(doc, "announce.first_ns", T0 + 1250 * MS);
	is_int(doc, "announce.count", 3);
	is_int(doc, "announce.rarp", 3);
	is_int(doc, "announce.garp", 0);
	is_str(doc, "announce.mac", "52:54:00:12:34:56");
	is_real(doc, "announce.to_first_reply_s", 0.0555);

	check_stream(doc);
	is_real(doc, "migration.link_bps", 13e6);
	is_real(doc, "migration.utilisation",
	    (double)NSEG * (14 + 20 + 20 + MSS) * 8 / 0.999 / 13e6);
	/* Bins wholly inside the stream: +101 ms .. +1001 ms, 9 of them, each
	 * 100 frames of 1502 bytes = 12.016 Mbit/s >= 90% of 13 Mbit/s. */
	is_int(doc, "migration.bins_inside", 9);
	is_int(doc, "migration.bins_at_90pct", 9);
	is_bool(doc, "migration.bottleneck", 1);
	/* One migration: its entry repeats the stream's figures. */
	ck_assert_uint_eq(json_array_size(get(doc, "migrations")), 1);
	is_int(doc, "migrations.0.streams", 1);
	is_int(doc, "migrations.0.bytes", (long long)NSEG * MSS);
	ck_assert(json_equal(get(doc, "migrations.0.first_data_ns"),
	    get(doc, "migration.first_data_ns")));
	ck_assert(json_equal(get(doc, "migrations.0.last_data_ns"),
	    get(doc, "migration.last_data_ns")));
	is_real(doc, "migrations.0.utilisation",
	    (double)NSEG * (14 + 20 + 20 + MSS) * 8 / 0.999 / 13e6);
	is_int(doc, "migrations.0.bins_inside", 9);
	is_int(doc, "migrations.0.bins_at_90pct", 9);
	is_bool(doc, "migrations.0.bottleneck", 1);
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 0);
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* Without --link: the link measures are null, the bottleneck unknown. */
START_TEST(no_link)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	path = write_pcap(&c, "nolink.pcap");
	analysis_opts_init(&o);
	a = run(&o, path);
	doc = analysis_to_json(a);
	all_keys(doc);
	check_stream(doc);
	is_null(doc, "migration.link_bps");
	is_null(doc, "migration.utilisation");
	is_null(doc, "migration.bottleneck");
	is_null(doc, "migration.bins_at_90pct");
	is_null(doc, "migration.bins_inside");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/*
 * The busiest bin is the first: the man page's migration.peak_bps is the
 * busiest bin's payload, whichever bin it is. Bins start at the first
 * packet (the SYN, 1 ms): 60 segments in the first 100 ms bin, 10 in the
 * second.
 */
START_TEST(peak_in_first_bin)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;
	uint32_t isn = 1000, peer = 5000, seq = isn + 1;

	tcp(&c, T0 + 1 * MS, SRCMAC, SRCIP, 40000, DSTMAC, DSTIP, 49152,
	    isn, 0, 0x02, 0, 0);
	tcp(&c, T0 + 1 * MS + 100 * US, DSTMAC, DSTIP, 49152, SRCMAC, SRCIP,
	    40000, peer, isn + 1, 0x12, 0, 0);
	for (int i = 0; i < 70; i++) {
		mt_ns ts = i < 60 ? T0 + 2 * MS + i * MS :
		    T0 + 110 * MS + (i - 60) * 10 * MS;

		tcp(&c, ts, SRCMAC, SRCIP, 40000, DSTMAC, DSTIP, 49152, seq,
		    peer + 1, 0x18, MSS, i == 0);
		seq += MSS;
		tcp(&c, ts + 100 * US, DSTMAC, DSTIP, 49152, SRCMAC, SRCIP,
		    40000, peer + 1, seq, 0x10, 0, 0);
	}
	path = write_pcap(&c, "peakfirst.pcap");
	analysis_opts_init(&o);
	a = run(&o, path);
	doc = analysis_to_json(a);
	is_int(doc, "migration.bytes", 70LL * MSS);
	is_real(doc, "migration.bin_s", 0.1);
	is_real(doc, "migration.peak_bps", 60.0 * MSS * 8 / 0.1);
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* Only the stream: no VM can be told (exit 3), its measures are null. */
START_TEST(no_vm)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_stream(&c);
	path = write_pcap(&c, "novm.pcap");
	analysis_opts_init(&o);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_NO_VM);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_null(doc, "vm.ip");
	is_null(doc, "vm.mac");
	is_str(doc, "vm.reason", "no echo replies and no RARP announce");
	is_null(doc, "interruption.method");
	is_null(doc, "interruption.last_reply_before_ns");
	is_null(doc, "interruption.first_reply_after_ns");
	is_null(doc, "interruption.duration_s");
	is_null(doc, "interruption.lost_probes");
	is_null(doc, "interruption.probe_interval_s");
	is_null(doc, "interruption.lost_x_interval_s");
	is_null(doc, "interruption.min_gap_s");
	is_null(doc, "interruption.probes_sent");
	is_null(doc, "interruption.probes_answered");
	is_null(doc, "interruption.probes_lost");
	is_null(doc, "interruption.replies");
	ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 0);
	is_null(doc, "interruption.tcp_stall");
	is_null(doc, "announce.first_ns");
	is_int(doc, "announce.count", 0);
	is_int(doc, "announce.rarp", 0);
	is_int(doc, "announce.garp", 0);
	is_null(doc, "announce.mac");
	is_null(doc, "announce.to_first_reply_s");
	check_stream(doc);	/* still measured */
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 0);
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* The VM given by IP, no stream (exit 4): its MAC is learnt. */
START_TEST(no_stream)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	path = write_pcap(&c, "nostream.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_NO_STREAM);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_str(doc, "vm.ip", "192.0.2.10");
	is_str(doc, "vm.mac", "52:54:00:12:34:56");
	is_str(doc, "vm.reason", "given with --vm");
	check_echo(doc);
	is_int(doc, "announce.count", 3);
	is_real(doc, "announce.to_first_reply_s", 0.0555);
	is_int(doc, "migration.flows", 0);
	is_null(doc, "migration.bytes");
	is_null(doc, "migration.first_data_ns");
	is_null(doc, "migration.last_data_ns");
	is_null(doc, "migration.duration_s");
	is_null(doc, "migration.mean_bps");
	is_null(doc, "migration.peak_bps");
	is_real(doc, "migration.bin_s", 0.1);
	is_null(doc, "migration.retransmissions");
	is_null(doc, "migration.zero_windows");
	is_null(doc, "migration.link_bps");
	ck_assert_uint_eq(json_array_size(get(doc, "migration.streams")), 0);
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 1);
	is_str(doc, "notes.0", "no migration stream: no TCP flow begins with "
	    "QEMU's magic \"QEVM\" or uses ports 49152-49215 (--mig-ports)");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, full_run);
	tcase_add_test(tc, gap_choice);
	tcase_add_test(tc, gap_tie);
	tcase_add_test(tc, from_memory);
	tcase_add_test(tc, no_link);
	tcase_add_test(tc, peak_in_first_bin);
	tcase_add_test(tc, no_vm);
	tcase_add_test(tc, no_stream);
	report_tests_more(tc);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("TZ", "UTC", 1);	/* the text report's clock times */
	tzset();
	sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
