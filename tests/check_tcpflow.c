/* check_tcpflow.c: Check suite for the TCP flows of a migration (lib/measure/tcpflow.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "measure/tcpflow.h"

#define T0	(1700000000LL * MT_NS_PER_S)
#define MS	MT_NS_PER_MS

#define CPORT	40000		/* the source host's ephemeral port */
#define LPORT	49152		/* the destination's listening port */

static struct mt_addr SRC, DST, VM, PEER, SRC6, DST6;
static const uint8_t QEVM[8] = { 'Q', 'E', 'V', 'M', 0, 0, 0, 3 };

static void
setup(void)
{
	ck_assert_int_eq(mt_addr_parse("198.51.100.1", &SRC), 0);
	ck_assert_int_eq(mt_addr_parse("198.51.100.2", &DST), 0);
	ck_assert_int_eq(mt_addr_parse("192.0.2.10", &VM), 0);
	ck_assert_int_eq(mt_addr_parse("203.0.113.5", &PEER), 0);
	ck_assert_int_eq(mt_addr_parse("2001:db8::1", &SRC6), 0);
	ck_assert_int_eq(mt_addr_parse("2001:db8::2", &DST6), 0);
}

static struct tcpflow *
mkflows(const struct mt_addr *vm)
{
	struct tcpflow_opts o;
	struct tcpflow *t;

	memset(&o, 0, sizeof(o));
	o.mig_port_lo = 49152;
	o.mig_port_hi = 49215;
	if (vm != NULL)
		o.vm = *vm;
	t = tcpflow_new(&o);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* A TCP segment of a headers-only capture: no payload bytes captured. */
static struct pkt
seg(mt_ns ts, const struct mt_addr *s, uint16_t sp, const struct mt_addr *d,
    uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
    uint32_t len)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.ts = ts;
	p.layers = PKT_L_LINK | PKT_L_MAC | PKT_L_IP | PKT_L_TCP;
	p.ethertype = s->family == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
	p.ip_src = *s;
	p.ip_dst = *d;
	p.ip_proto = PKT_IPPROTO_TCP;
	p.ip_len = (s->family == 4 ? 20 : 40) + 32 + len;
	p.wire_len = 14 + p.ip_len;
	p.sport = sp;
	p.dport = dp;
	p.tcp_seq = seq;
	p.tcp_ack = ack;
	p.tcp_flags = flags;
	p.tcp_win = win;
	p.l4_payload_len = len;
	return p;
}

/* Feed; check the return value and the migration bytes it reports. */
static void
feed(struct tcpflow *t, struct pkt p, int want_ret, uint64_t want_added)
{
	uint64_t added = 12345;
	int r = tcpflow_add(t, &p, &added);

	ck_assert_int_eq(r, want_ret);
	ck_assert_uint_eq(added, want_added);
}

/* Forward data segment SRC:CPORT -> DST:LPORT of the migration stream. */
static struct pkt
fwd(mt_ns ts, uint32_t seq, uint32_t len)
{
	return seg(ts, &SRC, CPORT, &DST, LPORT, seq, 1, TCPF_ACK | TCPF_PSH, 502, len);
}

/* The destination's pure ack. */
static struct pkt
back(mt_ns ts, uint32_t ack, uint16_t win)
{
	return seg(ts, &DST, LPORT, &SRC, CPORT, 1, ack, TCPF_ACK, win, 0);
}

static void
list(struct tcpflow *t, struct tcp_dir_info **d, size_t *n)
{
	*d = NULL;
	*n = 999;
	ck_assert_int_eq(tcpflow_list(t, d, n), 0);
	ck_assert_ptr_nonnull(*d);
}

