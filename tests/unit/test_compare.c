/* SPDX-License-Identifier: MIT */
/*
 * vbench compare: the Mann-Whitney U test against hand-computed values,
 * and the verdicts on crafted sample sets: equal, shifted by 20%, noisy
 * equal. The false-alarm rate and the power are measured over many
 * simulated A/A and A/B pairs (deterministic seeds).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../common/results.h"
#include "../../common/stats.h"
#include "../../reports/changeci.h"
#include "../../reports/compare.h"
#include "../../reports/mannwhitney.h"
#include "../../reports/roundperm.h"

START_TEST(mwu_separated)
{
	const double a[] = {1, 2, 3, 4, 5}, b[] = {6, 7, 8, 9, 10};
	struct rp_mwu t;

	ck_assert_int_eq(rp_mann_whitney(a, 5, b, 5, &t), 0);
	ck_assert_double_eq_tol(t.u, 0, 1e-12);
	/* Normal approximation with continuity correction: erfc(12/sqrt(275/12)/sqrt(2)). */
	ck_assert_double_eq_tol(t.p, 0.0121858, 1e-6);
	ck_assert(t.z < 0);
}
END_TEST

START_TEST(mwu_ties)
{
	const double a[] = {1, 2, 2, 3, 5}, b[] = {2, 3, 3, 4, 6, 7};
	struct rp_mwu t;

	ck_assert_int_eq(rp_mann_whitney(a, 5, b, 6, &t), 0);
	/* Mid-ranks: R_a = 22, U = 7; tie term 2 x (27 - 3) = 48. */
	ck_assert_double_eq_tol(t.u, 7, 1e-12);
	ck_assert_double_eq_tol(t.p, 0.1630451, 1e-6);
}
END_TEST

START_TEST(mwu_all_equal_and_empty)
{
	const double a[] = {3, 3, 3}, b[] = {3, 3};
	struct rp_mwu t;

	ck_assert_int_eq(rp_mann_whitney(a, 3, b, 2, &t), 0);
	ck_assert_double_eq(t.p, 1);
	ck_assert_int_eq(rp_mann_whitney(a, 0, b, 2, &t), -1);
}
END_TEST

START_TEST(round_permutation)
{
	const double lo[] = {1, 2, 3}, hi[] = {10, 11, 12};
	struct rp_round a[5], b[5];
	struct rp_perm p;

	for (int i = 0; i < 5; i++) {
		a[i] = (struct rp_round){lo, 3};
		b[i] = (struct rp_round){hi, 3};
	}
	/* Perfect separation of 5 + 5 rounds: only it and its mirror of C(10,5) = 252. */
	ck_assert_int_eq(rp_round_perm(a, 5, b, 5, &p), 0);
	ck_assert(p.exact);
	ck_assert_double_eq_tol(p.p, 2.0 / 252, 1e-12);
	ck_assert_double_eq_tol(p.min_p, 2.0 / 252, 1e-12);
	/* The same rounds on both sides: nothing to see. */
	ck_assert_int_eq(rp_round_perm(a, 5, a, 5, &p), 0);
	ck_assert_double_eq(p.p, 1);
	/* 3 + 3 rounds can never reach p < 0.01. */
	ck_assert_int_eq(rp_round_perm(a, 3, b, 3, &p), 0);
	ck_assert_double_eq_tol(p.min_p, 0.1, 1e-12);
	ck_assert_int_eq(rp_round_perm(a, 0, b, 3, &p), -1);
}
END_TEST

/* Long runs: 100 + 100 rounds (once over the test's limit of 62) by random splits. */
START_TEST(round_permutation_many_rounds)
{
	const double lo[] = {1, 2, 3}, hi[] = {10, 11, 12};
	struct rp_round a[100], b[100];
	struct rp_perm p;

	for (int i = 0; i < 100; i++) {
		a[i] = (struct rp_round){lo, 3};
		b[i] = (struct rp_round){i < 50 ? lo : hi, 3};
	}
	ck_assert_int_eq(rp_round_perm(a, 100, b, 100, &p), 0);
	ck_assert(!p.exact);
	ck_assert_double_eq_tol(p.min_p, 1e-4, 1e-12);
	/* half of NEW's rounds shifted: the split is far from chance */
	ck_assert(p.p <= 1e-3);
	ck_assert_int_eq(rp_round_perm(a, 100, a, 100, &p), 0);
	ck_assert(p.p > 0.5);
}
END_TEST

/* A normal deviate from the project's seeded generator (Box-Muller). */
static double gauss(uint64_t *s)
{
	double u1 = ((double)(vb_rand_next(s) >> 11) + 0.5) / 9007199254740992.0;
	double u2 = (double)(vb_rand_next(s) >> 11) / 9007199254740992.0;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/*
 * A result document with one workload on bare: `rounds` x `samples` values
 * around `center`, with per-sample noise `cv`, a per-round drift `drift`
 * (what this host does between minutes) and rare slow outliers.
 */
static json_t *crafted_rounds(int rounds, double center, double cv, double drift,
			      const char *dir, uint64_t seed)
{
	json_t *ms = json_array();
	uint64_t s = seed;

	for (int r = 0; r < rounds; r++) {
		double f = exp(drift * gauss(&s));
		json_t *x = json_array();

		for (int k = 0; k < 5; k++) {
			double v = center * f * exp(cv * gauss(&s));

			if (vb_rand_below(&s, 50) == 0)
				v *= 1.5; /* an interrupted sample */
			json_array_append_new(x, json_real(v));
		}
		json_array_append_new(ms, json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:o}", "backend",
						    "bare", "bench", "cpu.x", "round", r, "status",
						    "ok", "unit", "ns/op", "iters", 1000, "samples", x));
	}
	return json_pack("{s:s, s:i, s:{}, s:[], s:[{s:s, s:s, s:s}], s:o, s:[]}", "schema",
			 "vbench-results", "version", 1, "meta", "backends", "workloads", "name",
			 "cpu.x", "unit", "ns/op", "direction", dir, "measurements", ms, "summary");
}

static json_t *crafted(double center, double cv, double drift, const char *dir, uint64_t seed)
{
	return crafted_rounds(5, center, cv, drift, dir, seed);
}

/* The verdict of BASE vs NEW at the defaults. */
static const char *last_test;

