/*
 * qemulog.c: the hosts' QEMU logs beside the captures. When the capture
 * starts, each log (--qemu-log FILE, or the watched domain's
 * /var/log/libvirt/qemu/DOMAIN.log when it is readable here) is opened
 * and its size noted; after the migration the lines written since are
 * copied to DIR/qemu-trace-N.log, where migtrace-analyze finds QEMU's
 * downtime trace events (docs/qemu-trace.md). The files are opened as
 * root, before -Z drops privileges, and read through those descriptors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"

/* Copied from one log at most (a runaway log must not fill the disk). */
#define QLOG_MAX_COPY	(256LL << 20)

int
qlog_open(const struct cap_opts *o, struct qlog *q)
{
	char def[4096];
	int n = 0;

	memset(q, 0, sizeof(*q));
	for (int i = 0; i < QLOG_MAX; i++)
		q->fd[i] = -1;
	if (o->nqemu_logs == 0 && o->domain != NULL) {
		/* The local host's log, if it is there (a local URI). */
		snprintf(def, sizeof(def), "/var/log/libvirt/qemu/%s.log",
		    o->domain);
		if (access(def, F_OK) != 0)
			return 0;
		q->path[0] = strdup(def);
		n = 1;
	} else
		for (int i = 0; i < o->nqemu_logs; i++)
			q->path[n++] = strdup(o->qemu_logs[i]);
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (q->path[i] == NULL)
			continue;
		q->n = i + 1;
		if ((q->fd[i] = open(q->path[i], O_RDONLY | O_CLOEXEC)) < 0 ||
		    fstat(q->fd[i], &st) < 0) {
			cap_warn("--qemu-log %s: %s: its QEMU trace lines are "
			    "not copied", q->path[i], strerror(errno));
			if (q->fd[i] >= 0)
				close(q->fd[i]);
			q->fd[i] = -1;
			continue;
		}
		q->start[i] = st.st_size;
	}
	return 0;
}

/* Count the lines of QEMU's downtime events in buf. */
static unsigned
count_events(const char *buf, size_t len)
{
	unsigned c = 0;
	const char *p = buf, *end = buf + len;
	static const char key[] = "vmstate_downtime_";

	while (p < end && (p = memmem(p, (size_t)(end - p), key,
	    sizeof(key) - 1)) != NULL) {
		c++;
		p += sizeof(key) - 1;
	}
	return c;
}

/* Copy one log's new bytes to DIR/qemu-trace-N.log; 0 or -1 (said). */
static int
copy_one(struct qlog *q, int i, int dirfd, const char *dir, int quiet)
{
	char name[64], buf[65536];
	struct stat st;
	off_t from = q->start[i], done = 0;
	unsigned events = 0;
	ssize_t r;
	int out;

	if (fstat(q->fd[i], &st) < 0)
		return -1;
	if (st.st_size < from)
		from = 0;	/* truncated or rotated: all of it is new */
	snprintf(name, sizeof(name), "qemu-trace-%d.log", i + 1);
	if ((out = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) < 0) {
		cap_err("%s/%s: %s", dir, name, strerror(errno));
		return -1;
	}
	while (done < QLOG_MAX_COPY &&
	    (r = pread(q->fd[i], buf, sizeof(buf), from + done)) > 0) {
		events += count_events(buf, (size_t)r);
		if (write(out, buf, (size_t)r) != r) {
			cap_err("%s/%s: %s", dir, name, strerror(errno));
			close(out);
			return -1;
		}
		done += r;
	}
	if (close(out) != 0) {
		cap_err("%s/%s: %s", dir, name, strerror(errno));
		return -1;
	}
	if (!quiet)
		fprintf(stderr, "%s: %s: %lld new bytes, %u QEMU downtime "
		    "events, copied to %s/%s\n", CAP_PROG, q->path[i],
		    (long long)done, events, dir, name);
	if (events == 0)
		cap_warn("%s: no QEMU downtime trace events in the lines the "
		    "migration added: QEMU older than 8.2, or the events are "
		    "off (see migtrace-capture(8), QEMU TRACES)", q->path[i]);
	return 0;
}

int
qlog_copy(struct qlog *q, int dirfd, const char *dir, int quiet)
{
	int rc = 0;

	for (int i = 0; i < q->n; i++)
		if (q->fd[i] >= 0 && copy_one(q, i, dirfd, dir, quiet) < 0)
			rc = -1;
	return rc;
}

void
qlog_close(struct qlog *q)
{
	for (int i = 0; i < q->n; i++) {
		if (q->fd[i] >= 0)
			close(q->fd[i]);
		free(q->path[i]);
	}
	memset(q, 0, sizeof(*q));
}
