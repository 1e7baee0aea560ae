/* mt.h: definitions shared by every module of libmigtrace. */
#ifndef MT_H
#define MT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Timestamps are integer nanoseconds since the Unix epoch, end to end
 * (so no floating-point rounding creeps into a measure). Durations are
 * differences of these. Convert to seconds only when writing output.
 */
typedef int64_t mt_ns;

#define MT_NS_PER_S  1000000000LL
#define MT_NS_PER_MS 1000000LL
#define MT_NS_NONE   INT64_MIN      /* "no such time" */

/*
 * Errors: library functions return -1 (or NULL) and fill a caller's
 * buffer of MT_ERRBUF_SIZE bytes with one line, without a trailing
 * newline, naming the file when there is one ("f.pcap: not a capture
 * file (bad magic 0x12345678)"). No library function prints or exits.
 */
#define MT_ERRBUF_SIZE 512

/* Warning sink: a non-fatal problem the caller may print (one line). */
typedef void (*mt_warn_fn)(void *ctx, const char *msg);

/* Addresses: an IPv4 or IPv6 address, family 0 when unset. */
struct mt_addr {
	uint8_t family;			/* 0, 4 or 6 */
	uint8_t a[16];			/* IPv4 in a[0..3] */
};

/* A 48-bit MAC address. */
struct mt_mac {
	uint8_t a[6];
};

/* Equal addresses (same family and bytes). Inline: the measures compare
 * an address or two per packet; with a constant length the compiler
 * makes each memcmp one or two loads. */
static inline int
mt_addr_eq(const struct mt_addr *x, const struct mt_addr *y)
{
	if (x->family != y->family)
		return 0;
	if (x->family == 4)
		return memcmp(x->a, y->a, 4) == 0;
	return memcmp(x->a, y->a, 16) == 0;
}
/* Format into buf (at least 46 bytes); returns buf. "" for family 0. */
char *mt_addr_str(const struct mt_addr *x, char *buf, size_t len);
/* Parse dotted IPv4 or IPv6 text. Return 0 on success, -1 if not an address. */
int mt_addr_parse(const char *s, struct mt_addr *out);

/* Inline, as mt_addr_eq: both are asked about every packet. */
static inline int
mt_mac_eq(const struct mt_mac *x, const struct mt_mac *y)
{
	return memcmp(x->a, y->a, 6) == 0;
}
int mt_mac_is_zero(const struct mt_mac *x);
/* "52:54:00:12:34:56"; buf at least 18 bytes; returns buf. */
char *mt_mac_str(const struct mt_mac *x, char *buf, size_t len);
/* Parse aa:bb:cc:dd:ee:ff (or '-' separated). Return 0 or -1. */
int mt_mac_parse(const char *s, struct mt_mac *out);

/*
 * Parse a rate in bits per second: a number, then k, M, G or T (powers
 * of 10, as tc and iperf read them) and/or bit, bit/s, bps, b or b/s:
 * "100M", "1G", "100mbit", "1.5Gbit/s", "12500000bit". A bare number is
 * refused (the unit it meant is a guess). Return 0 and set *bps, or -1
 * with *bps untouched.
 */
int mt_parse_rate(const char *s, double *bps);

/* 1 if s is a plain non-negative number with no unit ("100", "0.5"):
 * for an error message that suggests the unit. */
int mt_is_bare_number(const char *s);

/* For a duration refused because s is a bare number: the advice, "write
 * 30ms or 30s (units ...)", in buf, and 1; 0 (buf untouched) otherwise.
 * Each program puts it in its own message form. */
int mt_duration_hint(char *buf, size_t len, const char *s);

/* The CPUs this process may run on (its affinity mask, as nproc(1)
 * counts them; the online CPUs if that cannot be read), at least 1. */
int mt_ncpu(void);

/*
 * Megabytes made and dropped per analysis (rings, stdio buffers, kept
 * records), straight from mmap, zeroed, pages touched only when used:
 * through malloc, once the first was given back, glibc's dynamic
 * threshold put the next ones on the heap and kept them: `--experiment
 * -j 1` grew by 3 MB a run, to 88 MB for 24 runs (bench/RESULTS.md).
 * mt_big_free() takes the size given to mt_big_alloc(); NULL is a no-op.
 */
void *mt_big_alloc(size_t n);
void mt_big_free(void *p, size_t n);

/*
 * Parse a duration, one grammar for every option: a number and its unit,
 * ns, us, ms, s, m (or min) or h: "10ms", "0.5s", "250us", "1m". A bare
 * number is refused. Return 0 and set *ns, or -1 with *ns untouched.
 */
int mt_parse_duration(const char *s, mt_ns *ns);

/*
 * Create directory path and any missing parents (mkdir -p), the last one
 * with mode, the parents with 0777 (both less the umask). Return 0 if it
 * exists as a directory afterwards, -1 with errno set otherwise
 * (ENOTDIR: a part is a file).
 */
int mt_mkdir_p(const char *path, unsigned int mode);

/*
 * Set errbuf (MT_ERRBUF_SIZE bytes) to the formatted message, cut to
 * fit: the one-line error of a failed library call.
 */
void mt_seterr(char *errbuf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Whether path is a regular file (following links). */
int mt_is_file(const char *path);

/* strcmp for qsort() of an array of strings (char *). */
int mt_cmp_str(const void *a, const void *b);

/*
 * For the programs only (the library itself never prints): write
 * "prog: " tag message "\n" to stderr, the one-line form of every
 * error and warning (tag may be "" or e.g. "warning: ").
 */
void mt_vmsg(const char *prog, const char *tag, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif /* MT_H */