/* A stream on a port outside the range, found by its "QEVM" magic. */
START_TEST(magic_detection)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	struct pkt p;
	size_t n;

	/* Handshake on port 5555: nothing says it is a migration yet. */
	feed(t, seg(T0, &SRC, CPORT, &DST, 5555, 999, 0, TCPF_SYN, 64240, 0), 0, 0);
	feed(t, seg(T0 + 1, &DST, 5555, &SRC, CPORT, 7, 1000, TCPF_SYN | TCPF_ACK, 65160, 0), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 0);
	free(d);

	p = seg(T0 + 2 * MS, &SRC, CPORT, &DST, 5555, 1000, 8, TCPF_ACK | TCPF_PSH, 502, 1448);
	p.payload = QEVM;
	p.payload_caplen = sizeof(QEVM);
	feed(t, p, 1, 1448);
	feed(t, seg(T0 + 3 * MS, &SRC, CPORT, &DST, 5555, 2448, 8, TCPF_ACK, 502, 1448), 1, 1448);
	feed(t, seg(T0 + 4 * MS, &DST, 5555, &SRC, CPORT, 8, 3896, TCPF_ACK, 1000, 0), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(d[0].magic, 1);
	ck_assert_int_eq(d[0].migration, 1);
	ck_assert_int_eq(d[0].involves_vm, 0);
	ck_assert_int_eq(mt_addr_eq(&d[0].src, &SRC), 1);
	ck_assert_int_eq(mt_addr_eq(&d[0].dst, &DST), 1);
	ck_assert_uint_eq(d[0].sport, CPORT);
	ck_assert_uint_eq(d[0].dport, 5555);
	ck_assert_uint_eq(d[0].bytes, 2896);
	ck_assert_uint_eq(d[0].segments, 2);
	ck_assert_uint_eq(d[0].retrans, 0);
	ck_assert_int_eq(d[0].first_data, T0 + 2 * MS);
	ck_assert_int_eq(d[0].last_data, T0 + 3 * MS);
	free(d);
	tcpflow_free(t);
	tcpflow_free(NULL);
}
END_TEST

/*
 * The handshake's round trip at the capture point: the opener's SYN to
 * the peer's first SYN/ACK, on the opener's direction only; unknown
 * after a resent SYN (Karn) or when the SYN was not captured.
 */
START_TEST(handshake_rtt)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	/* Flow 1: SYN, SYN/ACK 40.5 ms later, a second SYN/ACK (resent by
	 * the peer) that changes nothing; data both ways. */
	feed(t, seg(T0, &SRC, CPORT, &DST, LPORT, 0, 0, TCPF_SYN, 64240, 0), 0, 0);
	feed(t, seg(T0 + 40 * MS + 500000, &DST, LPORT, &SRC, CPORT, 0, 1,
	    TCPF_SYN | TCPF_ACK, 65160, 0), 0, 0);
	feed(t, seg(T0 + 90 * MS, &DST, LPORT, &SRC, CPORT, 0, 1,
	    TCPF_SYN | TCPF_ACK, 65160, 0), 0, 0);
	feed(t, fwd(T0 + 100 * MS, 1, 1448), 1, 1448);
	feed(t, seg(T0 + 140 * MS, &DST, LPORT, &SRC, CPORT, 1, 1449,
	    TCPF_ACK | TCPF_PSH, 502, 10), 0, 0);
	/* Flow 2: the SYN sent twice: which one was answered is unknown. */
	feed(t, seg(T0 + 200 * MS, &SRC, CPORT + 1, &DST, LPORT, 0, 0, TCPF_SYN, 64240, 0), 0, 0);
	feed(t, seg(T0 + 1200 * MS, &SRC, CPORT + 1, &DST, LPORT, 0, 0, TCPF_SYN, 64240, 0), 0, 0);
	feed(t, seg(T0 + 1240 * MS, &DST, LPORT, &SRC, CPORT + 1, 0, 1,
	    TCPF_SYN | TCPF_ACK, 65160, 0), 0, 0);
	feed(t, seg(T0 + 1300 * MS, &SRC, CPORT + 1, &DST, LPORT, 1, 1,
	    TCPF_ACK | TCPF_PSH, 502, 100), 1, 100);
	/* Flow 3: the capture began after the handshake. */
	feed(t, seg(T0 + 1400 * MS, &SRC, CPORT + 2, &DST, LPORT, 1, 1,
	    TCPF_ACK | TCPF_PSH, 502, 100), 1, 100);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(d[0].sport, CPORT);
	ck_assert_int_eq(d[0].migration, 1);
	ck_assert_int_eq(d[0].handshake_rtt, 40 * MS + 500000);
	/* The listener's direction did not open the connection. */
	ck_assert_uint_eq(d[1].sport, LPORT);
	ck_assert_int_eq(d[1].handshake_rtt, MT_NS_NONE);
	ck_assert_uint_eq(d[2].sport, CPORT + 1);
	ck_assert_int_eq(d[2].handshake_rtt, MT_NS_NONE);
	ck_assert_uint_eq(d[3].sport, CPORT + 2);
	ck_assert_int_eq(d[3].handshake_rtt, MT_NS_NONE);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* Magic in the range's stream seen from the SYN; not magic mid-stream. */
