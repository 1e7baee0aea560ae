/* budget.c: the --max-interruption gate, from the report document. */
#include "config.h"

#include <math.h>

#include "base/jpath.h"
#include "report/budget.h"

/* The interruption the budget is checked against, in s; NaN if none. */
static double
measured_s(const json_t *doc)
{
	const json_t *migs = json_object_get(doc, "migrations");
	double worst = NAN;
	size_t i;
	json_t *m;

	if (json_array_size(migs) > 1) {
		json_array_foreach(migs, i, m) {
			double d = jpath_num(m, "interruption.duration_s");

			if (isfinite(d) && !(d <= worst))
				worst = d;
		}
		if (isfinite(worst))
			return worst;
	}
	return jpath_num(doc, "interruption.duration_s");
}

int
budget_add_json(json_t *doc, mt_ns max)
{
	double max_s = (double)max / 1e9, m = measured_s(doc);
	double sent = jpath_num(doc, "interruption.probes_sent");
	double lost = jpath_num(doc, "interruption.probes_lost");
	json_t *within;
	int r;

	if (isfinite(m)) {
		r = m <= max_s;
		within = json_boolean(r);
	} else if (sent > 0 && lost == 0) {
		r = 1;		/* every probe answered: no gap above --min-gap */
		within = json_true();
	} else {
		r = -1;
		within = json_null();
	}
	json_object_set_new(doc, "budget", json_pack("{s:f, s:o, s:o}",
	    "max_s", max_s, "measured_s", isfinite(m) ? json_real(m) :
	    json_null(), "within", within));
	return r;
}

void
budget_write_text(const json_t *doc, FILE *f)
{
	const json_t *b = json_object_get(doc, "budget");
	const json_t *w = json_object_get(b, "within");
	double max = jpath_num(b, "max_s"), m = jpath_num(b, "measured_s");

	if (b == NULL)
		return;
	fprintf(f, "\nBudget (--max-interruption)\n");
	if (json_is_null(w))
		fprintf(f, "  not judged: no interruption measured (see the "
		    "notes); the gate fails\n");
	else if (!isfinite(m))
		fprintf(f, "  within budget: no gap in the echo replies longer "
		    "than --min-gap (%.3f ms), max %.3f ms\n",
		    jpath_num(doc, "interruption.min_gap_s") * 1e3, max * 1e3);
	else
		fprintf(f, "  %s budget: %.3f ms %s %.3f ms\n",
		    json_is_true(w) ? "within" : "over", m * 1e3,
		    json_is_true(w) ? "<=" : ">", max * 1e3);
}
