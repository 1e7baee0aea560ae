/* check_mt.c: Check suite for addresses, MACs, rates and durations (lib/base/mt.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/mt.h"

/* Parse a rate that must be accepted and return it. */
static double
rate_ok(const char *s)
{
	double bps = -1;

	ck_assert_msg(mt_parse_rate(s, &bps) == 0, "rate '%s' refused", s);
	return bps;
}

static void
rate_bad(const char *s)
{
	double bps = 12345;

	ck_assert_msg(mt_parse_rate(s, &bps) == -1, "rate '%s' accepted", s);
	ck_assert_msg(bps == 12345, "rate '%s' changed *bps on failure", s);
}

START_TEST(rates)
{
	ck_assert_double_eq(rate_ok("100M"), 1e8);
	ck_assert_double_eq(rate_ok("1G"), 1e9);
	ck_assert_double_eq(rate_ok("100mbit"), 1e8);
	ck_assert_double_eq(rate_ok("1.5Gbit/s"), 1.5e9);
	ck_assert_double_eq(rate_ok("12500000bit"), 12500000.0);
	ck_assert_double_eq(rate_ok("800bps"), 800.0);
	ck_assert_double_eq(rate_ok("10k"), 1e4);
	ck_assert_double_eq(rate_ok("2T"), 2e12);
	ck_assert_double_eq(rate_ok("100Mbps"), 1e8);
	ck_assert_double_eq(rate_ok("1gb/s"), 1e9);
	ck_assert_double_eq(rate_ok(".5G"), 5e8);

	rate_bad("");
	rate_bad("garbage");
	rate_bad("-100M");
	rate_bad("-1");
	rate_bad("0");
	rate_bad("0M");
	rate_bad("100X");
	rate_bad("100 M");
	rate_bad(" 100M");
	rate_bad("100MB");		/* bytes are not a link rate */
	rate_bad("100Mbit/sec");
	rate_bad("1e999");		/* not finite */
	rate_bad("nan");
	rate_bad("inf");
	rate_bad("M");
	/* A bare number: no unit, no guess (100 was meant as 100M). */
	rate_bad("100");
	rate_bad("12500000");
	rate_bad("0.5");
	ck_assert_int_eq(mt_is_bare_number("100"), 1);
	ck_assert_int_eq(mt_is_bare_number("0.5"), 1);
	ck_assert_int_eq(mt_is_bare_number("100M"), 0);
	ck_assert_int_eq(mt_is_bare_number("-1"), 0);
	ck_assert_int_eq(mt_is_bare_number(""), 0);
	ck_assert_int_eq(mt_is_bare_number(NULL), 0);
	{
		double bps = 1;
		ck_assert_int_eq(mt_parse_rate(NULL, &bps), -1);
	}
}
END_TEST

static mt_ns
dur_ok(const char *s)
{
	mt_ns ns = -1;

	ck_assert_msg(mt_parse_duration(s, &ns) == 0, "duration '%s' refused", s);
	return ns;
}

static void
dur_bad(const char *s)
{
	mt_ns ns = 777;

	ck_assert_msg(mt_parse_duration(s, &ns) == -1, "duration '%s' accepted", s);
	ck_assert_msg(ns == 777, "duration '%s' changed *ns on failure", s);
}

START_TEST(durations)
{
	ck_assert_int_eq(dur_ok("10ms"), 10000000);
	ck_assert_int_eq(dur_ok("1s"), 1000000000);
	ck_assert_int_eq(dur_ok("250us"), 250000);
	ck_assert_int_eq(dur_ok("0.5s"), 500000000);
	ck_assert_int_eq(dur_ok("2s"), 2000000000);
	ck_assert_int_eq(dur_ok("1m"), 60 * MT_NS_PER_S);
	ck_assert_int_eq(dur_ok("1.5min"), 90 * MT_NS_PER_S);
	ck_assert_int_eq(dur_ok("2h"), 7200 * MT_NS_PER_S);
	ck_assert_int_eq(dur_ok("17ns"), 17);
	ck_assert_int_eq(dur_ok("1.5ms"), 1500000);
	ck_assert_int_eq(dur_ok("0.000000001s"), 1);
	ck_assert_int_eq(dur_ok("0s"), 0);
	ck_assert_int_eq(dur_ok("9000000000s"), 9000000000LL * MT_NS_PER_S);

	dur_bad("");
	dur_bad("ms");
	/* A bare number: which unit? One grammar refuses it everywhere. */
	dur_bad("0.5");
	dur_bad("2");
	dur_bad("0");
	dur_bad("10M");		/* minutes are m, not M */
	dur_bad("10 ms");
	dur_bad("10MS");
	dur_bad("10sec");
	dur_bad("1d");
	dur_bad("-1s");
	dur_bad("-0.5");
	dur_bad("abc");
	dur_bad("1e30s");	/* past int64 nanoseconds */
	dur_bad("10000000000s");
	dur_bad("inf");
	{
		mt_ns ns = 1;
		ck_assert_int_eq(mt_parse_duration(NULL, &ns), -1);
	}
}
END_TEST

