/*
 * capture-gen.c: offered load for the capture benchmark: Ethernet frames
 * of a fixed size (default 1500 bytes, headers included) carrying
 * IPv4/TCP to port 49152 (the migration port range, docs/wire-formats.md), sent
 * from an AF_PACKET socket with sendmmsg(2) at a fixed bit rate (batches
 * every millisecond on absolute deadlines) or as fast as it can.
 *
 * Usage: capture-gen IF DSTMAC RATE SECONDS [FRAMELEN]
 *   RATE: "100M", "1G" (bits/s on the wire, frame bytes x 8) or "max".
 * Prints one line: frames sent, seconds, achieved Mbit/s.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/mt.h"

#define GEN_BATCH_MAX	256
#define GEN_TICK_NS	1000000LL	/* one batch per millisecond */

static mt_ns
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (mt_ns)ts.tv_sec * MT_NS_PER_S + ts.tv_nsec;
}

static uint16_t
cksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 + TCP (ACK) 198.18.0.1:40000 -> 198.18.0.2:49152. */
static void
build(uint8_t *f, size_t len, const struct mt_mac *dst, const uint8_t *src)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;
	uint16_t ck, tot = (uint16_t)(len - 14);

	memset(f, 0, len);
	memcpy(f, dst->a, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 198; ip[13] = 18; ip[14] = 0; ip[15] = 1;
	ip[16] = 198; ip[17] = 18; ip[18] = 0; ip[19] = 2;
	ck = cksum(ip, 20);
	ip[10] = (uint8_t)(ck >> 8);
	ip[11] = (uint8_t)ck;
	tcp[0] = 40000 >> 8; tcp[1] = 40000 & 0xff;
	tcp[2] = 49152 >> 8; tcp[3] = 49152 & 0xff;
	tcp[12] = 5 << 4;
	tcp[13] = 0x10;		/* ACK */
	tcp[14] = 0xff; tcp[15] = 0xff;
}

int
main(int argc, char **argv)
{
	static uint8_t frame[9000];
	struct mmsghdr msgs[GEN_BATCH_MAX];
	struct iovec iov;
	struct sockaddr_ll sll;
	struct mt_mac dst;
	uint8_t src[6] = { 0x02, 0, 0, 0, 0, 1 };
	double bps = 0, per_tick = 0, carry = 0, secs;
	size_t len = 1500;
	mt_ns start, end, next, now;
	unsigned long long sent = 0, errors = 0;
	int fd, ifindex, max = 0;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: capture-gen IF DSTMAC RATE|max SECONDS "
		    "[FRAMELEN]\n");
		return 2;
	}
	if ((ifindex = (int)if_nametoindex(argv[1])) == 0) {
		fprintf(stderr, "capture-gen: %s: no such interface\n", argv[1]);
		return 1;
	}
	if (mt_mac_parse(argv[2], &dst) < 0) {
		fprintf(stderr, "capture-gen: %s: not a MAC address\n", argv[2]);
		return 1;
	}
	if (strcmp(argv[3], "max") == 0)
		max = 1;
	else if (mt_parse_rate(argv[3], &bps) < 0) {
		fprintf(stderr, "capture-gen: %s: not a rate\n", argv[3]);
		return 1;
	}
	secs = atof(argv[4]);
	if (secs <= 0) {
		fprintf(stderr, "capture-gen: %s: not a duration\n", argv[4]);
		return 1;
	}
	if (argc == 6)
		len = (size_t)atoi(argv[5]);
	if (len < 54 || len > sizeof(frame)) {
		fprintf(stderr, "capture-gen: frame length 54..%zu\n",
		    sizeof(frame));
		return 1;
	}
	if ((fd = socket(AF_PACKET, SOCK_RAW, 0)) < 0) {
		fprintf(stderr, "capture-gen: socket: %s\n", strerror(errno));
		return 1;
	}
	/* Frames go straight to the driver, without the qdisc. */
	{
		int one = 1;
		(void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		    sizeof(one));
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst.a, 6);
	build(frame, len, &dst, src);
	iov.iov_base = frame;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < GEN_BATCH_MAX; i++) {
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	per_tick = bps / 8.0 / (double)len * GEN_TICK_NS / 1e9;
	start = mono();
	end = start + (mt_ns)(secs * 1e9);
	next = start;
	while ((now = mono()) < end) {
		int want, n;

		if (max) {
			want = GEN_BATCH_MAX;
		} else {
			struct timespec ts;

			/* Absolute deadlines: no drift, a late tick is
			 * caught up by the next batch. */
			ts.tv_sec = next / MT_NS_PER_S;
			ts.tv_nsec = next % MT_NS_PER_S;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
			    NULL);
			next += GEN_TICK_NS;
			carry += per_tick;
			want = (int)carry;
			carry -= want;
		}
		while (want > 0) {
			int b = want > GEN_BATCH_MAX ? GEN_BATCH_MAX : want;

			n = sendmmsg(fd, msgs, (unsigned)b, 0);
			if (n < 0) {
				if (errno == ENOBUFS || errno == EAGAIN) {
					errors++;
					break;
				}
				fprintf(stderr, "capture-gen: sendmmsg: %s\n",
				    strerror(errno));
				return 1;
			}
			sent += (unsigned long long)n;
			want -= n;
		}
	}
	now = mono();
	printf("sent %llu frames of %zu bytes in %.3f s = %.1f Mbit/s "
	    "(%llu send errors)\n", sent, len, (double)(now - start) / 1e9,
	    (double)sent * (double)len * 8 / ((double)(now - start) / 1e9) /
	    1e6, errors);
	close(fd);
	return 0;
}
