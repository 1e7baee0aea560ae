/*
 * htab.h: an open-addressing hash table with fixed-size keys and values,
 * for the per-host, per-flow and per-probe state of the measures.
 *
 * Keys are compared with memcmp: callers zero their key structs before
 * filling them so padding compares equal. Values live inside the table:
 * a pointer returned by htab_get/htab_put stays valid only until the next
 * htab_put or htab_del on the same table.
 */
#ifndef MT_HTAB_H
#define MT_HTAB_H

#include <stddef.h>

struct htab;

/* A new empty table, or NULL when out of memory. Free with htab_free(). */
struct htab *htab_new(size_t keylen, size_t vallen);
void htab_free(struct htab *t);

/* The value stored under key, or NULL. */
void *htab_get(struct htab *t, const void *key);

/*
 * The value under key, inserted zero-filled if absent (*created set to 1
 * then, 0 otherwise; created may be NULL). NULL when out of memory.
 */
void *htab_put(struct htab *t, const void *key, int *created);

/* Remove key. Return 1 if it was there, 0 if not. */
int htab_del(struct htab *t, const void *key);

/* Remove the entry whose value val is (from htab_get or htab_put, still
 * valid): htab_del without looking the key up again. */
void htab_del_value(struct htab *t, void *val);

size_t htab_count(const struct htab *t);

/*
 * Iterate: start with *iter = 0; returns each value in turn (and its key
 * through *key when key is non-NULL), NULL at the end. No put/del while
 * iterating.
 */
void *htab_next(const struct htab *t, size_t *iter, const void **key);

#endif /* MT_HTAB_H */
