/*
 * report_overlay.c: the report's account of the tunnels the VM's frames
 * came through (lib/measure/overlay.h): the "vm" keys encapsulation,
 * vni, endpoints and moves, and the text lines under "VM". Nothing for a
 * bare capture.
 */
#include "config.h"

#include <stdio.h>

#include "analysis/analysis_int.h"
#include "report/report_overlay.h"

/* The reply gap holding t (start < t <= end), or NULL. */
static const struct echo_gap *
gap_of(const struct analysis *a, mt_ns t)
{
	for (size_t i = 0; a->vm_found && i < a->er.ngaps; i++)
		if (a->er.gaps[i].start < t && t <= a->er.gaps[i].end)
			return &a->er.gaps[i];
	return NULL;
}

/* The VM's last announce at or before t (its first frame behind the
 * new endpoint is the destination's first announce), or MT_NS_NONE. */
static mt_ns
announce_before(const struct analysis *a, mt_ns t)
{
	mt_ns best = MT_NS_NONE;

	for (size_t i = 0; i < a->nvm_ann; i++)
		if (a->vm_ann[i] <= t && (best == MT_NS_NONE || a->vm_ann[i] > best))
			best = a->vm_ann[i];
	return best;
}

static json_t *
addr_json(const struct mt_addr *x)
{
	char buf[64];

	return json_string(mt_addr_str(x, buf, sizeof(buf)));
}

static json_t *
s_json(mt_ns d)
{
	return d == MT_NS_NONE ? json_null() : json_real((double)d / 1e9);
}

void
overlay_vm_json(const struct analysis *a, json_t *vm)
{
	const struct overlay_result *r = &a->ovr;
	json_t *eps, *mvs;

	if (a->ov == NULL || r->kind == PKT_ENCAP_NONE)
		return;
	eps = json_array();
	mvs = json_array();
	json_object_set_new(vm, "encapsulation",
	    json_string(pkt_encap_name(r->kind)));
	json_object_set_new(vm, "vni", r->have_vni ?
	    json_integer(r->vni) : json_null());
	for (size_t i = 0; i < r->nep; i++)
		json_array_append_new(eps, json_pack("{s:o, s:I, s:I, s:I}",
		    "ip", addr_json(&r->ep[i].ip),
		    "first_ns", (json_int_t)r->ep[i].first,
		    "last_ns", (json_int_t)r->ep[i].last,
		    "frames", (json_int_t)r->ep[i].frames));
	for (size_t i = 0; i < r->nmoves; i++) {
		const struct overlay_move *m = &r->moves[i];
		const struct echo_gap *g = gap_of(a, m->at);
		mt_ns ann = announce_before(a, m->at);

		json_array_append_new(mvs, json_pack("{s:o, s:o, s:I, s:o, s:o, s:o}",
		    "from", addr_json(&m->from), "to", addr_json(&m->to),
		    "at_ns", (json_int_t)m->at,
		    "after_announce_s", s_json(ann == MT_NS_NONE ?
		    MT_NS_NONE : m->at - ann),
		    "to_first_reply_s", s_json(g == NULL ? MT_NS_NONE :
		    g->end - m->at),
		    "late_learning", m->late == 0 ? json_null() :
		    json_pack("{s:I, s:I, s:o}",
		    "frames", (json_int_t)m->late,
		    "last_ns", (json_int_t)m->late_last,
		    "duration_s", s_json(m->late_last - m->at))));
	}
	json_object_set_new(vm, "endpoints", eps);
	json_object_set_new(vm, "moves", mvs);
}

void
overlay_write_text(const struct analysis *a, FILE *f)
{
	const struct overlay_result *r = &a->ovr;
	char b1[64], b2[64];

	if (a->ov == NULL || r->kind == PKT_ENCAP_NONE)
		return;
	fprintf(f, "  tunnel                %s", pkt_encap_name(r->kind));
	if (r->have_vni)
		fprintf(f, ", %s %lu", r->kind == PKT_ENCAP_GRE ? "key" :
		    r->kind == PKT_ENCAP_ERSPAN ? "session" : "VNI",
		    (unsigned long)r->vni);
	fputc('\n', f);
	for (size_t i = 0; i < r->nep; i++)
		fprintf(f, "  endpoint              %s  %llu frames of the VM, "
		    "%.3f s to %.3f s\n", mt_addr_str(&r->ep[i].ip, b1, sizeof(b1)),
		    (unsigned long long)r->ep[i].frames,
		    (double)(r->ep[i].first - a->first_ts) / 1e9,
		    (double)(r->ep[i].last - a->first_ts) / 1e9);
	for (size_t i = 0; i < r->nmoves; i++) {
		const struct overlay_move *m = &r->moves[i];
		const struct echo_gap *g = gap_of(a, m->at);
		mt_ns ann = announce_before(a, m->at);

		fprintf(f, "  moved                 %s -> %s at %.6f s",
		    mt_addr_str(&m->from, b1, sizeof(b1)),
		    mt_addr_str(&m->to, b2, sizeof(b2)),
		    (double)(m->at - a->first_ts) / 1e9);
		if (ann != MT_NS_NONE)
			fprintf(f, ", %.3f ms after the VM's announce",
			    (double)(m->at - ann) / 1e6);
		if (g != NULL)
			fprintf(f, ", %.3f ms before the first reply after",
			    (double)(g->end - m->at) / 1e6);
		fputc('\n', f);
		if (m->late > 0)
			fprintf(f, "  late learning         %llu frames to the VM "
			    "still sent to %s, for %.3f ms after the move\n",
			    (unsigned long long)m->late, b1,
			    (double)(m->late_last - m->at) / 1e6);
	}
}