START_TEST(magic_only_at_stream_start)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	struct pkt p;
	size_t n;

	/* Port in range, SYN seen: the first data byte is isn + 1. */
	feed(t, seg(T0, &SRC, CPORT, &DST, LPORT, 0xfffffffe, 0, TCPF_SYN, 64240, 0), 0, 0);
	p = fwd(T0 + MS, 0xffffffff, 100);
	p.payload = QEVM;
	p.payload_caplen = 8;
	feed(t, p, 1, 100);

	/* Another flow whose capture missed the SYN's first segment: the
	 * first data seen is not the start of the stream. */
	feed(t, seg(T0, &SRC, CPORT + 1, &DST, LPORT, 5000, 0, TCPF_SYN, 64240, 0), 0, 0);
	p = seg(T0 + 2 * MS, &SRC, CPORT + 1, &DST, LPORT, 7001, 1, TCPF_ACK, 502, 100);
	p.payload = QEVM;
	p.payload_caplen = 8;
	feed(t, p, 1, 2100);	/* 5001..7001 was sent: it counts */

	/* A magic of which fewer than 4 bytes were captured: not magic. */
	p = seg(T0 + 3 * MS, &SRC, CPORT + 2, &DST, 7777, 1, 1, TCPF_ACK, 502, 100);
	p.payload = QEVM;
	p.payload_caplen = 3;
	feed(t, p, 0, 0);

	list(t, &d, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(d[0].sport, CPORT);
	ck_assert_int_eq(d[0].magic, 1);
	ck_assert_uint_eq(d[0].bytes, 100);
	ck_assert_uint_eq(d[1].sport, CPORT + 1);
	ck_assert_int_eq(d[1].magic, 0);
	ck_assert_int_eq(d[1].migration, 1);
	ck_assert_uint_eq(d[1].bytes, 2100);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* By port: only the direction toward the listening port is the stream. */
START_TEST(port_range_direction)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, seg(T0, &SRC, CPORT, &DST, LPORT, 100, 0, TCPF_SYN, 64240, 0), 0, 0);
	feed(t, seg(T0 + 1, &DST, LPORT, &SRC, CPORT, 900, 101, TCPF_SYN | TCPF_ACK, 65160, 0), 0, 0);
	feed(t, fwd(T0 + 2, 101, 1000), 1, 1000);
	/* The return path: data from the listening side. */
	feed(t, seg(T0 + 3, &DST, LPORT, &SRC, CPORT, 901, 1101, TCPF_ACK | TCPF_PSH, 1000, 20), 0, 0);
	feed(t, seg(T0 + 4, &SRC, CPORT, &DST, LPORT, 1101, 921, TCPF_ACK, 502, 500), 1, 500);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 2);
	/* Ordered by first data. */
	ck_assert_uint_eq(d[0].sport, CPORT);
	ck_assert_uint_eq(d[0].dport, LPORT);
	ck_assert_int_eq(d[0].migration, 1);
	ck_assert_int_eq(d[0].magic, 0);
	ck_assert_uint_eq(d[0].bytes, 1500);
	ck_assert_uint_eq(d[1].sport, LPORT);
	ck_assert_uint_eq(d[1].dport, CPORT);
	ck_assert_int_eq(d[1].migration, 0);
	ck_assert_uint_eq(d[1].bytes, 20);
	ck_assert_int_eq(d[1].first_data, T0 + 3);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* Sequence numbers wrap at 2^32 in the middle of the stream. */
START_TEST(sequence_wrap)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	uint32_t isn = 0xfffff000u, seq = isn + 1;
	size_t n;

	feed(t, seg(T0, &SRC, CPORT, &DST, LPORT, isn, 0, TCPF_SYN, 64240, 0), 0, 0);
	for (int i = 0; i < 10; i++) {
		feed(t, fwd(T0 + (i + 1) * MS, seq, 1000), 1, 1000);
		seq += 1000;
		feed(t, back(T0 + (i + 1) * MS + 100, seq, 1000), 0, 0);
	}
	ck_assert_uint_lt(seq, isn);	/* it did wrap */
	/* Resending the segment just across the wrap is a retransmission. */
	feed(t, fwd(T0 + 20 * MS, isn + 1 + 4000, 1000), 1, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(d[0].bytes, 10000);
	ck_assert_uint_eq(d[0].segments, 11);
	ck_assert_uint_eq(d[0].retrans, 1);
	/* Each ack took 100 ns; the longest is the first. */
	ck_assert_int_eq(d[0].stall_start, T0 + MS);
	ck_assert_int_eq(d[0].stall_end, T0 + MS + 100);
	ck_assert_uint_eq(d[0].stall_retrans, 0);
	free(d);
	tcpflow_free(t);
}
END_TEST

