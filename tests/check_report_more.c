/*
 * check_report_more.c: the analysis and report Check suite (check_report.c)
 * for the options and the other writers: --min-gap, no probes, CSV and
 * text, two files, bad input.
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


/* --min-gap given, and every probe answered: no interruption, a note. */
START_TEST(min_gap_and_no_gap)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;

	add_echo(&c, LOST_LO, LOST_HI);
	add_stream(&c);
	path = write_pcap(&c, "mingap.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_parse_duration("400ms", &o.min_gap), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_OK);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_null(doc, "interruption.method");
	is_null(doc, "interruption.duration_s");
	is_null(doc, "interruption.lost_probes");
	is_real(doc, "interruption.min_gap_s", 0.4);
	is_real(doc, "interruption.probe_interval_s", 0.01);
	is_int(doc, "interruption.probes_lost", 30);
	ck_assert_uint_eq(json_array_size(get(doc, "interruption.gaps")), 0);
	/* No announce seen: counts are 0, the MAC is still known. */
	is_null(doc, "announce.first_ns");
	is_int(doc, "announce.count", 0);
	is_str(doc, "announce.mac", "52:54:00:12:34:56");
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 1);
	/* 30 probes lost: never "answered every probe" beside them. */
	is_str(doc, "notes.0", "no gap in the VM's echo replies is longer "
	    "than 400.000 ms (--min-gap), yet 30 probe(s) were never "
	    "answered: lower --min-gap to see where");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/*
 * No probes: the interruption is the VM's longest silence, and its TCP
 * flow's longest stall is reported. The VM (192.0.2.10) sends 100 bytes
 * to 203.0.113.5:443 every 10 ms, acked 1 ms later, and is silent from
 * +290 ms to +700 ms.
 */
START_TEST(silence_and_stall)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path;
	json_t *doc;
	uint32_t seq = 1;

	for (int i = 0; i < 100; i++) {
		if (i >= 30 && i < 70)
			continue;
		tcp(&c, T0 + i * 10 * MS, VMMAC, VMIP, 50000, PEERMAC, PEERIP, 443,
		    seq, 1, 0x18, 100, 0);
		seq += 100;
		tcp(&c, T0 + i * 10 * MS + MS, PEERMAC, PEERIP, 443, VMMAC, VMIP,
		    50000, 1, seq, 0x10, 0, 0);
	}
	path = write_pcap(&c, "silence.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	a = run(&o, path);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_NO_STREAM);
	doc = analysis_to_json(a);
	all_keys(doc);
	is_str(doc, "vm.mac", "52:54:00:12:34:56");
	is_str(doc, "interruption.method", "silence");
	is_int(doc, "interruption.last_reply_before_ns", T0 + 290 * MS);
	is_int(doc, "interruption.first_reply_after_ns", T0 + 700 * MS);
	is_real(doc, "interruption.duration_s", 0.41);
	is_null(doc, "interruption.lost_probes");
	is_null(doc, "interruption.probes_sent");
	/* Each segment was acked in 1 ms: the first such stall is kept. */
	is_str(doc, "interruption.tcp_stall.src", "192.0.2.10");
	is_int(doc, "interruption.tcp_stall.sport", 50000);
	is_str(doc, "interruption.tcp_stall.dst", "203.0.113.5");
	is_int(doc, "interruption.tcp_stall.dport", 443);
	is_int(doc, "interruption.tcp_stall.start_ns", T0);
	is_int(doc, "interruption.tcp_stall.end_ns", T0 + MS);
	is_real(doc, "interruption.tcp_stall.duration_s", 0.001);
	is_int(doc, "interruption.tcp_stall.retransmissions", 0);
	ck_assert_uint_eq(json_array_size(get(doc, "notes")), 2);
	is_str(doc, "notes.0", "no echo probes to the VM in the capture: the "
	    "interruption is its longest silence (no frame from 192.0.2.10)");
	json_decref(doc);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* The CSV timeline and the text report of the full scenario. */
START_TEST(csv_and_text)
{
	struct capture c = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *path, *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *f;
	json_t *doc;
	int rows = 0;

	add_echo(&c, LOST_LO, LOST_HI);
	add_rarp(&c);
	add_stream(&c);
	path = write_pcap(&c, "csv.pcap");
	analysis_opts_init(&o);
	ck_assert_int_eq(mt_parse_rate("13M", &o.link_bps), 0);
	a = run(&o, path);

	f = open_memstream(&buf, &len);
	report_write_csv(a, f);
	fclose(f);
	line = strtok_r(buf, "\n", &save);
	ck_assert_str_eq(line, "bin_start_ns,bin_start_s,stream_bps,probes_sent,"
	    "probes_answered,announces,late_replies,utilisation");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char want[160];
		if (rows == 1) {
			/* +101 ms: 100 segments, probes +105..+195 ms, each
			 * answered 0.5 ms later in the same bin: none late */
			snprintf(want, sizeof(want), "%lld,0.100000000,11584000.0,10,10,0,0,%.4f",
			    (long long)(T0 + 101 * MS), 100.0 * 1502 * 8 / 0.1 / 13e6);
			ck_assert_str_eq(line, want);
		}
		if (rows == 12) {
			/* +1201 ms: probes 120..129 lost, RARPs at +1250, +1300 */
			snprintf(want, sizeof(want), "%lld,1.200000000,0.0,10,0,2,0,0.0000",
			    (long long)(T0 + 1201 * MS));
			ck_assert_str_eq(line, want);
		}
		rows++;
	}
	/* Bins from +1 ms to the last packet at +1995.5 ms: 20. */
	ck_assert_int_eq(rows, 20);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	doc = analysis_to_json(a);
	report_write_text(doc, 0, f);
	json_decref(doc);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "  method                icmp-echo, the gap holding the first announce\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  last reply before     2026-01-01 00:00:00.995500000Z\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  first reply after     2026-01-01 00:00:01.305500000Z\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  duration              310.000000 ms"));
	ck_assert_ptr_nonnull(strstr(buf, "  lost probes           30\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  bytes                 1448000\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  to first reply        55.500000 ms"));
	ck_assert_ptr_nonnull(strstr(buf, "QEVM magic"));
	free(buf);
	analysis_free(a);
	free(path);
	free(c.f);
}
END_TEST

