/* check_echo.c: Check suite for echo matching, gaps and lost probes (lib/measure/echo.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "measure/echo.h"

#define T0	(1700000000LL * MT_NS_PER_S)
#define MS	MT_NS_PER_MS
#define US	1000LL

static struct mt_addr VM, PROBER, OTHER, VM6, PROBER6;

static void
setup(void)
{
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &VM), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.1", &PROBER), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.99", &OTHER), 0);
	ck_assert_int_eq(mt_addr_parse("2001:db8::10", &VM6), 0);
	ck_assert_int_eq(mt_addr_parse("2001:db8::1", &PROBER6), 0);
}

/* An echo record as the decoder leaves it (only the fields echo reads). */
static struct pkt
mk(mt_ns ts, int kind, const struct mt_addr *src, const struct mt_addr *dst,
    uint16_t id, uint16_t seq)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_IP | PKT_L_ICMP | PKT_L_ECHO;
	p.ip_src = *src;
	p.ip_dst = *dst;
	p.ip_proto = src->family == 4 ? PKT_IPPROTO_ICMP : PKT_IPPROTO_ICMPV6;
	p.echo = (uint8_t)kind;
	if (src->family == 4)
		p.icmp_type = kind == PKT_ECHO_REQUEST ? 8 : 0;
	else
		p.icmp_type = kind == PKT_ECHO_REQUEST ? 128 : 129;
	p.icmp_id = id;
	p.icmp_seq = seq;
	return p;
}

static void
req(struct echo *e, mt_ns ts, uint16_t id, uint16_t seq)
{
	struct pkt p = mk(ts, PKT_ECHO_REQUEST, &PROBER, &VM, id, seq);
	/* ECHO_NEW_REQUEST, or 0 for a second copy */
	ck_assert_int_ge(echo_add(e, &p), 0);
}

static void
rep(struct echo *e, mt_ns ts, uint16_t id, uint16_t seq)
{
	struct pkt p = mk(ts, PKT_ECHO_REPLY, &VM, &PROBER, id, seq);
	/* ECHO_NEW_REPLY, or 0 for a second copy */
	ck_assert_int_ge(echo_add(e, &p), 0);
}

/*
 * Probes every 10 ms, answered 500 us later, except requests k in
 * [lost_lo, lost_hi) which are never answered. Requests and replies are
 * fed in time order.
 */
static void
probe_run(struct echo *e, int n, int lost_lo, int lost_hi)
{
	for (int k = 0; k < n; k++) {
		req(e, T0 + k * 10 * MS, 7, (uint16_t)k);
		if (k < lost_lo || k >= lost_hi)
			rep(e, T0 + k * 10 * MS + 500 * US, 7, (uint16_t)k);
	}
}

START_TEST(outage_300ms)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	ck_assert_ptr_nonnull(e);
	probe_run(e, 200, 100, 130);	/* 30 probes, 300 ms, unanswered */
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 200);
	ck_assert_uint_eq(r.replies, 170);
	ck_assert_uint_eq(r.matched, 170);
	ck_assert_uint_eq(r.lost, 30);
	ck_assert_uint_eq(r.duplicates, 0);
	ck_assert_int_eq(r.interval, 10 * MS);
	ck_assert_int_eq(r.min_gap, 30 * MS);
	ck_assert_int_eq(r.first_reply, T0 + 500 * US);
	ck_assert_int_eq(r.last_reply, T0 + 199 * 10 * MS + 500 * US);
	ck_assert_uint_eq(r.ngaps, 1);
	ck_assert_uint_eq(r.longest, 0);
	ck_assert_int_eq(r.gaps[0].start, T0 + 99 * 10 * MS + 500 * US);
	ck_assert_int_eq(r.gaps[0].end, T0 + 130 * 10 * MS + 500 * US);
	ck_assert_int_eq(r.gaps[0].end - r.gaps[0].start, 310 * MS);
	ck_assert_uint_eq(r.gaps[0].lost, 30);
	echo_free(e);
}
END_TEST

