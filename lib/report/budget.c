/*
 * budget.c: the --max-interruption and --max-blackout gates, from the
 * report document.
 */
#include "config.h"

#include <math.h>

#include "base/jpath.h"
#include "report/budget.h"

/* The whole interruption of one interruption object, in s; NaN if none. */
static double
interruption_s(const json_t *it)
{
	return jpath_num(it, "duration_s");
}

/*
 * Its blackout: a post-copy migration's blackout_s (null when no announce
 * split its gap: NaN, not judged); a pre-copy migration has no brownout,
 * nobody runs the guest until it answers again: the whole interruption.
 */
static double
blackout_s(const json_t *it)
{
	const json_t *b = json_object_get(it, "blackout_s");

	if (b != NULL)
		return json_is_number(b) ? json_number_value(b) : NAN;
	return interruption_s(it);
}

/* The figure checked: with several migrations, the worst of them. */
static double
measured_s(const json_t *doc, double (*of)(const json_t *), int *postcopy)
{
	const json_t *migs = json_object_get(doc, "migrations");
	double worst = NAN;
	size_t i;
	json_t *m;

	*postcopy = json_object_get(json_object_get(doc, "interruption"),
	    "blackout_s") != NULL;
	if (json_array_size(migs) > 1) {
		json_array_foreach(migs, i, m) {
			const json_t *it = json_object_get(m, "interruption");
			double d = of(it);

			*postcopy |= json_object_get(it, "blackout_s") != NULL;
			if (isfinite(d) && !(d <= worst))
				worst = d;
		}
		if (isfinite(worst))
			return worst;
	}
	return of(json_object_get(doc, "interruption"));
}

/* One gate: {max_s, measured_s, within}; 1 within, 0 over, -1 not told. */
static int
gate(const json_t *doc, mt_ns max, double m, json_t **out)
{
	double max_s = (double)max / 1e9;
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
	*out = json_pack("{s:f, s:o, s:o}", "max_s", max_s, "measured_s",
	    isfinite(m) ? json_real(m) : json_null(), "within", within);
	return r;
}

/* Both gates: the worse result (-1 before 0 before 1). */
static int
worse(int a, int b)
{
	return a < b ? a : b;
}

int
budget_add_json(json_t *doc, mt_ns max_interruption, mt_ns max_blackout)
{
	json_t *b = json_object(), *g;
	int r = 1, pc;

	if (max_interruption > 0) {
		r = worse(r, gate(doc, max_interruption,
		    measured_s(doc, interruption_s, &pc), &g));
		json_object_update(b, g);
		json_decref(g);
	}
	if (max_blackout > 0) {
		r = worse(r, gate(doc, max_blackout,
		    measured_s(doc, blackout_s, &pc), &g));
		json_object_set_new(g, "postcopy", json_boolean(pc));
		json_object_set_new(b, "blackout", g);
	}
	json_object_set_new(doc, "budget", b);
	return r;
}

/* One gate's line. */
static void
gate_text(const json_t *doc, const json_t *g, const char *what, FILE *f)
{
	const json_t *w = json_object_get(g, "within");
	double max = jpath_num(g, "max_s"), m = jpath_num(g, "measured_s");

	if (json_is_null(w))
		fprintf(f, "  %s: not judged: no %s measured (see the notes); "
		    "the gate fails\n", what, what);
	else if (!isfinite(m))
		fprintf(f, "  %s: within budget: no gap in the echo replies "
		    "longer than --min-gap (%.3f ms), max %.3f ms\n", what,
		    jpath_num(doc, "interruption.min_gap_s") * 1e3, max * 1e3);
	else
		fprintf(f, "  %s: %s budget: %.3f ms %s %.3f ms\n", what,
		    json_is_true(w) ? "within" : "over", m * 1e3,
		    json_is_true(w) ? "<=" : ">", max * 1e3);
}

void
budget_write_text(const json_t *doc, FILE *f)
{
	const json_t *b = json_object_get(doc, "budget");
	const json_t *bo = json_object_get(b, "blackout");

	if (b == NULL)
		return;
	fprintf(f, "\nBudget\n");
	if (json_object_get(b, "within") != NULL)
		gate_text(doc, b, "interruption", f);
	if (bo != NULL) {
		gate_text(doc, bo, "blackout", f);
		if (!json_is_true(json_object_get(bo, "postcopy")))
			fprintf(f, "  (pre-copy: no brownout, the blackout is the "
			    "whole interruption)\n");
	}
}