/*
 * A retransmission is a data segment that starts below the highest
 * sequence sent so far, whether or not it carries new bytes too (the man
 * page, tests/README.md, mkpcap.test): a full resend, a partial overlap
 * that extends the top, a piece inside old data.
 */
START_TEST(retransmissions)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, fwd(T0 + 1, 2000, 1000), 1, 1000);
	feed(t, fwd(T0 + 2, 1000, 1000), 1, 0);	/* full */
	feed(t, fwd(T0 + 3, 2500, 1000), 1, 500);	/* partial */
	feed(t, fwd(T0 + 4, 1500, 100), 1, 0);		/* inside old data */
	list(t, &d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(d[0].bytes, 2500);
	ck_assert_uint_eq(d[0].segments, 5);
	ck_assert_uint_eq(d[0].retrans, 3);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* A keep-alive (one old byte at snd_max - 1) is not a retransmission. */
START_TEST(keepalive_not_counted)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, back(T0 + MS, 2000, 1000), 0, 0);
	feed(t, fwd(T0 + 5 * MT_NS_PER_S, 1999, 1), 1, 0);
	feed(t, back(T0 + 5 * MT_NS_PER_S + MS, 2000, 1000), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(d[0].bytes, 1000);
	ck_assert_uint_eq(d[0].retrans, 0);
	ck_assert_uint_eq(d[0].segments, 2);
	/* The keep-alive opened no stall. */
	ck_assert_int_eq(d[0].stall_start, T0);
	ck_assert_int_eq(d[0].stall_end, T0 + MS);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* Segments the capture missed: the sequence numbers say they were sent. */
START_TEST(missed_segments)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, fwd(T0 + 1, 4000, 1000), 1, 3000);	/* 2000..4000 missed */
	/* An ack for data never seen (the capture dropped it). */
	feed(t, back(T0 + 2, 9000, 1000), 0, 0);
	feed(t, fwd(T0 + 3, 9000, 1000), 1, 1000);
	list(t, &d, &n);
	ck_assert_uint_eq(d[0].bytes, 9000);
	ck_assert_uint_eq(d[0].segments, 3);
	ck_assert_uint_eq(d[0].retrans, 0);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* A FIN takes a sequence number but is not a payload byte. */