static enum rp_verdict verdict(json_t *base, json_t *cur)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	struct rp_run a, b;
	struct rp_cmp *c;
	size_t n;
	char err[256];
	enum rp_verdict v;

	ck_assert_msg(!rp_run_adopt(&a, base, "base", 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_run_adopt(&b, cur, "new", 1, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(rp_compare(&a, &b, &o, &c, &n), 0);
	ck_assert_uint_eq(n, 1);
	v = c[0].verdict;
	last_test = c[0].test;
	free(c);
	rp_run_free(&a);
	rp_run_free(&b);
	return v;
}

START_TEST(equal_sets_do_not_regress)
{
	ck_assert_int_eq(verdict(crafted(100, 0.01, 0, "lower", 1), crafted(100, 0.01, 0, "lower", 2)),
			 RP_SAME);
}
END_TEST

START_TEST(shift_by_20_percent_regresses)
{
	/* Lower is better: 20% more time is a regression, 20% less an improvement. */
	ck_assert_int_eq(verdict(crafted(100, 0.02, 0.01, "lower", 3),
				 crafted(120, 0.02, 0.01, "lower", 4)), RP_REGRESSED);
	ck_assert_int_eq(verdict(crafted(100, 0.02, 0.01, "lower", 5),
				 crafted(80, 0.02, 0.01, "lower", 6)), RP_IMPROVED);
	/* Higher is better (MB/s): 20% less throughput is the regression. */
	ck_assert_int_eq(verdict(crafted(100, 0.02, 0.01, "higher", 7),
				 crafted(80, 0.02, 0.01, "higher", 8)), RP_REGRESSED);
	ck_assert_int_eq(verdict(crafted(100, 0.02, 0.01, "higher", 9),
				 crafted(120, 0.02, 0.01, "higher", 10)), RP_IMPROVED);
}
END_TEST

START_TEST(few_rounds_fall_back_to_samples)
{
	/* 3 rounds: the round test cannot reach 0.01, Mann-Whitney over samples decides. */
	ck_assert_int_eq(verdict(crafted_rounds(3, 100, 0.02, 0, "lower", 21),
				 crafted_rounds(3, 120, 0.02, 0, "lower", 22)), RP_REGRESSED);
	ck_assert_str_eq(last_test, "samples");
	ck_assert_int_eq(verdict(crafted(100, 0.02, 0, "lower", 23),
				 crafted(120, 0.02, 0, "lower", 24)), RP_REGRESSED);
	ck_assert_str_eq(last_test, "rounds");
}
END_TEST

START_TEST(small_significant_shift_is_not_a_regression)
{
	/* 2% slower with tiny noise: significant, but under the 5% minimum effect. */
	ck_assert_int_eq(verdict(crafted(100, 0.002, 0, "lower", 11),
				 crafted(102, 0.002, 0, "lower", 12)), RP_SAME);
}
END_TEST

/*
 * Noisy equal: 5% sample noise and 3% round drift, like this host on a
 * bad minute. Over 300 A/A pairs at most 1% may be called regressions,
 * and over 300 A/B pairs with a 20% slowdown at least 95% must be caught.
 */
START_TEST(false_alarm_rate_and_power)
{
	int alarms = 0, caught = 0, trials = 300;

	for (int i = 0; i < trials; i++) {
		uint64_t s = 1000 + 2 * (uint64_t)i;

		alarms += verdict(crafted(100, 0.05, 0.03, "lower", s),
				  crafted(100, 0.05, 0.03, "lower", s + 1)) == RP_REGRESSED;
		caught += verdict(crafted(100, 0.05, 0.03, "lower", s + 7919),
				  crafted(120, 0.05, 0.03, "lower", s + 7920)) == RP_REGRESSED;
	}
	fprintf(stderr, "compare: %d false alarms in %d noisy A/A pairs, %d of %d 20%% slowdowns "
		"caught\n", alarms, trials, caught, trials);
	ck_assert_msg(alarms <= trials / 100, "%d false alarms in %d A/A pairs", alarms, trials);
	ck_assert_msg(caught >= trials * 95 / 100, "caught %d of %d 20%% slowdowns", caught, trials);
}
END_TEST

START_TEST(missing_and_broken)
{
	const struct rp_cmp_opts strict = {.alpha = 0.01, .min_effect = 0.05};
	const struct rp_cmp_opts lenient = {.alpha = 0.01, .min_effect = 0.05, .allow_missing = 1};
	json_t *base = crafted(100, 0.01, 0, "lower", 13), *cur = crafted(100, 0.01, 0, "lower", 14);
	size_t i;
	json_t *e;

	/* NEW: every round of cpu.x fails: BROKEN, which fails CI. */
	json_array_foreach(json_object_get(cur, "measurements"), i, e) {
		json_object_set_new(e, "status", json_string("error"));
		json_object_set_new(e, "reason", json_string("timeout after 60000 ms"));
	}
	ck_assert_int_eq(verdict(json_incref(base), json_incref(cur)), RP_BROKEN);
	ck_assert(rp_verdict_fails(RP_BROKEN, &lenient));
	/* Unsupported on NEW's host: missing, which fails unless allowed. */
	json_array_foreach(json_object_get(cur, "measurements"), i, e)
		json_object_set_new(e, "status", json_string("unsupported"));
	ck_assert_int_eq(verdict(json_incref(base), json_incref(cur)), RP_MISSING);
	ck_assert(rp_verdict_fails(RP_MISSING, &strict));
	ck_assert(!rp_verdict_fails(RP_MISSING, &lenient));
	/* Nothing in BASE to compare with: skipped, never a failure. */
	ck_assert_int_eq(verdict(cur, base), RP_SKIPPED);
	ck_assert(!rp_verdict_fails(RP_SKIPPED, &strict));
}
END_TEST

START_TEST(junit_and_github_outputs)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	struct rp_outcome res;
	struct rp_run a, b;
	struct rp_cmp *c;
	size_t n;
	char err[256], dir[] = "/tmp/vbench-cmp-XXXXXX", path[300], bigger[300], buf[4096];
	FILE *f;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert(!rp_run_adopt(&a, crafted(100, 0.01, 0, "lower", 15), "b", 0, err, sizeof(err)));
	ck_assert(!rp_run_adopt(&b, crafted(130, 0.01, 0, "lower", 16), "n", 1, err, sizeof(err)));
	ck_assert_int_eq(rp_compare(&a, &b, &o, &c, &n), 0);
	snprintf(path, sizeof(path), "%s/j.xml", dir);
	rp_compare_outcome(c, n, &b, &o, &res);
	ck_assert_int_eq(rp_compare_junit(path, c, n, &o, &res, &b, err, sizeof(err)), 0);
	f = fopen(path, "r");
	len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[len] = 0;
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(buf, "<testcase classname=\"vbench.bare\" name=\"cpu.x\">"
					  "<failure type=\"regression\""));
	snprintf(path, sizeof(path), "%s/gh.json", dir);
	ck_assert_int_eq(rp_compare_github(path, c, n, err, sizeof(err)), 0);
	f = fopen(path, "r");
	len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[len] = 0;
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "\"name\": \"bare/cpu.x\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"unit\": \"ns/op\""));
	/* No higher-is-better workload: no second file. */
	snprintf(bigger, sizeof(bigger), "%s/gh-bigger.json", dir);
	ck_assert_int_ne(access(bigger, F_OK), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/j.xml", dir);
	unlink(path);
	rmdir(dir);
	free(c);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/*
 * A run of nb backends x nw workloads named "<prefix>bK" and "<prefix>wK",
 * `rounds` rounds of 3 samples around 10; no baselines (no bootstrap).
 */
static json_t *grid(const char *prefix, int nb, int nw, int rounds, double scale)
{
	json_t *bes = json_array(), *wls = json_array(), *ms = json_array();
	char b[256], w[256];

	for (int i = 0; i < nb; i++) {
		snprintf(b, sizeof(b), "%sb%d", prefix, i);
		json_array_append_new(bes, json_pack("{s:s, s:s}", "name", b, "status", "ok"));
	}
	for (int k = 0; k < nw; k++) {
		snprintf(w, sizeof(w), "%sw%d", prefix, k);
		json_array_append_new(wls, json_pack("{s:s, s:s, s:s}", "name", w, "unit", "ns/op",
						     "direction", "lower"));
	}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nb; i++)
			for (int k = 0; k < nw; k++) {
				double v = scale * (10 + 0.01 * ((r * 7 + i * 3 + k) % 5));

				snprintf(b, sizeof(b), "%sb%d", prefix, i);
				snprintf(w, sizeof(w), "%sw%d", prefix, k);
				json_array_append_new(ms, json_pack("{s:s, s:s, s:i, s:s, s:[f, f, f]}",
								    "backend", b, "bench", w, "round",
								    r, "status", "ok", "samples", v,
								    v * 1.001, v * 0.999));
			}
	return json_pack("{s:s, s:i, s:{}, s:o, s:o, s:o}", "schema", "vbench-results",
			 "version", 1, "meta", "backends", bes, "workloads", wls, "measurements",
			 ms);
}

