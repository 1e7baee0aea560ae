/*
 * jpath.h: read a report document by the dotted key names the man page
 * documents ("interruption.duration_s"), the way jq's .a.b does; and
 * write a number the way every document does.
 */
#ifndef MT_JPATH_H
#define MT_JPATH_H

#include <jansson.h>

#include "base/mt.h"

/* The value at path, or NULL when a part is missing or not an object. */
json_t *jpath(const json_t *doc, const char *path);

/* The number at path, or NaN when absent, null or not a number. */
double jpath_num(const json_t *doc, const char *path);

/*
 * The timestamp (integer ns) at path, or MT_NS_NONE. A real is accepted
 * and rounded (a document edited by another tool), if in range.
 */
mt_ns jpath_ns(const json_t *doc, const char *path);

/* A JSON real, or null for NaN and infinities (which JSON lacks): a new
 * reference. */
json_t *mt_json_num(double v);

#endif /* MT_JPATH_H */
