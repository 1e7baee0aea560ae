/*
 * fuzz_qemutrace.c: libFuzzer target for the QEMU trace reader and the
 * pause join: the bytes are one host's QEMU log (lib/virt/qemutrace.c),
 * read twice, once as the source's and once as the destination's trace
 * (so a log holding either side reaches both roles), then joined with a
 * capture report (lib/analysis/pause.c) whose packets are placed around
 * the log's own events (the real run's offsets from the seed corpus), so
 * that every input reaches the join, the steps, the devices and the
 * disagreements; and rendered as text (lib/report/pause_report.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "analysis/pause.h"
#include "report/pause_report.h"
#include "virt/qemutrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A capture report with the wire's four times at t + the offsets. */
static json_t *
doc_at(mt_ns t)
{
	return json_pack("{s:{s:I, s:I}, s:{s:I}, s:{s:I}, s:[{s:I, s:{s:I, "
	    "s:I, s:I}}], s:[]}",
	    "interruption", "last_reply_before_ns", (json_int_t)(t - 5000000),
	    "first_reply_after_ns", (json_int_t)(t + 300000000),
	    "announce", "first_ns", (json_int_t)(t + 250000000),
	    "migration", "last_data_ns", (json_int_t)(t + 100000000),
	    "migrations", "last_data_ns", (json_int_t)(t + 100000000),
	    "interruption", "last_reply_before_ns", (json_int_t)(t - 5000000),
	    "first_reply_after_ns", (json_int_t)(t + 300000000),
	    "announce_ns", (json_int_t)(t + 250000000), "notes");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct qtrace *t;
	struct pause_trace pt[2];
	json_t *doc;
	FILE *out;
	mt_ns anchor = 1765000000LL * MT_NS_PER_S;

	t = qtrace_parse_mem("fuzz.log", (const char *)data, size, errbuf);
	if (t == NULL)
		return 0;
	if (t->n > 0)
		anchor = t->ev[t->n / 2].ns;
	if (anchor > INT64_MAX - MT_NS_PER_S || anchor < INT64_MIN / 2)
		anchor = 0;
	pause_trace_init(&pt[0], t);
	pause_trace_init(&pt[1], t);
	pt[1].host = "b";
	pt[1].offset = 1000;
	pt[1].uncertainty = 500;
	if ((doc = doc_at(anchor)) != NULL) {
		if (pause_add_json(doc, pt, 2, NULL, NULL, errbuf) == 0 &&
		    (out = fopen("/dev/null", "w")) != NULL) {
			pause_write_text(doc, out);
			json_dumpf(doc, out, JSON_REAL_PRECISION(15));
			fclose(out);
		}
		json_decref(doc);
	}
	qtrace_free(t);
	return 0;
}
