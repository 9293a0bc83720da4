/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <math.h>

#include "../../common/stats.h"

START_TEST(median_and_mad)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, mad[] = { 1, 1, 2, 2, 4, 6, 9 };

	ck_assert_double_eq(vb_median(odd, 3), 3);
	ck_assert_double_eq(odd[0], 5); /* input untouched */
	ck_assert_double_eq(vb_median(even, 4), 2.5);
	ck_assert_double_eq(vb_mad(mad, 7), 1);
	ck_assert(isnan(vb_median(odd, 0)));
}
END_TEST

START_TEST(bootstrap_ci_brackets_median)
{
	double x[40], lo, hi;
	uint64_t st = 1;

	for (int i = 0; i < 40; i++)
		x[i] = 1.0 + (double)vb_rand_below(&st, 1000) / 10000.0; /* 1.0 .. 1.1 */
	ck_assert_int_eq(vb_bootstrap_median_ci(x, 40, 2000, 42, &lo, &hi), 0);
	ck_assert(lo <= vb_median(x, 40) && vb_median(x, 40) <= hi);
	ck_assert(lo >= 1.0 && hi <= 1.1 && hi - lo < 0.05);
	/* constant data: the interval collapses */
	for (int i = 0; i < 40; i++)
		x[i] = 2.0;
	ck_assert_int_eq(vb_bootstrap_median_ci(x, 40, 500, 1, &lo, &hi), 0);
	ck_assert_double_eq(lo, 2.0);
	ck_assert_double_eq(hi, 2.0);
	ck_assert_int_eq(vb_bootstrap_median_ci(x, 0, 500, 1, &lo, &hi), -1);
}
END_TEST

START_TEST(rand_below_in_range_and_seeded)
{
	uint64_t a = 7, b = 7;
	int seen[5] = { 0 };

	for (int i = 0; i < 1000; i++) {
		size_t v = vb_rand_below(&a, 5);

		ck_assert_uint_lt(v, 5);
		seen[v]++;
		ck_assert_uint_eq(v, vb_rand_below(&b, 5));
	}
	for (int i = 0; i < 5; i++)
		ck_assert_int_gt(seen[i], 100);
}
END_TEST

/* A quantile function of Student's t against table values: exact where given, else within 0.002. */
struct t_point {
	unsigned df;
	double t;
	int exact;
};

/*
 * NAN at df 0, the points, and falling with df all the way to 2000 while
 * staying above the normal's quantile z; its value at df 2000.
 */
static double check_t(double (*q)(unsigned), const char *name, const struct t_point *p,
		      size_t n, double z)
{
	double prev = INFINITY;

	ck_assert(isnan(q(0)));
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(p[i].exact ? q(p[i].df) == p[i].t : fabs(q(p[i].df) - p[i].t) <= 0.002,
			      "%s(%u) = %g, tables say %g", name, p[i].df, q(p[i].df), p[i].t);
	for (unsigned df = 1; df <= 2000; df++) {
		double t = q(df);

		ck_assert_msg(t < prev && t > z, "%s(%u) = %g after %g", name, df, t, prev);
		prev = t;
	}
	return prev;
}

/* t(0.995, df): the table, the expansion above df 30 against the tables' 40, 60, 120. */
START_TEST(t995_table_and_expansion)
{
	static const struct t_point p[] = {
		{ 1, 63.657, 1 }, { 2, 9.925, 1 }, { 9, 3.250, 1 }, { 30, 2.750, 1 },
		{ 40, 2.704, 0 }, { 60, 2.660, 0 }, { 120, 2.617, 0 },
	};

	/* 2.5758 + 19.67 / (4 * 2000) + ... */
	ck_assert_double_lt(check_t(vb_t995, "t995", p, sizeof(p) / sizeof(p[0]), 2.5758), 2.579);
}
END_TEST

/* t(0.975, df): the tables' 2.365 (7), 2.042 (30), 2.021 (40), 2.000 (60), 1.980 (120). */
START_TEST(t975_table_and_expansion)
{
	static const struct t_point p[] = {
		{ 1, 12.706, 1 }, { 7, 2.365, 1 }, { 30, 2.042, 1 },
		{ 40, 2.021, 0 }, { 60, 2.000, 0 }, { 120, 1.980, 0 },
	};

	check_t(vb_t975, "t975", p, sizeof(p) / sizeof(p[0]), 1.95996);
}
END_TEST

Suite *suite_stats(void)
{
	Suite *s = suite_create("stats");
	TCase *t = tcase_create("core");

	tcase_add_test(t, median_and_mad);
	tcase_add_test(t, bootstrap_ci_brackets_median);
	tcase_add_test(t, rand_below_in_range_and_seeded);
	tcase_add_test(t, t995_table_and_expansion);
	tcase_add_test(t, t975_table_and_expansion);
	suite_add_tcase(s, t);
	return s;
}
