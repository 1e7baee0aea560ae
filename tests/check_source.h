/*
 * check_source.h: what the parts of the capture reading Check suite
 * share: the fixture, the frames and file writers, and the read-ahead
 * switch (check_source_util.c).
 */
#ifndef CHECK_SOURCE_H
#define CHECK_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "input/source.h"
#include "testutil.h"

#define T0 1700000000LL		/* seconds: 2023-11-14 */

/* Warnings, collected. */
struct warns {
	int n;
	char last[MT_ERRBUF_SIZE];
	char all[4096];
};

struct rec {
	mt_ns ts;
	unsigned seq;
};

#define FRAME_LEN 42

/* Wire length of those frames: the IP datagram says 64 bytes. */
#define FRAME_WIRE (14 + 64)

/* Timestamp s seconds and n nanoseconds after T0. */
#define NS(s, n) ((T0 + (s)) * MT_NS_PER_S + (n))

extern char dir[64];
/* Every test runs twice (main): 0 read in the caller's thread, 1 read
 * ahead by a thread per file. */
extern int readahead;

void setup(void);
int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw);
void teardown(void);
const char *path_of(const char *name);
void collect(void *ctx, const char *msg);
void frame(uint8_t *b, unsigned id, unsigned seq);
void wsave(const struct fb *w, const char *path, size_t n);
void pcap_hdr(struct fb *w, uint32_t magic, unsigned dlt);
void pcap_rec(struct fb *w, uint32_t sec, uint32_t frac, unsigned id,
    unsigned seq);
void png_shb(struct fb *w);
void png_idb(struct fb *w, unsigned dlt, unsigned tsresol);
void png_epb(struct fb *w, uint64_t t, unsigned id, unsigned seq);
void dump_file(const char *path, int dlt, unsigned id, const struct rec *r,
    size_t n);
struct srcset *new_set(mt_warn_fn warn, void *ctx);
int next_copy(struct srcset *s, struct pkt *out, char *errbuf);
int read_all(struct srcset *s, struct pkt *out, int max);

#ifndef CHECK_SOURCE_UTIL
/* The tests make and read their sets through these. */
#define srcset_new new_set
#define srcset_next next_copy
#endif

/* The test cases of check_source_bad.c. */
void	source_tests_bad(TCase *);

#endif /* CHECK_SOURCE_H */
