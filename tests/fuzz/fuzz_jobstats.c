/*
 * fuzz_jobstats.c: libFuzzer target for the job-statistics readers: the
 * form is detected from the content, so one target reaches the `virsh
 * domjobinfo` text parser, the --rawstats parser and the jobstats.json
 * reader, then the report section built from what was read.
 */
#include "config.h"

#include <stdlib.h>

#include "jobstats.h"

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
	char errbuf[MT_ERRBUF_SIZE];
	struct jobstats *js;
	json_t *j;

	js = jobstats_parse("fuzz.txt", (const char *)data, size, quiet, NULL,
	    errbuf);
	if (js == NULL)
		return 0;
	j = jobstats_to_json(js);
	json_decref(j);
	jobstats_free(js);
	return 0;
}
