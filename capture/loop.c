/*
 * loop.c: the one poll loop of migtrace-capture: every capture handle, a
 * signalfd for SIGINT/SIGTERM and an eventfd that the prober and libvirt
 * threads use to wake it; deadlines for --duration, the end of the
 * migration + --linger, and the drain after a stop. No busy waiting:
 * poll sleeps until a descriptor is ready or the next deadline.
 */
#include "config.h"

#include <sys/signalfd.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

/* After a stop, keep reading this long: a TPACKET_V3 block reaches us
 * only when the kernel retires it (at most the buffer timeout). */
#define CAP_DRAIN_MS		(CAP_TIMEOUT_MS + 50)
/* A signal during a migration we started: wait this long for it to be
 * cancelled before stopping anyway. */
#define CAP_ABORT_WAIT_NS	(30 * MT_NS_PER_S)

static int
ms_until(mt_ns now, mt_ns t)
{
	mt_ns d = t - now;

	if (d <= 0)
		return 0;
	d = (d + MT_NS_PER_MS - 1) / MT_NS_PER_MS;
	return d > INT_MAX ? INT_MAX : (int)d;
}


static void
begin_stop(struct loop *l, enum cap_stop why, mt_ns now)
{
	if (l->stop != CAP_STOP_NONE)
		return;
	l->stop = why;
	probe_stop_sending(l->run->probe);
	l->drain_end = now + (l->o->immediate ? 20 : CAP_DRAIN_MS) *
	    MT_NS_PER_MS;
}

/* The poll loop. Returns when the capture is over (l->stop says why). */
void
run_loop(struct loop *l)
{
	struct cap_opts *o = l->o;
	struct pollfd *pfd;
	int npfd = o->nifs + 2;
	mt_ns now, deadline, job_end;
	int timeout, rc;

	pfd = calloc((size_t)npfd, sizeof(*pfd));
	if (pfd == NULL) {
		l->stop = CAP_STOP_CAPTURE_ERROR;
		snprintf(l->error, sizeof(l->error), "out of memory");
		return;
	}
	for (int i = 0; i < o->nifs; i++) {
		pfd[i].fd = o->ifs[i].selfd;
		pfd[i].events = POLLIN;
	}
	pfd[o->nifs].fd = l->sigfd;
	pfd[o->nifs].events = POLLIN;
	pfd[o->nifs + 1].fd = cap_wake_fd();
	pfd[o->nifs + 1].events = POLLIN;
	l->drain_end = MT_NS_NONE;
	l->abort_until = MT_NS_NONE;

	for (;;) {
		now = cap_now();
		deadline = MT_NS_NONE;
		if (l->drain_end != MT_NS_NONE)
			deadline = l->drain_end;
		else {
			if (o->duration > 0)
				deadline = l->run->start + o->duration;
			job_end = virt_job_end(l->run->virt);
			if (job_end != MT_NS_NONE && (deadline == MT_NS_NONE ||
			    job_end + o->linger < deadline))
				deadline = job_end + o->linger;
			if (l->abort_until != MT_NS_NONE &&
			    (deadline == MT_NS_NONE || l->abort_until < deadline))
				deadline = l->abort_until;
		}
		timeout = deadline == MT_NS_NONE ? -1 : ms_until(now, deadline);
		rc = poll(pfd, (nfds_t)npfd, timeout);
		if (rc < 0 && errno != EINTR) {
			snprintf(l->error, sizeof(l->error), "poll: %s",
			    strerror(errno));
			l->stop = CAP_STOP_CAPTURE_ERROR;
			break;
		}
		now = cap_now();
		if (rc > 0 && (pfd[o->nifs].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(l->sigfd, &si, sizeof(si)) ==
			    (ssize_t)sizeof(si)) {
				if (l->stop != CAP_STOP_NONE ||
				    l->abort_until != MT_NS_NONE) {
					/* Second signal: stop now. */
					if (l->stop == CAP_STOP_NONE)
						l->stop = CAP_STOP_SIGNAL;
					l->drain_end = now;
					continue;
				}
				if (l->run->virt != NULL && strcmp(
				    virt_migration_status(l->run->virt),
				    "running") == 0) {
					/* Cancel what we started; stop once
					 * libvirt says it has ended. */
					virt_abort(l->run->virt);
					l->abort_until = now + CAP_ABORT_WAIT_NS;
					probe_stop_sending(l->run->probe);
				} else
					begin_stop(l, CAP_STOP_SIGNAL, now);
			}
		}
		if (rc > 0 && (pfd[o->nifs + 1].revents & POLLIN)) {
			uint64_t cnt;

			if (read(cap_wake_fd(), &cnt, sizeof(cnt)) < 0)
				(void)0;
		}
		for (int i = 0; i < o->nifs && rc > 0; i++) {
			struct cap_iface *ifc = &o->ifs[i];
			int n;

			if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			n = iface_dispatch(ifc, l->error, sizeof(l->error));
			if (n == -2) {
				snprintf(l->error, sizeof(l->error),
				    "%s/%s: %s", o->dir, ifc->file,
				    strerror(ifc->werr));
				l->stop = (ifc->werr == ENOSPC ||
				    ifc->werr == EDQUOT) ? CAP_STOP_DISK_FULL :
				    CAP_STOP_WRITE_ERROR;
				goto out;
			}
			if (n == -1) {
				l->stop = CAP_STOP_CAPTURE_ERROR;
				goto out;
			}
		}
		if (l->drain_end != MT_NS_NONE) {
			if (now >= l->drain_end)
				break;
			continue;
		}
		if (l->abort_until != MT_NS_NONE) {
			if (virt_job_end(l->run->virt) != MT_NS_NONE ||
			    now >= l->abort_until)
				begin_stop(l, CAP_STOP_SIGNAL, now);
			continue;
		}
		if (o->duration > 0 && now >= l->run->start + o->duration) {
			begin_stop(l, CAP_STOP_DURATION, now);
			continue;
		}
		job_end = virt_job_end(l->run->virt);
		if (job_end != MT_NS_NONE && now >= job_end + o->linger)
			begin_stop(l, CAP_STOP_MIGRATION, now);
	}
out:
	free(pfd);
}
