/* check_htab.c: Check suite for the hash table (lib/base/htab.c). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"

struct key {
	uint32_t a;
	uint16_t b;
	uint8_t c[3];
};

struct val {
	uint64_t n;
	uint32_t tag;
};

static struct key
mkkey(uint32_t i)
{
	struct key k;

	memset(&k, 0, sizeof(k));
	k.a = i * 2654435761u;
	k.b = (uint16_t)i;
	k.c[0] = (uint8_t)(i >> 16);
	return k;
}

START_TEST(put_get_del)
{
	struct htab *t = htab_new(sizeof(struct key), sizeof(struct val));
	struct key k1 = mkkey(1), k2 = mkkey(2);
	struct val *v;
	int created = -1;

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(htab_count(t), 0);
	ck_assert_ptr_null(htab_get(t, &k1));
	ck_assert_int_eq(htab_del(t, &k1), 0);

	v = htab_put(t, &k1, &created);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(created, 1);
	ck_assert_uint_eq(v->n, 0);	/* zero-filled */
	ck_assert_uint_eq(v->tag, 0);
	v->n = 11;
	v->tag = 0xabcd;

	v = htab_put(t, &k1, &created);
	ck_assert_int_eq(created, 0);
	ck_assert_uint_eq(v->n, 11);
	ck_assert_uint_eq(htab_count(t), 1);

	v = htab_put(t, &k2, NULL);	/* created may be NULL */
	ck_assert_ptr_nonnull(v);
	v->n = 22;
	ck_assert_uint_eq(htab_count(t), 2);

	v = htab_get(t, &k1);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->n, 11);
	ck_assert_uint_eq(v->tag, 0xabcd);
	ck_assert_uint_eq(((struct val *)htab_get(t, &k2))->n, 22);

	ck_assert_int_eq(htab_del(t, &k1), 1);
	ck_assert_int_eq(htab_del(t, &k1), 0);
	ck_assert_ptr_null(htab_get(t, &k1));
	ck_assert_uint_eq(htab_count(t), 1);
	ck_assert_uint_eq(((struct val *)htab_get(t, &k2))->n, 22);

	/* Put again after delete: a fresh, zeroed value. */
	v = htab_put(t, &k1, &created);
	ck_assert_int_eq(created, 1);
	ck_assert_uint_eq(v->n, 0);
	ck_assert_uint_eq(v->tag, 0);
	ck_assert_uint_eq(htab_count(t), 2);
	htab_free(t);
	htab_free(NULL);
}
END_TEST

/*
 * Insert and delete many times in a table that never holds more than a
 * few keys: the table must neither fill up (find() looping forever) nor
 * lose a key (with tombstones, behind one; with backward shift, by a
 * wrong move).
 */
START_TEST(tombstones)
{
	struct htab *t = htab_new(sizeof(uint32_t), sizeof(uint32_t));
	uint32_t k, *v;

	ck_assert_ptr_nonnull(t);
	for (uint32_t i = 0; i < 200000; i++) {
		k = i;
		v = htab_put(t, &k, NULL);
		ck_assert_ptr_nonnull(v);
		*v = i + 1;
		if (i >= 3) {
			k = i - 3;
			ck_assert_int_eq(htab_del(t, &k), 1);
		}
		ck_assert_uint_eq(htab_count(t), i >= 3 ? 3 : i + 1);
	}
	for (uint32_t i = 200000 - 3; i < 200000; i++) {
		k = i;
		v = htab_get(t, &k);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, i + 1);
	}
	k = 5;
	ck_assert_ptr_null(htab_get(t, &k));
	k = 200000 - 4;
	ck_assert_ptr_null(htab_get(t, &k));

	/* A key put back into a tombstone slot is found, and only once. */
	k = 100;
	v = htab_put(t, &k, NULL);
	*v = 4242;
	{
		size_t it = 0, seen = 0;
		const void *key;
		while ((v = htab_next(t, &it, &key)) != NULL)
			if (*(const uint32_t *)key == 100) {
				seen++;
				ck_assert_uint_eq(*v, 4242);
			}
		ck_assert_uint_eq(seen, 1);
	}
	ck_assert_uint_eq(htab_count(t), 4);
	htab_free(t);
}
END_TEST

