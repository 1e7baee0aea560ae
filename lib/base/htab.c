/*
 * htab.c: open addressing with linear probing, and deletion by backward
 * shift (Knuth 6.4, Algorithm R), so there are no tombstones: a table
 * with steady churn (the echo requests waiting for their reply, the
 * flows retired as they go silent) keeps its probe runs as short as its
 * load allows. With tombstones, a day of probes every 10 ms spent a
 * fifth of the analysis probing past dead slots (bench/RESULTS.md).
 *
 * Each slot's full hash sits in a dense array of its own (0: empty), so
 * a probe reads eight bytes and compares a key only when the hashes are
 * equal, and moving or rehashing an entry needs no rehash of its key.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"

#define HASH_FULL	((uint64_t)1 << 63)	/* set in every stored hash */

struct htab {
	size_t keylen, vallen, slotlen;
	size_t cap;		/* slots, a power of two */
	size_t count;		/* full slots */
	uint64_t *hash;		/* cap: 0 (empty) or the key's hash | HASH_FULL */
	unsigned char *slots;	/* cap * slotlen: key, value */
};

/* Keys and values are placed at aligned offsets inside a slot. */
#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static size_t
val_off(const struct htab *t)
{
	return ALIGN8(t->keylen);
}

static unsigned char *
slot(const struct htab *t, size_t i)
{
	return t->slots + i * t->slotlen;
}

/*
 * Eight bytes at a time (keys are 4 to 40 bytes: a flow key is 40), each
 * word folded in with a multiply, then a final mix so linear probing
 * spreads well. Byte-at-a-time FNV-1a was the analyzer's top hot spot:
 * 38 dependent multiplies per flow lookup, on every TCP packet.
 */
static uint64_t
hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w = 0;
	size_t i;

	if (n < 4) {
		for (i = 0; i < n; i++)
			w |= (uint64_t)p[i] << (8 * i);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	} else if (n < 8) {
		/* Two 4-byte loads, overlapping when n < 8 (an echo key is 4
		 * bytes, a MAC 6): no loop over the bytes. */
		uint32_t lo, hi;

		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		w = (uint64_t)hi << 32 | lo;
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	} else {
		for (i = 0; i + 8 <= n; i += 8) {
			memcpy(&w, p + i, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		if (i < n) {	/* the tail: the last 8 bytes, overlapping */
			memcpy(&w, p + n - 8, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
		}
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Equal keys; the sizes the measures use compare without a call. */
static inline int
key_eq(const void *a, const void *b, size_t n)
{
	switch (n) {
	case 4:
		return memcmp(a, b, 4) == 0;	/* echo: id and sequence */
	case 6:
		return memcmp(a, b, 6) == 0;	/* a MAC */
	case 40:
		return memcmp(a, b, 40) == 0;	/* a TCP flow */
	default:
		return memcmp(a, b, n) == 0;
	}
}

struct htab *
htab_new(size_t keylen, size_t vallen)
{
	struct htab *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->keylen = keylen;
	t->vallen = vallen;
	t->slotlen = ALIGN8(keylen) + ALIGN8(vallen);
	t->cap = 16;
	t->hash = calloc(t->cap, sizeof(*t->hash));
	t->slots = calloc(t->cap, t->slotlen);
	if (t->hash == NULL || t->slots == NULL) {
		free(t->hash);
		free(t->slots);
		free(t);
		return NULL;
	}
	return t;
}

void
htab_free(struct htab *t)
{
	if (t == NULL)
		return;
	free(t->hash);
	free(t->slots);
	free(t);
}

/* Index of key's slot (*found 1), or of the empty slot that ends its
 * probe run, where it would go (*found 0). h: its stored hash. */
static size_t
find(const struct htab *t, const void *key, uint64_t h, int *found)
{
	size_t mask = t->cap - 1;
	size_t i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		if (t->hash[i] == 0) {
			*found = 0;
			return i;
		}
		if (t->hash[i] == h && key_eq(slot(t, i), key, t->keylen)) {
			*found = 1;
			return i;
		}
	}
}

static uint64_t
key_hash(const struct htab *t, const void *key)
{
	return hash(key, t->keylen) | HASH_FULL;
}

/* Double the table (at three quarters full). */
static int
grow(struct htab *t)
{
	size_t ncap = t->cap * 2, mask = ncap - 1;
	uint64_t *nh = calloc(ncap, sizeof(*nh));
	unsigned char *ns = calloc(ncap, t->slotlen);

	if (nh == NULL || ns == NULL) {
		free(nh);
		free(ns);
		return -1;
	}
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (t->hash[i] == 0)
			continue;
		for (j = (size_t)t->hash[i] & mask; nh[j] != 0; j = (j + 1) & mask)
			;
		nh[j] = t->hash[i];
		memcpy(ns + j * t->slotlen, slot(t, i), t->slotlen);
	}
	free(t->hash);
	free(t->slots);
	t->hash = nh;
	t->slots = ns;
	t->cap = ncap;
	return 0;
}

void *
htab_get(struct htab *t, const void *key)
{
	int found;
	size_t i = find(t, key, key_hash(t, key), &found);

	return found ? slot(t, i) + val_off(t) : NULL;
}

void *
htab_put(struct htab *t, const void *key, int *created)
{
	uint64_t h = key_hash(t, key);
	unsigned char *s;
	size_t i;
	int found;

	i = find(t, key, h, &found);
	if (!found && (t->count + 1) * 4 > t->cap * 3) {
		if (grow(t) < 0)
			return NULL;
		i = find(t, key, h, &found);
	}
	s = slot(t, i);
	if (created != NULL)
		*created = !found;
	if (!found) {
		t->hash[i] = h;
		memcpy(s, key, t->keylen);
		memset(s + val_off(t), 0, t->vallen);
		t->count++;
	}
	return s + val_off(t);
}

/*
 * Empty slot i. Backward shift: pull later entries of the run into the
 * hole when their home slot does not lie cyclically in (i, j], so that
 * every entry stays reachable from its home without crossing an empty
 * slot.
 */
static void
remove_at(struct htab *t, size_t i)
{
	size_t mask = t->cap - 1, j;

	for (j = (i + 1) & mask; t->hash[j] != 0; j = (j + 1) & mask) {
		size_t home = (size_t)t->hash[j] & mask;

		if (((j - home) & mask) < ((j - i) & mask))
			continue;	/* home in (i, j]: it stays */
		t->hash[i] = t->hash[j];
		memcpy(slot(t, i), slot(t, j), t->slotlen);
		i = j;
	}
	t->hash[i] = 0;
	t->count--;
}

int
htab_del(struct htab *t, const void *key)
{
	int found;
	size_t i = find(t, key, key_hash(t, key), &found);

	if (!found)
		return 0;
	remove_at(t, i);
	return 1;
}

void
htab_del_value(struct htab *t, void *val)
{
	size_t off = (size_t)((unsigned char *)val - t->slots) - val_off(t);

	remove_at(t, off / t->slotlen);
}

size_t
htab_count(const struct htab *t)
{
	return t->count;
}

void *
htab_next(const struct htab *t, size_t *iter, const void **key)
{
	for (; *iter < t->cap; (*iter)++) {
		if (t->hash[*iter] != 0) {
			unsigned char *s = slot(t, (*iter)++);
			if (key != NULL)
				*key = s;
			return s + val_off(t);
		}
	}
	return NULL;
}
