/*
 * common.c: what every part of migtrace-capture uses and which calls no
 * other part: one-line messages on stderr, the clock, and the eventfd
 * through which the prober and libvirt threads wake the main loop.
 * main.c and loop.c call the parts; the parts call only this, so there
 * is no loop between them.
 */
#include "config.h"

#include <sys/eventfd.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"

static int g_wakefd = -1;

void
cap_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vmsg(CAP_PROG, "", fmt, ap);
	va_end(ap);
}

void
cap_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vmsg(CAP_PROG, "WARNING: ", fmt, ap);
	va_end(ap);
}

int
cap_wake_init(void)
{
	g_wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return g_wakefd < 0 ? -1 : 0;
}

void
cap_wake_close(void)
{
	if (g_wakefd >= 0)
		close(g_wakefd);
	g_wakefd = -1;
}

int
cap_wake_fd(void)
{
	return g_wakefd;
}

void
cap_wake(void)
{
	uint64_t one = 1;

	if (g_wakefd >= 0 && write(g_wakefd, &one, sizeof(one)) < 0)
		(void)0;	/* counter full: the loop is awake anyway */
}

mt_ns
cap_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (mt_ns)ts.tv_sec * MT_NS_PER_S + ts.tv_nsec;
}
