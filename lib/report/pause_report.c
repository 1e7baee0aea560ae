/*
 * pause_report.c: the text of the report's "pause" section: the steps of
 * the pause on one time line, QEMU's own downtime, the devices that took
 * longest on each side, and where the trace and the captures disagree.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "base/jpath.h"
#include "base/mt.h"
#include "report/pause_report.h"

/* Devices listed per side at most. */
#define PAUSE_TEXT_DEVICES	3

static void
devices_text(const json_t *devs, const char *side, FILE *f)
{
	const json_t *d;
	size_t i;
	int shown = 0;

	json_array_foreach(devs, i, d) {
		if (strcmp(json_string_value(json_object_get(d, "side")) ?
		    json_string_value(json_object_get(d, "side")) : "", side) != 0)
			continue;
		if (shown == PAUSE_TEXT_DEVICES)
			break;
		fprintf(f, "%s %s %s %.3f ms", shown ? "," : "",
		    json_string_value(json_object_get(d, "idstr")),
		    json_string_value(json_object_get(d, "type")),
		    jpath_num(d, "us") / 1000.0);
		shown++;
	}
	if (shown == 0)
		fprintf(f, " none traced");
	fputc('\n', f);
}

void
pause_write_text(const json_t *doc, FILE *f)
{
	const json_t *p = json_object_get(doc, "pause"), *s, *t, *x;
	mt_ns t0 = MT_NS_NONE;
	double v;
	size_t i;

	if (!json_is_object(p))
		return;
	fprintf(f, "\nInside the pause (QEMU traces");
	json_array_foreach(json_object_get(p, "traces"), i, t) {
		const char *side = json_string_value(json_object_get(t, "side"));
		fprintf(f, "%s %s: %s", i ? "," : "",
		    json_string_value(json_object_get(t, "file")),
		    side ? side : "no events of this migration");
	}
	fprintf(f, ")\n");
	if (json_array_size(json_object_get(p, "steps")) == 0) {
		fprintf(f, "  nothing to join (see the notes)\n");
		return;
	}
	fprintf(f, "  %-22s %-12s %12s %12s %7s\n", "step", "by", "at (ms)",
	    "took (ms)", "share");
	json_array_foreach(json_object_get(p, "steps"), i, s) {
		mt_ns ns = jpath_ns(s, "ns");

		if (t0 == MT_NS_NONE)
			t0 = ns;
		fprintf(f, "  %-22s %-12s %12.3f", json_string_value(
		    json_object_get(s, "step")), json_string_value(
		    json_object_get(s, "by")), (double)(ns - t0) / MT_NS_PER_MS);
		v = jpath_num(s, "since_previous_s");
		if (isnan(v))
			fprintf(f, " %12s", "");
		else
			fprintf(f, " %12.3f", v * 1000);
		v = jpath_num(s, "share");
		if (isnan(v))
			fprintf(f, " %7s\n", "");
		else
			fprintf(f, " %6.1f%%\n", v * 100);
	}
	v = jpath_num(p, "qemu_downtime_s");
	if (!isnan(v))
		fprintf(f, "  QEMU's downtime (src-downtime-start to "
		    "src-downtime-end): %.3f ms\n", v * 1000);
	x = json_object_get(p, "resumed_by");
	if (json_is_string(x))
		fprintf(f, "  guest resumed: %s\n", strcmp(json_string_value(x),
		    "runstate") == 0 ? "the destination's runstate change to "
		    "running (traced)" : "the first announce on the wire (no "
		    "runstate_set traced)");
	fprintf(f, "  longest on the source:");
	devices_text(json_object_get(p, "devices"), "source", f);
	fprintf(f, "  longest on the destination:");
	devices_text(json_object_get(p, "devices"), "destination", f);
	json_array_foreach(json_object_get(p, "disagreements"), i, x)
		fprintf(f, "  disagreement: %s\n", json_string_value(x));
}

/* Short names of the phase that ends at each step, for the chart. */
static const char *
phase_label(const char *step)
{
	static const char *const map[][2] = {
		{ "guest stopped", "to stop" },
		{ "RAM remainder saved", "RAM" },
		{ "device state saved", "devices" },
		{ "stream's last bytes", "drain" },
		{ "destination loaded", "load" },
		{ "guest resumed", "resume" },
		{ "first reply after", "network" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(step, map[i][0]) == 0)
			return map[i][1];
	return step;
}

size_t
pause_write_bar(const json_t *doc, FILE *f, double *total_ms)
{
	const json_t *steps = jpath(doc, "pause.steps"), *s;
	mt_ns t0 = MT_NS_NONE, prev = MT_NS_NONE;
	size_t i, rows = 0;

	*total_ms = NAN;
	if (json_array_size(steps) < 2)
		return 0;
	fprintf(f, "# phase\tstart_ms\tend_ms\tby\tlabel  (ms since the "
	    "first step; by: wire, source, destination)\n");
	json_array_foreach(steps, i, s) {
		mt_ns ns = jpath_ns(s, "ns");
		const char *step = json_string_value(json_object_get(s, "step"));
		const char *by = json_string_value(json_object_get(s, "by"));

		if (ns == MT_NS_NONE || step == NULL || by == NULL)
			continue;
		if (t0 == MT_NS_NONE)
			t0 = ns;
		else {
			fprintf(f, "%zu\t%.6f\t%.6f\t%s\t\"%s\"\n", rows + 1,
			    (double)(prev - t0) / MT_NS_PER_MS,
			    (double)(ns - t0) / MT_NS_PER_MS, by,
			    phase_label(step));
			rows++;
		}
		prev = ns;
	}
	if (rows > 0)
		*total_ms = (double)(prev - t0) / MT_NS_PER_MS;
	return rows;
}
