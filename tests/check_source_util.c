/*
 * check_source_util.c: the capture reading Check suite's fixture, its
 * frames and the files it writes (with libpcap or byte by byte), and the
 * set it reads them with.
 */
#include "config.h"

#define CHECK_SOURCE_UTIL

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "input/source.h"
#include "check_source.h"

char dir[64];

/* ---------------------------------------------------------------------
 * Fixture: a fresh directory per test.
 */

void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_source.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
teardown(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

const char *
path_of(const char *name)
{
	static char buf[8][128];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

void
collect(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
	if (strlen(w->all) + strlen(msg) + 2 < sizeof(w->all)) {
		strcat(w->all, msg);
		strcat(w->all, "\n");
	}
}

/* ---------------------------------------------------------------------
 * Frames: Ethernet + IPv4 + ICMP echo request, id = file, seq = record.
 */

void
frame(uint8_t *b, unsigned id, unsigned seq)
{
	static const uint8_t head[] = {
		0x52, 0x54, 0x00, 0xab, 0xcd, 0xef,	/* dst */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56,	/* src */
		0x08, 0x00,
		0x45, 0x00, 0x00, 28 + 36, 0x00, 0x01, 0x00, 0x00,
		64, 1, 0x00, 0x00, 192, 0, 2, 1, 192, 0, 2, 2,
		8, 0, 0x00, 0x00,
	};

	memcpy(b, head, sizeof(head));
	b[38] = (uint8_t)(id >> 8);
	b[39] = (uint8_t)id;
	b[40] = (uint8_t)(seq >> 8);
	b[41] = (uint8_t)seq;
}

/* ---------------------------------------------------------------------
 * Byte-by-byte file writer (tests/testutil.c), either byte order.
 */
void
wsave(const struct fb *w, const char *path, size_t n)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(w->b, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
}

/* pcap file header (libpcap's savefile format). */
void
pcap_hdr(struct fb *w, uint32_t magic, unsigned dlt)
{
	p32(w, magic);
	p16(w, 2);
	p16(w, 4);
	p32(w, 0);		/* thiszone */
	p32(w, 0);		/* sigfigs */
	p32(w, 128);		/* snaplen */
	p32(w, dlt);
}

void
pcap_rec(struct fb *w, uint32_t sec, uint32_t frac, unsigned id,
    unsigned seq)
{
	uint8_t f[FRAME_LEN];

	frame(f, id, seq);
	p32(w, sec);
	p32(w, frac);
	p32(w, FRAME_LEN);
	p32(w, FRAME_WIRE);
	pbytes(w, f, FRAME_LEN);
}

/* pcapng blocks (draft-ietf-opsawg-pcapng). */
void
png_shb(struct fb *w)
{
	p32(w, 0x0a0d0d0a);
	p32(w, 28);
	p32(w, 0x1a2b3c4d);
	p16(w, 1);
	p16(w, 0);
	p32(w, 0xffffffff);	/* section length: unknown */
	p32(w, 0xffffffff);
	p32(w, 28);
}

/* IDB; tsresol 0 = default (microseconds), else if_tsresol 10^-tsresol. */
void
png_idb(struct fb *w, unsigned dlt, unsigned tsresol)
{
	uint32_t len = tsresol ? 32 : 20;

	p32(w, 1);
	p32(w, len);
	p16(w, dlt);
	p16(w, 0);
	p32(w, 128);
	if (tsresol) {
		p16(w, 9);	/* if_tsresol */
		p16(w, 1);
		p8(w, tsresol);
		p8(w, 0);
		p8(w, 0);
		p8(w, 0);
		p16(w, 0);	/* opt_endofopt */
		p16(w, 0);
	}
	p32(w, len);
}

void
png_epb(struct fb *w, uint64_t t, unsigned id, unsigned seq)
{
	uint8_t f[FRAME_LEN];
	uint32_t len = 32 + 44;		/* 42 data bytes padded to 44 */

	frame(f, id, seq);
	p32(w, 6);
	p32(w, len);
	p32(w, 0);		/* interface */
	p32(w, (uint32_t)(t >> 32));
	p32(w, (uint32_t)t);
	p32(w, FRAME_LEN);
	p32(w, FRAME_WIRE);
	pbytes(w, f, FRAME_LEN);
	p8(w, 0);
	p8(w, 0);
	p32(w, len);
}

/* ---------------------------------------------------------------------
 * Files written by libpcap itself.
 */
void
dump_file(const char *path, int dlt, unsigned id, const struct rec *r,
    size_t n)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, 128,
	    PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d;

	ck_assert_ptr_nonnull(p);
	d = pcap_dump_open(p, path);
	ck_assert_msg(d != NULL, "%s", pcap_geterr(p));
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr h;
		uint8_t f[FRAME_LEN];
		const uint8_t *data = f;
		uint32_t caplen = FRAME_LEN, wire = FRAME_WIRE;

		frame(f, id, r[i].seq);
		if (dlt == 12) {	/* raw IP: drop the Ethernet header */
			data = f + 14;
			caplen -= 14;
			wire -= 14;
		}
		h.ts.tv_sec = r[i].ts / MT_NS_PER_S;
		h.ts.tv_usec = r[i].ts % MT_NS_PER_S;	/* ns: NANO dead handle */
		h.caplen = caplen;
		h.len = wire;
		pcap_dump((u_char *)d, &h, data);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

/*
 * Every test runs twice (main): with the files read in the caller's
 * thread, then read ahead by a thread per file (source.c). Both must give
 * the same records, warnings and stats.
 */
int readahead;

struct srcset *
new_set(mt_warn_fn warn, void *ctx)
{
	struct srcset *s = srcset_new(warn, ctx);

	if (s != NULL)
		srcset_readahead(s, readahead);
	return s;
}
#define srcset_new new_set

/* srcset_next(), with the record copied out (the tests keep several). */
int
next_copy(struct srcset *s, struct pkt *out, char *errbuf)
{
	const struct pkt *p;
	int r = srcset_next(s, &p, errbuf);

	if (r == 1)
		*out = *p;
	return r;
}
#define srcset_next next_copy

/* Read every packet; check they decode; return the count. */
int
read_all(struct srcset *s, struct pkt *out, int max)
{
	char errbuf[MT_ERRBUF_SIZE];
	int n = 0, r;

	while ((r = srcset_next(s, &out[n < max ? n : max - 1], errbuf)) == 1)
		n++;
	ck_assert_int_eq(r, 0);
	return n;
}

