/*
 * budget.h: the downtime budget gate (--max-interruption), as CI
 * pipelines check one: is the measured interruption within a maximum?
 * Works from the report document's keys only and adds one section:
 *   budget.{max_s, measured_s, within}
 * measured_s: interruption.duration_s; with several migrations, the
 * longest of migrations[].interruption.duration_s. within: true, false,
 * or null when it cannot be told (no interruption measured although
 * probes were lost, or no probes at all); true with measured_s null when
 * the VM answered every probe (no gap longer than --min-gap).
 */
#ifndef MT_BUDGET_H
#define MT_BUDGET_H

#include <stdio.h>

#include <jansson.h>

#include "base/mt.h"

/*
 * Add doc.budget for a maximum of max (ns, > 0). Return 1 within the
 * budget, 0 over it, -1 when it cannot be told (then the caller fails
 * the gate too: a gate passes only what it could check).
 */
int budget_add_json(json_t *doc, mt_ns max);

/* The one line of the text report ("Budget" section); nothing without
 * doc.budget. */
void budget_write_text(const json_t *doc, FILE *f);

#endif /* MT_BUDGET_H */
