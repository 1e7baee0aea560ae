/* check_streamclass.c: Check suite for the classes and walkers of lib/measure/streamclass.c. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "measure/streamclass.h"

#define BASE	((uint64_t)1 << 32)
#define MS	MT_NS_PER_MS

static void
be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v);
}

/* An RPC header: remote program, version 1. */
static void
rpc(uint8_t *p, uint32_t len, uint32_t type, uint32_t status)
{
	memset(p, 0, 28);
	be32(p, len);
	be32(p + 4, 0x20008086);
	be32(p + 8, 1);
	be32(p + 12, 350);
	be32(p + 16, type);
	be32(p + 24, status);
}

START_TEST(classify_each)
{
	uint8_t b[32];

	memset(b, 0, sizeof(b));
	ck_assert_int_eq(sc_classify(NULL, 0), SC_UNKNOWN);
	be32(b, 0x5145564d);
	ck_assert_int_eq(sc_classify(b, 4), SC_QEVM);
	ck_assert_int_eq(sc_classify(b, 3), SC_UNKNOWN);	/* too few */
	be32(b, 0x11223344);
	ck_assert_int_eq(sc_classify(b, 16), SC_MULTIFD);
	memcpy(b, "NBDMAGICIHAVEOPT", 16);
	ck_assert_int_eq(sc_classify(b, 16), SC_NBD);
	ck_assert_int_eq(sc_classify(b, 7), SC_UNKNOWN);
	b[0] = 22, b[1] = 3, b[2] = 1;
	ck_assert_int_eq(sc_classify(b, 3), SC_TLS);
	b[2] = 9;	/* no such TLS version */
	ck_assert_int_eq(sc_classify(b, 16), SC_OTHER);
	rpc(b, 64, 0, 0);
	ck_assert_int_eq(sc_classify(b, 28), SC_RPC);
	be32(b + 8, 2);	/* version 2: not libvirt's */
	ck_assert_int_eq(sc_classify(b, 28), SC_OTHER);
	ck_assert_str_eq(sc_class_name(SC_RETURN), "return");
}
END_TEST

/* Two STREAM messages each starting a segment: the bodies exactly. */
START_TEST(rpc_stream_aligned)
{
	struct sc_walk w;
	uint8_t s[32];
	uint64_t n;

	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 28 + 1000, 3, 2);
	be32(s + 28, 0x5145564d);
	n = sc_walk_segment(&w, BASE, 600, s, 32, 1 * MS);
	n += sc_walk_segment(&w, BASE + 600, 428, NULL, 0, 2 * MS);
	rpc(s, 28 + 500, 3, 2);
	n += sc_walk_segment(&w, BASE + 1028, 528, s, 32, 3 * MS);
	ck_assert_uint_eq(n, 1500);
	ck_assert_uint_eq(w.payload, 1500);
	ck_assert_uint_eq(w.volume, 0);
	ck_assert_int_eq(w.tunnel, 1);
	ck_assert_uint_eq(w.messages, 2);
	ck_assert_int_eq(w.first, 1 * MS);
	/* QEVM not captured (30 bytes): the prepare-tunnel procedure (350
	 * is none, 304 is) says it. */
	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 28 + 1000, 3, 2);
	sc_walk_segment(&w, BASE, 1028, s, 30, 1);
	ck_assert_int_eq(w.tunnel, 0);
	sc_walk_init(&w, SC_RPC, BASE, 1);
	be32(s + 12, 304);
	sc_walk_segment(&w, BASE, 1028, s, 30, 1);
	ck_assert_int_eq(w.tunnel, 1);
	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 28 + 1000, 3, 2);
	be32(s + 28, 0x5145564d);
	n = sc_walk_segment(&w, BASE, 600, s, 32, 1 * MS);
	n += sc_walk_segment(&w, BASE + 600, 428, NULL, 0, 2 * MS);
	rpc(s, 28 + 500, 3, 2);
	n += sc_walk_segment(&w, BASE + 1028, 528, s, 32, 3 * MS);
	ck_assert_int_eq(w.last, 3 * MS);
	/* The same segment again (a retransmission): nothing more. */
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 1028, 528, s, 32, 4 * MS), 0);
	ck_assert_uint_eq(w.payload, 1500);
}
END_TEST