/* The same outage over IPv6 (ICMPv6 echo). */
START_TEST(outage_ipv6)
{
	struct echo *e = echo_new(&VM6, 0);
	struct echo_result r;
	struct pkt p;

	for (int k = 0; k < 100; k++) {
		p = mk(T0 + k * 10 * MS, PKT_ECHO_REQUEST, &PROBER6, &VM6, 1, (uint16_t)k);
		ck_assert_int_eq(echo_add(e, &p), ECHO_NEW_REQUEST);
		if (k >= 40 && k < 60)
			continue;
		p = mk(T0 + k * 10 * MS + 1 * MS, PKT_ECHO_REPLY, &VM6, &PROBER6, 1, (uint16_t)k);
		ck_assert_int_eq(echo_add(e, &p), ECHO_NEW_REPLY);
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 100);
	ck_assert_uint_eq(r.matched, 80);
	ck_assert_uint_eq(r.lost, 20);
	ck_assert_uint_eq(r.ngaps, 1);
	ck_assert_int_eq(r.gaps[0].start, T0 + 39 * 10 * MS + MS);
	ck_assert_int_eq(r.gaps[0].end, T0 + 60 * 10 * MS + MS);
	ck_assert_uint_eq(r.gaps[0].lost, 20);
	echo_free(e);
}
END_TEST

/*
 * The same link captured at two places: every request and reply seen
 * twice. Only the first copy of each counts; the copies are reported.
 */
START_TEST(duplicate_replies)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;
	struct pkt p;

	for (int k = 0; k < 50; k++) {
		if (k >= 20 && k < 30)
			continue;	/* an outage: no requests answered */
		p = mk(T0 + k * 10 * MS, PKT_ECHO_REQUEST, &PROBER, &VM, 3, (uint16_t)k);
		ck_assert_int_eq(echo_add(e, &p), ECHO_NEW_REQUEST);
		p.ts += 20 * US;
		ck_assert_int_eq(echo_add(e, &p), 0);
		p = mk(T0 + k * 10 * MS + MS, PKT_ECHO_REPLY, &VM, &PROBER, 3, (uint16_t)k);
		ck_assert_int_eq(echo_add(e, &p), ECHO_NEW_REPLY);
		p.ts += 20 * US;
		ck_assert_int_eq(echo_add(e, &p), 0);
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 40);
	ck_assert_uint_eq(r.replies, 40);
	ck_assert_uint_eq(r.matched, 40);
	ck_assert_uint_eq(r.duplicates, 40);
	ck_assert_uint_eq(r.reply_duplicates, 40);
	ck_assert_int_eq(r.interval, 10 * MS);
	ck_assert_uint_eq(r.ngaps, 1);
	ck_assert_int_eq(r.gaps[0].start, T0 + 19 * 10 * MS + MS);
	ck_assert_int_eq(r.gaps[0].end, T0 + 30 * 10 * MS + MS);
	echo_free(e);
}
END_TEST

/* Echo that is not to or from the target, or not echo at all, is ignored. */
START_TEST(other_hosts_ignored)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;
	struct pkt p;

	p = mk(T0, PKT_ECHO_REQUEST, &PROBER, &OTHER, 1, 1);
	ck_assert_int_eq(echo_add(e, &p), 0);
	p = mk(T0 + MS, PKT_ECHO_REPLY, &OTHER, &PROBER, 1, 1);
	ck_assert_int_eq(echo_add(e, &p), 0);
	/* A reply *to* the VM is not a reply from it. */
	p = mk(T0 + 2 * MS, PKT_ECHO_REPLY, &PROBER, &VM, 1, 1);
	ck_assert_int_eq(echo_add(e, &p), 0);
	/* A request from the VM is not a probe to it. */
	p = mk(T0 + 3 * MS, PKT_ECHO_REQUEST, &VM, &PROBER, 1, 2);
	ck_assert_int_eq(echo_add(e, &p), 0);
	/* An ICMP packet without the echo layer bit. */
	p = mk(T0 + 4 * MS, PKT_ECHO_REQUEST, &PROBER, &VM, 1, 3);
	p.layers &= (uint16_t)~PKT_L_ECHO;
	ck_assert_int_eq(echo_add(e, &p), 0);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 0);
	ck_assert_uint_eq(r.replies, 0);
	ck_assert_uint_eq(r.lost, 0);
	ck_assert_int_eq(r.interval, MT_NS_NONE);
	ck_assert_int_eq(r.first_reply, MT_NS_NONE);
	ck_assert_int_eq(r.last_reply, MT_NS_NONE);
	ck_assert_int_eq(r.min_gap, MT_NS_PER_S);
	ck_assert_uint_eq(r.ngaps, 0);
	echo_free(e);
}
END_TEST

