/*
 * fuzz_capture.c: libFuzzer target for the capture-file path: bytes ->
 * libpcap (pcap or pcapng, any link type) -> decoders -> every measure ->
 * the JSON document and the text report. The bytes reach libpcap through
 * fmemopen(), never the file system.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct analysis_opts o;
	struct analysis *a;
	char errbuf[MT_ERRBUF_SIZE];
	FILE *out;
	json_t *doc;

	analysis_opts_init(&o);
	o.warn = quiet;
	/* Both passes: without --vm the VM finder reads the bytes first. */
	a = analysis_run_mem(&o, "fuzz.pcap", data, size, errbuf);
	if (a == NULL)
		return 0;
	doc = analysis_to_json(a);
	out = fopen("/dev/null", "w");
	if (out != NULL) {
		report_write_text(doc, 0, out);
		report_write_csv(a, out);
		json_dumpf(doc, out, 0);
		fclose(out);
	}
	json_decref(doc);
	analysis_free(a);
	return 0;
}