/* A header mid-segment past the captured bytes: by volume until a
 * header starts a segment again; nothing counted twice. */
START_TEST(rpc_loses_sync)
{
	struct sc_walk w;
	uint8_t s[32];

	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 28 + 100, 3, 2);
	/* 128-byte message, then the next header at offset 128 of a
	 * 300-byte segment whose first 32 bytes alone were captured. */
	ck_assert_uint_eq(sc_walk_segment(&w, BASE, 300, s, 32, 1), 100 + 172);
	ck_assert_uint_eq(w.losses, 1);
	ck_assert_int_eq(w.synced, 0);
	ck_assert_uint_eq(w.volume, 172);
	/* Unreadable start: volume. */
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 300, 200, NULL, 0, 2), 200);
	/* A header at a segment start: in sync again; its end-of-stream
	 * message stops the counting. */
	rpc(s, 28, 3, 0);
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 500, 28, s, 28, 3), 0);
	ck_assert_int_eq(w.synced, 1);
	ck_assert_int_eq(w.streaming, 0);
	ck_assert_uint_eq(sc_walk_bytes(&w), 100 + 172 + 200);
	/* Out of sync with no stream open: nothing counted. */
	memset(s, 0xee, sizeof(s));
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 528, 100, s, 32, 4), 0);
	ck_assert_uint_eq(w.bad, 1);	/* garbage where a header was due */
}
END_TEST

/* Bad input: a length past any message, garbage after a valid header,
 * a stream cut mid-message. */
START_TEST(rpc_bad)
{
	struct sc_walk w;
	uint8_t s[32];

	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 0x7fffffff, 3, 2);	/* longer than VIR_NET_MESSAGE_MAX */
	ck_assert_uint_eq(sc_walk_segment(&w, BASE, 100, s, 32, 1), 0);
	ck_assert_uint_eq(w.bad, 1);
	ck_assert_uint_eq(w.messages, 0);

	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 30, 0, 0);		/* a call of 30 bytes ... */
	memset(s + 30, 0x99, 2);	/* ... then garbage */
	ck_assert_uint_eq(sc_walk_segment(&w, BASE, 32, s, 32, 1), 0);
	ck_assert_uint_eq(w.messages, 1);
	ck_assert_uint_eq(w.losses, 1);	/* the garbage's header: too short */

	/* Cut mid-message: what came is counted, once. */
	sc_walk_init(&w, SC_RPC, BASE, 1);
	rpc(s, 28 + 10000, 3, 2);
	ck_assert_uint_eq(sc_walk_segment(&w, BASE, 1000, s, 32, 1), 972);
	ck_assert_uint_eq(w.payload, 972);
}
END_TEST

START_TEST(tls_records)
{
	struct sc_walk w;
	uint8_t s[16];

	sc_walk_init(&w, SC_TLS, BASE, 1);
	s[0] = 23, s[1] = 3, s[2] = 3;
	be16(s + 3, 100);
	ck_assert_uint_eq(sc_walk_segment(&w, BASE, 105, s, 16, 1), 100);
	/* A record of length 0: framing says it is one, counted as bad. */
	be16(s + 3, 0);
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 105, 5, s, 5, 2), 0);
	ck_assert_uint_eq(w.bad, 1);
	ck_assert_int_eq(w.synced, 1);
	/* Not a record: lose sync, count by volume. */
	memset(s, 0, sizeof(s));
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 110, 50, s, 16, 3), 50);
	ck_assert_uint_eq(w.volume, 50);
	ck_assert_uint_eq(w.bad, 2);
	ck_assert_uint_eq(w.messages, 2);
}
END_TEST

