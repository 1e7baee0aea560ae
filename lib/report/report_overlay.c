/*
 * report_overlay.c: the report's account of the tunnels the VM's frames
 * came through (lib/measure/overlay.h): the "vm" keys encapsulation,
 * vni, endpoints and moves, and the text lines under "VM". Nothing for a
 * bare capture.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

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

/* The integer at key of o (a timestamp, a count), or 0. */
static json_int_t
jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The string at key of o, or "-". */
static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "-";
}

void
overlay_write_text(const json_t *vm, mt_ns first, FILE *f)
{
	const json_t *e, *m, *late, *v;
	const char *kind = json_string_value(json_object_get(vm, "encapsulation"));
	size_t i;

	if (kind == NULL)
		return;
	fprintf(f, "  tunnel                %s", kind);
	if (json_is_integer(json_object_get(vm, "vni")))
		fprintf(f, ", %s %lld", strcmp(kind, "gre") == 0 ? "key" :
		    strcmp(kind, "erspan") == 0 ? "session" : "VNI",
		    (long long)jint(vm, "vni"));
	fputc('\n', f);
	json_array_foreach(json_object_get(vm, "endpoints"), i, e)
		fprintf(f, "  endpoint              %s  %lld frames of the VM, "
		    "%.3f s to %.3f s\n", jstr(e, "ip"), (long long)jint(e, "frames"),
		    (double)(jint(e, "first_ns") - first) / 1e9,
		    (double)(jint(e, "last_ns") - first) / 1e9);
	json_array_foreach(json_object_get(vm, "moves"), i, m) {
		fprintf(f, "  moved                 %s -> %s at %.6f s", jstr(m, "from"),
		    jstr(m, "to"), (double)(jint(m, "at_ns") - first) / 1e9);
		if (json_is_number(v = json_object_get(m, "after_announce_s")))
			fprintf(f, ", %.3f ms after the VM's announce",
			    json_number_value(v) * 1e3);
		if (json_is_number(v = json_object_get(m, "to_first_reply_s")))
			fprintf(f, ", %.3f ms before the first reply after",
			    json_number_value(v) * 1e3);
		fputc('\n', f);
		late = json_object_get(m, "late_learning");
		if (json_is_object(late))
			fprintf(f, "  late learning         %lld frames to the VM "
			    "still sent to %s, for %.3f ms after the move\n",
			    (long long)jint(late, "frames"), jstr(m, "from"),
			    json_number_value(json_object_get(late, "duration_s")) * 1e3);
	}
}