/* Two captures (external and management network) merged by time. */
START_TEST(two_files)
{
	struct capture ext = { 0 }, mgmt = { 0 };
	struct analysis_opts o;
	struct analysis *a;
	char *paths[2], errbuf[MT_ERRBUF_SIZE] = "";
	json_t *doc;

	add_echo(&ext, LOST_LO, LOST_HI);
	add_rarp(&ext);
	add_stream(&mgmt);
	paths[0] = write_pcap(&ext, "ext.pcap");
	paths[1] = write_pcap(&mgmt, "mgmt.pcap");
	analysis_opts_init(&o);
	o.progress = 0;
	a = analysis_run(&o, paths, 2, errbuf);
	ck_assert_msg(a != NULL, "analysis_run: %s", errbuf);
	ck_assert_int_eq(analysis_status(a), MT_EXIT_OK);
	doc = analysis_to_json(a);
	all_keys(doc);
	ck_assert_uint_eq(json_array_size(get(doc, "inputs")), 2);
	is_str(doc, "inputs.0.file", paths[0]);
	is_int(doc, "inputs.0.packets", (long long)ext.n);
	is_int(doc, "inputs.0.bytes", (long long)ext.wire_bytes);
	is_int(doc, "inputs.0.first_ns", T0 + 5 * MS);
	is_int(doc, "inputs.0.last_ns", T0 + 1995 * MS + 500 * US);
	is_str(doc, "inputs.1.file", paths[1]);
	is_int(doc, "inputs.1.packets", (long long)mgmt.n);
	is_int(doc, "inputs.1.bytes", (long long)mgmt.wire_bytes);
	is_int(doc, "inputs.1.first_ns", T0 + MS);
	is_int(doc, "inputs.1.last_ns", T0 + 1009 * MS + 100 * US);
	is_int(doc, "packets", (long long)(ext.n + mgmt.n));
	is_int(doc, "first_ns", T0 + MS);
	is_int(doc, "last_ns", T0 + 1995 * MS + 500 * US);
	is_str(doc, "vm.ip", "192.0.2.10");
	check_echo(doc);
	is_int(doc, "announce.count", 3);
	check_stream(doc);
	json_decref(doc);
	analysis_free(a);
	free(paths[0]);
	free(paths[1]);
	free(ext.f);
	free(mgmt.f);
}
END_TEST

/* Not a capture: NULL and one line naming the file. */
START_TEST(bad_input)
{
	struct analysis_opts o;
	char errbuf[MT_ERRBUF_SIZE] = "";
	char *path;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "%s/notes.txt", tmpdir), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a capture file, just some text in it\n", f);
	fclose(f);
	analysis_opts_init(&o);
	o.progress = 0;
	ck_assert_ptr_null(analysis_run(&o, &path, 1, errbuf));
	ck_assert_msg(strncmp(errbuf, path, strlen(path)) == 0 &&
	    errbuf[strlen(path)] == ':', "message does not name the file: %s", errbuf);
	ck_assert_ptr_null(strchr(errbuf, '\n'));

	/* With --vm given (one pass), the same. */
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &o.vm_ip), 0);
	errbuf[0] = '\0';
	ck_assert_ptr_null(analysis_run(&o, &path, 1, errbuf));
	ck_assert_msg(strncmp(errbuf, path, strlen(path)) == 0, "%s", errbuf);
	free(path);
}
END_TEST

/* The test cases of this file, in their order, for check_report.c. */
void
report_tests_more(TCase *tc)
{
	tcase_add_test(tc, min_gap_and_no_gap);
	tcase_add_test(tc, silence_and_stall);
	tcase_add_test(tc, csv_and_text);
	tcase_add_test(tc, two_files);
	tcase_add_test(tc, bad_input);
}