START_TEST(fin_not_a_byte)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	/* FIN on its own. */
	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, seg(T0 + 1, &SRC, CPORT, &DST, LPORT, 2000, 1, TCPF_FIN | TCPF_ACK, 502, 0), 0, 0);
	feed(t, back(T0 + 2, 2001, 1000), 0, 0);
	/* FIN with the last data. */
	feed(t, seg(T0 + 3, &SRC, CPORT + 1, &DST, LPORT, 5000, 1, TCPF_FIN | TCPF_ACK, 502, 700), 1, 700);
	feed(t, seg(T0 + 4, &DST, LPORT, &SRC, CPORT + 1, 1, 5701, TCPF_ACK, 1000, 0), 0, 0);
	/* FIN after data the capture missed: the missed bytes count, the
	 * FIN does not. */
	feed(t, seg(T0 + 5, &SRC, CPORT + 2, &DST, LPORT, 1000, 1, TCPF_ACK, 502, 1000), 1, 1000);
	feed(t, seg(T0 + 6, &SRC, CPORT + 2, &DST, LPORT, 3000, 1, TCPF_FIN | TCPF_ACK, 502, 0), 0, 0);
	feed(t, seg(T0 + 7, &DST, LPORT, &SRC, CPORT + 2, 1, 3001, TCPF_ACK, 1000, 0), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(d[0].bytes, 1000);
	ck_assert_uint_eq(d[1].bytes, 700);
	ck_assert_uint_eq(d[2].bytes, 2000);
	/* Everything acked: no stall left open. */
	ck_assert_int_eq(d[0].stall_end, T0 + 2);
	ck_assert_int_eq(d[1].stall_end, T0 + 4);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* Zero windows: one per episode, for the direction that was stopped. */
START_TEST(zero_window_episodes)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, back(T0 + 1, 2000, 0), 0, 0);
	feed(t, back(T0 + 2, 2000, 0), 0, 0);	/* same episode */
	feed(t, back(T0 + 3, 2000, 0), 0, 0);
	feed(t, back(T0 + 4, 2000, 512), 0, 0);	/* window opens */
	feed(t, fwd(T0 + 5, 2000, 512), 1, 512);
	feed(t, back(T0 + 6, 2512, 0), 0, 0);	/* second episode */
	/* A RST's window says nothing. */
	feed(t, seg(T0 + 7, &DST, LPORT, &SRC, CPORT, 1, 2512, TCPF_RST | TCPF_ACK, 0, 0), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(d[0].zero_windows, 2);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* The longest stall, with the retransmissions inside it. */
START_TEST(longest_stall)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, back(T0 + 10 * MS, 2000, 1000), 0, 0);	/* 10 ms */
	feed(t, fwd(T0 + 20 * MS, 2000, 1000), 1, 1000);
	feed(t, fwd(T0 + 220 * MS, 2000, 1000), 1, 0);	/* RTO */
	feed(t, fwd(T0 + 620 * MS, 2000, 1000), 1, 0);
	feed(t, back(T0 + 630 * MS, 3000, 1000), 0, 0);	/* 610 ms */
	feed(t, fwd(T0 + 700 * MS, 3000, 1000), 1, 1000);
	feed(t, fwd(T0 + 701 * MS, 2000, 1000), 1, 0);	/* spurious */
	feed(t, back(T0 + 710 * MS, 4000, 1000), 0, 0);	/* 10 ms */
	list(t, &d, &n);
	ck_assert_uint_eq(d[0].retrans, 3);
	ck_assert_int_eq(d[0].stall_start, T0 + 20 * MS);
	ck_assert_int_eq(d[0].stall_end, T0 + 630 * MS);
	ck_assert_uint_eq(d[0].stall_retrans, 2);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* Partial acks: the stall is the longest time without ack progress. */
START_TEST(stall_between_partial_acks)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 4000), 1, 4000);
	feed(t, back(T0 + 5 * MS, 2000, 1000), 0, 0);
	feed(t, back(T0 + 6 * MS, 2000, 1000), 0, 0);	/* dup ack */
	feed(t, fwd(T0 + 100 * MS, 2000, 1000), 1, 0);
	feed(t, back(T0 + 305 * MS, 3000, 1000), 0, 0);	/* 300 ms */
	feed(t, back(T0 + 310 * MS, 5000, 1000), 0, 0);
	list(t, &d, &n);
	ck_assert_int_eq(d[0].stall_start, T0 + 5 * MS);
	ck_assert_int_eq(d[0].stall_end, T0 + 305 * MS);
	ck_assert_uint_eq(d[0].stall_retrans, 1);
	free(d);
	tcpflow_free(t);
}
END_TEST

/*
 * A retransmission sent while nothing was outstanding (all acked) lies
 * before the next stall: it is not one of the stall's retransmissions.
 */
