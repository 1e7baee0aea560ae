/*
 * delayline.c: a userspace delay line between two interfaces, for the
 * lab (lab/README.md, `lab/lab delay`): this kernel has no sch_netem
 * (lab/README.md, "Facts the lab relies on"). Every frame read from one interface is sent out of
 * the other D ms later, in both directions, through AF_PACKET raw
 * sockets; a bounded FIFO per direction (a full queue drops and counts).
 * The sockets use PACKET_VNET_HDR: each frame keeps its virtio-net
 * header, so a frame whose checksum the sender left to the "hardware"
 * (CHECKSUM_PARTIAL, every TCP segment on a veth) and a GSO frame leave
 * as they came and the kernel completes them on the way out; without it
 * the relayed TCP segments would carry unfinished checksums.
 * Each socket gets a receive buffer of RCVBUF bytes (SO_RCVBUFFORCE,
 * root): the default 208 KiB holds three 64 KiB GSO frames, so a relay
 * descheduled for a few ms would lose frames in the kernel, unseen by
 * the queue's count; those drops (PACKET_STATISTICS) are reported too.
 * Runs until SIGTERM or SIGINT and prints its counts on exit.
 *
 * Usage: delayline [-d MS] [-q FRAMES] IF1 IF2
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROG		"delayline"
#define FRAME_MAX	(65536 + 256)	/* a GSO frame is read whole */
#define BATCH		256		/* frames read per wake-up and side */
#define RCVBUF		(32 << 20)	/* bytes: ~2.6 s of 100 Mbit/s */

struct frame {
	int64_t due;			/* CLOCK_MONOTONIC ns */
	uint32_t len;
	unsigned char *buf;
};

/* One direction: frames read on `in`, sent out of `out`. */
struct dir {
	const char *from, *to;
	int in, out;
	struct frame *q;		/* ring of cap frames */
	size_t cap, head, n, max_n;
	uint64_t frames, bytes, dropped, send_err, busy, too_big;
	uint64_t kdrops;		/* dropped by the kernel before read */
};

static volatile sig_atomic_t g_stop;

static void
on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
usage(FILE *f)
{
	fprintf(f, "Usage: %s [-d MS] [-q FRAMES] IF1 IF2\n"
	    "Relay every frame between IF1 and IF2 (both directions) after a "
	    "delay of MS\nmilliseconds (default 20; decimals allowed), with "
	    "at most FRAMES queued per\ndirection (default 16384; more are "
	    "dropped and counted). Stops on SIGTERM\nor SIGINT and prints its "
	    "counts.\n", PROG);
}

/* A raw socket bound to ifname, promiscuous, not seeing its own sends. */
static int
open_if(const char *ifname)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	unsigned idx;
	int fd, one = 1, rcvbuf = RCVBUF;

	if ((idx = if_nametoindex(ifname)) == 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, ifname, strerror(errno));
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    htons(ETH_P_ALL));
	if (fd < 0) {
		fprintf(stderr, "%s: %s: raw socket: %s\n", PROG, ifname,
		    strerror(errno));
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "%s: %s: bind: %s\n", PROG, ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)idx;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)) < 0)
		fprintf(stderr, "%s: %s: promiscuous mode: %s\n", PROG, ifname,
		    strerror(errno));
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one,
	    sizeof(one)) < 0) {
		fprintf(stderr, "%s: %s: PACKET_VNET_HDR: %s\n", PROG, ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) < 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF,
	    &rcvbuf, sizeof(rcvbuf)) < 0)
		fprintf(stderr, "%s: %s: receive buffer: %s\n", PROG, ifname,
		    strerror(errno));
#ifdef PACKET_IGNORE_OUTGOING
	/* Our own sends would come back as PACKET_OUTGOING: skipped below
	 * too, for kernels without this option. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
#endif
	return fd;
}

/* Read what waits on d->in (at most BATCH frames) into d's queue. */
static void
take(struct dir *d, int64_t delay, unsigned char *scratch)
{
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t r;
	struct frame *fr;

	for (int i = 0; i < BATCH; i++) {
		fl = sizeof(from);
		r = recvfrom(d->in, scratch, FRAME_MAX, MSG_TRUNC,
		    (struct sockaddr *)&from, &fl);
		if (r < 0)
			return;		/* EAGAIN, or an error: next poll */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (r > FRAME_MAX) {
			d->too_big++;
			continue;
		}
		if (d->n == d->cap) {
			d->dropped++;
			continue;
		}
		fr = &d->q[(d->head + d->n) % d->cap];
		if ((fr->buf = malloc((size_t)r)) == NULL) {
			d->dropped++;
			continue;
		}
		memcpy(fr->buf, scratch, (size_t)r);
		fr->len = (uint32_t)r;
		fr->due = now_ns() + delay;
		if (++d->n > d->max_n)
			d->max_n = d->n;
	}
}

