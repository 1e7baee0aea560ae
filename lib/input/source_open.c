/*
 * source_open.c: open a capture file or stream for a set (srcset_add,
 * srcset_add_fp), and say why one cannot be read: by its first bytes
 * (not a capture, compressed, empty) or by libpcap's words.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/source_int.h"

/* Known first four bytes of a capture file, in file order. */
static const uint32_t capture_magics[] = {
	0xa1b2c3d4, 0xd4c3b2a1,	/* pcap, microseconds, BE / LE writer */
	0xa1b23c4d, 0x4d3cb2a1,	/* pcap, nanoseconds */
	0xa1b2cd34, 0x34cdb2a1,	/* Kuznetzov's modified pcap */
	0x0a0d0d0a,		/* pcapng section header block */
};

/*
 * Say what a read error means, with libpcap's words in brackets. 'first'
 * is set when the error comes on the first record, at srcset_add() time,
 * where it is an error of its own rather than the end of a file.
 */
void
src_explain_read_error(const struct srcfile *f, const char *lp, int first,
    char *buf, size_t len)
{
	const char *rest = first ? "" : "; the rest of the file is skipped";
	unsigned t;

	if (sscanf(lp, "an interface has a type %u", &t) == 1)
		snprintf(buf, len, "%s: pcapng file whose interfaces have "
		    "different link types (%s, then %s; libpcap: %s): libpcap "
		    "reads one link type per file, so capture one file per "
		    "interface or split this one (editcap)%s", f->path,
		    pkt_dlt_name(f->dlt), pkt_dlt_name((int)t), lp, rest);
	else if (strncmp(lp, "an interface has a snapshot length", 34) == 0)
		snprintf(buf, len, "%s: pcapng file whose interfaces have "
		    "different snapshot lengths (libpcap: %s): libpcap needs "
		    "one per file, so capture one file per interface%s",
		    f->path, lp, rest);
	else if (strstr(lp, "truncated") != NULL)
		snprintf(buf, len, "%s: truncated last record after %" PRIu64
		    " packets (libpcap: %s); keeping the packets before it",
		    f->path, f->nread, lp);
	else if (strstr(lp, "capture length") != NULL)
		snprintf(buf, len, "%s: record %" PRIu64 " has an absurd "
		    "captured length (libpcap: %s)%s", f->path, f->nread + 1,
		    lp, rest);
	else if (first)
		snprintf(buf, len, "%s: cannot read the first record (%s)",
		    f->path, lp);
	else
		snprintf(buf, len, "%s: read error after %" PRIu64 " packets "
		    "(%s)%s", f->path, f->nread, lp, rest);
}

/*
 * libpcap could not open path: find out why from the first bytes, for a
 * message that tells the user what the file is (m: its first bytes, n:
 * its size). The headers: pcap's file header is 24 bytes
 * (pcap-savefile(5)); a pcapng file starts with a Section Header Block
 * of at least 28 bytes, then an Interface Description Block of at least
 * 20 before any packet (draft-ietf-opsawg-pcapng, sections 4.1 and 4.2).
 */
#define PCAP_FILE_HEADER	24
#define PCAPNG_HEADERS_MIN	48

/* pcapng: the section header's own length (at 4, in the byte order of
 * the magic at 8) plus the smallest interface description, when m holds
 * them and the length is sane; else PCAPNG_HEADERS_MIN. */
static size_t
pcapng_need(const uint8_t *m, size_t got)
{
	uint32_t len;

	if (got < 12)
		return PCAPNG_HEADERS_MIN;
	if (m[8] == 0x1a && m[9] == 0x2b && m[10] == 0x3c && m[11] == 0x4d)
		len = (uint32_t)m[4] << 24 | (uint32_t)m[5] << 16 |
		    (uint32_t)m[6] << 8 | m[7];
	else if (m[8] == 0x4d && m[9] == 0x3c && m[10] == 0x2b && m[11] == 0x1a)
		len = (uint32_t)m[7] << 24 | (uint32_t)m[6] << 16 |
		    (uint32_t)m[5] << 8 | m[4];
	else
		return PCAPNG_HEADERS_MIN;
	if (len < 28 || len % 4 != 0 || len > (1U << 24))
		return PCAPNG_HEADERS_MIN;
	return (size_t)len + 20;
}

/* The size of fp's file (or memory stream), or got (the bytes read from
 * it) where it cannot seek (a pipe). Moves fp's position. */
