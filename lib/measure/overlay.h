/*
 * overlay.h: where the VM's frames came from when the capture holds them
 * in tunnels (PKT_L_ENCAP, lib/input/decap.h): the outer endpoints
 * (VTEPs, GRE or ERSPAN peers) behind which the VM's own frames were
 * seen, its moves from one to another, and after each move the frames
 * to the VM still sent to the endpoint it left (a network that learned
 * the new home late).
 *
 * The caller tells which records are the VM's (overlay_from_vm: its
 * replies, its announces, anything it sent) and which were sent to it
 * (overlay_to_vm); bare records are ignored.
 *
 * Ownership: overlay_new() returns an object freed with overlay_free()
 * (NULL is fine); overlay_result() points into it.
 */
#ifndef MT_OVERLAY_H
#define MT_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include "base/mt.h"
#include "input/pkt.h"

/* Endpoints and moves kept at most (a flood of addresses must not grow
 * memory): later ones are counted in 'dropped'. */
#define OVERLAY_MAX_ENDPOINTS	64
#define OVERLAY_MAX_MOVES	256

struct overlay_endpoint {
	struct mt_addr ip;		/* outer source address of the VM's frames */
	mt_ns first, last;		/* first and last of them */
	uint64_t frames;
};

/*
 * A move: the first frame of the VM behind another endpoint than its
 * previous frame's. Then the frames to the VM still sent to 'from'
 * (outer destination) until the next move: 'late' of them, the last at
 * late_last (MT_NS_NONE if none).
 */
struct overlay_move {
	struct mt_addr from, to;
	mt_ns at;
	uint64_t late;
	mt_ns late_last;
};

struct overlay_result {
	int kind;		/* enum pkt_encap of the VM's first tunnelled
				 * frame; PKT_ENCAP_NONE: none seen */
	int have_vni;
	uint32_t vni;		/* its VNI, GRE key or ERSPAN session */
	const struct overlay_endpoint *ep;	/* by first frame */
	size_t nep;
	const struct overlay_move *moves;	/* in time order */
	size_t nmoves;
	uint64_t dropped;	/* endpoints or moves past the limits */
};

struct overlay *overlay_new(void);
void overlay_free(struct overlay *o);

/* A frame the VM sent (records in time order). */
void overlay_from_vm(struct overlay *o, const struct pkt *p);

/* A frame sent to the VM. */
void overlay_to_vm(struct overlay *o, const struct pkt *p);

/* What was seen; valid until the next call on o or overlay_free(). */
void overlay_result(const struct overlay *o, struct overlay_result *r);

#endif /* MT_OVERLAY_H */
