/*
 * probe.c: the active prober (--vm-probe ADDR --probe-interval D): ICMP
 * (RFC 792) or ICMPv6 (RFC 4443) echo requests with our own identifier
 * from a raw socket, one per tick of an absolute-deadline timerfd (so
 * the rate does not drift), counting the requests sent and answered.
 *
 * The payload is "migtrace" + send time (ns, big-endian) + 64-bit
 * sequence number, so a reply is matched to its request exactly even
 * after the 16-bit ICMP sequence wraps.
 */
#include "config.h"

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "capture.h"
#include "input/extract.h"

#define PROBE_MAGIC		"migtrace"
#define PROBE_PAYLOAD		24	/* magic 8 + time 8 + seq 8 */
#define PROBE_ICMP_LEN		(8 + PROBE_PAYLOAD)
#define PROBE_MIN_INTERVAL	(1 * MT_NS_PER_MS)
#define PROBE_SEQ_SPACE		65536
#define PROBE_RT_PRIORITY	10	/* SCHED_FIFO, below the kernel's own */

struct probe {
	int family;			/* AF_INET or AF_INET6 */
	struct sockaddr_storage dst;
	socklen_t dstlen;
	char addr[64];
	int fd, tfd, stopfd;
	uint16_t ident;
	mt_ns interval;
	pthread_t th;
	int started;
	int realtime;			/* the thread runs SCHED_FIFO */
	atomic_int sending;

	pthread_mutex_t mu;		/* the counters below */
	uint64_t sent, answered, dups, late, send_errors, foreign;
	mt_ns first_sent, last_sent, last_answer;
	mt_ns rtt_min, rtt_max;
	long double rtt_sum;
	uint64_t seq;			/* next sequence number */
	uint8_t answered_bit[PROBE_SEQ_SPACE / 8];
	uint64_t answered_seq[PROBE_SEQ_SPACE];	/* full seq per slot */
};

static void *probe_thread(void *arg);
static int probe_thread_create(struct probe *pr, char *err, size_t errlen);

static uint16_t
icmp_cksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static int
get_be64(const struct bytes *b, size_t off, uint64_t *v)
{
	uint32_t hi, lo;

	if (get_be32(b, off, &hi) < 0 || get_be32(b, off + 4, &lo) < 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

struct probe *
probe_new(const char *addr, mt_ns interval, char *err, size_t errlen)
{
	struct probe *pr;
	struct mt_addr a;

	if (mt_addr_parse(addr, &a) < 0) {
		snprintf(err, errlen, "--vm-probe %s: not an IPv4 or IPv6 "
		    "address", addr);
		return NULL;
	}
	if (interval < PROBE_MIN_INTERVAL) {
		snprintf(err, errlen, "--probe-interval: at least 1ms");
		return NULL;
	}
	if ((pr = calloc(1, sizeof(*pr))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pr->fd = pr->tfd = pr->stopfd = -1;
	pthread_mutex_init(&pr->mu, NULL);
	snprintf(pr->addr, sizeof(pr->addr), "%s", addr);
	pr->interval = interval;
	pr->rtt_min = MT_NS_NONE;
	pr->first_sent = pr->last_sent = pr->last_answer = MT_NS_NONE;
	if (a.family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&pr->dst;

		pr->family = AF_INET;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a.a, 4);
		pr->dstlen = sizeof(*sin);
		pr->fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&pr->dst;

		pr->family = AF_INET6;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a.a, 16);
		pr->dstlen = sizeof(*sin6);
		pr->fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
		    IPPROTO_ICMPV6);
	}
	if (pr->fd < 0) {
		snprintf(err, errlen, "--vm-probe %s: cannot open a raw ICMP "
		    "socket: %s%s", addr, strerror(errno), errno == EPERM ?
		    " (needs root or CAP_NET_RAW)" : "");
		probe_free(pr);
		return NULL;
	}
	/* Our own identifier: random, so two probers never share one. */
	if (getrandom(&pr->ident, sizeof(pr->ident), 0) !=
	    (ssize_t)sizeof(pr->ident))
		pr->ident = (uint16_t)getpid();
	pr->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	pr->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (pr->tfd < 0 || pr->stopfd < 0) {
		snprintf(err, errlen, "prober: %s", strerror(errno));
		probe_free(pr);
		return NULL;
	}
	if (probe_thread_create(pr, err, errlen) < 0) {
		probe_free(pr);
		return NULL;
	}
	return pr;
}

static void
send_one(struct probe *pr)
{
	uint8_t pkt[PROBE_ICMP_LEN];
	uint64_t seq;
	mt_ns now;
	uint16_t ck;

	seq = pr->seq++;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = pr->family == AF_INET ? 8 : 128;	/* echo request */
	pkt[4] = (uint8_t)(pr->ident >> 8);
	pkt[5] = (uint8_t)pr->ident;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + 8, PROBE_MAGIC, 8);
	now = cap_now();
	put_be64(pkt + 16, (uint64_t)now);
	put_be64(pkt + 24, seq);
	if (pr->family == AF_INET) {
		ck = icmp_cksum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(ck >> 8);
		pkt[3] = (uint8_t)ck;
	}	/* ICMPv6: the kernel fills the checksum (RFC 3542 3.1) */
	if (sendto(pr->fd, pkt, sizeof(pkt), MSG_DONTWAIT,
	    (struct sockaddr *)&pr->dst, pr->dstlen) != (ssize_t)sizeof(pkt)) {
		pthread_mutex_lock(&pr->mu);
		pr->send_errors++;
		pthread_mutex_unlock(&pr->mu);
		return;
	}
	pthread_mutex_lock(&pr->mu);
	pr->sent++;
	if (pr->first_sent == MT_NS_NONE)
		pr->first_sent = now;
	pr->last_sent = now;
	pthread_mutex_unlock(&pr->mu);
}

