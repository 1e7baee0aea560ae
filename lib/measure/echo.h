/*
 * echo.h: ICMP and ICMPv6 echo towards one target (the VM): requests and
 * replies matched by (identifier, sequence), the probe interval, lost
 * probes, and every gap in the replies (docs/probing.md: a capture
 * gives the exact last reply before and first reply after an outage).
 *
 * Ownership: echo_new() returns a tracker freed by echo_free() (NULL ok).
 * echo_result() fills a struct whose gaps array the tracker owns.
 */
#ifndef MT_ECHO_H
#define MT_ECHO_H

#include "base/mt.h"
#include "input/pkt.h"

/* How many request spacings the probe-interval median is taken over. */
#define ECHO_SPACING_SAMPLES 4096
/* A request unanswered this long is lost (an echo reply is never later). */
#define ECHO_REPLY_TIMEOUT (10 * MT_NS_PER_S)

struct echo_gap {
	mt_ns start;		/* last reply before the gap */
	mt_ns end;		/* first reply after it */
	uint64_t lost;		/* requests sent inside it never answered */
};

struct echo_result {
	uint64_t requests;	/* distinct requests to the target */
	uint64_t replies;	/* replies from the target */
	uint64_t matched;	/* replies matching a request seen */
	uint64_t lost;		/* requests never answered, in all */
	uint64_t duplicates;	/* requests seen twice (same id, seq) */
	uint64_t reply_duplicates;	/* replies to an answered request */
	mt_ns interval;		/* median request spacing, MT_NS_NONE if < 2 requests */
	mt_ns min_gap;		/* the threshold the gaps were taken with */
	mt_ns first_reply, last_reply;	/* MT_NS_NONE without replies */
	struct echo_gap *gaps;	/* every gap > min_gap, in time order */
	size_t ngaps;
	size_t longest;		/* index of the longest gap (if ngaps > 0) */
};

struct echo;

/*
 * A tracker for echo to 'target' (IPv4 or IPv6). min_gap is the smallest
 * gap to report; 0 means three probe intervals (or, with fewer than two
 * requests, one second). NULL when out of memory.
 */
struct echo *echo_new(const struct mt_addr *target, mt_ns min_gap);
void echo_free(struct echo *e);

/* What echo_add() saw. */
#define ECHO_NEW_REQUEST	1	/* a request to the target, first copy */
#define ECHO_NEW_REPLY		2	/* a reply from the target, first copy */

/*
 * Feed one decoded packet (any packet: only echo to or from the target is
 * used). Packets must come in time order. Return ECHO_NEW_REQUEST or
 * ECHO_NEW_REPLY for a probe counted, 0 for anything else (other traffic,
 * a second copy of a probe already seen: captures of one link from two
 * places), -1 when out of memory.
 */
int echo_add(struct echo *e, const struct pkt *p);

/*
 * After echo_add() returned ECHO_NEW_REPLY: when its request was sent,
 * or MT_NS_NONE when the reply matched no request seen (or one expired).
 */
mt_ns echo_reply_request_ts(const struct echo *e);

/*
 * Finish and give the results. Return 0, or -1 when out of memory. Call
 * once, after the last echo_add().
 */
int echo_result(struct echo *e, struct echo_result *out);

#endif /* MT_ECHO_H */
