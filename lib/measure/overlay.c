/*
 * overlay.c: the VM's outer endpoints, its moves between them and the
 * frames sent to an endpoint it had left (overlay.h). Fixed arrays: a
 * migration adds one endpoint and one move, so the limits are far off.
 */
#include "config.h"

#include <stdlib.h>

#include "measure/overlay.h"

struct overlay {
	int kind, have_vni;
	uint32_t vni;
	struct overlay_endpoint ep[OVERLAY_MAX_ENDPOINTS];
	size_t nep;
	struct overlay_move mv[OVERLAY_MAX_MOVES];
	size_t nmv;
	struct mt_addr cur;	/* the endpoint of the VM's last frame */
	uint64_t dropped;
};

struct overlay *
overlay_new(void)
{
	return calloc(1, sizeof(struct overlay));
}

void
overlay_free(struct overlay *o)
{
	free(o);
}

void
overlay_from_vm(struct overlay *o, const struct pkt *p)
{
	struct overlay_endpoint *e = NULL;

	if (!(p->layers & PKT_L_ENCAP))
		return;
	if (o->kind == PKT_ENCAP_NONE) {
		o->kind = p->outer.kind;
		o->have_vni = (p->layers & PKT_L_VNI) != 0;
		o->vni = p->outer.vni;
	}
	if (o->cur.family != 0 && !mt_addr_eq(&o->cur, &p->outer.src)) {
		if (o->nmv < OVERLAY_MAX_MOVES) {
			struct overlay_move *m = &o->mv[o->nmv++];

			m->from = o->cur;
			m->to = p->outer.src;
			m->at = p->ts;
			m->late = 0;
			m->late_last = MT_NS_NONE;
		} else
			o->dropped++;
	}
	o->cur = p->outer.src;
	for (size_t i = 0; i < o->nep; i++)
		if (mt_addr_eq(&o->ep[i].ip, &p->outer.src)) {
			e = &o->ep[i];
			break;
		}
	if (e == NULL) {
		if (o->nep == OVERLAY_MAX_ENDPOINTS) {
			o->dropped++;
			return;
		}
		e = &o->ep[o->nep++];
		e->ip = p->outer.src;
		e->first = p->ts;
		e->frames = 0;
	}
	e->last = p->ts;
	e->frames++;
}

void
overlay_to_vm(struct overlay *o, const struct pkt *p)
{
	struct overlay_move *m;

	if (!(p->layers & PKT_L_ENCAP) || o->nmv == 0)
		return;
	m = &o->mv[o->nmv - 1];
	if (mt_addr_eq(&p->outer.dst, &m->from)) {
		m->late++;
		m->late_last = p->ts;
	}
}

void
overlay_result(const struct overlay *o, struct overlay_result *r)
{
	r->kind = o->kind;
	r->have_vni = o->have_vni;
	r->vni = o->vni;
	r->ep = o->ep;
	r->nep = o->nep;
	r->moves = o->mv;
	r->nmoves = o->nmv;
	r->dropped = o->dropped;
}