/* Each request seen on two captures (20 us apart): counted once. */
START_TEST(duplicate_requests)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	for (int k = 0; k < 100; k++) {
		req(e, T0 + k * 10 * MS, 3, (uint16_t)k);
		req(e, T0 + k * 10 * MS + 20 * US, 3, (uint16_t)k);
		if (k != 50)
			rep(e, T0 + k * 10 * MS + 300 * US, 3, (uint16_t)k);
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 100);
	ck_assert_uint_eq(r.duplicates, 100);
	ck_assert_uint_eq(r.replies, 99);
	ck_assert_uint_eq(r.matched, 99);
	ck_assert_uint_eq(r.lost, 1);
	/* The copies do not make the interval 20 us. */
	ck_assert_int_eq(r.interval, 10 * MS);
	ck_assert_int_eq(r.min_gap, 30 * MS);
	ck_assert_uint_eq(r.ngaps, 0);	/* one lost probe: a 20 ms gap */
	echo_free(e);
}
END_TEST

/*
 * 70000 probes at 1 ms: the sequence number wraps after 65536 and the
 * same (id, seq) comes back 65.536 s later. Probe seq 5 of the first
 * round is never answered: it is lost, and its key's reuse is a new
 * request, not a duplicate, and is matched by its own reply.
 */
START_TEST(sequence_wrap)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	for (int k = 0; k < 70000; k++) {
		req(e, T0 + k * MS, 0x4242, (uint16_t)k);
		if (k != 5)
			rep(e, T0 + k * MS + 200 * US, 0x4242, (uint16_t)k);
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 70000);
	ck_assert_uint_eq(r.duplicates, 0);
	ck_assert_uint_eq(r.replies, 69999);
	ck_assert_uint_eq(r.matched, 69999);
	ck_assert_uint_eq(r.lost, 1);
	ck_assert_int_eq(r.interval, MS);
	ck_assert_int_eq(r.min_gap, 3 * MS);
	ck_assert_uint_eq(r.ngaps, 0);	/* 2 ms around the lost one */
	echo_free(e);
}
END_TEST

/*
 * Three probers whose identifiers put equal sequence numbers in the same
 * slot of echo.c's ring (identifiers 16384 apart): the second and third
 * go to the hash table behind it, and every request, reply, duplicate,
 * loss and expiry must count as with one table.
 */
START_TEST(ring_collisions)
{
	static const uint16_t ids[3] = { 7, 7 + 16384, 7 + 32768 };
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	ck_assert_ptr_nonnull(e);
	for (int k = 0; k < 3000; k++)
		for (int i = 0; i < 3; i++) {
			mt_ns t = T0 + k * 10 * MS + i * MS;
			req(e, t, ids[i], (uint16_t)k);
			if (i == 1 && k >= 50 && k < 80)
				continue;		/* never answered */
			if (i == 2 && k == 10)
				continue;
			rep(e, t + 300 * US, ids[i], (uint16_t)k);
			if (i == 0 && k == 5)		/* a second copy */
				rep(e, t + 400 * US, ids[i], (uint16_t)k);
		}
	/* A request sent again while pending, in the table behind the ring. */
	req(e, T0 + 3000 * 10 * MS + 5 * MS, ids[1], 2999);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 9000);
	ck_assert_uint_eq(r.duplicates, 1);
	ck_assert_uint_eq(r.replies, 9000 - 31);
	ck_assert_uint_eq(r.matched, 9000 - 31);
	ck_assert_uint_eq(r.reply_duplicates, 1);
	ck_assert_uint_eq(r.lost, 31);
	echo_free(e);
}
END_TEST

