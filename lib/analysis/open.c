/*
 * open.c: what one analysis reads, opened afresh for each pass: capture
 * files (each on the reference clock when several hosts stamped them,
 * clocks.c), or one capture held in memory (the fuzzers).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis_int.h"

struct srcset *
analysis_open(const struct analysis_opts *o, const struct run_input *in,
    const struct analysis_clocks *ck, char *errbuf)
{
	struct srcset *s = srcset_new(o->warn, o->warn_ctx);
	FILE *fp;

	if (s == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	if (in->data != NULL) {
		/*
		 * A fresh FILE per pass: libpcap owns (and closes) it. "r"
		 * never writes, so casting the const away is safe.
		 */
		fp = fmemopen((void *)(uintptr_t)in->data, in->size, "r");
		if (fp == NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot open "
			    "(%s)", in->files[0], strerror(errno));
			srcset_free(s);
			return NULL;
		}
		/* The fuzzers' path: no thread per input. */
		srcset_readahead(s, 0);
		if (srcset_add_fp(s, in->files[0], fp, errbuf) < 0) {
			srcset_free(s);
			return NULL;
		}
		return s;
	}
	if (o->readahead >= 0)
		srcset_readahead(s, o->readahead);
	for (int i = 0; i < in->nfiles; i++)
		if (srcset_add(s, in->files[i], errbuf) < 0) {
			srcset_free(s);
			return NULL;
		}
	if (ck != NULL && clocks_apply(ck, s, errbuf) < 0) {
		srcset_free(s);
		return NULL;
	}
	return s;
}

/* The first of s's captures that cannot be read a second time (standard
 * input, a pipe), or NULL. */
const char *
analysis_read_once(const struct srcset *s, int nfiles)
{
	for (int i = 0; i < nfiles; i++)
		if (srcset_stats(s, i)->once)
			return srcset_stats(s, i)->path;
	return NULL;
}
