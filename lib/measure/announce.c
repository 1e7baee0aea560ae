/* announce.c: RARP (RFC 903) and gratuitous ARP (RFC 5227) per MAC. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "measure/announce.h"
#include "base/htab.h"

struct announce {
	struct htab *macs;	/* struct mt_mac -> struct announce_info */
};

struct announce *
announce_new(void)
{
	struct announce *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->macs = htab_new(sizeof(struct mt_mac), sizeof(struct announce_info));
	if (a->macs == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
announce_free(struct announce *a)
{
	if (a == NULL)
		return;
	htab_free(a->macs);
	free(a);
}

int
announce_frame(const struct pkt *p, struct mt_mac *mac, int *rarp)
{
	if (!(p->layers & PKT_L_ARP))
		return 0;
	if (p->ethertype == ETHERTYPE_RARP && p->arp_op == 3) {
		/* QEMU fills sender and target hardware address with the
		 * guest's MAC; the frame's source is the same. */
		*mac = p->arp_sha;
		*rarp = 1;
		return 1;
	}
	if (p->ethertype == ETHERTYPE_ARP &&
	    (p->arp_op == 1 || p->arp_op == 2) &&
	    p->arp_spa.family == 4 && mt_addr_eq(&p->arp_spa, &p->arp_tpa)) {
		*mac = p->arp_sha;
		*rarp = 0;
		return 1;
	}
	return 0;
}

int
announce_add(struct announce *a, const struct pkt *p)
{
	struct announce_info *ai;
	struct mt_mac mac;
	int created, rarp;

	if (!announce_frame(p, &mac, &rarp))
		return 0;
	ai = htab_put(a->macs, &mac, &created);
	if (ai == NULL)
		return -1;
	if (created)
		ai->first = ai->first_rarp = MT_NS_NONE;
	if (ai->first == MT_NS_NONE || p->ts < ai->first)
		ai->first = p->ts;
	if (rarp) {
		ai->rarp++;
		if (ai->first_rarp == MT_NS_NONE || p->ts < ai->first_rarp)
			ai->first_rarp = p->ts;
	} else {
		ai->garp++;
		ai->garp_ip = p->arp_spa;
	}
	return 0;
}

int
announce_get(struct announce *a, const struct mt_mac *mac,
    struct announce_info *out)
{
	struct announce_info *ai = htab_get(a->macs, mac);

	if (ai == NULL)
		return -1;
	*out = *ai;
	return 0;
}

int
announce_only_rarp(struct announce *a, struct mt_mac *mac, size_t *n)
{
	size_t it = 0;
	const void *key;
	struct announce_info *ai;

	*n = 0;
	while ((ai = htab_next(a->macs, &it, &key)) != NULL) {
		if (ai->rarp == 0)
			continue;
		if ((*n)++ == 0)
			memcpy(mac, key, sizeof(*mac));
	}
	return *n == 1 ? 0 : -1;
}