/* Probes sent faster than they wrap are duplicates while pending. */
START_TEST(key_reuse_while_pending)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	req(e, T0, 1, 1);
	req(e, T0 + 5 * MT_NS_PER_S, 1, 1);	/* within the reply timeout */
	rep(e, T0 + 5 * MT_NS_PER_S + MS, 1, 1);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 1);
	ck_assert_uint_eq(r.duplicates, 1);
	ck_assert_uint_eq(r.matched, 1);
	ck_assert_uint_eq(r.lost, 0);
	echo_free(e);
}
END_TEST

/*
 * A request unanswered for ECHO_REPLY_TIMEOUT is lost: a later request
 * with the same key is new, and a reply after the timeout matches
 * nothing, whether or not other requests came in between.
 */
START_TEST(reply_timeout)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	/* Key 1/1 expires; reused after the timeout: a new request. */
	req(e, T0, 1, 1);
	req(e, T0 + ECHO_REPLY_TIMEOUT + 1, 1, 1);
	rep(e, T0 + ECHO_REPLY_TIMEOUT + 2, 1, 1);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 2);
	ck_assert_uint_eq(r.duplicates, 0);
	ck_assert_uint_eq(r.matched, 1);
	ck_assert_uint_eq(r.lost, 1);
	echo_free(e);

	/* Exactly at the timeout the request is still waiting. */
	e = echo_new(&VM, 0);
	req(e, T0, 1, 1);
	req(e, T0 + 1, 1, 2);
	rep(e, T0 + ECHO_REPLY_TIMEOUT, 1, 1);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.matched, 1);
	ck_assert_uint_eq(r.lost, 1);	/* 1/2, at the end */
	echo_free(e);

	/* A reply later than the timeout, with a request in between. */
	e = echo_new(&VM, 0);
	req(e, T0, 1, 1);
	req(e, T0 + ECHO_REPLY_TIMEOUT + 100 * MS, 1, 2);
	rep(e, T0 + ECHO_REPLY_TIMEOUT + 200 * MS, 1, 1);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 2);
	ck_assert_uint_eq(r.replies, 1);
	ck_assert_uint_eq(r.matched, 0);
	ck_assert_uint_eq(r.lost, 2);
	echo_free(e);

	/* The same late reply with no request in between: the same answer. */
	e = echo_new(&VM, 0);
	req(e, T0, 1, 1);
	rep(e, T0 + ECHO_REPLY_TIMEOUT + 200 * MS, 1, 1);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 1);
	ck_assert_uint_eq(r.replies, 1);
	ck_assert_uint_eq(r.matched, 0);
	ck_assert_uint_eq(r.lost, 1);
	echo_free(e);
}
END_TEST

/* Requests never answered are lost even without a later request. */
START_TEST(pending_at_end_lost)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	probe_run(e, 50, 45, 50);	/* the last five never answered */
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 50);
	ck_assert_uint_eq(r.matched, 45);
	ck_assert_uint_eq(r.lost, 5);
	ck_assert_uint_eq(r.ngaps, 0);	/* no reply after them: no gap */
	ck_assert_int_eq(r.last_reply, T0 + 44 * 10 * MS + 500 * US);
	echo_free(e);
}
END_TEST