static size_t
rp(uint8_t *p, uint16_t type, uint16_t len)
{
	memset(p, 0, 4 + (size_t)len);
	be16(p, type);
	be16(p + 2, len);
	return 4 + (size_t)len;
}

START_TEST(return_path)
{
	struct sc_walk w;
	uint8_t s[32];
	uint64_t at = BASE;
	size_t n;

	sc_walk_init(&w, SC_RETURN, BASE, 1);
	n = rp(s, SC_RP_SWITCHOVER_ACK, 0);
	n += rp(s + n, SC_RP_PONG, 4);
	ck_assert_uint_eq(sc_walk_segment(&w, at, (uint32_t)n, s, n, 1), 0);
	at += n;
	/* Two requests in one segment, both read. */
	n = rp(s, SC_RP_REQ_PAGES, 12);
	n += rp(s + n, SC_RP_REQ_PAGES, 12);
	sc_walk_segment(&w, at, (uint32_t)n, s, n, 5 * MS);
	at += n;
	n = rp(s, SC_RP_REQ_PAGES, 12);
	sc_walk_segment(&w, at, (uint32_t)n, s, n, 7 * MS);
	at += n;
	ck_assert_uint_eq(w.rp[SC_RP_REQ_PAGES], 3);
	ck_assert_uint_eq(w.rp[SC_RP_PONG], 1);
	ck_assert_uint_eq(w.rp[SC_RP_SWITCHOVER_ACK], 1);
	ck_assert_int_eq(w.rp_first_req, 5 * MS);
	ck_assert_int_eq(w.rp_last_req, 7 * MS);
	/* An unknown type: bad, out of sync, nothing counted from it. */
	n = rp(s, 42, 4);
	sc_walk_segment(&w, at, (uint32_t)n, s, n, 8 * MS);
	at += n;
	ck_assert_uint_eq(w.bad, 1);
	ck_assert_int_eq(w.synced, 0);
	/* A REQ_PAGES with a wrong length does not resync. */
	n = rp(s, SC_RP_REQ_PAGES, 13);
	sc_walk_segment(&w, at, (uint32_t)n, s, n, 9 * MS);
	at += n;
	ck_assert_int_eq(w.synced, 0);
	n = rp(s, SC_RP_SHUT, 4);
	sc_walk_segment(&w, at, (uint32_t)n, s, n, 10 * MS);
	ck_assert_int_eq(w.synced, 1);
	ck_assert_uint_eq(w.rp[SC_RP_SHUT], 1);
	ck_assert_uint_eq(w.rp[SC_RP_REQ_PAGES], 3);
}
END_TEST

/* Bytes the capture missed: a header inside them loses sync. */
START_TEST(gap_in_capture)
{
	struct sc_walk w;
	uint8_t s[16];

	sc_walk_init(&w, SC_TLS, BASE, 1);
	s[0] = 23, s[1] = 3, s[2] = 3;
	be16(s + 3, 100);
	sc_walk_segment(&w, BASE, 50, s, 16, 1);
	/* [50, 200) missed; the next record's header was at 105. */
	ck_assert_uint_eq(sc_walk_segment(&w, BASE + 200, 10, NULL, 0, 2),
	    55 + 95 + 10);
	ck_assert_uint_eq(w.payload, 45 + 55);
	ck_assert_uint_eq(w.volume, 105);
	ck_assert_uint_eq(w.losses, 1);
}
END_TEST

static Suite *
streamclass_suite(void)
{
	Suite *s = suite_create("streamclass");
	TCase *tc = tcase_create("streamclass");

	tcase_add_test(tc, classify_each);
	tcase_add_test(tc, rpc_stream_aligned);
	tcase_add_test(tc, rpc_loses_sync);
	tcase_add_test(tc, rpc_bad);
	tcase_add_test(tc, tls_records);
	tcase_add_test(tc, return_path);
	tcase_add_test(tc, gap_in_capture);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(streamclass_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
