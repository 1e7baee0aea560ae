/*
 * manifest.c: DIR/manifest.json, what a capture was and how it went:
 * host, program version, start and end (ns), the status and why it
 * stopped, the factors of the run (--factor), and per interface its
 * role, filter, snaplen, buffer, link type, packets written and the
 * kernel's counters; the prober's and libvirt's results when used.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

#define MANIFEST_FORMAT		"migtrace-capture"
#define MANIFEST_VERSION	1

const char *
cap_stop_name(enum cap_stop s)
{
	switch (s) {
	case CAP_STOP_NONE:		return "none";
	case CAP_STOP_SIGNAL:		return "signal";
	case CAP_STOP_DURATION:		return "duration";
	case CAP_STOP_MIGRATION:	return "migration-end";
	case CAP_STOP_DISK_FULL:	return "disk-full";
	case CAP_STOP_WRITE_ERROR:	return "write-error";
	case CAP_STOP_CAPTURE_ERROR:	return "capture-error";
	}
	return "unknown";
}

static json_t *
iface_json(const struct cap_iface *ifc)
{
	const char *lt = pcap_datalink_val_to_name(ifc->dlt);
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:i, s:s, s:s, s:I, s:I}",
	    "role", iface_role_name(ifc->role),
	    "interface", ifc->name,
	    "file", ifc->file,
	    "filter", ifc->filter,
	    "snaplen", ifc->snaplen,
	    "buffer_bytes", (json_int_t)ifc->buffer_kib * 1024,
	    "dlt", ifc->dlt,
	    "link_type", lt ? lt : "unknown",
	    "tstamp_precision", "nano",
	    "packets", (json_int_t)ifc->flushed_count,
	    "wire_bytes", (json_int_t)ifc->wire_bytes);
	if (ifc->have_stats) {
		json_object_set_new(o, "ps_recv", json_integer(ifc->st.ps_recv));
		json_object_set_new(o, "ps_drop", json_integer(ifc->st.ps_drop));
		json_object_set_new(o, "ps_ifdrop",
		    json_integer(ifc->st.ps_ifdrop));
	} else {
		json_object_set_new(o, "ps_recv", json_null());
		json_object_set_new(o, "ps_drop", json_null());
		json_object_set_new(o, "ps_ifdrop", json_null());
		if (ifc->stats_err[0])
			json_object_set_new(o, "stats_error",
			    json_string(ifc->stats_err));
	}
	if (ifc->werr)
		json_object_set_new(o, "write_error",
		    json_string(strerror(ifc->werr)));
	return o;
}

json_t *
manifest_json(const struct cap_run *run)
{
	const struct cap_opts *o = run->o;
	char host[256];
	json_t *m, *ifs, *cmd;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	cmd = json_array();
	for (int i = 0; i < o->argc; i++)
		json_array_append_new(cmd, json_string(o->argv[i]));
	m = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o}",
	    "format", MANIFEST_FORMAT,
	    "version", MANIFEST_VERSION,
	    "program", CAP_PROG,
	    "program_version", PACKAGE_VERSION,
	    "host", host,
	    "command", cmd);
	json_object_set_new(m, "start_ns", json_integer(run->start));
	json_object_set_new(m, "end_ns", run->end == MT_NS_NONE ? json_null() :
	    json_integer(run->end));
	json_object_set_new(m, "status", json_string(run->status));
	json_object_set_new(m, "stop_reason",
	    json_string(cap_stop_name(run->stop)));
	if (run->error != NULL)
		json_object_set_new(m, "error", json_string(run->error));
	json_object_set_new(m, "uid", json_integer((json_int_t)run->uid));
	/* The analyzer takes the VM from here (one pass, not two). */
	json_object_set_new(m, "vm", o->vm != NULL ? json_string(o->vm) :
	    json_null());
	json_object_set_new(m, "duration_limit_ns", o->duration > 0 ?
	    json_integer(o->duration) : json_null());
	json_object_set(m, "factors", o->factors);
	ifs = json_array();
	for (int i = 0; i < o->nifs; i++)
		json_array_append_new(ifs, iface_json(&o->ifs[i]));
	json_object_set_new(m, "interfaces", ifs);
	if (run->probe != NULL)
		json_object_set_new(m, "probe", probe_json(run->probe));
	if (run->virt != NULL)
		json_object_set_new(m, "libvirt", virt_manifest_json(run->virt));
	return m;
}