START_TEST(stall_retrans_only_inside)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, back(T0 + 10 * MS, 2000, 1000), 0, 0);
	feed(t, fwd(T0 + 15 * MS, 1000, 1000), 1, 0);	/* spurious, all acked */
	feed(t, fwd(T0 + 20 * MS, 2000, 1000), 1, 1000);
	feed(t, back(T0 + 500 * MS, 3000, 1000), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(d[0].retrans, 1);
	ck_assert_int_eq(d[0].stall_start, T0 + 20 * MS);
	ck_assert_int_eq(d[0].stall_end, T0 + 500 * MS);
	ck_assert_uint_eq(d[0].stall_retrans, 0);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* A stall still open when the capture ends, up to the flow's last segment. */
START_TEST(stall_open_at_end)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, back(T0 + 10 * MS, 2000, 1000), 0, 0);
	feed(t, fwd(T0 + 20 * MS, 2000, 1000), 1, 1000);
	feed(t, fwd(T0 + 300 * MS, 2000, 1000), 1, 0);
	feed(t, back(T0 + 310 * MS, 2000, 1000), 0, 0);	/* dup ack */
	feed(t, fwd(T0 + 900 * MS, 2000, 1000), 1, 0);
	feed(t, back(T0 + 950 * MS, 2000, 1000), 0, 0);	/* last segment */
	list(t, &d, &n);
	ck_assert_int_eq(d[0].stall_start, T0 + 20 * MS);
	ck_assert_int_eq(d[0].stall_end, T0 + 950 * MS);
	ck_assert_uint_eq(d[0].stall_retrans, 2);
	free(d);

	/* An open stall shorter than a closed one: the closed one wins. */
	feed(t, seg(T0 + 1000 * MS, &SRC, CPORT + 1, &DST, LPORT, 1, 1, TCPF_ACK, 502, 100), 1, 100);
	feed(t, seg(T0 + 1800 * MS, &DST, LPORT, &SRC, CPORT + 1, 1, 101, TCPF_ACK, 502, 0), 0, 0);
	feed(t, seg(T0 + 1900 * MS, &SRC, CPORT + 1, &DST, LPORT, 101, 1, TCPF_ACK, 502, 100), 1, 100);
	feed(t, seg(T0 + 2000 * MS, &DST, LPORT, &SRC, CPORT + 1, 1, 101, TCPF_ACK, 502, 0), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(d[1].sport, CPORT + 1);
	ck_assert_int_eq(d[1].stall_start, T0 + 1000 * MS);
	ck_assert_int_eq(d[1].stall_end, T0 + 1800 * MS);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* Flows that are neither the stream nor the VM's are not kept. */
START_TEST(untracked_flows)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	struct pkt p;
	size_t n;

	feed(t, seg(T0, &PEER, 443, &VM, 50000, 1, 1, TCPF_ACK, 502, 1400), 0, 0);
	feed(t, seg(T0 + 1, &VM, 50000, &PEER, 443, 1, 1401, TCPF_ACK, 502, 0), 0, 0);
	feed(t, seg(T0 + 2, &SRC, 22, &DST, 60000, 1, 1, TCPF_ACK, 502, 100), 0, 0);
	/* Not TCP at all. */
	memset(&p, 0, sizeof(p));
	p.layers = PKT_L_LINK | PKT_L_IP | PKT_L_UDP;
	p.ip_src = SRC;
	p.ip_dst = DST;
	p.sport = CPORT;
	p.dport = LPORT;
	p.l4_payload_len = 100;
	feed(t, p, 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 0);
	free(d);
	tcpflow_free(t);
}
END_TEST