static size_t
size_or(FILE *fp, size_t got)
{
	long end;

	return fseek(fp, 0, SEEK_END) == 0 && (end = ftell(fp)) > 0 &&
	    (size_t)end > got ? (size_t)end : got;
}

/* m: the file's first got bytes; n: its whole size. */
static void
explain_magic(const char *path, const uint8_t *m, size_t got, size_t n,
    const char *lp, char *errbuf)
{
	uint32_t magic;
	const char *hint = "";

	if (n == 0) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: empty file, not a "
		    "capture file", path);
		return;
	}
	if (n < 4) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a capture file "
		    "(only %zu bytes)", path, n);
		return;
	}
	magic = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	    (uint32_t)m[2] << 8 | m[3];
	for (size_t i = 0; i < sizeof(capture_magics) / sizeof(capture_magics[0]); i++)
		if (magic == capture_magics[i]) {
			int ng = magic == 0x0a0d0d0a;
			size_t need = ng ? pcapng_need(m, got) : PCAP_FILE_HEADER;

			/* Short, and libpcap found it short (not wrong). */
			if (n < need && (strstr(lp, "truncated") != NULL ||
			    strstr(lp, "no Interface Description") != NULL ||
			    (ng && n < 12)))
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short "
				    "for a %s file header (%zu of %s%zu bytes): "
				    "cut off while written?", path,
				    ng ? "pcapng" : "pcap", n,
				    ng ? "at least " : "", need);
			else if (strstr(lp, "truncated") != NULL)
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cut off "
				    "inside its %s file header (libpcap: %s)",
				    path, ng ? "pcapng" : "pcap", lp);
			else
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: damaged "
				    "capture file header (libpcap: %s)", path,
				    lp);
			return;
		}
	if (m[0] == 0x1f && m[1] == 0x8b)
		hint = "; gzip-compressed? gunzip it first";
	else if (magic == 0xfd377a58)
		hint = "; xz-compressed? unxz it first";
	else if (magic == 0x28b52ffd)
		hint = "; zstd-compressed? unzstd it first";
	snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a capture file (bad magic "
	    "0x%08x%s)", path, magic, hint);
}

static void
explain_open_error(const char *path, const char *lp, char *errbuf)
{
	uint8_t m[PCAPNG_HEADERS_MIN];
	size_t got, n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot open (%s)", path,
		    strerror(errno));
		return;
	}
	got = fread(m, 1, sizeof(m), fp);
	n = size_or(fp, got);
	fclose(fp);
	explain_magic(path, m, got, n, lp, errbuf);
}

/* The same for a stream, whose first bytes libpcap has taken: from
 * libpcap's message alone. */
static void
explain_stream_error(const char *path, const char *lp, char *errbuf)
{
	unsigned got;
	const char *g;

	if (strstr(lp, "only got 0") != NULL && strstr(lp, "read 4 ") != NULL)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: empty, not a capture",
		    path);
	else if (strstr(lp, "read 4 file header bytes") != NULL &&
	    (g = strstr(lp, "only got ")) != NULL &&
	    sscanf(g, "only got %u", &got) == 1)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a capture file (only "
		    "%u bytes)", path, got);
	else if (strstr(lp, "no Interface Description") != NULL)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short for a pcapng "
		    "file header (the stream ends after its section header, "
		    "before an interface description): cut off while written?",
		    path);
	else if (strstr(lp, "file header bytes") != NULL &&
	    (g = strstr(lp, "only got ")) != NULL &&
	    sscanf(g, "only got %u", &got) == 1 && strstr(lp, "read 24 ") != NULL)
		/* libpcap read the 4-byte magic, then part of the rest. */
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short for a pcap "
		    "file header (%u of %d bytes): cut off while written?",
		    path, got + 4, PCAP_FILE_HEADER);
	else if (strstr(lp, "truncated pcapng") != NULL)
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: too short for a pcapng "
		    "file header (libpcap: %s): cut off while written?", path,
		    lp);
	else
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: not a pcap or pcapng "
		    "capture (libpcap: %s)", path, lp);
}

