/*
 * progress.h: the progress line of a long read ("reading: 42% (...)") on
 * standard error: only on a terminal, only after the first second, and
 * wiped at the end.
 */
#ifndef MT_PROGRESS_H
#define MT_PROGRESS_H

#include <time.h>

#include "input/source.h"

struct progress {
	int on;
	struct timespec t0;
	int shown;
	const char *what;
};

/* Start; on: the caller wants it (shown only if stderr is a terminal). */
void progress_init(struct progress *pr, int on, const char *what);
/* Show how much of s is read, at most once a call. */
void progress_tick(struct progress *pr, const struct srcset *s);
/* Wipe the line if it was shown. */
void progress_end(struct progress *pr);

#endif /* MT_PROGRESS_H */
