/*
 * budget.h: the downtime budget gates (--max-interruption,
 * --max-blackout), as CI pipelines check one: is the measured
 * interruption, or the part of it in which nobody ran the guest, within a
 * maximum? Works from the report document's keys only and adds one
 * section:
 *   budget.{max_s, measured_s, within}            --max-interruption
 *   budget.blackout.{max_s, measured_s, within, postcopy}   --max-blackout
 * measured_s: interruption.duration_s (for the blackout: a post-copy
 * migration's interruption.blackout_s, a pre-copy one's whole
 * interruption); with several migrations, the worst of migrations[].
 * within: true, false, or null when it cannot be told (no interruption
 * measured although probes were lost, no probes at all, a post-copy gap
 * with no announce to split it); true with measured_s null when the VM
 * answered every probe (no gap longer than --min-gap).
 */
#ifndef MT_BUDGET_H
#define MT_BUDGET_H

#include <stdio.h>

#include <jansson.h>

#include "base/mt.h"

/*
 * Add doc.budget for the maxima given (ns; 0: no such gate, at least one
 * > 0). Return 1 within every budget, 0 over one, -1 when one cannot be
 * told (then the caller fails the gate too: a gate passes only what it
 * could check).
 */
int budget_add_json(json_t *doc, mt_ns max_interruption, mt_ns max_blackout);

/* The text report's "Budget" section, a line per gate; nothing without
 * doc.budget. */
void budget_write_text(const json_t *doc, FILE *f);

#endif /* MT_BUDGET_H */