START_TEST(grow_100k)
{
	enum { N = 100000 };
	struct htab *t = htab_new(sizeof(struct key), sizeof(struct val));
	unsigned char *seen = calloc(N, 1);
	size_t it = 0, visits = 0;
	const void *kp;
	struct val *v;

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(seen);
	for (uint32_t i = 0; i < N; i++) {
		struct key k = mkkey(i);
		int created;
		v = htab_put(t, &k, &created);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(created, 1);
		v->n = i;
		v->tag = ~i;
	}
	ck_assert_uint_eq(htab_count(t), N);
	/* Every value survived the rehashes. */
	for (uint32_t i = 0; i < N; i++) {
		struct key k = mkkey(i);
		v = htab_get(t, &k);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(v->n, i);
		ck_assert_uint_eq(v->tag, ~i);
	}
	/* Delete the odd ones: the even ones stay reachable. */
	for (uint32_t i = 1; i < N; i += 2) {
		struct key k = mkkey(i);
		ck_assert_int_eq(htab_del(t, &k), 1);
	}
	ck_assert_uint_eq(htab_count(t), N / 2);
	for (uint32_t i = 0; i < N; i++) {
		struct key k = mkkey(i);
		v = htab_get(t, &k);
		if (i % 2)
			ck_assert_ptr_null(v);
		else {
			ck_assert_ptr_nonnull(v);
			ck_assert_uint_eq(v->n, i);
		}
	}
	/* Iteration visits every key once, with its own value. */
	while ((v = htab_next(t, &it, &kp)) != NULL) {
		const struct key *k = kp;
		ck_assert_uint_lt(v->n, N);
		{
			struct key want = mkkey((uint32_t)v->n);
			ck_assert_int_eq(memcmp(k, &want, sizeof(want)), 0);
		}
		ck_assert_uint_eq(seen[v->n], 0);
		seen[v->n] = 1;
		visits++;
	}
	ck_assert_uint_eq(visits, N / 2);
	for (uint32_t i = 0; i < N; i += 2)
		ck_assert_uint_eq(seen[i], 1);
	/* The end stays the end. */
	ck_assert_ptr_null(htab_next(t, &it, NULL));
	free(seen);
	htab_free(t);
}
END_TEST

START_TEST(iterate_empty_and_odd_sizes)
{
	/* Key and value sizes that are not multiples of 8. */
	struct htab *t = htab_new(3, 5);
	size_t it = 0;
	unsigned char k[3] = { 1, 2, 3 }, *v;

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_null(htab_next(t, &it, NULL));
	v = htab_put(t, k, NULL);
	memcpy(v, "abcde", 5);
	k[2] = 4;
	v = htab_put(t, k, NULL);
	memcpy(v, "fghij", 5);
	k[2] = 3;
	ck_assert_int_eq(memcmp(htab_get(t, k), "abcde", 5), 0);
	k[2] = 4;
	ck_assert_int_eq(memcmp(htab_get(t, k), "fghij", 5), 0);
	it = 0;
	ck_assert_ptr_nonnull(htab_next(t, &it, NULL));
	ck_assert_ptr_nonnull(htab_next(t, &it, NULL));
	ck_assert_ptr_null(htab_next(t, &it, NULL));
	htab_free(t);
}
END_TEST

/*
 * Random puts and deletes over a small key space against a plain array:
 * long probe runs, wrapping past the table's end, and deletions that
 * shift entries back into the hole must never lose or duplicate a key.
 * Plain ifs in the loop (a Check assertion costs a system call), one
 * assertion on the count of wrong answers.
 */
START_TEST(churn_against_model)
{
	enum { KEYS = 700, OPS = 400000 };
	struct htab *t = htab_new(sizeof(uint32_t), sizeof(uint64_t));
	static uint64_t model[KEYS];	/* 0: absent, else the value */
	uint64_t x = 88172645463325252ULL, *v;
	size_t bad = 0, it, n;
	const void *key;

	ck_assert_ptr_nonnull(t);
	memset(model, 0, sizeof(model));
	for (uint32_t op = 0; op < OPS; op++) {
		uint32_t k;
		int created;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;	/* xorshift64 */
		/* Keys in clusters, to build long runs; the table swings
		 * between a few and most of the keys present. */
		k = (uint32_t)(x % KEYS);
		if ((x >> 32) % 100 < (op / 50000 % 2 ? 70u : 30u)) {
			v = htab_put(t, &k, &created);
			if (v == NULL || created != (model[k] == 0) ||
			    (!created && *v != model[k]))
				bad++;
			if (v != NULL)
				*v = model[k] = op + 1;
		} else if ((x >> 20) & 1) {
			if (htab_del(t, &k) != (model[k] != 0))
				bad++;
			model[k] = 0;
		} else {	/* by the value's pointer */
			v = htab_get(t, &k);
			if ((v != NULL) != (model[k] != 0))
				bad++;
			if (v != NULL)
				htab_del_value(t, v);
			model[k] = 0;
		}
		if (op % 997 == 0) {
			n = 0;
			for (uint32_t i = 0; i < KEYS; i++) {
				v = htab_get(t, &i);
				if (model[i] != 0)
					n++;
				if ((v == NULL) != (model[i] == 0) ||
				    (v != NULL && *v != model[i]))
					bad++;
			}
			if (htab_count(t) != n)
				bad++;
			it = 0;
			while ((v = htab_next(t, &it, &key)) != NULL)
				if (model[*(const uint32_t *)key] != *v)
					bad++;
		}
	}
	ck_assert_uint_eq(bad, 0);
	htab_free(t);
}
END_TEST

static Suite *
htab_suite(void)
{
	Suite *s = suite_create("htab");
	TCase *tc = tcase_create("htab");

	tcase_add_test(tc, put_get_del);
	tcase_add_test(tc, tombstones);
	tcase_add_test(tc, grow_100k);
	tcase_add_test(tc, iterate_empty_and_odd_sizes);
	tcase_add_test(tc, churn_against_model);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(htab_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