/*
 * Names that share their first 64 bytes (and more) stay apart: each pair
 * is compared with itself, none is "missing", and the table prints every
 * name whole.
 */
START_TEST(compare_long_names_not_missing)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	char prefix[101], err[256], *table = NULL, want[256];
	struct rp_run a, b;
	struct rp_cmp *c;
	size_t n, len;
	FILE *f;

	memset(prefix, 'n', 100);
	prefix[100] = '\0';
	ck_assert_msg(!rp_run_adopt(&a, grid(prefix, 2, 2, 5, 1), "base", 0, err, sizeof(err)),
		      "%s", err);
	ck_assert_msg(!rp_run_adopt(&b, grid(prefix, 2, 2, 5, 2), "new", 1, err, sizeof(err)),
		      "%s", err);
	ck_assert_int_eq(rp_compare(&a, &b, &o, &c, &n), 0);
	ck_assert_uint_eq(n, 4);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(c[i].verdict == RP_REGRESSED, "%s/%s: %s (%s)", c[i].backend,
			      c[i].bench, rp_verdict_name(c[i].verdict), c[i].note);
		ck_assert_uint_eq(strlen(c[i].backend), 102);
		ck_assert_uint_eq(c[i].n_base, 15);
		ck_assert_uint_eq(c[i].n_new, 15);
	}
	f = open_memstream(&table, &len);
	rp_compare_table(f, c, n);
	fclose(f);
	snprintf(want, sizeof(want), "%sb1 %sw0 ", prefix, prefix);
	ck_assert_msg(strstr(table, want), "%s", table);
	free(table);
	free(c);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/*
 * Report and compare cost backends x workloads at most, and each pair's
 * lookups are by hash: a file naming more than a run can is refused, and
 * the largest accepted grid (64 x 512 pairs, 2 x 32768 measurements) is
 * compared well within the test's timeout (it took minutes when every
 * pair scanned the summary and the workloads).
 */
START_TEST(compare_many_pairs_and_name_caps)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	struct rp_run a, b;
	struct rp_cmp *c;
	char err[256];
	size_t n;

	ck_assert_int_eq(rp_run_adopt(&a, grid("", 65, 1, 1, 1), "wide", 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "more than 64 backends"), "%s", err);
	ck_assert_int_eq(rp_run_adopt(&a, grid("", 1, 513, 1, 1), "wide", 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "more than 512 workloads"), "%s", err);
	ck_assert_msg(!rp_run_adopt(&a, grid("", 64, 512, 1, 1), "base", 0, err, sizeof(err)),
		      "%s", err);
	ck_assert_msg(!rp_run_adopt(&b, grid("", 64, 512, 1, 1), "new", 1, err, sizeof(err)),
		      "%s", err);
	ck_assert_int_eq(rp_compare(&a, &b, &o, &c, &n), 0);
	ck_assert_uint_eq(n, 64 * 512);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(c[i].verdict, RP_SAME);
	free(c);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/*
 * Names and reasons from result files reach the terminal as text: an
 * escape sequence is shown, not acted on, and the columns still line up.
 */
