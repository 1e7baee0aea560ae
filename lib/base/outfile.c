/*
 * outfile.c: create output files safely (never following a link planted
 * at the path, never overwriting without --force, mode 0640) and write
 * JSON files atomically (temporary file, fsync, rename).
 */
#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/outfile.h"

#define OUT_MODE	0640
/*
 * Space held back for the final manifest and jobstats.json, so that a
 * full disk still ends with a complete manifest: the reserve file is
 * deleted right before they are written.
 */
#define OUT_RESERVE_NAME	".migtrace-capture.reserve"
#define OUT_RESERVE_BYTES	(24 * 1024)

int
out_create(int dirfd, const char *dir, const char *name, int force,
    char *err, size_t errlen)
{
	struct stat sb;
	char path[4096];
	int fd;

	if (dir != NULL)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(sb.st_mode)) {
			snprintf(err, errlen, "%s: is a symbolic link, refusing "
			    "to write through it", path);
			return -1;
		}
		if (!force) {
			snprintf(err, errlen, "%s: already exists (use --force "
			    "to overwrite)", path);
			return -1;
		}
		if (!S_ISREG(sb.st_mode)) {
			snprintf(err, errlen, "%s: exists and is not a regular "
			    "file", path);
			return -1;
		}
		if (unlinkat(dirfd, name, 0) < 0) {
			snprintf(err, errlen, "%s: cannot remove: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	/* O_EXCL|O_NOFOLLOW: a link planted between the check and here
	 * makes the open fail instead of writing through it. O_RDWR: after
	 * a failed write the records are read back to cut a partial one. */
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, OUT_MODE);
	if (fd < 0) {
		if (errno == EEXIST || errno == ELOOP)
			snprintf(err, errlen, "%s: appeared while opening it, "
			    "refusing", path);
		else
			snprintf(err, errlen, "%s: cannot create: %s", path,
			    strerror(errno));
		return -1;
	}
	/* The umask may only remove bits; make the mode exact. */
	(void)fchmod(fd, OUT_MODE);
	return fd;
}

/* write(2) all of buf; return 0 or -1 (errno). */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
out_json_atomic(int dirfd, const char *dir, const char *name, json_t *json,
    char *err, size_t errlen)
{
	char tmp[256];
	char *text;
	int fd, e;

	text = json_dumps(json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL) {
		snprintf(err, errlen, "%s/%s: cannot encode JSON", dir, name);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	(void)unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, OUT_MODE);
	if (fd < 0) {
		snprintf(err, errlen, "%s/%s: cannot create: %s", dir, tmp,
		    strerror(errno));
		free(text);
		return -1;
	}
	(void)fchmod(fd, OUT_MODE);
	if (write_all(fd, text, strlen(text)) < 0 ||
	    write_all(fd, "\n", 1) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		(void)unlinkat(dirfd, tmp, 0);
		free(text);
		snprintf(err, errlen, "%s/%s: cannot write: %s", dir, name,
		    strerror(e));
		return -1;
	}
	free(text);
	if (close(fd) < 0 || renameat(dirfd, tmp, dirfd, name) < 0) {
		e = errno;
		(void)unlinkat(dirfd, tmp, 0);
		snprintf(err, errlen, "%s/%s: cannot write: %s", dir, name,
		    strerror(e));
		return -1;
	}
	(void)fsync(dirfd);
	return 0;
}

void
out_reserve(int dirfd)
{
	int fd;

	fd = openat(dirfd, OUT_RESERVE_NAME, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (posix_fallocate(fd, 0, OUT_RESERVE_BYTES) != 0) {
		/* No room even for this: nothing to hold back. */
		close(fd);
		(void)unlinkat(dirfd, OUT_RESERVE_NAME, 0);
		return;
	}
	close(fd);
}

void
out_unreserve(int dirfd)
{
	(void)unlinkat(dirfd, OUT_RESERVE_NAME, 0);
}
