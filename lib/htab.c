/* htab.c: open addressing with linear probing and tombstones. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"

enum { SLOT_EMPTY = 0, SLOT_FULL = 1, SLOT_DEAD = 2 };

struct htab {
	size_t keylen, vallen, slotlen;
	size_t cap;		/* slots, a power of two */
	size_t count;		/* full slots */
	size_t used;		/* full + dead slots */
	unsigned char *slots;	/* cap * slotlen: state byte, key, value */
};

/* Keys and values are placed at aligned offsets inside a slot. */
#define ALIGN8(x) (((x) + 7) & ~(size_t)7)
#define KEY_OFF 8
#define TAG_OFF 4	/* 32 bits of the key's hash: most misses skip memcmp */

static size_t
val_off(const struct htab *t)
{
	return KEY_OFF + ALIGN8(t->keylen);
}

static unsigned char *
slot(const struct htab *t, size_t i)
{
	return t->slots + i * t->slotlen;
}

/*
 * Eight bytes at a time (keys are 4 to 38 bytes: a flow key is 38), each
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

	if (n < 8) {
		for (i = 0; i < n; i++)
			w |= (uint64_t)p[i] << (8 * i);
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

struct htab *
htab_new(size_t keylen, size_t vallen)
{
	struct htab *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->keylen = keylen;
	t->vallen = vallen;
	t->slotlen = KEY_OFF + ALIGN8(keylen) + ALIGN8(vallen);
	t->cap = 16;
	t->slots = calloc(t->cap, t->slotlen);
	if (t->slots == NULL) {
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
	free(t->slots);
	free(t);
}

/* Index of key's slot, or of the slot to insert into (first dead or empty). */
static size_t
find(const struct htab *t, const void *key, uint32_t *tagp, int *found)
{
	size_t mask = t->cap - 1;
	uint64_t h = hash(key, t->keylen);
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i = (size_t)h & mask;
	size_t first_dead = SIZE_MAX;

	if (tagp != NULL)
		*tagp = tag;

	for (;;) {
		unsigned char *s = slot(t, i);
		if (s[0] == SLOT_EMPTY) {
			*found = 0;
			return first_dead != SIZE_MAX ? first_dead : i;
		}
		if (s[0] == SLOT_DEAD) {
			if (first_dead == SIZE_MAX)
				first_dead = i;
		} else if (memcmp(s + TAG_OFF, &tag, sizeof(tag)) == 0 &&
		    memcmp(s + KEY_OFF, key, t->keylen) == 0) {
			*found = 1;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static int
grow(struct htab *t)
{
	/*
	 * Double only when more than half the slots hold live keys;
	 * otherwise rehash in place, dropping the tombstones. (At a quarter,
	 * a table with steady churn, such as the flows with retirement,
	 * kept doubling until it was three quarters empty.)
	 */
	size_t ncap = t->count * 2 > t->cap ? t->cap * 2 : t->cap;
	unsigned char *old = t->slots;
	size_t ocap = t->cap;

	t->slots = calloc(ncap, t->slotlen);
	if (t->slots == NULL) {
		t->slots = old;
		return -1;
	}
	t->cap = ncap;
	t->used = t->count;
	for (size_t i = 0; i < ocap; i++) {
		unsigned char *s = old + i * t->slotlen;
		int found;
		if (s[0] != SLOT_FULL)
			continue;
		memcpy(slot(t, find(t, s + KEY_OFF, NULL, &found)), s, t->slotlen);
	}
	free(old);
	return 0;
}

void *
htab_get(struct htab *t, const void *key)
{
	int found;
	size_t i = find(t, key, NULL, &found);

	return found ? slot(t, i) + val_off(t) : NULL;
}

void *
htab_put(struct htab *t, const void *key, int *created)
{
	int found;
	uint32_t tag;
	size_t i;
	unsigned char *s;

	if ((t->used + 1) * 4 > t->cap * 3 && grow(t) < 0)
		return NULL;
	i = find(t, key, &tag, &found);
	s = slot(t, i);
	if (created != NULL)
		*created = !found;
	if (!found) {
		if (s[0] == SLOT_EMPTY)
			t->used++;
		s[0] = SLOT_FULL;
		memcpy(s + TAG_OFF, &tag, sizeof(tag));
		memcpy(s + KEY_OFF, key, t->keylen);
		memset(s + val_off(t), 0, t->vallen);
		t->count++;
	}
	return s + val_off(t);
}

int
htab_del(struct htab *t, const void *key)
{
	int found;
	size_t i = find(t, key, NULL, &found);

	if (!found)
		return 0;
	slot(t, i)[0] = SLOT_DEAD;
	t->count--;
	return 1;
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
		unsigned char *s = slot(t, *iter);
		if (s[0] == SLOT_FULL) {
			(*iter)++;
			if (key != NULL)
				*key = s + KEY_OFF;
			return s + val_off(t);
		}
	}
	return NULL;
}
