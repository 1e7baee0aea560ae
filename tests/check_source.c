/*
 * check_source.c: Check suite for reading and merging captures
 * (lib/input/source*.c): every file format libpcap reads, the k-way merge, and
 * every bad file a user can hand us. Files are written by the tests,
 * with libpcap's pcap_dump or byte by byte.
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "input/source.h"
#include "testutil.h"

#define T0 1700000000LL		/* seconds: 2023-11-14 */

static char dir[64];

/* ---------------------------------------------------------------------
 * Fixture: a fresh directory per test.
 */

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_source.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
teardown(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *
path_of(const char *name)
{
	static char buf[8][128];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* Warnings, collected. */
struct warns {
	int n;
	char last[MT_ERRBUF_SIZE];
	char all[4096];
};

static void
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

#define FRAME_LEN 42

static void
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

/* Wire length of those frames: the IP datagram says 64 bytes. */
#define FRAME_WIRE (14 + 64)

/* ---------------------------------------------------------------------
 * Byte-by-byte file writer (tests/testutil.c), either byte order.
 */
static void
wsave(const struct fb *w, const char *path, size_t n)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(w->b, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
}

/* pcap file header (libpcap's savefile format). */
static void
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

static void
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
static void
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
static void
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

static void
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
struct rec {
	mt_ns ts;
	unsigned seq;
};

static void
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
static int readahead;

static struct srcset *
new_set(mt_warn_fn warn, void *ctx)
{
	struct srcset *s = srcset_new(warn, ctx);

	if (s != NULL)
		srcset_readahead(s, readahead);
	return s;
}
#define srcset_new new_set

/* srcset_next(), with the record copied out (the tests keep several). */
static int
next_copy(struct srcset *s, struct pkt *out, char *errbuf)
{
	const struct pkt *p;
	int r = srcset_next(s, &p, errbuf);

	if (r == 1)
		*out = *p;
	return r;
}
#define srcset_next next_copy

/* Timestamp s seconds and n nanoseconds after T0. */
#define NS(s, n) ((T0 + (s)) * MT_NS_PER_S + (n))

/* Read every packet; check they decode; return the count. */
static int
read_all(struct srcset *s, struct pkt *out, int max)
{
	char errbuf[MT_ERRBUF_SIZE];
	int n = 0, r;

	while ((r = srcset_next(s, &out[n < max ? n : max - 1], errbuf)) == 1)
		n++;
	ck_assert_int_eq(r, 0);
	return n;
}

/* ---------------------------------------------------------------------
 * Formats.
 */

/* Hand-written pcap: microsecond or nanosecond magic, LE or BE writer. */
static void
check_pcap_magic(uint32_t magic, int be, int nano)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = !be };
	struct srcset *s;
	struct pkt p[4];
	const struct src_stats *st;
	uint32_t frac = nano ? 123456789 : 123456;
	mt_ns want0 = NS(0, nano ? 123456789 : 123456000);

	pcap_hdr(&w, magic, 1);
	pcap_rec(&w, T0, frac, 1, 100);
	pcap_rec(&w, T0 + 1, 0, 1, 101);
	pcap_rec(&w, T0 + 2, nano ? 999999999 : 999999, 1, 102);
	wsave(&w, path_of("f.pcap"), w.n);

	s = srcset_new(NULL, NULL);
	ck_assert_msg(srcset_add(s, path_of("f.pcap"), errbuf) == 0, "%s", errbuf);
	ck_assert_int_eq(read_all(s, p, 4), 3);
	ck_assert_int_eq(p[0].ts, want0);
	ck_assert_int_eq(p[1].ts, NS(1, 0));
	ck_assert_int_eq(p[2].ts, NS(2, nano ? 999999999 : 999999000));
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(p[i].status, PKT_OK);
		ck_assert_int_eq(p[i].echo, PKT_ECHO_REQUEST);
		ck_assert_uint_eq(p[i].icmp_seq, 100 + (unsigned)i);
		ck_assert_uint_eq(p[i].wire_len, FRAME_WIRE);
		ck_assert_uint_eq(p[i].cap_len, FRAME_LEN);
		ck_assert_int_eq(p[i].src, 0);
		ck_assert_int_eq(p[i].dlt, 1);
	}
	st = srcset_stats(s, 0);
	ck_assert_str_eq(st->path, path_of("f.pcap"));
	ck_assert_int_eq(st->dlt, 1);
	ck_assert_uint_eq(st->packets, 3);
	ck_assert_uint_eq(st->bytes, 3 * FRAME_WIRE);
	ck_assert_int_eq(st->first_ts, want0);
	ck_assert_int_eq(st->last_ts, p[2].ts);
	ck_assert_int_eq(st->damaged, 0);
	ck_assert_uint_eq(st->backwards + st->truncated + st->invalid, 0);
	srcset_free(s);
}