/* With the VM's address set, its own flows are tracked (not as the stream). */
START_TEST(vm_flows)
{
	struct tcpflow *t = mkflows(&VM);
	struct tcp_dir_info *d;
	size_t n;

	feed(t, seg(T0, &PEER, 443, &VM, 50000, 1, 1, TCPF_ACK, 502, 1400), 0, 0);
	feed(t, seg(T0 + 1, &VM, 50000, &PEER, 443, 1, 1401, TCPF_ACK, 502, 10), 0, 0);
	feed(t, seg(T0 + 2, &SRC, 22, &DST, 60000, 1, 1, TCPF_ACK, 502, 100), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(mt_addr_eq(&d[0].src, &PEER), 1);
	ck_assert_uint_eq(d[0].sport, 443);
	ck_assert_uint_eq(d[0].bytes, 1400);
	ck_assert_int_eq(d[0].involves_vm, 1);
	ck_assert_int_eq(d[0].migration, 0);
	ck_assert_int_eq(mt_addr_eq(&d[1].src, &VM), 1);
	ck_assert_uint_eq(d[1].bytes, 10);
	ck_assert_int_eq(d[1].involves_vm, 1);
	/* The peer acked all of its data; the VM's 10 bytes are open. */
	ck_assert_int_eq(d[0].stall_start, T0);
	ck_assert_int_eq(d[0].stall_end, T0 + 1);
	ck_assert_int_eq(d[1].stall_start, T0 + 1);
	ck_assert_int_eq(d[1].stall_end, T0 + 1);
	free(d);
	tcpflow_free(t);
}
END_TEST

/*
 * Flows silent for two minutes are retired (memory bounded by the live
 * flows): what the report reads of them stays, the migration direction
 * whole and the longest VM stall; other retired directions go.
 */
START_TEST(retired_flows)
{
	struct tcpflow *t = mkflows(&VM);
	struct mt_addr peer2;
	struct tcp_dir_info *d;
	size_t n;

	ck_assert_int_eq(mt_addr_parse("203.0.113.6", &peer2), 0);
	feed(t, fwd(T0, 1000, 1000), 1, 1000);
	feed(t, back(T0 + 10 * MS, 2000, 1000), 0, 0);
	/* Two VM flows with stalls of 500 ms and 100 ms, then silence. */
	feed(t, seg(T0 + 1000 * MS, &PEER, 443, &VM, 50000, 1, 1, TCPF_ACK, 502, 1400), 0, 0);
	feed(t, seg(T0 + 1500 * MS, &VM, 50000, &PEER, 443, 1, 1401, TCPF_ACK, 502, 0), 0, 0);
	feed(t, seg(T0 + 2000 * MS, &peer2, 443, &VM, 50001, 1, 1, TCPF_ACK, 502, 1400), 0, 0);
	feed(t, seg(T0 + 2100 * MS, &VM, 50001, &peer2, 443, 1, 1401, TCPF_ACK, 502, 0), 0, 0);
	/* Five minutes later another VM flow: the silent ones are retired. */
	feed(t, seg(T0 + 300000 * MS, &PEER, 444, &VM, 50002, 1, 1, TCPF_ACK, 502, 100), 0, 0);
	feed(t, seg(T0 + 300001 * MS, &PEER, 444, &VM, 50002, 101, 1, TCPF_ACK, 502, 100), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(d[0].migration, 1);
	ck_assert_uint_eq(d[0].bytes, 1000);
	ck_assert_int_eq(mt_addr_eq(&d[1].src, &PEER), 1);
	ck_assert_uint_eq(d[1].sport, 443);
	ck_assert_int_eq(d[1].stall_start, T0 + 1000 * MS);
	ck_assert_int_eq(d[1].stall_end, T0 + 1500 * MS);
	ck_assert_uint_eq(d[2].sport, 444);
	ck_assert_uint_eq(d[2].bytes, 200);
	free(d);
	tcpflow_free(t);
}
END_TEST

START_TEST(ipv6_stream)
{
	struct tcpflow *t = mkflows(NULL);
	struct tcp_dir_info *d;
	struct pkt p;
	char buf[64];
	size_t n;

	feed(t, seg(T0, &SRC6, CPORT, &DST6, 9999, 0x7fffffff, 0, TCPF_SYN, 64800, 0), 0, 0);
	p = seg(T0 + MS, &SRC6, CPORT, &DST6, 9999, 0x80000000u, 1, TCPF_ACK, 502, 1428);
	p.payload = QEVM;
	p.payload_caplen = 8;
	feed(t, p, 1, 1428);
	feed(t, seg(T0 + 2 * MS, &SRC6, CPORT, &DST6, 9999, 0x80000000u + 1428, 1, TCPF_ACK, 502, 1428), 1, 1428);
	feed(t, seg(T0 + 3 * MS, &DST6, 9999, &SRC6, CPORT, 1, 0x80000000u + 2856, TCPF_ACK, 0, 0), 0, 0);
	list(t, &d, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(d[0].magic, 1);
	ck_assert_uint_eq(d[0].src.family, 6);
	ck_assert_str_eq(mt_addr_str(&d[0].src, buf, sizeof(buf)), "2001:db8::1");
	ck_assert_str_eq(mt_addr_str(&d[0].dst, buf, sizeof(buf)), "2001:db8::2");
	ck_assert_uint_eq(d[0].bytes, 2856);
	ck_assert_uint_eq(d[0].zero_windows, 1);
	free(d);
	tcpflow_free(t);
}
END_TEST

static Suite *
tcpflow_suite(void)
{
	Suite *s = suite_create("tcpflow");
	TCase *tc = tcase_create("tcpflow");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, magic_detection);
	tcase_add_test(tc, magic_only_at_stream_start);
	tcase_add_test(tc, port_range_direction);
	tcase_add_test(tc, sequence_wrap);
	tcase_add_test(tc, retransmissions);
	tcase_add_test(tc, keepalive_not_counted);
	tcase_add_test(tc, missed_segments);
	tcase_add_test(tc, fin_not_a_byte);
	tcase_add_test(tc, zero_window_episodes);
	tcase_add_test(tc, longest_stall);
	tcase_add_test(tc, stall_between_partial_acks);
	tcase_add_test(tc, stall_retrans_only_inside);
	tcase_add_test(tc, retired_flows);
	tcase_add_test(tc, stall_open_at_end);
	tcase_add_test(tc, untracked_flows);
	tcase_add_test(tc, vm_flows);
	tcase_add_test(tc, ipv6_stream);
	tcase_add_test(tc, handshake_rtt);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tcpflow_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