START_TEST(compare_table_escapes)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	json_t *base = grid("\x1b[2J\xc2\x9b", 1, 1, 5, 1), *cur = grid("\x1b[2J\xc2\x9b", 1, 1, 5, 1);
	struct rp_run a, b;
	struct rp_cmp *c;
	char err[256], *table = NULL;
	size_t n, len, i;
	json_t *e;
	FILE *f;

	json_array_foreach(json_object_get(cur, "measurements"), i, e) {
		json_object_set_new(e, "status", json_string("error"));
		json_object_set_new(e, "reason", json_string("\x1b]0;owned\x07\r\nresult: no regression"));
	}
	ck_assert_msg(!rp_run_adopt(&a, base, "base", 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_run_adopt(&b, cur, "new", 1, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(rp_compare(&a, &b, &o, &c, &n), 0);
	ck_assert_uint_eq(n, 1);
	f = open_memstream(&table, &len);
	rp_compare_table(f, c, n);
	fclose(f);
	ck_assert_ptr_null(strchr(table, '\x1b'));
	ck_assert_ptr_null(strchr(table, '\r'));
	ck_assert_ptr_null(strstr(table, "\xc2\x9b"));
	ck_assert_msg(strstr(table, "\\x1b[2J\\xc2\\x9bb0 \\x1b[2J\\xc2\\x9bw0 ns/op   "), "%s",
		      table);
	ck_assert_msg(strstr(table, "BROKEN (no ok sample in NEW: error: \\x1b]0;owned\\x07\\x0d"
				    "\\x0aresult: no regression)\n"), "%s", table);
	/* one line per comparison, after the header */
	ck_assert_ptr_eq(strchr(strchr(table, '\n') + 1, '\n'), table + len - 1);
	free(table);
	free(c);
	rp_run_free(&a);
	rp_run_free(&b);
}
END_TEST

/* Real result files of tests/data, edited in memory where a case needs it. */
#define BARE_A "tests/data/real-bare-a-v1.json"
#define BARE_B "tests/data/real-bare-b-v1.json"
#define CRAFTED "tests/data/run-v1.json"
#define TCG "tests/data/real-tcg-quick-v1.json"

static json_t *data(const char *path)
{
	char err[512];
	json_t *doc = vb_results_load(path, err, sizeof(err));

	ck_assert_msg(doc, "%s", err);
	return doc;
}

/* BASE vs NEW as `vbench compare` judges them: rows, outcome and printed text. */
struct judged {
	struct rp_run a, b;
	struct rp_cmp *c;
	size_t n;
	struct rp_outcome out;
	char *text;             /* table, missing lines, result line */
};

static void judge_docs(struct judged *j, json_t *base, json_t *cur, const struct rp_cmp_opts *o)
{
	char err[512];
	size_t len;
	FILE *f;

	ck_assert_msg(!rp_run_adopt(&j->a, base, "BASE", 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_run_adopt(&j->b, cur, "NEW", 1, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(rp_compare(&j->a, &j->b, o, &j->c, &j->n), 0);
	rp_compare_outcome(j->c, j->n, &j->b, o, &j->out);
	f = open_memstream(&j->text, &len);
	rp_compare_table(f, j->c, j->n);
	rp_compare_missing(f, j->c, j->n, rp_run_cut_short(&j->b));
	rp_outcome_print(f, &j->out, o);
	fclose(f);
}

static void judged_free(struct judged *j)
{
	free(j->text);
	free(j->c);
	rp_run_free(&j->a);
	rp_run_free(&j->b);
}

static const struct rp_cmp *row(const struct judged *j, const char *backend, const char *bench)
{
	for (size_t i = 0; i < j->n; i++)
		if (!strcmp(j->c[i].backend, backend) && !strcmp(j->c[i].bench, bench))
			return &j->c[i];
	ck_abort_msg("no row %s/%s", backend, bench);
	return NULL;
}

/* A file's text, "" when there is none; malloc'd. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int ch;

	while (f && (ch = fgetc(f)) != EOF)
		fputc(ch, m);
	fclose(m);
	if (f)
		fclose(f);
	return text;
}

/* The github-action-benchmark files of j (FILE and FILE-bigger), one after the other. */
static char *github_text(const struct judged *j)
{
	char dir[] = "/tmp/vbench-gh-XXXXXX", path[64], bigger[64], err[256], *a, *b, *all;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/gh.json", dir);
	snprintf(bigger, sizeof(bigger), "%s/gh-bigger.json", dir);
	ck_assert_msg(!rp_compare_github(path, j->c, j->n, err, sizeof(err)), "%s", err);
	a = slurp(path);
	b = slurp(bigger);
	ck_assert_int_ge(asprintf(&all, "%s%s", a, b), 0);
	unlink(path);
	unlink(bigger);
	rmdir(dir);
	free(a);
	free(b);
	return all;
}

/* JUnit XML of j. */
static char *junit_text(const struct judged *j, const struct rp_cmp_opts *o)
{
	char dir[] = "/tmp/vbench-ju-XXXXXX", path[64], err[256], *text;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j.xml", dir);
	ck_assert_msg(!rp_compare_junit(path, j->c, j->n, o, &j->out, &j->b, err, sizeof(err)), "%s", err);
	text = slurp(path);
	unlink(path);
	rmdir(dir);
	return text;
}

static json_t *workload_of(json_t *doc, const char *bench)
{
	size_t i;
	json_t *w;

	json_array_foreach(json_object_get(doc, "workloads"), i, w)
		if (!strcmp(vb_json_str(w, "name", ""), bench))
			return w;
	ck_abort_msg("no workload %s", bench);
	return NULL;
}

/* Keep the measurements for which drop() says 0. */
static void drop_measurements(json_t *doc, int (*drop)(const json_t *m))
{
	json_t *ms = json_object_get(doc, "measurements");

	for (size_t i = json_array_size(ms); i-- > 0;)
		if (drop(json_array_get(ms, i)))
			json_array_remove(ms, i);
}

static const struct rp_cmp_opts strict = {.alpha = 0.01, .min_effect = 0.05};

/*
 * The two real files of tests/data that ran different vbench versions:
 * cpu.int in ns/op vs us/op, io.randread in us/op (lower is better) vs
 * ops/s (higher), mem.tlb over 65536 vs 16384 pages. Each is refused
 * with what differs, fails the job and gives no github value; the old
 * compare called cpu.int +23110% REGRESSED.
 */
START_TEST(real_files_units_direction_params_incomparable)
{
	struct judged j;
	const struct rp_cmp *r;
	char *gh;

	judge_docs(&j, data(CRAFTED), data(TCG), &strict);
	r = row(&j, "bare", "cpu.int");
	ck_assert_int_eq(r->verdict, RP_INCOMPARABLE);
	ck_assert_msg(strstr(r->note, "unit ns/op vs us/op"), "%s", r->note);
	r = row(&j, "type2", "io.randread");
	ck_assert_int_eq(r->verdict, RP_INCOMPARABLE);
	ck_assert_msg(strstr(r->note, "unit us/op vs ops/s; direction lower vs higher is better"),
		      "%s", r->note);
	r = row(&j, "type2-pv", "mem.tlb");
	ck_assert_int_eq(r->verdict, RP_INCOMPARABLE);
	ck_assert_msg(strstr(r->note, "params pages 65536 vs 16384"), "%s", r->note);
	ck_assert(j.out.fails);
	ck_assert_msg(strstr(j.text, "bare       cpu.int          us/op     low            -"
				     "            -        - -                        - -        "
				     "INCOMPARABLE (unit ns/op vs us/op"), "%.3000s", j.text);
	gh = github_text(&j);
	ck_assert_msg(!strstr(gh, "cpu.int") && !strstr(gh, "io.randread") && !strstr(gh, "mem.tlb"),
		      "%.3000s", gh);
	ck_assert_msg(strstr(gh, "\"name\": \"type2/cpu.syscall\""), "%.3000s", gh);
	free(gh);
	judged_free(&j);
}
END_TEST

/* BASE's cpu.int written in ns/op (the same times x 1000) against NEW's us/op. */
static json_t *bare_a_in_ns(void)
{
	json_t *doc = data(BARE_A), *m;
	size_t i, k;

	json_object_set_new(workload_of(doc, "cpu.int"), "unit", json_string("ns/op"));
	json_array_foreach(json_object_get(doc, "measurements"), i, m) {
		json_t *s = json_object_get(m, "samples");

		if (strcmp(vb_json_str(m, "bench", ""), "cpu.int"))
			continue;
		json_object_set_new(m, "unit", json_string("ns/op"));
		for (k = 0; k < json_array_size(s); k++)
			json_array_set_new(s, k, json_real(1000 * json_number_value(json_array_get(s, k))));
	}
	return doc;
}

START_TEST(unit_differs_fails_unless_allowed)
{
	const struct rp_cmp_opts allow = {.alpha = 0.01, .min_effect = 0.05,
					  .allow_incomparable = 1};
	struct judged j;
	char *gh, *xml;

	judge_docs(&j, bare_a_in_ns(), data(BARE_B), &strict);
	ck_assert_int_eq(row(&j, "bare", "cpu.int")->verdict, RP_INCOMPARABLE);
	ck_assert_str_eq(row(&j, "bare", "cpu.int")->note, "unit ns/op vs us/op");
	ck_assert_int_eq(row(&j, "bare", "mem.stream")->verdict, RP_SAME);
	ck_assert_uint_eq(j.out.incomparable, 1);
	ck_assert(j.out.fails);
	ck_assert_msg(strstr(j.text, "result: FAILED: 1 incomparable\n"), "%.3000s", j.text);
	gh = github_text(&j);
	ck_assert_msg(!strstr(gh, "bare/cpu.int") && strstr(gh, "bare/cpu.syscall"), "%.3000s", gh);
	xml = junit_text(&j, &strict);
	ck_assert_msg(strstr(xml, "name=\"cpu.int\"><failure type=\"incomparable\" message=\""
				  "incomparable: unit ns/op vs us/op\"/>"), "%.3000s", xml);
	ck_assert_msg(strstr(xml, "failures=\"1\""), "%.3000s", xml);
	free(gh);
	free(xml);
	judged_free(&j);

	/* --allow-incomparable: passes, and the row still says why it was not compared */
	judge_docs(&j, bare_a_in_ns(), data(BARE_B), &allow);
	ck_assert_int_eq(row(&j, "bare", "cpu.int")->verdict, RP_INCOMPARABLE);
	ck_assert(!j.out.fails);
	ck_assert_msg(strstr(j.text, "INCOMPARABLE (unit ns/op vs us/op)\n"), "%.3000s", j.text);
	ck_assert_msg(strstr(j.text, "result: no regression (allowed: 1 incomparable)\n"), "%.3000s",
		      j.text);
	gh = github_text(&j);
	ck_assert_msg(!strstr(gh, "bare/cpu.int"), "%.3000s", gh);
	xml = junit_text(&j, &allow);
	ck_assert_msg(strstr(xml, "name=\"cpu.int\"><skipped message=\"incomparable: unit"), "%.3000s",
		      xml);
	ck_assert_msg(strstr(xml, "failures=\"0\""), "%.3000s", xml);
	free(gh);
	free(xml);
	judged_free(&j);
}
END_TEST

/* mem.tlb over 65536 pages in NEW, 16384 in BASE: only its rows are refused. */
START_TEST(params_differ_incomparable)
{
	json_t *cur = data(TCG);
	struct judged j;
	char *gh;

	json_object_set_new(json_object_get(workload_of(cur, "mem.tlb"), "params"), "pages",
			    json_integer(65536));
	judge_docs(&j, data(TCG), cur, &strict);
	for (size_t i = 0; i < j.n; i++) {
		if (strcmp(j.c[i].bench, "mem.tlb")) {
			ck_assert_msg(!rp_verdict_fails(j.c[i].verdict, &strict), "%s/%s: %s",
				      j.c[i].backend, j.c[i].bench, rp_verdict_name(j.c[i].verdict));
			continue;
		}
		ck_assert_int_eq(j.c[i].verdict, RP_INCOMPARABLE);
		ck_assert_str_eq(j.c[i].note, "params pages 16384 vs 65536");
	}
	ck_assert_uint_eq(j.out.incomparable, 3);
	ck_assert(j.out.fails);
	gh = github_text(&j);
	ck_assert_msg(!strstr(gh, "mem.tlb") && strstr(gh, "type2/mem.latency"), "%.3000s", gh);
	free(gh);
	judged_free(&j);
}
END_TEST

/* A bumped workload version is refused; no version is version 1. */
START_TEST(workload_version_differs_incomparable)
{
	json_t *base = data(BARE_A), *cur = data(BARE_B), *bad;
	struct judged j;
	struct rp_run r;
	char err[256];

	json_object_set_new(workload_of(cur, "cpu.int"), "version", json_integer(2));
	judge_docs(&j, json_incref(base), json_incref(cur), &strict);
	ck_assert_int_eq(row(&j, "bare", "cpu.int")->verdict, RP_INCOMPARABLE);
	ck_assert_str_eq(row(&j, "bare", "cpu.int")->note, "workload version 1 vs 2");
	ck_assert(j.out.fails);
	judged_free(&j);
	json_object_set_new(workload_of(cur, "cpu.int"), "version", json_integer(1));
	judge_docs(&j, base, cur, &strict);
	ck_assert_int_eq(row(&j, "bare", "cpu.int")->verdict, RP_SAME);
	ck_assert(!j.out.fails);
	judged_free(&j);
	/* untrusted input: a version that is not a positive integer is refused */
	bad = data(BARE_B);
	json_object_set_new(workload_of(bad, "cpu.int"), "version", json_string("2"));
	ck_assert_int_eq(rp_run_adopt(&r, bad, "bad", 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "workloads[0].version: expected a positive integer"), "%s", err);
}
END_TEST

/* type2 and type2-pv */
static int of_type2(const json_t *m)
{
	return !strncmp(vb_json_str(m, "backend", ""), "type2", 5);
}

/*
 * type2 ran in BASE and failed to start in NEW, type2-pv was unavailable
 * there: each of their pairs is BROKEN with NEW's reason, even with
 * --allow-missing. The old compare called them missing and passed.
 */
START_TEST(backend_failed_in_new_is_broken)
{
	const struct rp_cmp_opts allow = {.alpha = 0.01, .min_effect = 0.05, .allow_missing = 1};
	json_t *cur = data(TCG), *be;
	struct judged j;
	size_t i;

	json_array_foreach(json_object_get(cur, "backends"), i, be) {
		const char *name = vb_json_str(be, "name", "");

		if (!strcmp(name, "type2")) {
			json_object_set_new(be, "status", json_string("failed"));
			json_object_set_new(be, "reason", json_string("qemu exited with 1: boom"));
		} else if (!strcmp(name, "type2-pv")) {
			json_object_set_new(be, "status", json_string("unavailable"));
			json_object_set_new(be, "reason", json_string("no qemu-system-x86_64"));
		}
	}
	drop_measurements(cur, of_type2);
	judge_docs(&j, data(TCG), cur, &allow);
	ck_assert_int_eq(row(&j, "type2", "cpu.int")->verdict, RP_BROKEN);
	ck_assert_str_eq(row(&j, "type2", "cpu.int")->note,
			 "no ok sample in NEW: type2 failed: qemu exited with 1: boom");
	ck_assert_int_eq(row(&j, "type2-pv", "io.fsync")->verdict, RP_BROKEN);
	ck_assert_str_eq(row(&j, "type2-pv", "io.fsync")->note,
			 "no ok sample in NEW: type2-pv unavailable: no qemu-system-x86_64");
	ck_assert_uint_eq(j.out.broken, 42);
	ck_assert_uint_eq(j.out.missing, 0);
	ck_assert(j.out.fails);
	ck_assert_msg(strstr(j.text, "BROKEN (no ok sample in NEW: type2 failed: qemu exited"),
		      "%.3000s", j.text);
	ck_assert_msg(strstr(j.text, "result: FAILED: 42 broken\n"), "%.3000s", j.text);
	judged_free(&j);
}
END_TEST

static int every(const json_t *m)
{
	(void)m;
	return 1;
}

/* A NEW without measurements fails unless --allow-missing, even against an empty BASE. */
START_TEST(empty_new_fails)
{
	const struct rp_cmp_opts allow = {.alpha = 0.01, .min_effect = 0.05, .allow_missing = 1};
	json_t *base = data(BARE_A), *cur = data(BARE_B);
	struct judged j;
	char *xml;

	drop_measurements(cur, every);
	judge_docs(&j, json_incref(base), json_incref(cur), &strict);
	ck_assert_uint_eq(j.out.missing, 4);
	ck_assert(j.out.fails);
	ck_assert_msg(strstr(j.text, "result: FAILED: 4 missing in NEW, NEW has no ok measurement\n"),
		      "%.3000s", j.text);
	judged_free(&j);
	drop_measurements(base, every);
	judge_docs(&j, json_incref(base), json_incref(cur), &strict);
	ck_assert_uint_eq(j.n, 0);
	ck_assert(j.out.fails);
	xml = junit_text(&j, &strict);
	ck_assert_msg(strstr(xml, "<testcase classname=\"vbench\" name=\"NEW run\"><failure "
				  "type=\"missing\" message=\"NEW has no ok measurement\"/>"), "%.3000s", xml);
	free(xml);
	judged_free(&j);
	judge_docs(&j, base, cur, &allow);
	ck_assert(!j.out.fails);
	ck_assert_msg(strstr(j.text, "result: no regression (allowed: NEW has no ok measurement)\n"),
		      "%.3000s", j.text);
	judged_free(&j);
}
END_TEST

static int of_round_1(const json_t *m)
{
	return vb_json_int(m, "round", 0) == 1;
}

/*
 * NEW interrupted after its first round: every pair is there, but the
 * run is not what was planned; it fails unless --allow-missing.
 */
START_TEST(interrupted_new_fails)
{
	const struct rp_cmp_opts allow = {.alpha = 0.01, .min_effect = 0.05, .allow_missing = 1};
	json_t *cur = data(TCG);
	struct judged j;

	drop_measurements(cur, of_round_1);
	json_object_set_new(cur, "interrupted", json_true());
	json_object_set_new(cur, "complete", json_false());
	judge_docs(&j, data(TCG), json_incref(cur), &strict);
	ck_assert_uint_eq(j.out.missing, 0);
	ck_assert_uint_eq(j.out.regressed + j.out.broken + j.out.incomparable, 0);
	ck_assert(j.out.fails);
	ck_assert_msg(strstr(j.text, "result: FAILED: NEW was interrupted\n"), "%.3000s", j.text);
	judged_free(&j);
	judge_docs(&j, data(TCG), json_incref(cur), &allow);
	ck_assert(!j.out.fails);
	ck_assert_msg(strstr(j.text, "result: no regression (allowed: NEW was interrupted)\n"),
		      "%.3000s", j.text);
	judged_free(&j);
	/* cut off hard: not interrupted, but never complete */
	json_object_set_new(cur, "interrupted", json_false());
	judge_docs(&j, data(TCG), cur, &strict);
	ck_assert(j.out.fails);
	ck_assert_msg(strstr(j.text, "result: FAILED: NEW did not complete\n"), "%.3000s", j.text);
	judged_free(&j);
}
END_TEST

/* type2's workloads past the first nine (in workloads[] order) */
static const char *const late[] = {"cpu.portio", "cpu.cpuid", "cpu.rdtsc", "mem.stream",
				   "mem.latency", "mem.tlb", "mem.pagefault", "io.seqread",
				   "io.seqwrite", "io.randread", "io.randwrite", "io.fsync", NULL};

static int late_type2(const json_t *m)
{
	if (strcmp(vb_json_str(m, "backend", ""), "type2"))
		return 0;
	for (int i = 0; late[i]; i++)
		if (!strcmp(vb_json_str(m, "bench", ""), late[i]))
			return 1;
	return 0;
}

/* The line of a backend's missing workloads in text, whole, or NULL. */
static char *line_of(const char *text, const char *start)
{
	const char *p = strstr(text, start);

	if (!p || (p != text && p[-1] != '\n'))
		return NULL;
	return strndup(p, strcspn(p, "\n"));
}

/*
 * NEW interrupted before type2's last 12 workloads, and type2-pv's io.fsync
 * unsupported there: one line per backend, no row per pair, and a failure
 * unless --allow-missing.
 */
START_TEST(missing_rows_one_line_per_backend)
{
	const struct rp_cmp_opts allow = {.alpha = 0.01, .min_effect = 0.05, .allow_missing = 1};
	json_t *cur = data(TCG), *m;
	struct judged j;
	char *line;
	size_t i;

	drop_measurements(cur, late_type2);
	json_array_foreach(json_object_get(cur, "measurements"), i, m)
		if (!strcmp(vb_json_str(m, "backend", ""), "type2-pv") &&
		    !strcmp(vb_json_str(m, "bench", ""), "io.fsync")) {
			json_object_set_new(m, "status", json_string("unsupported"));
			json_object_set_new(m, "reason", json_string("no O_DIRECT"));
		}
	json_object_set_new(cur, "interrupted", json_true());
	judge_docs(&j, data(TCG), json_incref(cur), &strict);
	ck_assert_uint_eq(j.out.missing, 13);
	ck_assert(j.out.fails);
	ck_assert_msg(!strstr(j.text, "MISSING"), "%.3000s", j.text);
	line = line_of(j.text, "type2: ");
	ck_assert_msg(line, "%.3000s", j.text);
	ck_assert_msg(!strncmp(line, "type2: 12 of 21 workloads missing in NEW: ", 42), "%s", line);
	for (i = 0; late[i]; i++)
		ck_assert_msg(strstr(line, late[i]), "%s not in %s", late[i], line);
	ck_assert_msg(strstr(line, " (not measured; NEW was interrupted)") ==
		      line + strlen(line) - strlen(" (not measured; NEW was interrupted)"), "%s",
		      line);
	free(line);
	line = line_of(j.text, "type2-pv: ");
	ck_assert_msg(line, "%.3000s", j.text);
	ck_assert_str_eq(line, "type2-pv: 1 of 21 workloads missing in NEW: io.fsync "
			       "(unsupported: no O_DIRECT; NEW was interrupted)");
	free(line);
	ck_assert_msg(strstr(j.text, "result: FAILED: 13 missing in NEW, NEW was interrupted\n"),
		      "%.3000s", j.text);
	judged_free(&j);
	judge_docs(&j, data(TCG), cur, &allow);
	ck_assert(!j.out.fails);
	judged_free(&j);
}
END_TEST

/* BASE and NEW of one workload, at centers a and b without noise, judged. */
static void judge_centers(struct judged *j, double a, double b)
{
	judge_docs(j, crafted(a, 0, 0, "lower", 41), crafted(b, 0, 0, "lower", 42), &strict);
}

/* What judge_docs() compared, as --json names it. */
static const struct rp_compared two_files = {.base = "BASE", .cur = "NEW"};

/* --json FILE: each row with its numbers, CI, p, test, verdict, reason; the outcome. */
START_TEST(compare_json_rows_and_outcome)
{
	char dir[] = "/tmp/vbench-js-XXXXXX", path[64], err[256];
	struct judged j;
	json_t *doc, *r, *ci;
	double change, lo, hi;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.json", dir);
	judge_docs(&j, crafted(100, 0.02, 0.01, "lower", 3), crafted(120, 0.02, 0.01, "lower", 4),
		   &strict);
	ck_assert_msg(!rp_compare_json(path, j.c, j.n, &strict, &j.out, &two_files, err,
				       sizeof(err)), "%s", err);
	doc = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(vb_json_str(doc, "schema", ""), "vbench-compare");
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "rows")), 1);
	r = json_array_get(json_object_get(doc, "rows"), 0);
	ck_assert_str_eq(vb_json_str(r, "backend", ""), "bare");
	ck_assert_str_eq(vb_json_str(r, "workload", ""), "cpu.x");
	ck_assert_str_eq(vb_json_str(r, "unit", ""), "ns/op");
	ck_assert_str_eq(vb_json_str(r, "direction", ""), "lower");
	ck_assert_int_eq(vb_json_int(json_object_get(r, "base"), "n", 0), 25);
	ck_assert_int_eq(vb_json_int(json_object_get(r, "new"), "n", 0), 25);
	ck_assert(json_is_number(json_object_get(json_object_get(r, "base"), "median")));
	change = json_number_value(json_object_get(r, "change"));
	ck_assert_double_eq_tol(change, j.c[0].change, 1e-5);
	ck_assert(change > 0.15 && change < 0.25);
	ci = json_object_get(r, "ci95");
	lo = json_number_value(json_object_get(ci, "lo"));
	hi = json_number_value(json_object_get(ci, "hi"));
	ck_assert_msg(lo < change && change < hi && lo > 0.1 && hi < 0.3, "CI [%g, %g]", lo, hi);
	ck_assert_str_eq(vb_json_str(ci, "method", ""), "percentile bootstrap, whole rounds resampled");
	ck_assert(json_number_value(json_object_get(r, "p")) < 0.01);
	ck_assert_str_eq(vb_json_str(r, "test", ""), "rounds");
	ck_assert_str_eq(vb_json_str(r, "verdict", ""), "REGRESSED");
	ck_assert(json_is_true(json_object_get(r, "fails")));
	ck_assert_msg(strstr(vb_json_str(r, "reason", ""), "REGRESSED: median 101 -> 120 ns/op (+19.2%, 95% CI [+17.2%, +22.7%], p=0.0079 over rounds"),
		      "%s", vb_json_str(r, "reason", ""));
	r = json_object_get(doc, "outcome");
	ck_assert_int_eq(vb_json_int(r, "regressed", 0), 1);
	ck_assert(json_is_null(json_object_get(r, "cut_short")));
	ck_assert(json_is_true(json_object_get(r, "fails")));
	json_decref(doc);
	unlink(path);
	/* like the other outputs, it never writes through a planted link */
	ck_assert_int_eq(symlink("/tmp/vbench-js-victim", path), 0);
	ck_assert_int_eq(rp_compare_json(path, j.c, j.n, &strict, &j.out, &two_files, err,
					 sizeof(err)), -1);
	ck_assert_int_eq(access("/tmp/vbench-js-victim", F_OK), -1);
	unlink(path);
	rmdir(dir);
	judged_free(&j);
}
END_TEST

/* An INCOMPARABLE row in --json: null numbers, no CI, what differs as the reason. */
START_TEST(compare_json_incomparable_row)
{
	char dir[] = "/tmp/vbench-js-XXXXXX", path[64], err[256];
	struct judged j;
	json_t *doc, *r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.json", dir);
	judge_docs(&j, data(CRAFTED), data(TCG), &strict);
	ck_assert_msg(!rp_compare_json(path, j.c, j.n, &strict, &j.out, &two_files, err,
				       sizeof(err)), "%s", err);
	doc = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "rows")), j.n);
	for (size_t i = 0; i < j.n; i++) {
		r = json_array_get(json_object_get(doc, "rows"), i);
		if (strcmp(vb_json_str(r, "backend", ""), "bare") ||
		    strcmp(vb_json_str(r, "workload", ""), "cpu.int"))
			continue;
		ck_assert_str_eq(vb_json_str(r, "verdict", ""), "INCOMPARABLE");
		ck_assert(json_is_null(json_object_get(r, "change")));
		ck_assert(json_is_null(json_object_get(r, "ci95")));
		ck_assert_msg(strstr(vb_json_str(r, "reason", ""), "unit ns/op vs us/op"), "%s",
			      vb_json_str(r, "reason", ""));
	}
	ck_assert(json_is_true(json_object_get(json_object_get(doc, "outcome"), "fails")));
	json_decref(doc);
	unlink(path);
	rmdir(dir);
	judged_free(&j);
}
END_TEST