START_TEST(macs)
{
	struct mt_mac m, z;
	char buf[18];

	memset(&m, 0xee, sizeof(m));
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:56", &m), 0);
	ck_assert_uint_eq(m.a[0], 0x52);
	ck_assert_uint_eq(m.a[1], 0x54);
	ck_assert_uint_eq(m.a[2], 0x00);
	ck_assert_uint_eq(m.a[3], 0x12);
	ck_assert_uint_eq(m.a[4], 0x34);
	ck_assert_uint_eq(m.a[5], 0x56);
	ck_assert_str_eq(mt_mac_str(&m, buf, sizeof(buf)), "52:54:00:12:34:56");

	ck_assert_int_eq(mt_mac_parse("AA-bb-CC-dd-EE-ff", &m), 0);
	ck_assert_str_eq(mt_mac_str(&m, buf, sizeof(buf)), "aa:bb:cc:dd:ee:ff");
	ck_assert_int_eq(mt_mac_is_zero(&m), 0);

	ck_assert_int_eq(mt_mac_parse("00:00:00:00:00:00", &z), 0);
	ck_assert_int_eq(mt_mac_is_zero(&z), 1);
	ck_assert_int_eq(mt_mac_eq(&m, &z), 0);
	ck_assert_int_eq(mt_mac_eq(&m, &m), 1);

	/* Malformed: *out is left alone. */
	memset(&m, 0x11, sizeof(m));
	ck_assert_int_eq(mt_mac_parse("", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:56:78", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:5g", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:56 ", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52.54.00.12.34.56", &m), -1);
	ck_assert_int_eq(mt_mac_parse("5254:00:12:34:56:7", &m), -1);
	ck_assert_int_eq(mt_mac_parse("2:54:00:12:34:56", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:567", &m), -1);
	ck_assert_int_eq(mt_mac_parse("192.0.2.1", &m), -1);
	/* sscanf's %x would take a sign or leading blanks: not a MAC. */
	ck_assert_int_eq(mt_mac_parse("-1:54:00:12:34:56", &m), -1);
	ck_assert_int_eq(mt_mac_parse("+1:54:00:12:34:56", &m), -1);
	ck_assert_int_eq(mt_mac_parse(" 1:54:00:12:34:56", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52: 4:00:12:34:56", &m), -1);
	ck_assert_int_eq(mt_mac_parse("52:54:00:12:34:+6", &m), -1);
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(m.a[i], 0x11);
}
END_TEST

START_TEST(addrs)
{
	struct mt_addr a, b;
	char buf[64];

	ck_assert_int_eq(mt_addr_parse("192.0.2.7", &a), 0);
	ck_assert_uint_eq(a.family, 4);
	ck_assert_uint_eq(a.a[0], 192);
	ck_assert_uint_eq(a.a[3], 7);
	ck_assert_str_eq(mt_addr_str(&a, buf, sizeof(buf)), "192.0.2.7");

	ck_assert_int_eq(mt_addr_parse("2001:db8::1", &b), 0);
	ck_assert_uint_eq(b.family, 6);
	ck_assert_uint_eq(b.a[0], 0x20);
	ck_assert_uint_eq(b.a[1], 0x01);
	ck_assert_uint_eq(b.a[15], 1);
	ck_assert_str_eq(mt_addr_str(&b, buf, sizeof(buf)), "2001:db8::1");
	ck_assert_int_eq(mt_addr_eq(&a, &b), 0);

	/* IPv4 equality looks at four bytes only. */
	b = a;
	b.a[10] = 0x99;
	ck_assert_int_eq(mt_addr_eq(&a, &b), 1);
	b.a[3] = 8;
	ck_assert_int_eq(mt_addr_eq(&a, &b), 0);

	memset(&b, 0x55, sizeof(b));
	ck_assert_int_eq(mt_addr_parse("192.0.2", &b), -1);
	ck_assert_uint_eq(b.family, 0);
	ck_assert_str_eq(mt_addr_str(&b, buf, sizeof(buf)), "");
	ck_assert_int_eq(mt_addr_parse("192.0.2.256", &b), -1);
	ck_assert_int_eq(mt_addr_parse("", &b), -1);
	ck_assert_int_eq(mt_addr_parse("2001:db8:::1", &b), -1);
	ck_assert_int_eq(mt_addr_parse("52:54:00:12:34:56", &b), -1);
	ck_assert_int_eq(mt_addr_parse(" 192.0.2.1", &b), -1);
	ck_assert_int_eq(mt_addr_parse("192.0.2.1/24", &b), -1);
}
END_TEST

static Suite *
mt_suite(void)
{
	Suite *s = suite_create("mt");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, rates);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, macs);
	tcase_add_test(tc, addrs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mt_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
