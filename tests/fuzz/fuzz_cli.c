/*
 * fuzz_cli.c: libFuzzer target for migtrace-analyze's option parser: the
 * bytes, split at NUL, are the arguments after the program name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "runs/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2];
	char errbuf[MT_ERRBUF_SIZE];
	struct cli c;
	int argc = 0;
	size_t i, start = 0;

	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"migtrace-analyze";
	for (i = 0; i <= size && argc <= MAX_ARGS; i++)
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	(void)cli_parse(argc, argv, &c, errbuf);
	cli_free(&c);
	free(buf);
	return 0;
}