/*
 * Without --history each compared row's threshold is min effect, from
 * "min_effect", and the table has no thresh column; rows not compared
 * have none.
 */
START_TEST(compare_json_threshold_min_effect)
{
	char dir[] = "/tmp/vbench-js-XXXXXX", path[64], err[256];
	struct judged j;
	json_t *doc, *t;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.json", dir);
	judge_centers(&j, 100, 120);
	ck_assert_msg(!strstr(j.text, "thresh"), "%s", j.text);
	ck_assert_msg(!rp_compare_json(path, j.c, j.n, &strict, &j.out, &two_files, err,
				       sizeof(err)), "%s", err);
	doc = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_null(json_object_get(doc, "file"));
	ck_assert_ptr_null(json_object_get(doc, "history"));
	t = json_object_get(json_array_get(json_object_get(doc, "rows"), 0), "threshold");
	ck_assert_double_eq_tol(vb_json_num(t, "value", 0), 0.05, 1e-12);
	ck_assert_str_eq(vb_json_str(t, "from", ""), "min_effect");
	ck_assert_int_eq(vb_json_int(t, "runs", -1), 0);
	ck_assert(json_is_null(json_object_get(t, "spread")));
	ck_assert(json_is_null(json_object_get(t, "noise")));
	json_decref(doc);
	unlink(path);
	judged_free(&j);
	judge_docs(&j, data(CRAFTED), data(TCG), &strict);
	ck_assert_msg(!rp_compare_json(path, j.c, j.n, &strict, &j.out, &two_files, err,
				       sizeof(err)), "%s", err);
	doc = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	for (size_t i = 0; i < j.n; i++) {
		json_t *r = json_array_get(json_object_get(doc, "rows"), i);

		ck_assert(json_is_null(json_object_get(r, "threshold")) ==
			  !rp_cmp_has_change(&j.c[i]));
	}
	json_decref(doc);
	unlink(path);
	rmdir(dir);
	judged_free(&j);
}
END_TEST

