/*
 * modes_report.h: the report document's keys for how a migration moved
 * (transport, channels, postcopy, storage, outcome; blackout/brownout).
 */
#ifndef MT_MODES_REPORT_H
#define MT_MODES_REPORT_H

#include <jansson.h>

struct analysis;
struct migration;
struct echo_gap;

/* Add transport, channels, postcopy, storage and outcome to o: of m (NULL:
 * no migration); top: channels of every migration, not only m's. */
void modes_json_add(const struct analysis *a, const struct migration *m,
    int top, json_t *o);

/* Add blackout_s and brownout_s to the interruption object o when it is
 * gap g of m and m is a post-copy migration; nothing otherwise. */
void modes_interruption_add(const struct migration *m,
    const struct echo_gap *g, json_t *o);

/*
 * libvirt's word on how the migration ended (status "completed",
 * "failed" or "cancelled", source: where it was read; NULL status: no
 * word): migration.libvirt_outcome {status, source} or null, and a note
 * when it contradicts migration.outcome (the packets' word).
 */
void modes_libvirt_outcome_add(json_t *doc, const char *status,
    const char *source);

#endif /* MT_MODES_REPORT_H */
