/*
 * privdrop.c: -Z USER, as tcpdump does it: after the capture handles
 * (and the prober's raw socket) are open, take the user's groups, gid
 * and uid, so that nothing after that runs as root. Upstream tcpdump
 * drops only when told (-Z) or when built --with-user; so do we: there
 * is no default user.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

int
priv_drop(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "-Z %s: no such user", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
		snprintf(err, errlen, "-Z %s: cannot switch to the user: %s",
		    user, strerror(errno));
		return -1;
	}
	/* Make sure there is no way back (setuid(0) must now fail). */
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		snprintf(err, errlen, "-Z %s: privileges were not dropped",
		    user);
		return -1;
	}
	return 0;
}