START_TEST(min_gap_given)
{
	struct echo *e;
	struct echo_result r;

	/* Larger than the outage: no gap. */
	e = echo_new(&VM, 400 * MS);
	probe_run(e, 200, 100, 130);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_int_eq(r.min_gap, 400 * MS);
	ck_assert_int_eq(r.interval, 10 * MS);
	ck_assert_uint_eq(r.ngaps, 0);
	ck_assert_uint_eq(r.lost, 30);
	echo_free(e);

	/* Exactly the outage: gaps must be longer than min_gap. */
	e = echo_new(&VM, 310 * MS);
	probe_run(e, 200, 100, 130);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.ngaps, 0);
	echo_free(e);
	e = echo_new(&VM, 310 * MS - 1);
	probe_run(e, 200, 100, 130);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.ngaps, 1);
	echo_free(e);

	/* Smaller than the interval: every reply spacing is a gap. */
	e = echo_new(&VM, 5 * MS);
	probe_run(e, 200, 100, 130);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_int_eq(r.min_gap, 5 * MS);
	ck_assert_uint_eq(r.ngaps, 169);
	ck_assert_uint_eq(r.longest, 99);
	ck_assert_int_eq(r.gaps[99].start, T0 + 99 * 10 * MS + 500 * US);
	ck_assert_int_eq(r.gaps[99].end, T0 + 130 * 10 * MS + 500 * US);
	ck_assert_uint_eq(r.gaps[99].lost, 30);
	ck_assert_int_eq(r.gaps[0].start, T0 + 500 * US);
	ck_assert_int_eq(r.gaps[0].end, T0 + 10 * MS + 500 * US);
	ck_assert_uint_eq(r.gaps[0].lost, 0);
	for (size_t i = 1; i < r.ngaps; i++)
		ck_assert_int_eq(r.gaps[i].start, r.gaps[i - 1].end);
	echo_free(e);
}
END_TEST

/* Derived: three times the median spacing (the lower median). */
START_TEST(min_gap_derived)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;
	mt_ns t = T0;
	/* spacings 10, 10, 20, 20, 40 ms -> median 20 ms, min_gap 60 ms */
	const mt_ns sp[] = { 10 * MS, 10 * MS, 20 * MS, 20 * MS, 40 * MS };

	req(e, t, 9, 0);
	rep(e, t + MS, 9, 0);
	for (int i = 0; i < 5; i++) {
		t += sp[i];
		req(e, t, 9, (uint16_t)(i + 1));
		rep(e, t + MS, 9, (uint16_t)(i + 1));
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_int_eq(r.interval, 20 * MS);
	ck_assert_int_eq(r.min_gap, 60 * MS);
	ck_assert_uint_eq(r.ngaps, 0);
	echo_free(e);

	/* Four spacings 10, 20, 30, 100 ms: the lower median is 20 ms. */
	e = echo_new(&VM, 0);
	t = T0;
	req(e, t, 9, 0);
	rep(e, t + MS, 9, 0);
	{
		const mt_ns sp2[] = { 10 * MS, 30 * MS, 100 * MS, 20 * MS };
		for (int i = 0; i < 4; i++) {
			t += sp2[i];
			req(e, t, 9, (uint16_t)(i + 1));
			rep(e, t + MS, 9, (uint16_t)(i + 1));
		}
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_int_eq(r.interval, 20 * MS);
	ck_assert_int_eq(r.min_gap, 60 * MS);
	ck_assert_uint_eq(r.ngaps, 1);	/* the 100 ms spacing */
	ck_assert_int_eq(r.gaps[0].start, T0 + 40 * MS + MS);
	ck_assert_int_eq(r.gaps[0].end, T0 + 140 * MS + MS);
	ck_assert_uint_eq(r.gaps[0].lost, 0);
	echo_free(e);
}
END_TEST

/*
 * More requests than ECHO_SPACING_SAMPLES: the floor is set from the
 * first 4096 spacings and short candidate gaps are pruned on the way.
 * Gaps before and after that point are kept, with their lost probes.
 */
START_TEST(many_requests_floor)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	for (int k = 0; k < 6000; k++) {
		req(e, T0 + k * 10 * MS, 77, (uint16_t)k);
		if ((k >= 1000 && k < 1020) ||	/* 20 lost: 210 ms gap */
		    (k >= 2000 && k < 2002) ||	/* 2 lost: 30 ms, not > min_gap */
		    (k >= 3000 && k < 3003) ||	/* 3 lost: 40 ms gap */
		    (k >= 5000 && k < 5050))	/* 50 lost: 510 ms gap */
			continue;
		rep(e, T0 + k * 10 * MS + 500 * US, 77, (uint16_t)k);
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 6000);
	ck_assert_uint_eq(r.lost, 75);
	ck_assert_uint_eq(r.matched, 5925);
	ck_assert_int_eq(r.interval, 10 * MS);
	ck_assert_int_eq(r.min_gap, 30 * MS);
	ck_assert_uint_eq(r.ngaps, 3);
	ck_assert_int_eq(r.gaps[0].start, T0 + 999 * 10 * MS + 500 * US);
	ck_assert_int_eq(r.gaps[0].end, T0 + 1020 * 10 * MS + 500 * US);
	ck_assert_uint_eq(r.gaps[0].lost, 20);
	ck_assert_int_eq(r.gaps[1].start, T0 + 2999 * 10 * MS + 500 * US);
	ck_assert_int_eq(r.gaps[1].end, T0 + 3003 * 10 * MS + 500 * US);
	ck_assert_uint_eq(r.gaps[1].lost, 3);
	ck_assert_int_eq(r.gaps[2].start, T0 + 4999 * 10 * MS + 500 * US);
	ck_assert_int_eq(r.gaps[2].end, T0 + 5050 * 10 * MS + 500 * US);
	ck_assert_uint_eq(r.gaps[2].lost, 50);
	ck_assert_uint_eq(r.longest, 2);
	echo_free(e);
}
END_TEST