/* JUnit's testsuite carries NEW's duration, finish time and host, escaped. */
START_TEST(junit_time_timestamp_hostname)
{
	json_t *cur = crafted(100, 0, 0, "lower", 43);
	struct judged j;
	char *xml, host[256] = "", want[400];

	json_object_set_new(cur, "meta", json_pack("{s:s, s:s, s:{s:s}}", "started",
						   "2026-11-22T10:00:00Z", "finished",
						   "2026-11-22T10:01:30Z", "host", "hostname",
						   "lab<\"&'>1"));
	judge_docs(&j, crafted(100, 0, 0, "lower", 44), cur, &strict);
	xml = junit_text(&j, &strict);
	ck_assert_msg(strstr(xml, " time=\"90\" timestamp=\"2026-11-22T10:01:30\" "
				  "hostname=\"lab&lt;&quot;&amp;&#39;&gt;1\">"), "%s", xml);
	free(xml);
	judged_free(&j);
	/* nothing recorded: now and this host */
	judge_centers(&j, 100, 100);
	xml = junit_text(&j, &strict);
	gethostname(host, sizeof(host) - 1);
	ck_assert_msg(strstr(xml, " time=\"0\" timestamp=\""), "%s", xml);
	ck_assert_msg(!strstr(xml, "timestamp=\"\""), "%s", xml);
	snprintf(want, sizeof(want), "hostname=\"%s\"", host);
	ck_assert_msg(strstr(xml, want), "want %s in %s", want, xml);
	free(xml);
	judged_free(&j);
}
END_TEST

