/* SPDX-License-Identifier: MIT */
/*
 * The per-metric model over many earlier runs, for `vbench compare
 * --history` and `vbench history`. Runs taken minutes or days apart drift
 * (issue 7: +13.4% on mem.latency between two runs where nothing
 * changed), and how much differs from metric to metric. So per (backend,
 * workload), each history file gives one number, the median of its ok
 * samples, over the files where the pair was measured and is comparable
 * with NEW (compare.h: unit, direction, parameters, workload version).
 * With s the sample standard deviation of the logs of those k medians,
 * two runs of the metric differ in log by sqrt(2) sigma, so
 *
 *	noise = exp(t(0.995, k-1) * sqrt(2) * s) - 1
 *
 * is the largest change two runs show by noise alone, 99% two-sided:
 * regressions and improvements called by noise stay within 1% together,
 * even before the test's p < alpha. The verdict's threshold is
 * max(min_effect, noise), from RP_HISTORY_MIN_RUNS usable files on.
 * Not the range (max/min - 1, kept as spread for the chart and the notes):
 * a new run lies outside the range of k earlier ones 2 times in k+1, and
 * thresholds from it flagged about 2% of simulated A/A comparisons
 * (tests/unit/test_history.c).
 */
#ifndef VB_HISTORY_H
#define VB_HISTORY_H

#include "compare.h"

#define RP_HISTORY_MIN_RUNS 3

/*
 * The run-level median of (backend, bench) in h as it counts for NEW cur;
 * NAN where h has no ok sample of it, it is incomparable with cur's, or
 * the median is not positive (the model takes logs).
 */
double rp_history_median(const struct rp_run *h, const struct rp_run *cur, const char *backend,
			 const char *bench);
/* The model of (backend, bench) over hist[0..n), for NEW cur. */
void rp_history_fit(const struct rp_run *const *hist, size_t n, const struct rp_run *cur,
		    const char *backend, const char *bench, struct rp_hist_fit *f);
/*
 * Each row with a change (of rp_compare(..., cur)) gets its fit over
 * hist[0..n), the threshold max(min_effect, noise) where the fit has a
 * noise bound ("history" where that is the larger), and its verdict again.
 */
void rp_history_apply(const struct rp_run *const *hist, size_t n, const struct rp_run *cur,
		      const struct rp_cmp_opts *o, struct rp_cmp *c, size_t nc);
/* One (backend, workload) over runs, oldest first (rp_timeline). */
struct rp_series {
	const char *backend, *bench; /* point into the runs */
	const struct rp_run *ref;    /* the newest run with a median of it: unit, direction,
				      * what the others must be comparable with; NULL if none */
	double *median;              /* per run: rp_history_median() against ref, or NAN */
	double *lo, *hi;             /* per run: the range of the earlier runs' medians
				      * (rp_history_fit), NAN under RP_HISTORY_MIN_RUNS */
	enum rp_verdict *flag;       /* per run: RP_REGRESSED or RP_IMPROVED where
				      * flagged, else RP_SAME */
};

/*
 * Runs, oldest first, as `vbench history` shows them: every pair of every
 * run, and each run k >= 1 judged against run k-1 by rp_compare() with
 * thresholds from runs 0..k-1 (rp_history_apply) where k >= 3. Quadratic
 * in the runs: each point's band and threshold look at all earlier runs.
 */
struct rp_timeline {
	const struct rp_run *const *runs;
	size_t n;
	struct rp_series *s;    /* first seen first */
	size_t ns;
	json_t *benches;        /* workload names, first seen first */
	struct rp_cmp *flags;   /* the rows flagged REGRESSED or IMPROVED, in time order */
	size_t *flag_run;       /* the run each was flagged in */
	size_t nflags;
	json_t *at;             /* pair key -> index into s */
	json_t *listed;         /* workload name -> true once in benches */
};

/* Build t over runs[0..n) oldest first, judged under o; 0 or -1 (out of memory). */
int rp_timeline_build(struct rp_timeline *t, const struct rp_run *const *runs, size_t n,
		      const struct rp_cmp_opts *o);
void rp_timeline_free(struct rp_timeline *t);

/*
 * runs[0..n) in time order into order[] (pointers into runs): by
 * meta.started (ISO 8601 UTC); ties keep the order given, and a file
 * without a readable start stays right after the one given before it.
 * 0, or -1 (out of memory).
 */
int rp_history_order(const struct rp_run *runs, size_t n, const struct rp_run **order);
/* When r started, "2026-11-22 10:00" (UTC), or "undated": for headers and labels. */
const char *rp_run_when(const struct rp_run *r, char *buf, size_t n);

#endif