/* Replies with no request in the capture: one second is the threshold. */
START_TEST(replies_only)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;
	mt_ns t = T0;

	for (int k = 0; k < 300; k++) {
		if (k == 100)
			t += 900 * MS;		/* 910 ms: under a second */
		if (k == 200)
			t += 2 * MT_NS_PER_S;	/* 2.01 s */
		rep(e, t, 5, (uint16_t)k);
		t += 10 * MS;
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 0);
	ck_assert_uint_eq(r.replies, 300);
	ck_assert_uint_eq(r.matched, 0);
	ck_assert_uint_eq(r.lost, 0);
	ck_assert_int_eq(r.interval, MT_NS_NONE);
	ck_assert_int_eq(r.min_gap, MT_NS_PER_S);
	ck_assert_int_eq(r.first_reply, T0);
	ck_assert_uint_eq(r.ngaps, 1);
	ck_assert_int_eq(r.gaps[0].start, T0 + 199 * 10 * MS + 900 * MS);
	ck_assert_int_eq(r.gaps[0].end, T0 + 200 * 10 * MS + 900 * MS + 2 * MT_NS_PER_S);
	ck_assert_uint_eq(r.gaps[0].lost, 0);
	echo_free(e);
}
END_TEST

/*
 * So many replies without requests that the candidate gaps are pruned
 * on the way (more than 4 x ECHO_SPACING_SAMPLES): the result is the
 * same as without pruning.
 */
START_TEST(replies_only_pruned)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;
	mt_ns t = T0, g1 = 0, g2 = 0;
	int n = 4 * ECHO_SPACING_SAMPLES + 5000;

	for (int k = 0; k < n; k++) {
		if (k == 1000) {
			g1 = t - 10 * MS;
			t += 1500 * MS;
		}
		if (k == n - 100) {
			g2 = t - 10 * MS;
			t += 3 * MT_NS_PER_S;
		}
		rep(e, t, 5, (uint16_t)k);
		t += 10 * MS;
	}
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.replies, (uint64_t)n);
	ck_assert_int_eq(r.min_gap, MT_NS_PER_S);
	ck_assert_uint_eq(r.ngaps, 2);
	ck_assert_int_eq(r.gaps[0].start, g1);
	ck_assert_int_eq(r.gaps[0].end, g1 + 1510 * MS);
	ck_assert_int_eq(r.gaps[1].start, g2);
	ck_assert_int_eq(r.gaps[1].end, g2 + 3010 * MS);
	ck_assert_uint_eq(r.longest, 1);
	echo_free(e);
}
END_TEST