/* github-action-benchmark values to 4 significant digits, without binary residue. */
START_TEST(github_values_rounded)
{
	struct judged j;
	char *gh;

	judge_centers(&j, 78490.123, 78512.987);
	gh = github_text(&j);
	ck_assert_msg(strstr(gh, "\"value\": 78510.0,"), "%s", gh);
	free(gh);
	judged_free(&j);
	judge_centers(&j, 0.123456789, 0.123456789);
	gh = github_text(&j);
	ck_assert_msg(strstr(gh, "\"value\": 0.1235,"), "%s", gh);
	ck_assert_msg(strstr(gh, "\"range\": \"\u00b1 0 (MAD)\""), "%s", gh);
	free(gh);
	judged_free(&j);
}
END_TEST

/* The table: 3 significant digits, thousands as plain integers, never 7.849e+04. */
START_TEST(table_precision)
{
	struct judged j;

	judge_centers(&j, 78490.123, 117735.2);
	ck_assert_msg(strstr(j.text, "        78490       117735   +50.0% [+50.0%, +50.0%]"),
		      "%s", j.text);
	ck_assert_msg(!strstr(j.text, "e+"), "%s", j.text);
	judged_free(&j);
	judge_centers(&j, 0.0123456, 0.0123456);
	ck_assert_msg(strstr(j.text, "       0.0123       0.0123    +0.0%"), "%s", j.text);
	judged_free(&j);
}
END_TEST

/*
 * A/B in one run: instances a and b of one workload measured in the same
 * `rounds` rounds. Each round shares a factor (3% noise, times 1 + drift
 * from round rounds/2 on: what the host does between minutes) that both
 * see; b runs `factor` times a, each sample with 1% noise of its own.
 * The values land in va and vb (rounds x 5) as well.
 */
#define AB_SAMPLES 5
static json_t *one_run(int rounds, double factor, double drift, uint64_t seed, double *va,
		       double *vb)
{
	json_t *ms = json_array();
	uint64_t s = seed;

	for (int r = 0; r < rounds; r++) {
		double f = exp(0.03 * gauss(&s)) * (r >= rounds / 2 ? 1 + drift : 1);

		for (int side = 0; side < 2; side++) {
			double *v = (side ? vb : va) + r * AB_SAMPLES;
			json_t *x = json_array();

			for (int k = 0; k < AB_SAMPLES; k++) {
				v[k] = 100 * f * (side ? factor : 1) * exp(0.01 * gauss(&s));
				json_array_append_new(x, json_real(v[k]));
			}
			json_array_append_new(ms, json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:o}",
							    "backend", side ? "b" : "a", "bench",
							    "cpu.x", "round", r, "status", "ok", "unit",
							    "ns/op", "iters", 1000, "samples", x));
		}
	}
	return json_pack("{s:s, s:i, s:{}, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}], "
			 "s:[{s:s, s:s, s:s}], s:o, s:[]}", "schema", "vbench-results", "version",
			 1, "meta", "backends", "name", "a", "backend", "bare", "status", "ok", "name",
			 "b", "backend", "bare", "status", "ok", "workloads", "name", "cpu.x", "unit",
			 "ns/op", "direction", "lower", "measurements", ms, "summary");
}

