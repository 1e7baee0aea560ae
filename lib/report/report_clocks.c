/*
 * report_clocks.c: the clocks of a run whose captures several hosts
 * stamped (--host): the report document's "clocks" and the
 * interruption's host fields, filled from the analysis, and the text
 * report's Clocks table, rendered from the document (report.h); what
 * the numbers are: lib/input/clock.h, docs/clocks.md.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis_int.h"
#include "base/jpath.h"
#include "report/report.h"

static const char *
how_name(enum clk_how h)
{
	switch (h) {
	case CLK_REFERENCE: return "reference";
	case CLK_ESTIMATED: return "measured";
	case CLK_GIVEN: return "given";
	default: return "unknown";
	}
}

static json_t *
ns_or_null(mt_ns t)
{
	return t == MT_NS_NONE ? json_null() : json_integer(t);
}

json_t *
report_clocks_json(const struct analysis *a)
{
	const struct analysis_clocks *ck = a->ck;
	json_t *arr;

	if (ck == NULL)
		return json_null();
	arr = json_array();
	for (int i = 0; i < a->nfiles; i++) {
		const struct clk_result *r = &ck->res[i];
		int known = r->how != CLK_UNKNOWN;

		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, "
		    "s:o, s:o, s:I, s:o}",
		    "file", a->inputs[i].path,
		    "host", ck->plan.name[ck->plan.host_of[i]],
		    "how", how_name(r->how),
		    "offset_ns", known ? json_integer(r->offset) : json_null(),
		    "uncertainty_ns", ns_or_null(known ? r->uncertainty : MT_NS_NONE),
		    "drift_ppm", r->how == CLK_ESTIMATED ? json_real(r->drift * 1e6) :
		    json_null(),
		    "via", r->via >= 0 ? json_string(ck->plan.name[r->via]) : json_null(),
		    "pairs", (json_int_t)r->pairs,
		    "copies", a->copies != NULL ? json_integer((json_int_t)
		    a->copies[i]) : json_integer(0)));
	}
	return arr;
}

void
report_clocks_interruption(const struct analysis *a, json_t *o)
{
	const struct analysis_clocks *ck = a->ck;
	int have = ck != NULL && ck->src_host >= 0;

	json_object_set_new(o, "source_host", have ?
	    json_string(ck->plan.name[ck->src_host]) : json_null());
	json_object_set_new(o, "source_last_frame_ns", have ?
	    ns_or_null(ck->src_last) : json_null());
	json_object_set_new(o, "destination_host", have ?
	    json_string(ck->plan.name[ck->dst_host]) : json_null());
	json_object_set_new(o, "destination_first_frame_ns", have ?
	    ns_or_null(ck->dst_first) : json_null());
}

static double
ms(mt_ns d)
{
	return (double)d / 1e6;
}

/*
 * The Clocks table, from the document alone (report_text.c's rule): one
 * line per file, then the pause as the hosts saw it.
 */
void
report_clocks_text(const json_t *doc, FILE *f)
{
	const json_t *arr = json_object_get(doc, "clocks"), *c;
	const char *ref = NULL, *sh, *dh;
	char off[32], unc[32];
	mt_ns s, d;
	size_t i;

	if (!json_is_array(arr))
		return;
	json_array_foreach(arr, i, c)
		if (strcmp(json_string_value(json_object_get(c, "how")),
		    "reference") == 0)
			ref = json_string_value(json_object_get(c, "host"));
	fprintf(f, "\nClocks (all times on host %s's; offset: added to the "
	    "file's timestamps)\n", ref != NULL ? ref : "?");
	fprintf(f, "  %-32s %-10s %14s %12s %9s  %-10s %s\n", "file", "host",
	    "offset", "+/-", "pairs", "via", "how");
	json_array_foreach(arr, i, c) {
		mt_ns o = jpath_ns(c, "offset_ns"), u = jpath_ns(c, "uncertainty_ns");
		const char *how = json_string_value(json_object_get(c, "how"));
		const char *via = json_string_value(json_object_get(c, "via"));
		double drift = jpath_num(c, "drift_ppm");

		if (o == MT_NS_NONE)
			snprintf(off, sizeof(off), "%14s", "?");
		else
			snprintf(off, sizeof(off), "%+11.3f ms", ms(o));
		if (strcmp(how, "measured") == 0 && u != MT_NS_NONE)
			snprintf(unc, sizeof(unc), "%9.3f ms", ms(u));
		else
			snprintf(unc, sizeof(unc), "%12s", "-");
		fprintf(f, "  %-32s %-10s %14s %12s %9lld  %-10s %s",
		    json_string_value(json_object_get(c, "file")),
		    json_string_value(json_object_get(c, "host")), off, unc,
		    (long long)json_integer_value(json_object_get(c, "pairs")),
		    via != NULL ? via : "-", how);
		if (!isnan(drift) && drift != 0)
			fprintf(f, ", drift %+.3f ppm", drift);
		fputc('\n', f);
	}
	sh = json_string_value(jpath(doc, "interruption.source_host"));
	dh = json_string_value(jpath(doc, "interruption.destination_host"));
	s = jpath_ns(doc, "interruption.source_last_frame_ns");
	d = jpath_ns(doc, "interruption.destination_first_frame_ns");
	if (sh != NULL && dh != NULL && s != MT_NS_NONE && d != MT_NS_NONE)
		fprintf(f, "  the VM's last frame leaving %s to its first leaving "
		    "%s: %.3f ms\n", sh, dh, ms(d - s));
}