/*
 * The boundary and tie rules, in the man page's words
 * (analyze/migtrace-analyze.1, "Service interruption").
 */

/* Probes every 10 ms (first at T0), replies 500 us later, except the
 * requests in [lo, hi); the reply to request late_k is late_by later. */
static void
probe_run_late(struct echo *e, int n, int lo, int hi, int late_k, mt_ns late_by)
{
	for (int k = 0; k < n; k++) {
		req(e, T0 + k * 10 * MS, 7, (uint16_t)k);
		if (k >= lo && k < hi)
			continue;
		rep(e, T0 + k * 10 * MS + 500 * US + (k == late_k ? late_by : 0),
		    7, (uint16_t)k);
	}
}

/*
 * "Every gap between consecutive replies longer than --min-gap is
 * listed": a gap of exactly the threshold is not, one nanosecond more
 * is. The default threshold is three probe intervals (30 ms here): two
 * requests lost make a 30 ms gap. Checked before the interval is known
 * while reading (100 requests) and after (5000, more than the
 * ECHO_SPACING_SAMPLES whose median sets the floor during the read).
 */
START_TEST(gap_exactly_min_gap)
{
	static const int sizes[] = { 100, ECHO_SPACING_SAMPLES + 1000 };

	for (size_t i = 0; i < 2; i++) {
		int n = sizes[i], k = n - 50;
		struct echo_result r;
		struct echo *e = echo_new(&VM, 0);

		probe_run_late(e, n, k, k + 2, k + 2, 0);
		ck_assert_int_eq(echo_result(e, &r), 0);
		ck_assert_int_eq(r.min_gap, 30 * MS);
		ck_assert_uint_eq(r.lost, 2);
		ck_assert_uint_eq(r.ngaps, 0);
		echo_free(e);

		e = echo_new(&VM, 0);
		probe_run_late(e, n, k, k + 2, k + 2, 1);
		ck_assert_int_eq(echo_result(e, &r), 0);
		ck_assert_uint_eq(r.ngaps, 1);
		ck_assert_int_eq(r.gaps[0].end - r.gaps[0].start, 30 * MS + 1);
		ck_assert_uint_eq(r.gaps[0].lost, 2);
		echo_free(e);

		/* --min-gap given: the same rule. */
		e = echo_new(&VM, 30 * MS);
		probe_run_late(e, n, k, k + 2, k + 2, 0);
		ck_assert_int_eq(echo_result(e, &r), 0);
		ck_assert_uint_eq(r.ngaps, 0);
		echo_free(e);
		e = echo_new(&VM, 30 * MS);
		probe_run_late(e, n, k, k + 2, k + 2, 1);
		ck_assert_int_eq(echo_result(e, &r), 0);
		ck_assert_uint_eq(r.ngaps, 1);
		echo_free(e);
	}
}
END_TEST

/*
 * "the probes sent inside it that were never answered": a lost request
 * stamped exactly at the last reply before the gap or exactly at the
 * first reply after it is not inside; one a nanosecond later (or
 * earlier) is.
 */
START_TEST(lost_at_reply_time)
{
	static const struct {
		mt_ns at_start, at_end;	/* offsets from the gap's ends */
		uint64_t lost;
	} cases[] = {
		{ 0, 0, 10 }, { 1, 0, 11 }, { 0, -1, 11 }, { 1, -1, 12 },
	};
	mt_ns start = T0 + 49 * 10 * MS + 500 * US;
	mt_ns end = T0 + 60 * 10 * MS + 500 * US;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct echo *e = echo_new(&VM, 0);
		struct echo_result r;

		for (int k = 0; k < 100; k++) {
			req(e, T0 + k * 10 * MS, 7, (uint16_t)k);
			/* two more requests of another prober, never answered */
			if (k == 49)
				req(e, start + cases[i].at_start, 8, 1);
			if (k == 60)
				req(e, end + cases[i].at_end, 8, 2);
			if (k < 50 || k >= 60)
				rep(e, T0 + k * 10 * MS + 500 * US, 7, (uint16_t)k);
		}
		ck_assert_int_eq(echo_result(e, &r), 0);
		ck_assert_uint_eq(r.lost, 12);
		ck_assert_uint_eq(r.ngaps, 1);
		ck_assert_int_eq(r.gaps[0].start, start);
		ck_assert_int_eq(r.gaps[0].end, end);
		ck_assert_msg(r.gaps[0].lost == cases[i].lost,
		    "case %zu: %llu lost inside the gap, want %llu", i,
		    (unsigned long long)r.gaps[0].lost,
		    (unsigned long long)cases[i].lost);
		echo_free(e);
	}
}
END_TEST