/* The one row of b against a in doc (taken), into *row. */
static void paired_row(json_t *doc, struct rp_cmp *row)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	struct rp_run r;
	struct rp_cmp *c;
	size_t n;
	char err[256];

	ck_assert_msg(!rp_run_adopt(&r, doc, "r.json", 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_compare_paired(&r, "a", "b", &o, &c, &n, err, sizeof(err)), "%s", err);
	ck_assert_uint_eq(n, 1);
	*row = c[0];
	row->backend = row->bench = row->unit = NULL; /* they point into r */
	free(c);
	rp_run_free(&r);
}

START_TEST(paired_slowdown_regresses)
{
	double va[8 * AB_SAMPLES], vb[8 * AB_SAMPLES];
	struct rp_cmp c;

	paired_row(one_run(8, 1.10, 0, 41, va, vb), &c);
	ck_assert_int_eq(c.verdict, RP_REGRESSED);
	ck_assert_str_eq(c.test, "paired");
	ck_assert(fabs(c.change - 0.10) < 0.02);
	ck_assert(c.ci_lo > 0.05 && c.ci_hi < 0.15);
	ck_assert(c.p < 0.01);
}
END_TEST

START_TEST(paired_equal_is_same)
{
	double va[8 * AB_SAMPLES], vb[8 * AB_SAMPLES];
	struct rp_cmp c;

	paired_row(one_run(8, 1.0, 0, 42, va, vb), &c);
	ck_assert_int_eq(c.verdict, RP_SAME);
	ck_assert_str_eq(c.test, "paired");
	ck_assert(fabs(c.change) < 0.02);
}
END_TEST

/*
 * +20% in the later rounds for both instances: paired per round it
 * cancels. The same values taken as two unpaired sets of rounds (as two
 * files would be compared) give an interval several times as wide.
 */
START_TEST(paired_drift_cancels)
{
	double va[8 * AB_SAMPLES], vb[8 * AB_SAMPLES], lo, hi;
	struct rp_round ra[8], rb[8];
	struct rp_cmp c;

	paired_row(one_run(8, 1.0, 0.20, 43, va, vb), &c);
	ck_assert_int_eq(c.verdict, RP_SAME);
	for (int r = 0; r < 8; r++) {
		ra[r] = (struct rp_round){va + r * AB_SAMPLES, AB_SAMPLES};
		rb[r] = (struct rp_round){vb + r * AB_SAMPLES, AB_SAMPLES};
	}
	ck_assert_int_eq(rp_change_ci(ra, 8, rb, 8, &lo, &hi), 0);
	fprintf(stderr, "compare: 20%% drift: paired 95%% CI [%+.1f%%, %+.1f%%], unpaired "
		"[%+.1f%%, %+.1f%%]\n", 100 * c.ci_lo, 100 * c.ci_hi, 100 * lo, 100 * hi);
	ck_assert(c.ci_hi - c.ci_lo < 0.05);
	ck_assert(hi - lo > 3 * (c.ci_hi - c.ci_lo));
}
END_TEST

/* A parameter set on b is the A/B difference: noted, and still decided. */
START_TEST(paired_params_noted_not_refused)
{
	double va[8 * AB_SAMPLES], vb[8 * AB_SAMPLES];
	json_t *doc = one_run(8, 1.10, 0, 44, va, vb), *m;
	struct rp_cmp c;
	size_t i;

	json_object_set_new(json_array_get(json_object_get(doc, "workloads"), 0), "params",
			    json_pack("{s:i}", "n", 4096));
	json_object_set_new(json_array_get(json_object_get(doc, "backends"), 1), "settings",
			    json_pack("{s:i}", "param.cpu.x.n", 8192));
	json_array_foreach(json_object_get(doc, "measurements"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "backend")), "b"))
			json_object_set_new(m, "params", json_pack("{s:i}", "n", 8192));
	paired_row(doc, &c);
	ck_assert_int_eq(c.verdict, RP_REGRESSED);
	ck_assert_str_eq(c.note, "params differ: n 4096 vs 8192 (set on B)");
}
END_TEST

START_TEST(paired_unknown_instance)
{
	const struct rp_cmp_opts o = {.alpha = 0.01, .min_effect = 0.05};
	double va[8 * AB_SAMPLES], vb[8 * AB_SAMPLES];
	struct rp_run r;
	struct rp_cmp *c = NULL;
	size_t n;
	char err[256];

	ck_assert(!rp_run_adopt(&r, one_run(8, 1.0, 0, 45, va, vb), "r.json", 0, err,
				sizeof(err)));
	ck_assert_int_eq(rp_compare_paired(&r, "a", "b@new", &o, &c, &n, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "r.json: no instance 'b@new' in it (instances: a, b)");
	ck_assert_int_eq(rp_compare_paired(&r, "x", "b", &o, &c, &n, err, sizeof(err)), -1);
	ck_assert_ptr_null(strstr(err, "'b'"));
	ck_assert_ptr_nonnull(strstr(err, "'x'"));
	rp_run_free(&r);
}
END_TEST

Suite *suite_compare(void)
{
	Suite *s = suite_create("compare");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, mwu_separated);
	tcase_add_test(t, mwu_ties);
	tcase_add_test(t, mwu_all_equal_and_empty);
	tcase_add_test(t, round_permutation);
	tcase_add_test(t, round_permutation_many_rounds);
	tcase_add_test(t, few_rounds_fall_back_to_samples);
	tcase_add_test(t, equal_sets_do_not_regress);
	tcase_add_test(t, shift_by_20_percent_regresses);
	tcase_add_test(t, small_significant_shift_is_not_a_regression);
	tcase_add_test(t, false_alarm_rate_and_power);
	tcase_add_test(t, missing_and_broken);
	tcase_add_test(t, junit_and_github_outputs);
	tcase_add_test(t, compare_long_names_not_missing);
	tcase_add_test(t, compare_many_pairs_and_name_caps);
	tcase_add_test(t, compare_table_escapes);
	tcase_add_test(t, real_files_units_direction_params_incomparable);
	tcase_add_test(t, unit_differs_fails_unless_allowed);
	tcase_add_test(t, params_differ_incomparable);
	tcase_add_test(t, workload_version_differs_incomparable);
	tcase_add_test(t, backend_failed_in_new_is_broken);
	tcase_add_test(t, empty_new_fails);
	tcase_add_test(t, interrupted_new_fails);
	tcase_add_test(t, missing_rows_one_line_per_backend);
	tcase_add_test(t, compare_json_rows_and_outcome);
	tcase_add_test(t, compare_json_incomparable_row);
	tcase_add_test(t, compare_json_threshold_min_effect);
	tcase_add_test(t, junit_time_timestamp_hostname);
	tcase_add_test(t, github_values_rounded);
	tcase_add_test(t, table_precision);
	tcase_add_test(t, paired_slowdown_regresses);
	tcase_add_test(t, paired_equal_is_same);
	tcase_add_test(t, paired_drift_cancels);
	tcase_add_test(t, paired_params_noted_not_refused);
	tcase_add_test(t, paired_unknown_instance);
	suite_add_tcase(s, t);
	return s;
}
