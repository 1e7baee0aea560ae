/*
 * outfile.h: create output files safely: never through a link planted
 * in the output directory, atomically where a reader may look at any
 * time, with a little disk space held back so a full disk still ends
 * with a complete final file.
 */
#ifndef MT_OUTFILE_H
#define MT_OUTFILE_H

#include <jansson.h>

/*
 * Create name in dirfd: O_CREAT|O_EXCL|O_NOFOLLOW, mode 0640. An
 * existing file is an error unless force (then it is unlinked first); a
 * symbolic link is always refused. Return the fd or -1 (err).
 */
int out_create(int dirfd, const char *dir, const char *name, int force,
    char *err, size_t errlen);
/*
 * Write json to name in dirfd atomically (temporary file, fsync,
 * rename). Return 0 or -1 (err).
 */
int out_json_atomic(int dirfd, const char *dir, const char *name,
    json_t *json, char *err, size_t errlen);
/* Reserve / release some disk space for the final manifest. */
void out_reserve(int dirfd);
void out_unreserve(int dirfd);

#endif
