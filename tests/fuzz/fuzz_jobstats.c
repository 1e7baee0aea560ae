/*
 * fuzz_jobstats.c: libFuzzer target for the job-statistics readers: the
 * form is detected from the content, so one target reaches the `virsh
 * domjobinfo` text parser, the --rawstats parser and the jobstats.json
 * reader, then the report section built from what was read, and the
 * sections computed from it (decomposition, crosscheck, pre-copy model,
 * what-if) against two fixed capture reports: one with every measure
 * (explain.test's synthetic migration) and one with none.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "report/explain_report.h"
#include "virt/jobstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* migtrace-analyze --format json on explain.test's synthetic capture. */
static const char full_doc[] =
    "{\"interruption\":{\"method\":\"icmp-echo\",\"last_reply_before_ns\":"
    "1767225600995213000,\"first_reply_after_ns\":1767225601345231000,"
    "\"duration_s\":0.350018,\"lost_probes\":34,\"probe_interval_s\":0.01,"
    "\"min_gap_s\":0.03,\"probes_sent\":260,\"probes_answered\":226,"
    "\"probes_lost\":34,\"replies\":226,\"tcp_stall\":null},\"announce\":"
    "{\"first_ns\":1767225601298000000,\"count\":5,\"rarp\":5,\"garp\":0,"
    "\"mac\":\"52:54:00:12:34:56\",\"to_first_reply_s\":0.047231},"
    "\"migration\":{\"flows\":1,\"bytes\":10000000,\"first_data_ns\":"
    "1767225600200000000,\"last_data_ns\":1767225600999991000,"
    "\"duration_s\":0.799991,\"mean_bps\":100001125.012656,\"peak_bps\":"
    "100085760,\"bin_s\":0.1,\"retransmissions\":0,\"zero_windows\":0,"
    "\"link_bps\":100000000,\"utilisation\":1.04559796297708,"
    "\"bottleneck\":true,\"bins_at_90pct\":7,\"bins_inside\":7},"
    "\"notes\":[]}";
/* A capture with nothing measured. */
static const char empty_doc[] =
    "{\"interruption\":null,\"announce\":null,\"migration\":{\"flows\":0,"
    "\"bytes\":0},\"notes\":[]}";

static void
quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void
explain(const char *text, const struct jobstats *js, double what_if, FILE *out)
{
	struct explain_opts eo;
	char errbuf[MT_ERRBUF_SIZE];
	json_t *doc;

	if ((doc = json_loads(text, 0, NULL)) == NULL)
		abort();	/* the fixed documents are valid */
	explain_opts_init(&eo);
	eo.what_if_link_bps = what_if;
	if (explain_add_json(doc, js, &eo, errbuf) == 0 && out != NULL) {
		explain_write_text(doc, out);
		json_dumpf(doc, out, 0);
	}
	json_decref(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct jobstats *js;
	json_t *j;
	FILE *out;

	js = jobstats_parse("fuzz.txt", (const char *)data, size, quiet, NULL,
	    errbuf);
	if (js == NULL)
		return 0;
	j = jobstats_to_json(js);
	json_decref(j);
	out = fopen("/dev/null", "w");
	explain(full_doc, js, 1e9, out);
	explain(empty_doc, js, 0, out);
	if (out != NULL)
		fclose(out);
	jobstats_free(js);
	return 0;
}