START_TEST(pcap_usec_le) { check_pcap_magic(0xa1b2c3d4, 0, 0); }
END_TEST
START_TEST(pcap_usec_be) { check_pcap_magic(0xa1b2c3d4, 1, 0); }
END_TEST
START_TEST(pcap_nsec_le) { check_pcap_magic(0xa1b23c4d, 0, 1); }
END_TEST
START_TEST(pcap_nsec_be) { check_pcap_magic(0xa1b23c4d, 1, 1); }
END_TEST

/* Hand-written pcapng, both byte orders, ns and default us resolution. */
static void
check_pcapng(int be, unsigned tsresol)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = !be };
	struct srcset *s;
	struct pkt p[4];
	uint64_t unit = tsresol == 9 ? 1 : 1000;	/* ns per tick */

	png_shb(&w);
	png_idb(&w, 1, tsresol);
	png_epb(&w, (uint64_t)NS(0, 5000) / unit, 2, 1);
	png_epb(&w, (uint64_t)NS(3, 7000) / unit, 2, 2);
	wsave(&w, path_of("f.pcapng"), w.n);

	s = srcset_new(NULL, NULL);
	ck_assert_msg(srcset_add(s, path_of("f.pcapng"), errbuf) == 0, "%s", errbuf);
	ck_assert_int_eq(read_all(s, p, 4), 2);
	ck_assert_int_eq(p[0].ts, NS(0, 5000));
	ck_assert_int_eq(p[1].ts, NS(3, 7000));
	ck_assert_uint_eq(p[1].icmp_id, 2);
	ck_assert_uint_eq(p[1].icmp_seq, 2);
	ck_assert_uint_eq(p[1].wire_len, FRAME_WIRE);
	srcset_free(s);
}

START_TEST(pcapng_le_ns) { check_pcapng(0, 9); }
END_TEST
START_TEST(pcapng_be_us) { check_pcapng(1, 0); }
END_TEST

