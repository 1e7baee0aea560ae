/* vmfind.c: echo responders, RARP-announced MACs, MAC <-> IP learning. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/announce.h"
#include "base/htab.h"
#include "measure/vmfind.h"

#define VMFIND_SEEN	256	/* a power of 2 */

struct responder {
	uint64_t replies;
	struct mt_mac mac;
	int have_mac;
};

struct vmfind {
	struct htab *responders;	/* struct mt_addr -> struct responder */
	struct htab *mac_ip;		/* struct mt_mac -> struct mt_addr (first seen) */
	struct announce *ann;
	/* MACs already in mac_ip, direct-mapped: a MAC there keeps its
	 * first IP, so a frame from one needs no lookup (most frames come
	 * from a few hosts). All zeros: empty (a zero MAC is never put). */
	struct mt_mac seen[VMFIND_SEEN];
};

/* A key with no stray bytes: IPv4 uses only a[0..3]. */
static struct mt_addr
addr_key(const struct mt_addr *a)
{
	struct mt_addr k;

	memset(&k, 0, sizeof(k));
	k.family = a->family;
	memcpy(k.a, a->a, a->family == 4 ? 4 : 16);
	return k;
}

/* 0.0.0.0 or ::, the address of a host that has none yet. */
static int
addr_unspecified(const struct mt_addr *a)
{
	for (size_t i = 0; i < (a->family == 4 ? 4u : 16u); i++)
		if (a->a[i] != 0)
			return 0;
	return 1;
}

struct vmfind *
vmfind_new(void)
{
	struct vmfind *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->responders = htab_new(sizeof(struct mt_addr), sizeof(struct responder));
	v->mac_ip = htab_new(sizeof(struct mt_mac), sizeof(struct mt_addr));
	v->ann = announce_new();
	if (v->responders == NULL || v->mac_ip == NULL || v->ann == NULL) {
		vmfind_free(v);
		return NULL;
	}
	return v;
}

void
vmfind_free(struct vmfind *v)
{
	if (v == NULL)
		return;
	htab_free(v->responders);
	htab_free(v->mac_ip);
	announce_free(v->ann);
	free(v);
}