/* One datagram from the raw socket: count it if it is our reply. */
static void
on_reply(struct probe *pr, const uint8_t *buf, size_t len,
    const struct sockaddr_storage *from, mt_ns now)
{
	struct bytes b = { buf, buf + len };
	uint8_t v, type, magic[8];
	uint16_t id;
	uint64_t ts, seq;
	size_t off = 0;
	unsigned slot;

	if (pr->family == AF_INET) {
		const struct sockaddr_in *f = (const struct sockaddr_in *)from;
		const struct sockaddr_in *d =
		    (const struct sockaddr_in *)&pr->dst;

		/* A raw IPv4 socket hands us the IP header too. */
		if (get_u8(&b, 0, &v) < 0 || (v >> 4) != 4)
			return;
		off = (size_t)(v & 0x0f) * 4;
		if (off < 20)
			return;
		if (f->sin_addr.s_addr != d->sin_addr.s_addr)
			return;
	} else {
		const struct sockaddr_in6 *f =
		    (const struct sockaddr_in6 *)from;
		const struct sockaddr_in6 *d =
		    (const struct sockaddr_in6 *)&pr->dst;

		if (memcmp(&f->sin6_addr, &d->sin6_addr, 16) != 0)
			return;
	}
	if (get_u8(&b, off, &type) < 0 ||
	    type != (pr->family == AF_INET ? 0 : 129) ||
	    get_be16(&b, off + 4, &id) < 0 || id != pr->ident ||
	    get_bytes(&b, off + 8, magic, 8) < 0 ||
	    memcmp(magic, PROBE_MAGIC, 8) != 0 ||
	    get_be64(&b, off + 16, &ts) < 0 || get_be64(&b, off + 24, &seq) < 0)
		return;
	pthread_mutex_lock(&pr->mu);
	if (seq >= pr->seq) {			/* never sent: forged */
		pr->foreign++;
		pthread_mutex_unlock(&pr->mu);
		return;
	}
	slot = (unsigned)(seq % PROBE_SEQ_SPACE);
	if ((pr->answered_bit[slot / 8] & (1u << (slot % 8))) &&
	    pr->answered_seq[slot] == seq) {
		pr->dups++;
	} else {
		mt_ns rtt = now - (mt_ns)ts;

		pr->answered_bit[slot / 8] |= (uint8_t)(1u << (slot % 8));
		pr->answered_seq[slot] = seq;
		pr->answered++;
		pr->last_answer = now;
		if (rtt >= 0) {
			if (pr->rtt_min == MT_NS_NONE || rtt < pr->rtt_min)
				pr->rtt_min = rtt;
			if (rtt > pr->rtt_max)
				pr->rtt_max = rtt;
			pr->rtt_sum += rtt;
		}
	}
	pthread_mutex_unlock(&pr->mu);
}

static void *
probe_thread(void *arg)
{
	struct probe *pr = arg;
	struct pollfd pfd[3];
	uint8_t buf[2048];

	pfd[0].fd = pr->tfd;
	pfd[1].fd = pr->fd;
	pfd[2].fd = pr->stopfd;
	for (int i = 0; i < 3; i++)
		pfd[i].events = POLLIN;
	for (;;) {
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[2].revents)
			break;
		if (pfd[0].revents & POLLIN) {
			uint64_t exp;

			if (read(pr->tfd, &exp, sizeof(exp)) ==
			    (ssize_t)sizeof(exp) && atomic_load(&pr->sending)) {
				/* Missed ticks are counted, not sent late
				 * in a burst. */
				if (exp > 1) {
					pthread_mutex_lock(&pr->mu);
					pr->late += exp - 1;
					pthread_mutex_unlock(&pr->mu);
				}
				send_one(pr);
			}
		}
		if (pfd[1].revents & POLLIN) {
			for (;;) {
				struct sockaddr_storage from;
				socklen_t flen = sizeof(from);
				ssize_t n;

				n = recvfrom(pr->fd, buf, sizeof(buf),
				    MSG_DONTWAIT, (struct sockaddr *)&from,
				    &flen);
				if (n < 0)
					break;
				on_reply(pr, buf, (size_t)n, &from, cap_now());
			}
		}
	}
	return NULL;
}