/* Written by libpcap, in three link types, merged. */
START_TEST(dumped_link_types)
{
	static const struct rec a[] = { { NS(0, 1), 1 }, { NS(0, 3), 3 } };
	static const struct rec b[] = { { NS(0, 2), 2 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p[4];

	dump_file(path_of("eth.pcap"), 1, 1, a, 2);
	dump_file(path_of("raw.pcap"), 12, 2, b, 1);
	ck_assert_int_eq(srcset_add(s, path_of("eth.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("raw.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_count(s), 2);
	ck_assert_int_eq(read_all(s, p, 4), 3);
	ck_assert_int_eq(p[0].dlt, 1);
	ck_assert_int_eq(p[1].dlt, 12);
	ck_assert_int_eq(p[1].src, 1);
	ck_assert_uint_eq(p[1].icmp_id, 2);
	ck_assert_uint_eq(p[1].wire_len, FRAME_WIRE - 14);
	ck_assert_int_eq(p[2].ts, NS(0, 3));
	ck_assert_int_eq(srcset_stats(s, 1)->dlt, 12);
	ck_assert_ptr_null(srcset_stats(s, 2));
	srcset_free(s);
}
END_TEST

START_TEST(empty_capture)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;

	dump_file(path_of("none.pcap"), 1, 0, NULL, 0);
	ck_assert_int_eq(srcset_add(s, path_of("none.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_uint_eq(srcset_stats(s, 0)->packets, 0);
	ck_assert_int_eq(srcset_stats(s, 0)->first_ts, MT_NS_NONE);
	srcset_free(s);
	srcset_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------------
 * The merge.
 */

START_TEST(merge_three)
{
	/* ties across files and inside one: lower index first, then file order */
	static const struct rec f0[] = { { NS(0, 10), 0 }, { NS(0, 40), 1 },
		{ NS(0, 70), 2 }, { NS(1, 0), 3 } };
	static const struct rec f1[] = { { NS(0, 20), 0 }, { NS(0, 40), 1 },
		{ NS(0, 80), 2 } };
	static const struct rec f2[] = { { NS(0, 0), 0 }, { NS(0, 40), 1 },
		{ NS(0, 40), 2 }, { NS(0, 90), 3 } };
	static const struct { int src; unsigned seq; mt_ns ts; } want[] = {
		{ 2, 0, NS(0, 0) }, { 0, 0, NS(0, 10) }, { 1, 0, NS(0, 20) },
		{ 0, 1, NS(0, 40) }, { 1, 1, NS(0, 40) }, { 2, 1, NS(0, 40) },
		{ 2, 2, NS(0, 40) }, { 0, 2, NS(0, 70) }, { 1, 2, NS(0, 80) },
		{ 2, 3, NS(0, 90) }, { 0, 3, NS(1, 0) },
	};
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	size_t i = 0;
	int r;

	dump_file(path_of("0.pcap"), 1, 0, f0, 4);
	dump_file(path_of("1.pcap"), 1, 1, f1, 3);
	dump_file(path_of("2.pcap"), 1, 2, f2, 4);
	for (int k = 0; k < 3; k++) {
		char name[16];
		snprintf(name, sizeof(name), "%d.pcap", k);
		ck_assert_int_eq(srcset_add(s, path_of(name), errbuf), 0);
	}
	while ((r = srcset_next(s, &p, errbuf)) == 1) {
		ck_assert_uint_lt(i, sizeof(want) / sizeof(want[0]));
		ck_assert_int_eq(p.src, want[i].src);
		ck_assert_int_eq(p.ts, want[i].ts);
		/* decoded from this file's own bytes, still in place */
		ck_assert_uint_eq(p.icmp_id, (unsigned)want[i].src);
		ck_assert_uint_eq(p.icmp_seq, want[i].seq);
		ck_assert_ptr_null(p.payload);	/* 42 bytes: headers only */
		i++;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(i, sizeof(want) / sizeof(want[0]));
	ck_assert_uint_eq(srcset_stats(s, 2)->packets, 4);
	srcset_free(s);
}
END_TEST

/* The payload pointer of a packet stays good until the next call. */
START_TEST(payload_valid_until_next)
{
	static const struct rec a[] = { { NS(0, 1), 1 }, { NS(0, 3), 3 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	uint8_t f[FRAME_LEN + 4];

	/* file 0: frames with 4 payload bytes "PAY0".."PAY3" */
	pcap_hdr(&w, 0xa1b2c3d4, 1);
	for (unsigned k = 0; k < 4; k += 2) {
		frame(f, 0, k);
		memcpy(f + FRAME_LEN, "PAY", 3);
		f[FRAME_LEN + 3] = (uint8_t)('0' + k);
		p32(&w, T0);
		p32(&w, k);	/* us */
		p32(&w, sizeof(f));
		p32(&w, FRAME_WIRE);
		pbytes(&w, f, sizeof(f));
	}
	wsave(&w, path_of("pay.pcap"), w.n);
	dump_file(path_of("b.pcap"), 1, 1, a, 2);
	ck_assert_int_eq(srcset_add(s, path_of("pay.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("b.pcap"), errbuf), 0);
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
		if (p.src == 0) {
			ck_assert_uint_eq(p.payload_caplen, 4);
			ck_assert_mem_eq(p.payload, "PAY", 3);
			ck_assert_uint_eq(p.payload[3], '0' + p.icmp_seq);
		}
	}
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	srcset_free(s);
}
END_TEST

/* Files many batches long (read ahead: the ring wraps, the readers wait). */
START_TEST(long_merge)
{
	enum { N0 = 20000, N1 = 15000 };
	static struct rec r0[N0], r1[N1];
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	unsigned next[2] = { 0, 0 };
	mt_ns last = 0;
	int r, n = 0, bad = 0, first_bad = -1;

	for (int i = 0; i < N0; i++)
		r0[i] = (struct rec){ NS(0, 2 * i), (unsigned)i };
	for (int i = 0; i < N1; i++)	/* the same instants, and odd ones */
		r1[i] = (struct rec){ NS(0, i < 5000 ? 2 * i : 2 * i + 1),
		    (unsigned)i };
	dump_file(path_of("0.pcap"), 1, 0, r0, N0);
	dump_file(path_of("1.pcap"), 1, 1, r1, N1);
	ck_assert_int_eq(srcset_add(s, path_of("0.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("1.pcap"), errbuf), 0);
	/* Plain ifs in the loop: a Check assertion costs a system call. */
	while ((r = srcset_next(s, &p, errbuf)) == 1) {
		int ok = (p.src == 0 && next[0] < N0) ||
		    (p.src == 1 && next[1] < N1);
		if (ok) {
			mt_ns want = p.src == 0 ? r0[next[0]].ts :
			    r1[next[1]].ts;
			/* In order; ties: the lower file index first. */
			ok = p.icmp_seq == (next[p.src] & 0xffff) &&
			    p.ts == want && (n == 0 || p.ts > last ||
			    (p.ts == last && p.src == 1));
			next[p.src]++;
		}
		if (!ok && bad++ == 0)
			first_bad = n;
		last = p.ts;
		n++;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_msg(bad == 0, "%d records out of place, the first #%d",
	    bad, first_bad);
	ck_assert_uint_eq(next[0], N0);
	ck_assert_uint_eq(next[1], N1);
	ck_assert_uint_eq(srcset_stats(s, 0)->packets, N0);
	ck_assert_uint_eq(srcset_stats(s, 1)->packets, N1);
	srcset_free(s);
}
END_TEST

/* Freed half-way: readers blocked on a full ring must be stopped. */
START_TEST(free_midway)
{
	enum { N = 30000 };	/* more than a full ring */
	static struct rec r[N];
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;

	for (int i = 0; i < N; i++)
		r[i] = (struct rec){ NS(0, i), (unsigned)i };
	dump_file(path_of("0.pcap"), 1, 0, r, N);
	dump_file(path_of("1.pcap"), 1, 1, r, N);
	ck_assert_int_eq(srcset_add(s, path_of("0.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("1.pcap"), errbuf), 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_uint_eq(p.icmp_seq, 4);
	srcset_free(s);
}
END_TEST

START_TEST(many_files)
{
	/* 40 files, 25 packets each, timestamps interleaved: i*40+file */
	enum { NF = 40, NP = 25 };
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	const struct src_stats *st0;
	struct pkt p;
	mt_ns prev = 0;
	int n = 0;

	for (int k = 0; k < NF; k++) {
		struct rec r[NP];
		char name[16];

		for (int i = 0; i < NP; i++) {
			r[i].ts = NS(0, (long long)i * NF + (NF - 1 - k));
			r[i].seq = (unsigned)i;
		}
		snprintf(name, sizeof(name), "m%d.pcap", k);
		dump_file(path_of(name), 1, (unsigned)k, r, NP);
		ck_assert_int_eq(srcset_add(s, path_of(name), errbuf), 0);
		if (k == 0)
			st0 = srcset_stats(s, 0);
	}
	/* stats pointers stay valid while files are added */
	ck_assert_ptr_eq(st0, srcset_stats(s, 0));
	while (srcset_next(s, &p, errbuf) == 1) {
		ck_assert_int_eq(p.ts, NS(0, n));
		ck_assert_int_ge(p.ts, prev);
		prev = p.ts;
		n++;
	}
	ck_assert_int_eq(n, NF * NP);
	srcset_free(s);
}
END_TEST

/* ---------------------------------------------------------------------
 * Damaged files.
 */

static void
check_truncated(size_t cut)
{
	static const struct rec good[] = { { NS(0, 15000), 0 }, { NS(0, 25000), 1 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p[8];
	const struct src_stats *st;

	pcap_hdr(&w, 0xa1b2c3d4, 1);
	pcap_rec(&w, T0, 10, 0, 0);
	pcap_rec(&w, T0, 20, 0, 1);
	pcap_rec(&w, T0, 30, 0, 2);
	wsave(&w, path_of("cut.pcap"), w.n - cut);
	dump_file(path_of("good.pcap"), 1, 1, good, 2);

	ck_assert_int_eq(srcset_add(s, path_of("cut.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("good.pcap"), errbuf), 0);
	/* two of the cut file and both of the other, in order */
	ck_assert_int_eq(read_all(s, p, 8), 4);
	ck_assert_int_eq(p[0].ts, NS(0, 10000));
	ck_assert_int_eq(p[1].ts, NS(0, 15000));
	ck_assert_int_eq(p[1].src, 1);
	ck_assert_int_eq(p[2].ts, NS(0, 20000));
	ck_assert_int_eq(p[3].ts, NS(0, 25000));
	st = srcset_stats(s, 0);
	ck_assert_uint_eq(st->packets, 2);
	ck_assert_int_eq(st->damaged, 1);
	ck_assert_int_eq(srcset_stats(s, 1)->damaged, 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_msg(strstr(wn.last, path_of("cut.pcap")) == wn.last, "%s", wn.last);
	ck_assert_msg(strstr(wn.last, "truncated last record after 2 packets") != NULL,
	    "%s", wn.last);
	srcset_free(s);
}

START_TEST(truncated_data) { check_truncated(5); }
END_TEST
START_TEST(truncated_record_header) { check_truncated(FRAME_LEN + 6); }
END_TEST

/* The only record is cut: a warning, no packets, not an error. */
START_TEST(truncated_first_record)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p;

	pcap_hdr(&w, 0xa1b2c3d4, 1);
	pcap_rec(&w, T0, 10, 0, 0);
	wsave(&w, path_of("cut.pcap"), w.n - 1);
	ck_assert_int_eq(srcset_add(s, path_of("cut.pcap"), errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_ptr_nonnull(strstr(wn.last, "after 0 packets"));
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(srcset_stats(s, 0)->damaged, 1);
	srcset_free(s);
}
END_TEST

START_TEST(backwards)
{
	/* file 0 in file order: 10 20 15 30 5 (two steps back) */
	static const struct rec a[] = { { NS(0, 10), 0 }, { NS(0, 20), 1 },
		{ NS(0, 15), 2 }, { NS(0, 30), 3 }, { NS(0, 5), 4 } };
	static const struct rec b[] = { { NS(0, 12), 0 }, { NS(0, 17), 1 } };
	static const mt_ns want[] = { 10, 12, 17, 20, 15, 30, 5 };
	char errbuf[MT_ERRBUF_SIZE];
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p[8];
	const struct src_stats *st;

	dump_file(path_of("a.pcap"), 1, 0, a, 5);
	dump_file(path_of("b.pcap"), 1, 1, b, 2);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("b.pcap"), errbuf), 0);
	ck_assert_int_eq(read_all(s, p, 8), 7);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(p[i].ts, NS(0, want[i]));
	/* a.pcap delivered in its own order */
	ck_assert_uint_eq(p[4].icmp_seq, 2);
	st = srcset_stats(s, 0);
	ck_assert_uint_eq(st->backwards, 2);
	ck_assert_int_eq(st->first_ts, NS(0, 5));
	ck_assert_int_eq(st->last_ts, NS(0, 30));
	ck_assert_int_eq(st->damaged, 0);
	ck_assert_uint_eq(srcset_stats(s, 1)->backwards, 0);
	ck_assert_int_eq(wn.n, 1);		/* once per file */
	ck_assert_msg(strstr(wn.last, path_of("a.pcap")) == wn.last, "%s", wn.last);
	ck_assert_ptr_nonnull(strstr(wn.last, "backwards"));
	srcset_free(s);
}
END_TEST

/* Open errors: one line that names the file and says what is wrong. */
static void
check_add_fails(const char *path, const char *want)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);

	errbuf[0] = '\0';
	ck_assert_int_eq(srcset_add(s, path, errbuf), -1);
	ck_assert_msg(strncmp(errbuf, path, strlen(path)) == 0 &&
	    errbuf[strlen(path)] == ':', "does not name the file: %s", errbuf);
	ck_assert_msg(strstr(errbuf, want) != NULL, "want \"%s\" in: %s", want,
	    errbuf);
	ck_assert_ptr_null(strchr(errbuf, '\n'));
	ck_assert_int_eq(srcset_count(s), 0);
	ck_assert_int_eq(wn.n, 0);
	srcset_free(s);
}

START_TEST(missing_file)
{
	check_add_fails(path_of("nope.pcap"), "no such file");
}
END_TEST

START_TEST(directory)
{
	check_add_fails(dir, "is a directory");
}
END_TEST

START_TEST(empty_file)
{
	struct fb w = { .le = 1 };

	wsave(&w, path_of("empty.pcap"), 0);
	check_add_fails(path_of("empty.pcap"), "empty file");
}
END_TEST

START_TEST(bad_magic)
{
	struct fb w = { .le = 1 };

	pbytes(&w, "hello, this is not a capture at all\n", 36);
	wsave(&w, path_of("text.pcap"), w.n);
	check_add_fails(path_of("text.pcap"),
	    "not a capture file (bad magic 0x68656c6c)");
	w.n = 0;
	pbytes(&w, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	wsave(&w, path_of("gz.pcap"), w.n);
	check_add_fails(path_of("gz.pcap"), "bad magic 0x1f8b0800; gzip");
	wsave(&w, path_of("short.pcap"), 3);
	check_add_fails(path_of("short.pcap"), "not a capture file (only 3 bytes)");
}
END_TEST

START_TEST(bad_header)
{
	struct fb w = { .le = 1 };

	pcap_hdr(&w, 0xa1b2c3d4, 1);
	wsave(&w, path_of("hdr.pcap"), 10);	/* good magic, cut header */
	check_add_fails(path_of("hdr.pcap"), "too short for a pcap file header (10 of 24 bytes)");
}
END_TEST

START_TEST(unsupported_link_type)
{
	static const struct rec r[] = { { NS(0, 1), 1 } };

	dump_file(path_of("user0.pcap"), 147, 0, r, 1);
	check_add_fails(path_of("user0.pcap"), "unsupported link type 147");
}
END_TEST

START_TEST(absurd_caplen)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s;
	struct pkt p;

	/* as the first record: the file cannot be read at all */
	pcap_hdr(&w, 0xa1b2c3d4, 1);
	p32(&w, T0);
	p32(&w, 0);
	p32(&w, 0xfffffff0);
	p32(&w, 0xfffffff0);
	pbytes(&w, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 42);
	wsave(&w, path_of("absurd.pcap"), w.n);
	check_add_fails(path_of("absurd.pcap"), "absurd captured length");

	/* after a good one: a warning, the good one kept */
	w.n = 0;
	pcap_hdr(&w, 0xa1b2c3d4, 1);
	pcap_rec(&w, T0, 1, 0, 0);
	p32(&w, T0);
	p32(&w, 2);
	p32(&w, 0xfffffff0);
	p32(&w, 0xfffffff0);
	wsave(&w, path_of("absurd2.pcap"), w.n);
	s = srcset_new(collect, &wn);
	ck_assert_int_eq(srcset_add(s, path_of("absurd2.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_msg(strstr(wn.last, "record 2 has an absurd captured length") != NULL,
	    "%s", wn.last);
	ck_assert_int_eq(srcset_stats(s, 0)->damaged, 1);
	srcset_free(s);
}
END_TEST

START_TEST(pcapng_mixed_link_types)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s;
	struct pkt p;

	/* two interfaces before any packet: srcset_add refuses */
	png_shb(&w);
	png_idb(&w, 1, 0);
	png_idb(&w, 113, 0);
	png_epb(&w, (uint64_t)NS(0, 0) / 1000, 0, 0);
	wsave(&w, path_of("mixed.pcapng"), w.n);
	check_add_fails(path_of("mixed.pcapng"),
	    "interfaces have different link types (EN10MB, then LINUX_SLL");

	/* second interface after a packet: warning, the packet kept */
	w.n = 0;
	png_shb(&w);
	png_idb(&w, 1, 0);
	png_epb(&w, (uint64_t)NS(0, 0) / 1000, 0, 0);
	png_idb(&w, 276, 0);
	png_epb(&w, (uint64_t)NS(1, 0) / 1000, 0, 1);
	wsave(&w, path_of("mixed2.pcapng"), w.n);
	s = srcset_new(collect, &wn);
	ck_assert_int_eq(srcset_add(s, path_of("mixed2.pcapng"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_msg(strstr(wn.last, "different link types (EN10MB, then "
	    "LINUX_SLL2") != NULL, "%s", wn.last);
	ck_assert_int_eq(srcset_stats(s, 0)->damaged, 1);
	srcset_free(s);
}
END_TEST

START_TEST(pcapng_timestamp_overflow)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 1 };
	struct warns wn = { .n = 0 };
	struct srcset *s = srcset_new(collect, &wn);
	struct pkt p;

	png_shb(&w);
	png_idb(&w, 1, 0);
	png_epb(&w, (uint64_t)NS(0, 0) / 1000, 0, 0);
	png_epb(&w, UINT64_MAX - 5, 0, 1);	/* year 500000-something */
	wsave(&w, path_of("far.pcapng"), w.n);
	ck_assert_int_eq(srcset_add(s, path_of("far.pcapng"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 0);
	ck_assert_int_eq(wn.n, 1);
	ck_assert_ptr_nonnull(strstr(wn.last, "timestamp out of range"));
	srcset_free(s);
}
END_TEST

/* A capture in memory (the fuzzers' way in): same reading, same errors. */
START_TEST(add_fp_memory)
{
	char errbuf[MT_ERRBUF_SIZE];
	struct fb w = { .le = 0 };
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p[4];
	FILE *fp;

	pcap_hdr(&w, 0xa1b23c4d, 1);
	pcap_rec(&w, T0, 7, 3, 1);
	pcap_rec(&w, T0, 9, 3, 2);
	ck_assert_ptr_nonnull(fp = fmemopen(w.b, w.n, "r"));
	ck_assert_msg(srcset_add_fp(s, "mem.pcap", fp, errbuf) == 0, "%s", errbuf);
	ck_assert_int_eq(read_all(s, p, 4), 2);
	ck_assert_int_eq(p[1].ts, NS(0, 9));
	ck_assert_uint_eq(p[1].icmp_seq, 2);
	ck_assert_str_eq(srcset_stats(s, 0)->path, "mem.pcap");
	srcset_free(s);

	s = srcset_new(NULL, NULL);
	ck_assert_ptr_nonnull(fp = fmemopen("hello, not a capture", 20, "r"));
	ck_assert_int_eq(srcset_add_fp(s, "mem.txt", fp, errbuf), -1);
	ck_assert_str_eq(errbuf, "mem.txt: not a capture file (bad magic 0x68656c6c)");
	ck_assert_int_eq(srcset_count(s), 0);
	srcset_free(s);
}
END_TEST

START_TEST(add_after_start)
{
	static const struct rec r[] = { { NS(0, 1), 1 } };
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;

	dump_file(path_of("a.pcap"), 1, 0, r, 1);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_next(s, &p, errbuf), 1);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "after reading has started"));
	srcset_free(s);
}
END_TEST

START_TEST(progress)
{
	enum { NP = 50000 };	/* read ahead: progress moves a batch at a time */
	static struct rec r[NP];
	char errbuf[MT_ERRBUF_SIZE];
	struct srcset *s = srcset_new(NULL, NULL);
	struct pkt p;
	struct stat sa, sb;
	uint64_t done, total, last = 0;
	int n = 0, grew = 0;

	for (int i = 0; i < NP; i++) {
		r[i].ts = NS(0, i);
		r[i].seq = (unsigned)i;
	}
	dump_file(path_of("a.pcap"), 1, 0, r, NP);
	dump_file(path_of("b.pcap"), 1, 1, r, 10);
	ck_assert_int_eq(stat(path_of("a.pcap"), &sa), 0);
	ck_assert_int_eq(stat(path_of("b.pcap"), &sb), 0);
	ck_assert_int_eq(srcset_add(s, path_of("a.pcap"), errbuf), 0);
	ck_assert_int_eq(srcset_add(s, path_of("b.pcap"), errbuf), 0);
	srcset_progress(s, &done, &total);
	ck_assert_uint_eq(total, (uint64_t)(sa.st_size + sb.st_size));
	ck_assert_uint_lt(done, total / 2);
	while (srcset_next(s, &p, errbuf) == 1) {
		if (++n % 100 == 0) {
			srcset_progress(s, &done, &total);
			ck_assert_uint_ge(done, last);
			ck_assert_uint_le(done, total);
			grew += done > last;
			last = done;
		}
	}
	ck_assert_int_gt(grew, 5);
	srcset_progress(s, &done, &total);
	ck_assert_uint_eq(done, total);
	srcset_free(s);
}
END_TEST

static Suite *
source_suite(const char *name)
{
	Suite *s = suite_create(name);
	TCase *tc;

	tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pcap_usec_le);
	tcase_add_test(tc, pcap_usec_be);
	tcase_add_test(tc, pcap_nsec_le);
	tcase_add_test(tc, pcap_nsec_be);
	tcase_add_test(tc, pcapng_le_ns);
	tcase_add_test(tc, pcapng_be_us);
	tcase_add_test(tc, dumped_link_types);
	tcase_add_test(tc, empty_capture);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, merge_three);
	tcase_add_test(tc, payload_valid_until_next);
	tcase_add_test(tc, many_files);
	tcase_add_test(tc, long_merge);
	tcase_add_test(tc, free_midway);
	tcase_add_test(tc, backwards);
	tcase_add_test(tc, progress);
	tcase_add_test(tc, add_after_start);
	tcase_add_test(tc, add_fp_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_input");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, truncated_data);
	tcase_add_test(tc, truncated_record_header);
	tcase_add_test(tc, truncated_first_record);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, directory);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, bad_header);
	tcase_add_test(tc, unsupported_link_type);
	tcase_add_test(tc, absurd_caplen);
	tcase_add_test(tc, pcapng_mixed_link_types);
	tcase_add_test(tc, pcapng_timestamp_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed = 0;

	for (readahead = 0; readahead <= 1; readahead++) {
		sr = srunner_create(source_suite(readahead ?
		    "source (read ahead)" : "source"));
		srunner_run_all(sr, CK_ENV);
		failed += srunner_ntests_failed(sr);
		srunner_free(sr);
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