int
srcset_add(struct srcset *s, const char *path, char *errbuf)
{
	char pcerr[PCAP_ERRBUF_SIZE];
	struct stat sb;
	uint64_t size = 0;
	struct streammem m = { NULL, { NULL, NULL } };
	pcap_t *p;
	FILE *fp;
	int stream = 1;		/* standard input, a pipe: read only once */

	if (s->started) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot add a file after "
		    "reading has started", path);
		return -1;
	}
	if (strcmp(path, "-") != 0) {
		if (stat(path, &sb) < 0) {
			if (errno == ENOENT)
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: no such "
				    "file", path);
			else
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot "
				    "open (%s)", path, strerror(errno));
			return -1;
		}
		if (S_ISDIR(sb.st_mode)) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: is a directory, "
			    "not a capture file", path);
			return -1;
		}
		if (S_ISREG(sb.st_mode)) {
			stream = 0;
			if (sb.st_size == 0) {
				snprintf(errbuf, MT_ERRBUF_SIZE, "%s: empty "
				    "file, not a capture file", path);
				return -1;
			}
			size = (uint64_t)sb.st_size;
		}
	}

	/*
	 * Opened here rather than by pcap_open_offline(), for two things
	 * libpcap's own stdio stream lacks: a large buffer (stdio's default
	 * is the file system's 4 KiB block, a read() per 4 KiB; a syscall
	 * is dear in a VM: 1 GB took 0.2 s less CPU with 256 KiB) and no
	 * locking on each of libpcap's two fread() calls per record (a
	 * stream is used by one thread at a time: the reader's, or the
	 * caller's; the hand-over is ordered by the reader's start).
	 */
	/*
	 * The stream and libpcap's handle and record buffer are written per
	 * record by whichever thread reads the file: guard chunks before
	 * and after keep whatever malloc puts next off their cache lines
	 * (see cl_alloc). Freed with the file.
	 */
	m.guard[0] = malloc(CACHE_LINE);
	if (strcmp(path, "-") == 0) {
		/* Standard input, as tcpdump -r -: a stream of its own (libpcap
		 * closes it), once. */
		int fd = -1;

		for (int i = 0; i < s->n; i++)
			if (strcmp(s->f[i]->path, "-") == 0) {
				src_streammem_free(&m);
				snprintf(errbuf, MT_ERRBUF_SIZE, "-: standard "
				    "input given twice");
				return -1;
			}
		if ((fd = dup(STDIN_FILENO)) < 0 ||
		    (fp = fdopen(fd, "rb")) == NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "-: cannot read "
			    "standard input (%s)", strerror(errno));
			if (fd >= 0)
				close(fd);
			src_streammem_free(&m);
			return -1;
		}
	} else if ((fp = fopen(path, "rb")) == NULL) {
		src_streammem_free(&m);
		explain_open_error(path, "", errbuf);
		return -1;
	}
	(void)posix_fadvise(fileno(fp), 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((m.vbuf = mt_big_alloc(SRC_STDIO_BUF)) != NULL)
		(void)setvbuf(fp, m.vbuf, _IOFBF, SRC_STDIO_BUF);
	(void)__fsetlocking(fp, FSETLOCKING_BYCALLER);
	pcerr[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, pcerr);
	m.guard[1] = malloc(CACHE_LINE);
	if (p == NULL) {
		fclose(fp);	/* libpcap leaves it open on failure */
		src_streammem_free(&m);
		if (stream)
			explain_stream_error(path, pcerr, errbuf);
		else
			explain_open_error(path, pcerr, errbuf);
		return -1;
	}
	if (src_add_handle(s, path, p, &m, size, errbuf) < 0)
		return -1;
	s->f[s->n - 1]->st.once = stream;
	s->f[s->n - 1]->reopen = !stream;
	return 0;
}

int
srcset_add_fp(struct srcset *s, const char *name, FILE *fp, char *errbuf)
{
	char pcerr[PCAP_ERRBUF_SIZE];
	uint8_t m[PCAPNG_HEADERS_MIN];
	size_t got;
	pcap_t *p;

	if (s->started) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot add a file after "
		    "reading has started", name);
		fclose(fp);
		return -1;
	}
	pcerr[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, pcerr);
	if (p == NULL) {
		/* libpcap leaves fp open on failure: the first bytes say why. */
		if (fseek(fp, 0, SEEK_SET) == 0) {
			got = fread(m, 1, sizeof(m), fp);
			explain_magic(name, m, got, size_or(fp, got), pcerr,
			    errbuf);
		} else
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: cannot read "
			    "(libpcap: %s)", name, pcerr);
		fclose(fp);
		return -1;
	}
	return src_add_handle(s, name, p, NULL, 0, errbuf);
}

