/*
 * check_clock.c: several hosts, one clock. The frame key (what survives
 * from one capture point to the next), the copy check, the --host /
 * --clock-offset / --clock-ref parser and plan, and the offset estimate
 * on two capture points written here with known one-way times and a
 * known clock error (offset, and drift on a long capture): the truth is
 * the arithmetic of the frames written.
 */
#include "config.h"

#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/clock.h"
#include "input/dedup.h"
#include "input/framekey.h"
#include "input/pkt.h"
#include "input/source.h"

#define T0	(1767225600LL * MT_NS_PER_S)
#define US	1000LL
#define MS	MT_NS_PER_MS

static const uint8_t A_MAC[6] = { 2, 0, 0, 0, 0, 1 }, B_MAC[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t A_IP[4] = { 192, 0, 2, 1 }, B_IP[4] = { 192, 0, 2, 10 };

/* An Ethernet/IPv4 echo request (a -> b) or reply, 98 bytes. */
static size_t
frame(uint8_t *b, int reply, uint16_t seq, uint16_t ipid, uint8_t ttl,
    uint16_t sum)
{
	const uint8_t *sm = reply ? B_MAC : A_MAC, *dm = reply ? A_MAC : B_MAC;
	const uint8_t *si = reply ? B_IP : A_IP, *di = reply ? A_IP : B_IP;

	memset(b, 0, 98);
	memcpy(b, dm, 6);
	memcpy(b + 6, sm, 6);
	b[12] = 0x08;
	b[14] = 0x45;
	b[17] = 84;
	b[18] = (uint8_t)(ipid >> 8);
	b[19] = (uint8_t)ipid;
	b[22] = ttl;
	b[23] = 1;
	b[24] = (uint8_t)(sum >> 8);
	b[25] = (uint8_t)sum;
	memcpy(b + 26, si, 4);
	memcpy(b + 30, di, 4);
	b[34] = reply ? 0 : 8;
	b[36] = (uint8_t)(sum >> 8);	/* ICMP checksum */
	b[38] = 0x12;
	b[39] = 0x34;
	b[40] = (uint8_t)(seq >> 8);
	b[41] = (uint8_t)seq;
	return 98;
}

static void
decode(const uint8_t *b, size_t n, mt_ns ts, int src, struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	p->src = src;
	p->wire_len = (uint32_t)n;
	ck_assert_int_eq(pkt_decode(DLT_EN10MB, b, (uint32_t)n, p), PKT_OK);
}

START_TEST(key_survives_the_path)
{
	uint8_t b[98];
	struct pkt p, q;
	uint64_t k;

	decode(b, frame(b, 0, 7, 100, 64, 0x1111), 0, 0, &p);
	k = fkey_of(&p);
	ck_assert_uint_ne(k, 0);
	/* A router's TTL and checksum, a sender's partial checksum: same. */
	decode(b, frame(b, 0, 7, 100, 63, 0x2222), 0, 0, &q);
	ck_assert_uint_eq(fkey_of(&q), k);
	/* Another IP ID, sequence or direction: another frame. */
	decode(b, frame(b, 0, 7, 101, 64, 0x1111), 0, 0, &q);
	ck_assert_uint_ne(fkey_of(&q), k);
	decode(b, frame(b, 0, 8, 100, 64, 0x1111), 0, 0, &q);
	ck_assert_uint_ne(fkey_of(&q), k);
	decode(b, frame(b, 1, 7, 100, 64, 0x1111), 0, 0, &q);
	ck_assert_uint_ne(fkey_of(&q), k);
	ck_assert_uint_eq(fkey_dir(&q, 0), fkey_dir(&p, 1));
	ck_assert_uint_ne(fkey_dir(&q, 0), fkey_dir(&p, 0));
	/* LLDP: nothing to tell it by. */
	b[12] = 0x88;
	b[13] = 0xcc;
	decode(b, 60, 0, 0, &q);
	ck_assert_uint_eq(fkey_of(&q), 0);
	ck_assert_uint_eq(fkey_pair(&q), 0);
}
END_TEST

/*
 * The key in two parts (what dedup.c uses): one pair for both
 * directions, the direction in the rest; the parts agree where the whole
 * key does, over frames that differ in one field at a time.
 */
START_TEST(key_split_agrees)
{
	enum { N = 5 };
	uint8_t b[98];
	struct pkt p[N];
	uint64_t pair[N], rest[N];

	decode(b, frame(b, 0, 7, 100, 64, 0x1111), 0, 0, &p[0]);
	decode(b, frame(b, 0, 7, 100, 63, 0x2222), 0, 0, &p[1]);	/* same */
	decode(b, frame(b, 1, 7, 100, 64, 0x1111), 0, 0, &p[2]);	/* back */
	decode(b, frame(b, 0, 7, 101, 64, 0x1111), 0, 0, &p[3]);
	decode(b, frame(b, 0, 8, 100, 64, 0x1111), 0, 0, &p[4]);
	for (int i = 0; i < N; i++) {
		pair[i] = fkey_pair(&p[i]);
		rest[i] = fkey_rest(&p[i]);
		ck_assert_uint_ne(rest[i], 0);
		ck_assert_uint_ne(pair[i], 0);
		ck_assert_uint_eq(pair[i], pair[0]);	/* one pair of hosts */
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			ck_assert_msg((rest[i] == rest[j]) ==
			    (fkey_of(&p[i]) == fkey_of(&p[j])),
			    "frames %d and %d", i, j);
	ck_assert_uint_eq(rest[0], rest[1]);
	ck_assert_uint_ne(rest[0], rest[2]);
}
END_TEST

START_TEST(copies_counted_once)
{
	struct dedup *d = dedup_new();
	uint8_t b[98];
	struct pkt p;

	ck_assert_ptr_nonnull(d);
	decode(b, frame(b, 0, 1, 1, 64, 0), T0, 0, &p);
	ck_assert_int_eq(dedup_copy(d, &p), 0);
	/* The same frame at a second point, 30 us on: a copy. */
	p.src = 1;
	p.ts = T0 + 30 * US;
	ck_assert_int_eq(dedup_copy(d, &p), 1);
	/* Again at the first point: a new frame (a repeat), kept. */
	p.src = 0;
	p.ts = T0 + 50 * MS;
	ck_assert_int_eq(dedup_copy(d, &p), 0);
	/* Its copy at point 1 is one. */
	p.src = 1;
	p.ts = T0 + 51 * MS;
	ck_assert_int_eq(dedup_copy(d, &p), 1);
	/* More than DEDUP_WINDOW later at another point: not a copy. */
	p.src = 2;
	p.ts = T0 + 50 * MS + DEDUP_WINDOW + 1;
	ck_assert_int_eq(dedup_copy(d, &p), 0);
	/* Files past DEDUP_MAX_FILES are never copies. */
	p.src = DEDUP_MAX_FILES;
	ck_assert_int_eq(dedup_copy(d, &p), 0);
	dedup_free(d);
	dedup_free(NULL);
}
END_TEST

/*
 * The table under churn: 300 000 records of 20 000 frames (IP ids) from
 * three files, time moving on 0-1/5000 of DEDUP_WINDOW a record (about
 * 10 000 keys within it), so keys are forgotten and come back and slots are
 * deleted and shifted all the time (a shift that stopped after one move
 * failed here). Every answer must be what a plain list of every key's
 * last first copy says.
 */
START_TEST(copies_under_churn)
{
	enum { FRAMES = 20000, RECORDS = 300000 };
	static mt_ns first[FRAMES];
	static uint64_t files[FRAMES];
	struct dedup *d = dedup_new();
	uint8_t b[98];
	struct pkt p;
	mt_ns t = T0;
	uint32_t r = 12345;
	int copies = 0;

	ck_assert_ptr_nonnull(d);
	for (int k = 0; k < FRAMES; k++)
		first[k] = MT_NS_NONE;
	for (int i = 0; i < RECORDS; i++) {
		int k, src, want;

		r = r * 1103515245u + 12345u;
		k = (int)((r >> 8) % FRAMES);
		r = r * 1103515245u + 12345u;
		src = (int)((r >> 8) % 3);
		r = r * 1103515245u + 12345u;
		/* 0-200 us a record for a window of 1 s: the same share. */
		t += (mt_ns)((r >> 8) % 200) * (DEDUP_WINDOW / 1000000);
		decode(b, frame(b, 0, 1, (uint16_t)(k + 1), 64, 0), t, src, &p);
		if (first[k] != MT_NS_NONE && t - first[k] <= DEDUP_WINDOW &&
		    !(files[k] & (1u << src))) {
			files[k] |= 1u << src;
			want = 1;
		} else {
			first[k] = t;
			files[k] = 1u << src;
			want = 0;
		}
		copies += want;
		ck_assert_int_eq(dedup_copy(d, &p), want);
	}
	ck_assert_int_gt(copies, 1000);	/* the case is exercised */
	dedup_free(d);
}
END_TEST

/*
 * Records for the copy check's tests: conversations (host c+1 with host
 * 10, both ways), each carried by its owner file until its own random
 * moment (some never), then by any of three; and the plain list that
 * says which record is a copy: a frame (conversation, IP id) seen in
 * another file within DEDUP_WINDOW of its last first copy.
 */
#define GEN_CONVS	64
#define GEN_IDS		500

struct convgen {
	int convs, ids;
	mt_ns t, step, gap;	/* time: gap + 0 or 1 step a record */
	uint32_t r;
	int owner[GEN_CONVS];
	mt_ns share_at[GEN_CONVS];
	mt_ns first[GEN_CONVS][GEN_IDS];
	uint64_t files[GEN_CONVS][GEN_IDS];
};

static uint32_t
gen_rand(struct convgen *g)
{
	g->r = g->r * 1103515245u + 12345u;
	return g->r >> 8;
}

/* Every never-th conversation is never shared; the others from a moment
 * within span steps of T0. */
static void
gen_init(struct convgen *g, uint32_t seed, int convs, int ids, mt_ns step,
    mt_ns gap, uint32_t span, int never)
{
	ck_assert_int_le(convs, GEN_CONVS);
	ck_assert_int_le(ids, GEN_IDS);
	g->convs = convs;
	g->ids = ids;
	g->t = T0;
	g->step = step;
	g->gap = gap;
	g->r = seed;
	for (int c = 0; c < convs; c++) {
		uint32_t at;

		g->owner[c] = (int)(gen_rand(g) % 3);
		at = gen_rand(g) % span;
		g->share_at[c] = c % never == 0 ? INT64_MAX :
		    T0 + (mt_ns)at * step;
		for (int k = 0; k < ids; k++)
			g->first[c][k] = MT_NS_NONE;
	}
}

/* The next record's frame into b (98 bytes), its time (g->t), file and
 * conversation; 1 if the plain list calls it a copy. *solo: its
 * conversation was still its owner's alone. */
static int
gen_next(struct convgen *g, uint8_t *b, int *srcp, int *cp, int *kp,
    int *solo)
{
	int c = (int)(gen_rand(g) % (uint32_t)g->convs);
	int k = (int)(gen_rand(g) % (uint32_t)g->ids);
	uint32_t any = gen_rand(g) % 3;
	int src = g->t < g->share_at[c] ? g->owner[c] : (int)any;

	*solo = g->t < g->share_at[c];
	g->t += g->gap + (mt_ns)(gen_rand(g) % 2) * g->step;
	frame(b, 0, 1, (uint16_t)(k + 1), 64, 0);
	b[29] = (uint8_t)(c + 1);	/* the source address */
	if (k & 1) {			/* the other way */
		memcpy(b + 26, B_IP, 4);
		memcpy(b + 30, A_IP, 3);
		b[33] = (uint8_t)(c + 1);
	}
	*srcp = src;
	*cp = c;
	*kp = k;
	if (g->first[c][k] != MT_NS_NONE &&
	    g->t - g->first[c][k] <= DEDUP_WINDOW &&
	    !(g->files[c][k] & (1u << src))) {
		g->files[c][k] |= 1u << src;
		return 1;
	}
	g->first[c][k] = g->t;
	g->files[c][k] = 1u << src;
	return 0;
}

/*
 * Conversations carried by one file for a while, then by several (the
 * moment dedup.c moves one from its log to the key table, replaying what
 * the log holds): 64 source addresses, each owned by one file until its
 * own random moment (some never, some only after their log entries have
 * expired), 500 frames each. Every answer must be the plain list's.
 */
START_TEST(copies_by_conversation)
{
	enum { RECORDS = 300000 };
	static struct convgen g;
	struct dedup *d = dedup_new();
	uint8_t b[98];
	struct pkt p;
	int copies = 0, solo = 0;

	ck_assert_ptr_nonnull(d);
	/* Over the run's span (about 300 000 steps of step / 2), a fifth
	 * never shared. */
	gen_init(&g, 777, 64, 500, DEDUP_WINDOW / 5000, 0, 150000, 5);
	for (int i = 0; i < RECORDS; i++) {
		int c, k, src, own, want = gen_next(&g, b, &src, &c, &k, &own);

		solo += own;
		decode(b, 98, g.t, src, &p);
		copies += want;
		ck_assert_msg(dedup_copy(d, &p) == want, "record %d (conversation "
		    "%d, frame %d, file %d): want %d", i, c, k, src, want);
	}
	ck_assert_int_gt(copies, 1000);
	ck_assert_int_gt(solo, 50000);	/* the log is exercised too */
	dedup_free(d);
}
END_TEST

START_TEST(spec_errors)
{
	struct clk_spec c;
	char err[MT_ERRBUF_SIZE], name[32];

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(clk_spec_host(&c, "a=x.pcap,y.pcap", err), 0);
	ck_assert_int_eq(c.host[0].nfiles, 2);
	ck_assert_int_eq(clk_spec_host(&c, "a=z.pcap", err), -1);
	ck_assert_str_eq(err, "--host: host 'a' given twice");
	ck_assert_int_eq(clk_spec_host(&c, "b=z.pcap,y.pcap", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "y.pcap is already given to a host"));
	ck_assert_int_eq(clk_spec_host(&c, "=z.pcap", err), -1);
	ck_assert_int_eq(clk_spec_host(&c, "c=", err), -1);
	ck_assert_int_eq(clk_spec_host(&c, "d=,", err), -1);
	ck_assert_str_eq(err, "--host d: no file");
	ck_assert_int_eq(clk_spec_offset(&c, "x.pcap=-41.7ms", err), 0);
	ck_assert_int_eq(c.given[0].offset, -41700000);
	ck_assert_int_eq(clk_spec_offset(&c, "w.pcap=+2s", err), 0);
	ck_assert_int_eq(c.given[1].offset, 2 * MT_NS_PER_S);
	ck_assert_int_eq(clk_spec_offset(&c, "x.pcap=1ms", err), -1);
	ck_assert_int_eq(clk_spec_offset(&c, "v.pcap=--1ms", err), -1);
	ck_assert_int_eq(clk_spec_offset(&c, "v.pcap=soon", err), -1);
	ck_assert_int_eq(clk_spec_ref(&c, "client", err), 0);
	ck_assert_int_eq(clk_spec_ref(&c, "other", err), -1);
	ck_assert(clk_spec_used(&c));
	clk_spec_free(&c);
	ck_assert(!clk_spec_used(&c));
	for (int i = 0; i < CLK_MAX_HOSTS; i++) {
		snprintf(name, sizeof(name), "h%d=f%d", i, i);
		ck_assert_int_eq(clk_spec_host(&c, name, err), 0);
	}
	ck_assert_int_eq(clk_spec_host(&c, "one=more", err), -1);
	clk_spec_free(&c);
	clk_spec_free(NULL);
}
END_TEST

START_TEST(plan_names_files)
{
	struct clk_spec c;
	struct clk_plan p;
	char err[MT_ERRBUF_SIZE];
	char *files[] = { "run/ext-client.pcap", "run/ext-xnodea.pcap",
	    "run/mgmt-nodea.pcap", "other/mgmt-nodea.pcap" };

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(clk_spec_host(&c, "a=ext-xnodea.pcap,run/mgmt-nodea.pcap", err), 0);
	ck_assert_int_eq(clk_plan(&c, files, 4, &p, err), 0);
	ck_assert_int_eq(p.nhosts, 2);
	ck_assert_str_eq(p.name[p.ref], "reference");
	ck_assert_int_eq(p.host_of[0], p.ref);
	ck_assert_int_eq(p.host_of[1], 0);
	ck_assert_int_eq(p.host_of[2], 0);
	ck_assert_int_eq(p.host_of[3], p.ref);
	clk_plan_free(&p);
	/* "mgmt-nodea.pcap" names two inputs. */
	clk_spec_free(&c);
	ck_assert_int_eq(clk_spec_host(&c, "a=mgmt-nodea.pcap", err), 0);
	ck_assert_int_eq(clk_plan(&c, files, 4, &p, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "names two captures"));
	/* Every file named, no --clock-ref: the first host is the reference;
	 * --clock-ref naming a host with no file is an error. */
	clk_spec_free(&c);
	ck_assert_int_eq(clk_spec_host(&c, "a=ext-client.pcap,ext-xnodea.pcap", err), 0);
	ck_assert_int_eq(clk_spec_host(&c, "b=run/mgmt-nodea.pcap,other/mgmt-nodea.pcap", err), 0);
	ck_assert_int_eq(clk_plan(&c, files, 4, &p, err), 0);
	ck_assert_int_eq(p.ref, 0);
	clk_plan_free(&p);
	ck_assert_int_eq(clk_spec_ref(&c, "c", err), 0);
	ck_assert_int_eq(clk_plan(&c, files, 4, &p, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no capture is stamped by it"));
	clk_spec_free(&c);
}
END_TEST

/*
 * The same from files, with the files read again instead of logged
 * (dedup_lazy, srcset_replay): three pcap files, conversations carried
 * by one file until their own random moment, each answer checked
 * against the plain list, read ahead in threads and not, and with file
 * 2 on another clock (its records written 2 s late, put back by
 * srcset_set_clock). Every file must have been read again once (each
 * shares conversations), and the copies must be many.
 */
struct replay_ctx {
	struct srcset *s;
	int backfills[3];
	char err[MT_ERRBUF_SIZE];
};

static void
replay_visit(void *ctx, const struct pkt *p)
{
	dedup_backfilled(ctx, p);
}

static struct dedup *replay_dd;

static int
replay_backfill(void *ctx, int file, mt_ns since)
{
	struct replay_ctx *rc = ctx;

	ck_assert_int_ge(file, 0);
	ck_assert_int_lt(file, 3);
	rc->backfills[file]++;
	return srcset_replay(rc->s, file, since, replay_visit, replay_dd,
	    rc->err);
}

static void
copies_read_again_run(int readahead)
{
	enum { RECORDS = 60000 };
	const mt_ns LATE = 2 * MT_NS_PER_S;
	static struct convgen g;
	static int8_t want[RECORDS];
	char dir[] = "/tmp/check_clock.XXXXXX", path[3][64], err[MT_ERRBUF_SIZE];
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144,
	    PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *dump[3];
	int copies = 0, i;
	struct replay_ctx rc;
	const struct pkt *p;
	uint8_t b[98];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int f = 0; f < 3; f++) {
		snprintf(path[f], sizeof(path[f]), "%s/p%d.pcap", dir, f);
		ck_assert_ptr_nonnull(dump[f] = pcap_dump_open(dead, path[f]));
	}
	/* A time step of at least 1 ns: never a tie between files. */
	gen_init(&g, 4242, 48, 300, DEDUP_WINDOW / 2000, 1, RECORDS * 3 / 4, 6);
	for (i = 0; i < RECORDS; i++) {
		struct pcap_pkthdr h;
		int c, k, src, own;

		want[i] = (int8_t)gen_next(&g, b, &src, &c, &k, &own);
		copies += want[i];
		h.ts.tv_sec = (g.t + (src == 2 ? LATE : 0)) / MT_NS_PER_S;
		h.ts.tv_usec = (g.t + (src == 2 ? LATE : 0)) % MT_NS_PER_S;
		h.caplen = h.len = 98;
		pcap_dump((u_char *)dump[src], &h, b);
	}
	for (int f = 0; f < 3; f++)
		pcap_dump_close(dump[f]);
	pcap_close(dead);
	ck_assert_int_gt(copies, 1000);

	memset(&rc, 0, sizeof(rc));
	ck_assert_ptr_nonnull(rc.s = srcset_new(NULL, NULL));
	ck_assert_ptr_nonnull(replay_dd = dedup_new());
	srcset_readahead(rc.s, readahead);
	for (int f = 0; f < 3; f++)
		ck_assert_msg(srcset_add(rc.s, path[f], err) == 0, "%s", err);
	ck_assert_int_eq(srcset_set_clock(rc.s, 2, -LATE, 0, T0, err), 0);
	srcset_marks(rc.s, DEDUP_WINDOW);
	for (int f = 0; f < 3; f++) {
		ck_assert_int_eq(srcset_can_replay(rc.s, f), 1);
		dedup_lazy(replay_dd, f, replay_backfill, &rc);
	}
	for (i = 0; srcset_next(rc.s, &p, err) == 1; i++) {
		int got = dedup_copy(replay_dd, p);

		ck_assert_msg(got >= 0, "record %d: %s", i, rc.err);
		ck_assert_msg(got == want[i], "record %d (file %d): want %d, "
		    "got %d", i, p->src, want[i], got);
	}
	ck_assert_int_eq(i, RECORDS);
	for (int f = 0; f < 3; f++)
		ck_assert_int_eq(rc.backfills[f], 1);
	dedup_free(replay_dd);
	srcset_free(rc.s);
	for (int f = 0; f < 3; f++)
		unlink(path[f]);
	rmdir(dir);
}

START_TEST(copies_read_again)
{
	copies_read_again_run(0);
	copies_read_again_run(1);
}
END_TEST

/*
 * Two capture points: a at the client (the reference clock), b at the
 * server. A probe every 100 ms from a to b takes 10 us plus queueing
 * (0 to 300 us, most probes queue), its reply 12 us plus queueing back.
 * b's clock reads true time + 5 ms + drift_ppm * (true - T0).
 */
static void
write_points(const char *pa, const char *pb, int n, double drift_ppm)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144,
	    PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *da = pcap_dump_open(dead, pa), *db = pcap_dump_open(dead, pb);
	uint8_t b[98];

	ck_assert_ptr_nonnull(da);
	ck_assert_ptr_nonnull(db);
	for (int i = 0; i < n; i++) {
		mt_ns t = T0 + (mt_ns)i * 100 * MS;
		mt_ns q1 = (i % 7) * 50 * US, q2 = ((i + 3) % 5) * 75 * US;
		mt_ns sent = t, arrived = t + 10 * US + q1;
		mt_ns back = arrived + 40 * US, home = back + 12 * US + q2;
		struct pcap_pkthdr h;
		mt_ns ts;

#define BCLOCK(x) ((x) + 5 * MS + (mt_ns)(drift_ppm * 1e-6 * (double)((x) - T0)))
#define DUMP(d, when, size) do { ts = (when); \
	h.ts.tv_sec = ts / MT_NS_PER_S; h.ts.tv_usec = ts % MT_NS_PER_S; \
	h.caplen = h.len = (bpf_u_int32)(size); \
	pcap_dump((u_char *)(d), &h, b); } while (0)
		DUMP(da, sent, frame(b, 0, (uint16_t)i, (uint16_t)(2 * i), 64, 0));
		DUMP(db, BCLOCK(arrived), frame(b, 0, (uint16_t)i, (uint16_t)(2 * i), 63, 0));
		DUMP(db, BCLOCK(back), frame(b, 1, (uint16_t)i, (uint16_t)(2 * i + 1), 64, 0));
		DUMP(da, home, frame(b, 1, (uint16_t)i, (uint16_t)(2 * i + 1), 63, 0));
	}
	pcap_dump_close(da);
	pcap_dump_close(db);
	pcap_close(dead);
}

static void
estimate(int n, double drift_ppm, struct clk_result *r)
{
	char dir[] = "/tmp/check_clock.XXXXXX", pa[64], pb[64], err[MT_ERRBUF_SIZE];
	char *files[2] = { pa, pb };
	struct clk_spec c;
	struct clk_plan p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(pa, sizeof(pa), "%s/a.pcap", dir);
	snprintf(pb, sizeof(pb), "%s/b.pcap", dir);
	write_points(pa, pb, n, drift_ppm);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(clk_spec_host(&c, "server=b.pcap", err), 0);
	ck_assert_int_eq(clk_plan(&c, files, 2, &p, err), 0);
	ck_assert_msg(clk_estimate(&p, files, 2, r, err) == 0, "%s", err);
	clk_plan_free(&p);
	clk_spec_free(&c);
	unlink(pa);
	unlink(pb);
	rmdir(dir);
}

START_TEST(offset_from_min_delays)
{
	struct clk_result r[2];

	/* 30 s: no drift estimated. */
	estimate(300, 0, r);
	ck_assert_int_eq(r[0].how, CLK_REFERENCE);
	ck_assert_int_eq(r[1].how, CLK_ESTIMATED);
	ck_assert_int_eq(r[1].via, 1);	/* the reference host, appended */
	ck_assert(r[1].drift == 0);
	ck_assert_uint_eq(r[1].pairs, 600);
	/*
	 * b's timestamps are 5 ms ahead: -5 ms, off by half the difference
	 * of the smallest one-way times ((10 - 12) / 2 = -1 us: -4.999 ms),
	 * give or take half the smallest round trip ((10 + 12) / 2 = 11 us).
	 */
	ck_assert_int_eq(r[1].offset, -5 * MS + 1 * US);
	ck_assert_int_eq(r[1].uncertainty, 11 * US);
}
END_TEST

START_TEST(drift_on_a_long_capture)
{
	struct clk_result r[2];
	mt_ns t, raw, got, want;

	/* 300 s, b's clock gains 20 ppm: 6 ms over the capture. */
	estimate(3000, 20, r);
	ck_assert_int_eq(r[1].how, CLK_ESTIMATED);
	ck_assert_msg(r[1].drift < -19e-6 && r[1].drift > -21e-6,
	    "drift %g", r[1].drift);
	/* At 0, 150 and 299 s the offset is within 20 us of the truth. */
	for (int k = 0; k < 3; k++) {
		t = T0 + (k == 0 ? 0 : k == 1 ? 150 : 299) * MT_NS_PER_S;
		raw = t + 5 * MS + (mt_ns)(20e-6 * (double)(t - T0));
		want = t - raw;
		got = r[1].offset + (mt_ns)(r[1].drift * (double)(raw - r[1].t0));
		ck_assert_msg(llabs(got - want) <= 20 * US, "at %d: offset %lld, "
		    "want %lld", k, (long long)got, (long long)want);
	}
	ck_assert_int_ge(r[1].uncertainty, 11 * US);
	/* each 10 s window spans 200 us of drift: its bound is ~111 us */
	ck_assert_int_le(r[1].uncertainty, 300 * US);
}
END_TEST

static Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clock");

	tcase_add_test(tc, key_survives_the_path);
	tcase_add_test(tc, key_split_agrees);
	tcase_add_test(tc, copies_counted_once);
	tcase_add_test(tc, copies_under_churn);
	tcase_add_test(tc, copies_by_conversation);
	tcase_add_test(tc, copies_read_again);
	tcase_add_test(tc, spec_errors);
	tcase_add_test(tc, plan_names_files);
	tcase_add_test(tc, offset_from_min_delays);
	tcase_add_test(tc, drift_on_a_long_capture);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(clock_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