/*
 * A reply stamped before the previous one (a file whose time goes
 * backwards, two captures merged): the last reply does not move back, so
 * the next reply makes no gap from it, and the last reply reported is the
 * latest one.
 */
START_TEST(reply_backwards)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	for (int k = 0; k < 100; k++) {
		req(e, T0 + k * 10 * MS, 7, (uint16_t)k);
		rep(e, T0 + k * 10 * MS + 500 * US, 7, (uint16_t)k);
		if (k == 60)	/* 40 ms back: 50 ms before reply 61 */
			rep(e, T0 + 60 * 10 * MS + 500 * US - 40 * MS, 9, 1);
	}
	rep(e, T0 + 500 * MS, 9, 2);	/* the last reply read, not the latest */
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.replies, 102);
	ck_assert_uint_eq(r.ngaps, 0);
	ck_assert_int_eq(r.last_reply, T0 + 99 * 10 * MS + 500 * US);
	echo_free(e);
}
END_TEST

/* One request: no interval, so min_gap falls back to one second. */
START_TEST(one_request)
{
	struct echo *e = echo_new(&VM, 0);
	struct echo_result r;

	req(e, T0, 1, 1);
	rep(e, T0 + MS, 1, 1);
	rep(e, T0 + 500 * MS, 1, 99);		/* a reply matching nothing */
	rep(e, T0 + 1600 * MS, 1, 2);
	ck_assert_int_eq(echo_result(e, &r), 0);
	ck_assert_uint_eq(r.requests, 1);
	ck_assert_uint_eq(r.replies, 3);
	ck_assert_uint_eq(r.matched, 1);
	ck_assert_int_eq(r.interval, MT_NS_NONE);
	ck_assert_int_eq(r.min_gap, MT_NS_PER_S);
	ck_assert_uint_eq(r.ngaps, 1);
	ck_assert_int_eq(r.gaps[0].start, T0 + 500 * MS);
	ck_assert_int_eq(r.gaps[0].end, T0 + 1600 * MS);
	echo_free(NULL);
	echo_free(e);
}
END_TEST

static Suite *
echo_suite(void)
{
	Suite *s = suite_create("echo");
	TCase *tc = tcase_create("echo");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, outage_300ms);
	tcase_add_test(tc, outage_ipv6);
	tcase_add_test(tc, other_hosts_ignored);
	tcase_add_test(tc, duplicate_replies);
	tcase_add_test(tc, duplicate_requests);
	tcase_add_test(tc, sequence_wrap);
	tcase_add_test(tc, key_reuse_while_pending);
	tcase_add_test(tc, reply_timeout);
	tcase_add_test(tc, pending_at_end_lost);
	tcase_add_test(tc, min_gap_given);
	tcase_add_test(tc, min_gap_derived);
	tcase_add_test(tc, many_requests_floor);
	tcase_add_test(tc, replies_only);
	tcase_add_test(tc, replies_only_pruned);
	tcase_add_test(tc, one_request);
	tcase_add_test(tc, ring_collisions);
	tcase_add_test(tc, gap_exactly_min_gap);
	tcase_add_test(tc, lost_at_reply_time);
	tcase_add_test(tc, reply_backwards);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(echo_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
