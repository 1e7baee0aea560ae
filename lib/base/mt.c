/* mt.c: addresses, MAC addresses, rates and durations (parse and print). */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <sched.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mt.h"

char *
mt_addr_str(const struct mt_addr *x, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (x->family == 4)
		inet_ntop(AF_INET, x->a, buf, (socklen_t)len);
	else if (x->family == 6)
		inet_ntop(AF_INET6, x->a, buf, (socklen_t)len);
	return buf;
}

int
mt_addr_parse(const char *s, struct mt_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->a) == 1) {
		out->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->a) == 1) {
		out->family = 6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

int
mt_mac_is_zero(const struct mt_mac *x)
{
	static const struct mt_mac zero;
	return mt_mac_eq(x, &zero);
}

char *
mt_mac_str(const struct mt_mac *x, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
	    x->a[0], x->a[1], x->a[2], x->a[3], x->a[4], x->a[5]);
	return buf;
}

int
mt_mac_parse(const char *s, struct mt_mac *out)
{
	unsigned v[6];
	char sep[5];
	int n;
	char tail;

	/* Six pairs of hex digits, exactly: %x alone would also take a
	 * sign or leading blanks ("-1:54:..."). */
	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 17; i++)
		if (i % 3 != 2 && !isxdigit((unsigned char)s[i]))
			return -1;
	n = sscanf(s, "%2x%c%2x%c%2x%c%2x%c%2x%c%2x%c", &v[0], &sep[0], &v[1],
	    &sep[1], &v[2], &sep[2], &v[3], &sep[3], &v[4], &sep[4], &v[5], &tail);
	if (n != 11)
		return -1;
	for (int i = 0; i < 5; i++)
		if (sep[i] != ':' && sep[i] != '-')
			return -1;
	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++)
		out->a[i] = (uint8_t)v[i];
	return 0;
}

/* Parse a non-negative decimal number; return the end pointer or NULL. */
static const char *
parse_number(const char *s, double *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return NULL;
	errno = 0;
	*v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(*v) || *v < 0)
		return NULL;
	return end;
}

int
mt_is_bare_number(const char *s)
{
	double v;
	const char *p;

	return s != NULL && (p = parse_number(s, &v)) != NULL && *p == '\0';
}

int
mt_duration_hint(char *buf, size_t len, const char *s)
{
	if (!mt_is_bare_number(s))
		return 0;
	snprintf(buf, len, "write %.40sms or %.40ss (units ns, us, ms, s, m)",
	    s, s);
	return 1;
}

int
mt_parse_rate(const char *s, double *bps)
{
	double v, mult = 1;
	const char *p;

	if (s == NULL || (p = parse_number(s, &v)) == NULL)
		return -1;
	/* A bare number is refused: "--link 100" meant 100 Mbit/s, not
	 * 100 bit/s, every time it was seen. */
	if (*p == '\0')
		return -1;
	switch (*p) {
	case 'k': case 'K': mult = 1e3; p++; break;
	case 'm': case 'M': mult = 1e6; p++; break;
	case 'g': case 'G': mult = 1e9; p++; break;
	case 't': case 'T': mult = 1e12; p++; break;
	default: break;
	}
	/* Optional unit after a multiplier (required without one): bit,
	 * bit/s, bps, b, b/s. Bytes are not accepted: a link rate is in
	 * bits, as tc and ethtool write it. */
	if ((*p == '\0' && mult == 1) || (*p != '\0' &&
	    strcasecmp(p, "bit") != 0 && strcasecmp(p, "bit/s") != 0 &&
	    strcasecmp(p, "bps") != 0 && strcmp(p, "b") != 0 &&
	    strcmp(p, "b/s") != 0))	/* "B" is bytes */
		return -1;
	if (v * mult <= 0)
		return -1;
	*bps = v * mult;
	return 0;
}

int
mt_parse_duration(const char *s, mt_ns *ns)
{
	double v, mult;
	const char *p;

	if (s == NULL || (p = parse_number(s, &v)) == NULL)
		return -1;
	if (strcmp(p, "s") == 0)
		mult = 1e9;
	else if (strcmp(p, "ms") == 0)
		mult = 1e6;
	else if (strcmp(p, "us") == 0)
		mult = 1e3;
	else if (strcmp(p, "ns") == 0)
		mult = 1;
	else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
		mult = 60e9;
	else if (strcmp(p, "h") == 0)
		mult = 3600e9;
	else
		return -1;	/* a bare number too: which unit was meant? */
	if (v * mult > 9.2e18)
		return -1;
	*ns = (mt_ns)llround(v * mult);
	return 0;
}

void
mt_vmsg(const char *prog, const char *tag, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
mt_mkdir_p(const char *path, unsigned int mode)
{
	char buf[4096];
	struct stat st;
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf)) {
		errno = n == 0 ? ENOENT : ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	/* Each parent in turn: "a", "a/b", ... (a leading '/' is skipped). */
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
		return -1;
	if (stat(buf, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int
mt_ncpu(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    (n = CPU_COUNT(&set)) > 0)
		return (int)n;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

void *
mt_big_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void
mt_big_free(void *p, size_t n)
{
	if (p != NULL)
		(void)munmap(p, n);
}

void
mt_seterr(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, MT_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

int
mt_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
mt_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