int
probe_start(struct probe *pr, char *err, size_t errlen)
{
	struct itimerspec its;
	struct timespec now;

	/* Absolute deadlines on CLOCK_MONOTONIC: tick k fires at
	 * start + k * interval whatever the latency of tick k-1. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_sec = pr->interval / MT_NS_PER_S;
	its.it_interval.tv_nsec = pr->interval % MT_NS_PER_S;
	its.it_value = now;
	its.it_value.tv_nsec += 1000000;	/* first tick in 1 ms */
	if (its.it_value.tv_nsec >= MT_NS_PER_S) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= MT_NS_PER_S;
	}
	atomic_store(&pr->sending, 1);
	if (timerfd_settime(pr->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		snprintf(err, errlen, "prober: timerfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The thread is made here, while still root, so that it can get a
 * real-time priority (SCHED_FIFO): on a busy host an ordinary thread
 * misses 1 ms ticks. Without the right to it, it runs as usual.
 */
static int
probe_thread_create(struct probe *pr, char *err, size_t errlen)
{
	pthread_attr_t attr;
	struct sched_param sp;
	int e;

	pthread_attr_init(&attr);
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = PROBE_RT_PRIORITY;
	if (pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED) == 0 &&
	    pthread_attr_setschedpolicy(&attr, SCHED_FIFO) == 0 &&
	    pthread_attr_setschedparam(&attr, &sp) == 0 &&
	    pthread_create(&pr->th, &attr, probe_thread, pr) == 0) {
		pr->realtime = 1;
		pthread_attr_destroy(&attr);
		pr->started = 1;
		return 0;
	}
	pthread_attr_destroy(&attr);
	if ((e = pthread_create(&pr->th, NULL, probe_thread, pr)) != 0) {
		snprintf(err, errlen, "prober: %s", strerror(e));
		return -1;
	}
	pr->started = 1;
	return 0;
}

void
probe_stop_sending(struct probe *pr)
{
	if (pr != NULL)
		atomic_store(&pr->sending, 0);
}

json_t *
probe_json(struct probe *pr)
{
	json_t *o;

	pthread_mutex_lock(&pr->mu);
	o = json_pack("{s:s, s:s, s:I, s:i, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "target", pr->addr,
	    "protocol", pr->family == AF_INET ? "icmp" : "icmp6",
	    "interval_ns", (json_int_t)pr->interval,
	    "identifier", (int)pr->ident,
	    "sent", (json_int_t)pr->sent,
	    "answered", (json_int_t)pr->answered,
	    "duplicates", (json_int_t)pr->dups,
	    "missed_ticks", (json_int_t)pr->late,
	    "send_errors", (json_int_t)pr->send_errors,
	    "unexpected_replies", (json_int_t)pr->foreign);
	json_object_set_new(o, "realtime", json_boolean(pr->realtime));
	json_object_set_new(o, "first_sent_ns", pr->first_sent == MT_NS_NONE ?
	    json_null() : json_integer(pr->first_sent));
	json_object_set_new(o, "last_sent_ns", pr->last_sent == MT_NS_NONE ?
	    json_null() : json_integer(pr->last_sent));
	json_object_set_new(o, "last_answer_ns", pr->last_answer ==
	    MT_NS_NONE ? json_null() : json_integer(pr->last_answer));
	if (pr->answered > 0 && pr->rtt_min != MT_NS_NONE) {
		json_object_set_new(o, "rtt_min_ns", json_integer(pr->rtt_min));
		json_object_set_new(o, "rtt_avg_ns", json_integer(
		    (json_int_t)(pr->rtt_sum / (long double)pr->answered)));
		json_object_set_new(o, "rtt_max_ns", json_integer(pr->rtt_max));
	}
	pthread_mutex_unlock(&pr->mu);
	return o;
}

void
probe_summary(struct probe *pr)
{
	pthread_mutex_lock(&pr->mu);
	fprintf(stderr, "probe %s: %llu requests sent, %llu answered "
	    "(every %.3f ms, identifier %u)\n", pr->addr,
	    (unsigned long long)pr->sent, (unsigned long long)pr->answered,
	    (double)pr->interval / 1e6, pr->ident);
	if (pr->late > 0 || pr->send_errors > 0)
		fprintf(stderr, "%s: WARNING: probe %s: %llu ticks missed, "
		    "%llu send errors\n", CAP_PROG, pr->addr,
		    (unsigned long long)pr->late,
		    (unsigned long long)pr->send_errors);
	pthread_mutex_unlock(&pr->mu);
}

void
probe_free(struct probe *pr)
{
	uint64_t one = 1;

	if (pr == NULL)
		return;
	if (pr->started) {
		if (write(pr->stopfd, &one, sizeof(one)) < 0)
			(void)0;
		pthread_join(pr->th, NULL);
	}
	if (pr->fd >= 0)
		close(pr->fd);
	if (pr->tfd >= 0)
		close(pr->tfd);
	if (pr->stopfd >= 0)
		close(pr->stopfd);
	pthread_mutex_destroy(&pr->mu);
	free(pr);
}