static inline struct mt_mac *
seen_slot(struct vmfind *v, const struct mt_mac *mac)
{
	const uint8_t *b = (const uint8_t *)mac;
	uint32_t h = ((uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 | b[5]) *
	    0x9e3779b1u;

	return &v->seen[(h >> 24) & (VMFIND_SEEN - 1)];
}

int
vmfind_add(struct vmfind *v, const struct pkt *p)
{
	int created;

	if (announce_add(v->ann, p) < 0)
		return -1;
	/* MAC -> IP from frames whose source MAC is known (Ethernet); not
	 * the unspecified address (DHCP from 0.0.0.0, DAD from ::). */
	if ((p->layers & PKT_L_MAC) && (p->layers & PKT_L_IP) &&
	    !mt_mac_eq(seen_slot(v, &p->mac_src), &p->mac_src) &&
	    !mt_mac_is_zero(&p->mac_src) && !addr_unspecified(&p->ip_src)) {
		struct mt_addr *ip = htab_put(v->mac_ip, &p->mac_src, &created);
		if (ip == NULL)
			return -1;
		if (created)
			*ip = addr_key(&p->ip_src);
		*seen_slot(v, &p->mac_src) = p->mac_src;
	}
	if ((p->layers & PKT_L_ECHO) && p->echo == PKT_ECHO_REPLY) {
		struct mt_addr k = addr_key(&p->ip_src);
		struct responder *r = htab_put(v->responders, &k, NULL);
		if (r == NULL)
			return -1;
		r->replies++;
		if (!r->have_mac && (p->layers & PKT_L_MAC) &&
		    !mt_mac_is_zero(&p->mac_src)) {
			r->mac = p->mac_src;
			r->have_mac = 1;
		}
	}
	return 0;
}

/*
 * The IP of this MAC: the one answering the most echo requests from it,
 * else the first seen from it (which may be an IPv6 link-local address);
 * 0 or -1.
 */
static int
ip_of_mac(struct vmfind *v, const struct mt_mac *mac, struct mt_addr *ip)
{
	struct mt_addr *a;
	struct responder *r, *best = NULL;
	size_t it = 0;
	const void *key;

	while ((r = htab_next(v->responders, &it, &key)) != NULL)
		if (r->have_mac && mt_mac_eq(&r->mac, mac) &&
		    (best == NULL || r->replies > best->replies)) {
			best = r;
			memcpy(ip, key, sizeof(*ip));
		}
	if (best != NULL)
		return 0;
	if ((a = htab_get(v->mac_ip, mac)) == NULL)
		return -1;
	*ip = *a;
	return 0;
}

/* The MAC seen for this IP: from echo replies, else any frame. */
static int
mac_of_ip(struct vmfind *v, const struct mt_addr *ip, struct mt_mac *mac)
{
	struct mt_addr k = addr_key(ip);
	struct responder *r = htab_get(v->responders, &k);
	size_t it = 0;
	const void *key;
	struct mt_addr *a;

	if (r != NULL && r->have_mac) {
		*mac = r->mac;
		return 0;
	}
	while ((a = htab_next(v->mac_ip, &it, &key)) != NULL)
		if (mt_addr_eq(a, ip)) {
			memcpy(mac, key, sizeof(*mac));
			return 0;
		}
	return -1;
}

char *
vmfind_answering(struct vmfind *v, char *buf, size_t len)
{
	enum { TOP = 5 };
	struct mt_addr ip[TOP];
	uint64_t n[TOP];
	size_t k = 0, it = 0, off = 0;
	struct responder *r;
	const void *key;
	char ipbuf[64];

	/* The TOP with most replies, by insertion into a sorted list. */
	while ((r = htab_next(v->responders, &it, &key)) != NULL) {
		size_t j;

		if (r->replies == 0)
			continue;
		for (j = k; j > 0 && n[j - 1] < r->replies; j--)
			if (j < TOP) {
				n[j] = n[j - 1];
				ip[j] = ip[j - 1];
			}
		if (j < TOP) {
			n[j] = r->replies;
			memcpy(&ip[j], key, sizeof(ip[j]));
			if (k < TOP)
				k++;
		}
	}
	snprintf(buf, len, "none");
	for (size_t i = 0; i < k && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s (%llu repl%s)",
		    i ? ", " : "", mt_addr_str(&ip[i], ipbuf, sizeof(ipbuf)),
		    (unsigned long long)n[i], n[i] == 1 ? "y" : "ies");

		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

int
vmfind_pick(struct vmfind *v, const struct vm_choice *given,
    struct vm_choice *out)
{
	char ipbuf[64], macbuf[24];
	struct responder *r, *best = NULL, *best_rarp = NULL;
	struct mt_addr best_ip, best_rarp_ip;
	struct mt_mac rarp_mac;
	struct announce_info ai;
	size_t it = 0, nresp = 0, nrarp = 0;
	const void *key;

	memset(out, 0, sizeof(*out));
	if (given->ip.family != 0 || given->have_mac) {
		*out = *given;
		if (out->ip.family == 0 &&
		    ip_of_mac(v, &out->mac, &out->ip) < 0) {
			char list[160];

			snprintf(out->reason, sizeof(out->reason),
			    "%s (given with --vm) sends no IP traffic in the "
			    "capture; hosts answering echo requests: %s",
			    mt_mac_str(&out->mac, macbuf, sizeof(macbuf)),
			    vmfind_answering(v, list, sizeof(list)));
			return -1;
		}
		if (!out->have_mac && mac_of_ip(v, &out->ip, &out->mac) == 0)
			out->have_mac = 1;
		snprintf(out->reason, sizeof(out->reason), "given with --vm");
		return 0;
	}

	while ((r = htab_next(v->responders, &it, &key)) != NULL) {
		nresp++;
		if (best == NULL || r->replies > best->replies) {
			best = r;
			memcpy(&best_ip, key, sizeof(best_ip));
		}
		if (r->have_mac && announce_get(v->ann, &r->mac, &ai) == 0 &&
		    ai.rarp > 0 &&
		    (best_rarp == NULL || r->replies > best_rarp->replies)) {
			best_rarp = r;
			memcpy(&best_rarp_ip, key, sizeof(best_rarp_ip));
		}
	}
	if (best_rarp != NULL) {
		out->ip = best_rarp_ip;
		out->mac = best_rarp->mac;
		out->have_mac = 1;
		snprintf(out->reason, sizeof(out->reason),
		    "%s answers echo requests (%llu replies) and its MAC %s is "
		    "announced by RARP",
		    mt_addr_str(&out->ip, ipbuf, sizeof(ipbuf)),
		    (unsigned long long)best_rarp->replies,
		    mt_mac_str(&out->mac, macbuf, sizeof(macbuf)));
		return 0;
	}
	/*
	 * RARP is QEMU's own announce of a migrated guest (docs/wire-formats.md):
	 * a host it names is a better guess than one that merely answers
	 * echo requests.
	 */
	if (announce_only_rarp(v->ann, &rarp_mac, &nrarp) == 0) {
		out->mac = rarp_mac;
		out->have_mac = 1;
		if (ip_of_mac(v, &rarp_mac, &out->ip) == 0) {
			snprintf(out->reason, sizeof(out->reason),
			    "%s has the only MAC announced by RARP (%s)%s",
			    mt_addr_str(&out->ip, ipbuf, sizeof(ipbuf)),
			    mt_mac_str(&rarp_mac, macbuf, sizeof(macbuf)),
			    best != NULL ? "; it answers no echo requests" :
			    "; no echo traffic");
			return 0;
		}
		if (best == NULL) {
			snprintf(out->reason, sizeof(out->reason),
			    "no echo traffic; MAC %s is announced by RARP but "
			    "sends no IP traffic",
			    mt_mac_str(&rarp_mac, macbuf, sizeof(macbuf)));
			return -1;
		}
		memset(out, 0, sizeof(*out));
	}
	if (best != NULL) {
		out->ip = best_ip;
		out->mac = best->mac;
		out->have_mac = best->have_mac;
		snprintf(out->reason, sizeof(out->reason),
		    "%s answers the most echo requests (%llu replies, %zu "
		    "host%s answering); no RARP announce of its MAC seen",
		    mt_addr_str(&out->ip, ipbuf, sizeof(ipbuf)),
		    (unsigned long long)best->replies, nresp,
		    nresp == 1 ? "" : "s");
		return 0;
	}
	snprintf(out->reason, sizeof(out->reason), nrarp > 1 ?
	    "no echo replies, and %zu MACs announced by RARP" :
	    "no echo replies and no RARP announce%.0zu", nrarp);
	return -1;
}