/* Send every frame of d that is due; return the next due time or -1. */
static int64_t
give(struct dir *d, int64_t now)
{
	struct frame *fr;

	while (d->n > 0) {
		fr = &d->q[d->head];
		if (fr->due > now)
			return fr->due;
		if (send(d->out, fr->buf, fr->len, 0) < 0) {
			if (errno == EAGAIN || errno == ENOBUFS) {
				/* The other side is busy: try again soon. */
				d->busy++;
				return now + 100000;
			}
			d->send_err++;		/* the frame is lost */
		} else {
			d->frames++;
			d->bytes += fr->len;
		}
		free(fr->buf);
		d->head = (d->head + 1) % d->cap;
		d->n--;
	}
	return -1;
}

/* Add the kernel's drops on d->in since the last call (reading the
 * statistics resets them). */
static void
count_kdrops(struct dir *d)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(d->in, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		d->kdrops += st.tp_drops;
}

static void
report(const struct dir *d)
{
	fprintf(stderr, "%s: %s -> %s: %" PRIu64 " frames (%" PRIu64
	    " bytes) relayed, %" PRIu64 " dropped (queue full), %" PRIu64
	    " dropped (kernel, before read), %" PRIu64 " send errors, %"
	    PRIu64 " sends retried, %" PRIu64 " too big, %zu left queued, at "
	    "most %zu queued\n", PROG, d->from, d->to, d->frames, d->bytes,
	    d->dropped, d->kdrops, d->send_err, d->busy, d->too_big, d->n,
	    d->max_n);
}

int
main(int argc, char **argv)
{
	struct dir dir[2];
	struct pollfd pfd[2];
	struct sigaction sa;
	unsigned char *scratch;
	double ms = 20;
	long qmax = 16384;
	int64_t delay, next, t;
	struct timespec ts, *tsp;
	sigset_t block, during;
	char *end;
	int c;

	while ((c = getopt(argc, argv, "d:q:h")) != -1) {
		switch (c) {
		case 'd':
			errno = 0;
			ms = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(ms >= 0 && ms <= 10000)) {
				fprintf(stderr, "%s: -d %s: not a delay in ms "
				    "(0-10000)\n", PROG, optarg);
				return 2;
			}
			break;
		case 'q':
			errno = 0;
			qmax = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || qmax < 1 ||
			    qmax > 1000000) {
				fprintf(stderr, "%s: -q %s: not a queue length "
				    "(1-1000000)\n", PROG, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	delay = (int64_t)(ms * 1e6);
	memset(dir, 0, sizeof(dir));
	dir[0].from = dir[1].to = argv[optind];
	dir[0].to = dir[1].from = argv[optind + 1];
	if ((dir[0].in = dir[1].out = open_if(argv[optind])) < 0 ||
	    (dir[1].in = dir[0].out = open_if(argv[optind + 1])) < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		dir[i].cap = (size_t)qmax;
		if ((dir[i].q = calloc(dir[i].cap, sizeof(*dir[i].q))) == NULL) {
			fprintf(stderr, "%s: out of memory\n", PROG);
			return 1;
		}
	}
	if ((scratch = malloc(FRAME_MAX)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* The signals arrive only inside ppoll: no lost wake-up. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &during);
	sigdelset(&during, SIGTERM);
	sigdelset(&during, SIGINT);
	fprintf(stderr, "%s: %s <-> %s, %.3f ms each way, queue %ld frames\n",
	    PROG, dir[0].from, dir[0].to, ms, qmax);

	pfd[0].fd = dir[0].in;
	pfd[1].fd = dir[1].in;
	pfd[0].events = pfd[1].events = POLLIN;
	while (!g_stop) {
		next = -1;
		t = now_ns();
		for (int i = 0; i < 2; i++) {
			int64_t n = give(&dir[i], t);
			if (n >= 0 && (next < 0 || n < next))
				next = n;
		}
		tsp = NULL;
		if (next >= 0) {
			ts.tv_sec = (time_t)((next - t) / 1000000000);
			ts.tv_nsec = (long)((next - t) % 1000000000);
			tsp = &ts;
		}
		if (ppoll(pfd, 2, tsp, &during) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: ppoll: %s\n", PROG, strerror(errno));
			break;
		}
		for (int i = 0; i < 2; i++)
			if (pfd[i].revents & POLLIN)
				take(&dir[i], delay, scratch);
	}
	for (int i = 0; i < 2; i++) {
		count_kdrops(&dir[i]);
		report(&dir[i]);
		while (dir[i].n > 0) {
			free(dir[i].q[dir[i].head].buf);
			dir[i].head = (dir[i].head + 1) % dir[i].cap;
			dir[i].n--;
		}
		free(dir[i].q);
		close(dir[i].in);
	}
	free(scratch);
	return 0;
}
