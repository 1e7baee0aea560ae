/*
 * modes_report.c: the keys of the report document that say how a
 * migration moved the VM (modes.c): transport, channels, post-copy,
 * storage copy, outcome, and a post-copy interruption's blackout and
 * brownout. Documented in migtrace-analyze(1).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analysis/analysis_int.h"
#include "report/modes_report.h"
#include "report/report.h"

static json_t *
ns_or_null(mt_ns t)
{
	return t == MT_NS_NONE ? json_null() : json_integer(t);
}

static json_t *
s_or_null(mt_ns d)
{
	return d == MT_NS_NONE ? json_null() : json_real((double)d / 1e9);
}

/* One entry per connection carrying m (all migrations if m is NULL). */
static json_t *
channels_json(const struct analysis *a, const struct migration *m)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *d = &a->dirs[i];
		char s[64], t[64];

		if (!d->migration || (m != NULL && !modes_in(m, d)))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:I, s:I, s:b}",
		    "role", modes_role(a, d),
		    "by", d->by_port ? "port" : "content",
		    "src", mt_addr_str(&d->src, s, sizeof(s)), "sport", d->sport,
		    "dst", mt_addr_str(&d->dst, t, sizeof(t)), "dport", d->dport,
		    "bytes", (json_int_t)d->bytes,
		    "first_ns", (json_int_t)d->first_data,
		    "last_ns", (json_int_t)d->last_data,
		    "by_volume", d->walked && d->walk.volume > 0));
	}
	return arr;
}

void
modes_json_add(const struct analysis *a, const struct migration *m,
    int top, json_t *o)
{
	const struct mig_modes *mo = m != NULL ? &m->mo : NULL;

	json_object_set_new(o, "transport", json_string(mo != NULL ?
	    mo->transport : "unknown"));
	json_object_set_new(o, "channels", channels_json(a, top ? NULL : m));
	if (mo != NULL && mo->postcopy)
		json_object_set_new(o, "postcopy", json_pack("{s:o, s:I, s:o, s:I}",
		    "start_ns", ns_or_null(mo->pc_start),
		    "page_requests", (json_int_t)mo->pc_requests,
		    "last_request_ns", ns_or_null(mo->pc_last),
		    "bytes_after_start", (json_int_t)mo->pc_bytes_after));
	if (mo != NULL && mo->st_channels > 0)
		json_object_set_new(o, "storage", json_pack("{s:I, s:o, s:o, s:i}",
		    "bytes", (json_int_t)mo->st_bytes,
		    "first_ns", ns_or_null(mo->st_first),
		    "last_ns", ns_or_null(mo->st_last),
		    "channels", (int)mo->st_channels));
	json_object_set_new(o, "outcome", json_string(mo != NULL ?
	    mo->outcome : "unknown"));
	json_object_set_new(o, "link_share", m == NULL ? json_null() :
	    json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "migration", (json_int_t)m->share[SHARE_MIGRATION],
	    "storage", (json_int_t)m->share[SHARE_STORAGE],
	    "libvirt_rpc", (json_int_t)m->share[SHARE_RPC],
	    "nfs", (json_int_t)m->share[SHARE_NFS],
	    "other", (json_int_t)m->share[SHARE_OTHER]));
}

void
modes_interruption_add(const struct migration *m, const struct echo_gap *g,
    json_t *o)
{
	if (m == NULL || !m->mo.postcopy || g == NULL || m->gap != g)
		return;
	json_object_set_new(o, "blackout_s", s_or_null(m->mo.blackout));
	json_object_set_new(o, "brownout_s", s_or_null(m->mo.brownout));
}

void
modes_libvirt_outcome_add(json_t *doc, const char *status, const char *source)
{
	json_t *mig = json_object_get(doc, "migration");
	const char *pk;
	char buf[1024];

	if (!json_is_object(mig))
		return;
	if (status == NULL) {
		json_object_set_new(mig, "libvirt_outcome", json_null());
		return;
	}
	json_object_set_new(mig, "libvirt_outcome", json_pack("{s:s, s:s}",
	    "status", status, "source", source != NULL ? source : ""));
	pk = json_string_value(json_object_get(mig, "outcome"));
	if (pk == NULL || strcmp(pk, "unknown") == 0)
		return;
	if (strcmp(pk, "completed") == 0 && strcmp(status, "completed") != 0)
		snprintf(buf, sizeof(buf), "outcome: the packets show a "
		    "switchover (the destination announced the VM, which "
		    "answered from there) but libvirt says %s (%s): a job "
		    "that failed after the switchover, or captures of another "
		    "migration", status, source != NULL ? source : "");
	else if (strcmp(pk, "aborted") == 0 && strcmp(status, "completed") == 0)
		snprintf(buf, sizeof(buf), "outcome: the packets show no "
		    "switchover (no announce from the destination; the VM "
		    "kept answering) but libvirt says completed (%s): captures "
		    "that miss the destination's network, or of another "
		    "migration", source != NULL ? source : "");
	else
		return;
	report_add_note(doc, buf);
}
