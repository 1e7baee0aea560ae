/* progress.c: the analyzer's progress line on standard error (progress.h). */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "analysis/progress.h"

void
progress_init(struct progress *pr, int on, const char *what)
{
	pr->on = on && isatty(STDERR_FILENO);
	pr->shown = 0;
	pr->what = what;
	clock_gettime(CLOCK_MONOTONIC, &pr->t0);
}

void
progress_tick(struct progress *pr, const struct srcset *s)
{
	struct timespec now;
	uint64_t done, total;
	double el;

	if (!pr->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	el = (double)(now.tv_sec - pr->t0.tv_sec) +
	    (double)(now.tv_nsec - pr->t0.tv_nsec) / 1e9;
	if (el < 1.0)
		return;
	srcset_progress(s, &done, &total);
	fprintf(stderr, "\r%s: %3.0f%% (%.0f of %.0f MB, %.0f MB/s)  ",
	    pr->what, total ? 100.0 * (double)done / (double)total : 0.0,
	    (double)done / 1e6, (double)total / 1e6, (double)done / 1e6 / el);
	pr->shown = 1;
}

void
progress_end(struct progress *pr)
{
	if (pr->shown)
		fprintf(stderr, "\r%60s\r", "");
}
