/*
 * check_report.h: what the parts of the analysis and report Check suite
 * share: the capture builder, the scenario and the JSON checks
 * (check_report_util.c).
 */
#ifndef CHECK_REPORT_H
#define CHECK_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <jansson.h>

#include "analysis/analysis_int.h"
#include "testutil.h"

#define T0	(1767225600LL * MT_NS_PER_S)	/* 2026-01-01T00:00:00Z */
#define MS	MT_NS_PER_MS
#define US	1000LL

extern const uint8_t VMMAC[6];
extern const uint8_t CLMAC[6];
extern const uint8_t SRCMAC[6];
extern const uint8_t DSTMAC[6];
extern const uint8_t PEERMAC[6];
extern const uint8_t BCAST[6];
extern const uint8_t VMIP[4];
extern const uint8_t CLIP[4];
extern const uint8_t SRCIP[4];
extern const uint8_t DSTIP[4];
extern const uint8_t PEERIP[4];

extern char tmpdir[64];

struct frame {
	mt_ns ts;
	size_t idx;		/* order made, for equal times */
	uint32_t caplen, wirelen;
	uint8_t b[96];
};

struct capture {
	struct frame *f;
	size_t n, cap;
	uint64_t wire_bytes;
};

/* The scenario (check_report_util.c has its story). */
enum { NPROBES = 200, LOST_LO = 100, LOST_HI = 130, NSEG = 1000, MSS = 1448 };

void setup(void);
void teardown(void);
struct frame *newframe(struct capture *c, mt_ns ts);
void keep(struct capture *c, mt_ns ts, const struct fb *fb);
void eth(struct fb *f, const uint8_t *dst, const uint8_t *src, unsigned type);
void ipv4(struct fb *f, const uint8_t *src, const uint8_t *dst, unsigned proto,
    unsigned total);
void echo(struct capture *c, mt_ns ts, int reply, uint16_t seq);
void rarp(struct capture *c, mt_ns ts);
void tcp(struct capture *c, mt_ns ts, const uint8_t *smac, const uint8_t *sip,
    unsigned sport, const uint8_t *dmac, const uint8_t *dip, unsigned dport,
    uint32_t seq, uint32_t ack, unsigned flags, unsigned len, int magic);
int cmp_frame(const void *a, const void *b);
char *write_pcap(struct capture *c, const char *name);
void add_echo(struct capture *c, int lost_lo, int lost_hi);
void add_rarp(struct capture *c);
void add_stream(struct capture *c);
void keys_are(const json_t *obj, const char *const *keys, const char *what);
json_t *get(const json_t *doc, const char *path);
void is_int(const json_t *doc, const char *path, long long want);
void is_real(const json_t *doc, const char *path, double want);
void is_str(const json_t *doc, const char *path, const char *want);
void is_null(const json_t *doc, const char *path);
void is_bool(const json_t *doc, const char *path, int want);
void all_keys(const json_t *doc);
struct analysis *run(struct analysis_opts *o, char *path);
void check_echo(const json_t *doc);
void check_stream(const json_t *doc);

/* The test cases of check_report_more.c. */
void	report_tests_more(TCase *);

#endif /* CHECK_REPORT_H */
