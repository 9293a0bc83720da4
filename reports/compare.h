/* SPDX-License-Identifier: MIT */
/*
 * Regression verdicts between two result files: per (backend, workload) a
 * non-parametric test on the raw samples plus a minimum effect size on the
 * medians, in the workload's direction (lower or higher is better). Both
 * must agree before anything is called a regression: the test alone flags
 * tiny shifts on a quiet host, the effect size alone flags noise.
 *
 * The test is the Mann-Whitney statistic with whole rounds permuted
 * (roundperm.h): samples of one round share its conditions, and treating
 * them as independent gave 3% false alarms in simulated A/A runs with a
 * 3% round-to-round drift (tests/unit/test_compare.c). Where the rounds
 * are too few for that test ever to reach alpha (under 5 + 5 at 0.01), it
 * falls back to Mann-Whitney U over the samples and says so.
 *
 * With --history (history.h) a metric's threshold is the largest change
 * its run medians over earlier runs say two runs show by noise alone (99%
 * two-sided), where that exceeds min_effect: no regression is called
 * inside the noise that metric has shown.
 *
 * Only like is compared with like: a pair whose unit, direction,
 * parameters or workload version differ between the files is
 * INCOMPARABLE, never a change; and what ran in BASE but not in NEW fails
 * (BROKEN, or MISSING unless allowed), so a CI job whose NEW run broke or
 * was cut short cannot pass.
 */
#ifndef VB_COMPARE_H
#define VB_COMPARE_H

#include <stdio.h>
#include <time.h>

#include "rundata.h"

enum rp_verdict {
	RP_SAME,        /* no significant change of at least min_effect */
	RP_IMPROVED,
	RP_REGRESSED,
	RP_BROKEN,      /* ok in BASE; in NEW an error, or its backend failed or was
			 * unavailable: fails like a regression */
	RP_INCOMPARABLE, /* unit, direction, parameters or workload version differ:
			  * fails unless allow_incomparable */
	RP_MISSING,     /* ok in BASE, no ok sample in NEW for another reason (unsupported,
			 * not measured, backend not in NEW): fails unless allow_missing */
	RP_SKIPPED,     /* no ok sample in BASE: nothing to compare against */
};

/* What history says of one metric (history.h); nothing (runs + left_out 0) without it. */
struct rp_hist_fit {
	size_t runs;            /* history files whose run median went in */
	size_t left_out;        /* files without an ok sample of the pair, or whose pair
				 * is incomparable with NEW's */
	double lo, hi;          /* the least and greatest of those medians; NAN if none */
	double spread;          /* hi/lo - 1, for display; NAN under RP_HISTORY_MIN_RUNS runs */
	double noise;           /* the 99% bound on a change between two runs by noise
				 * (history.h); NAN under RP_HISTORY_MIN_RUNS runs */
};

struct rp_cmp {
	const char *backend;    /* point into the runs compared: valid while they are */
	const char *bench;
	const char *unit;
	int higher_better;
	size_t n_base, n_new;
	double base_median, new_median, new_mad; /* NAN where that side has no sample */
	double change;          /* new/base - 1 */
	double ci_lo, ci_hi;    /* its 95% interval (changeci.h); NAN where not computed */
	const char *ci_method;  /* how: over what the test used; NULL if none */
	unsigned ci_resamples;  /* the bootstrap's resamples; 0 where it is no bootstrap */
	double p;               /* two-sided */
	const char *test;       /* "rounds": permutation of whole rounds (the
				 * default); "paired": sign flips of per-round
				 * ratios (one run, rp_compare_paired);
				 * "samples": Mann-Whitney U over samples, where
				 * too few rounds cannot reach alpha */
	enum rp_verdict verdict;
	double threshold;       /* the least |change| REGRESSED or IMPROVED needs: min_effect,
				 * or the metric's noise bound from history where larger */
	const char *threshold_from; /* "min_effect" or "history" */
	struct rp_hist_fit hist; /* --history: what the threshold was learned from */
	char note[512];         /* why BROKEN, MISSING, SKIPPED; what differs if INCOMPARABLE;
				 * params set differently on the instances (one run) */
};

struct rp_cmp_opts {
	double alpha;           /* significance level, default 0.01 */
	double min_effect;      /* minimum relative change of the median, default 0.05 */
	int allow_incomparable; /* INCOMPARABLE rows do not fail */
	int allow_missing;      /* nor MISSING rows, an empty NEW or one cut short */
};

/* What a comparison as a whole comes to, for the exit status and its last line. */
struct rp_outcome {
	size_t regressed, broken, incomparable, missing;
	size_t new_ok;          /* ok measurements in NEW */
	const char *cut_short;  /* "NEW was interrupted", "NEW did not complete" or NULL */
	int fails;              /* 1: fails a CI job (exit status 1), else 0 */
};

/* Every (backend, workload) of either run, in BASE's order then NEW's. */
int rp_compare(const struct rp_run *base, const struct rp_run *cur,
	       const struct rp_cmp_opts *o, struct rp_cmp **out, size_t *n);
/*
 * A/B in one run: every workload instance cur (NEW) or base (BASE)
 * measured in r, cur's per-round medians over base's in the same round
 * tested by paired.h (test "paired"), or where too few rounds for that
 * to reach alpha, Mann-Whitney U over samples ("samples"). Rows name cur
 * as their backend. A parameter set on one instance is noted, not
 * refused: it is the difference being measured. 0, or -1 with err (an
 * instance not in r, out of memory).
 */
int rp_compare_paired(const struct rp_run *r, const char *base, const char *cur,
		      const struct rp_cmp_opts *o, struct rp_cmp **out, size_t *n, char *err,
		      size_t errlen);
const char *rp_verdict_name(enum rp_verdict v);
/* 1 when the row has a change: both sides measured the same metric (same, improved, REGRESSED). */
int rp_cmp_has_change(const struct rp_cmp *c);
/*
 * A row with a change decided again under another threshold (from: "history"
 * or "min_effect"); other rows are left as they are.
 */
void rp_cmp_rethreshold(struct rp_cmp *c, double threshold, const char *from,
			const struct rp_cmp_opts *o);
/*
 * What makes (backend, bench) a different metric in base and cur, into
 * why ("" when nothing): workload version, unit, direction, parameters.
 * What INCOMPARABLE says, and what leaves a history file out (history.h).
 */
void rp_pair_differences(const struct rp_run *base, const struct rp_run *cur,
			 const char *backend, const char *bench, char *why, size_t n);
/*
 * --alpha (opt 'a') or --min-effect ('m') of command cmd: a fraction in
 * (0, 1), "0.05" or "5%", into o; 0, or 2 with the error on stderr.
 */
int rp_cmp_option(const char *cmd, int opt, const char *arg, struct rp_cmp_opts *o);
/* A UTC time as results files write it, "2026-12-01T14:24:45Z"; -1 if it is not one. */
time_t rp_utc_time(const char *s);
/* Append sep (unless buf is empty) and the formatted text to buf, as far as it fits. */
void rp_addf(char *buf, size_t n, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* 1 when the verdict fails a CI job under o. */
int rp_verdict_fails(enum rp_verdict v, const struct rp_cmp_opts *o);
/* Why a run holds less than its plan: "NEW was interrupted", ... or NULL. */
const char *rp_run_cut_short(const struct rp_run *r);
/* The counts, and whether it fails: what `vbench compare` exits with. */
void rp_compare_outcome(const struct rp_cmp *c, size_t n, const struct rp_run *cur,
			const struct rp_cmp_opts *o, struct rp_outcome *out);
/* The same for rp_compare_paired(): NEW's ok measurements are instance cur's. */
void rp_paired_outcome(const struct rp_cmp *c, size_t n, const struct rp_run *r,
		       const char *cur, const struct rp_cmp_opts *o, struct rp_outcome *out);
/* "result: no regression" or "result: FAILED: 1 regressed, ..." and a newline. */
void rp_outcome_print(FILE *f, const struct rp_outcome *r, const struct rp_cmp_opts *o);

/*
 * One row per comparison but MISSING ones, which rp_compare_missing() sums
 * up; under --history a "thresh" column and a line saying what it means.
 */
void rp_compare_table(FILE *f, const struct rp_cmp *c, size_t n);
/*
 * One line per backend with MISSING rows: "type2: 12 of 21 workloads
 * missing in NEW: cpu.int, ... (not measured; NEW was interrupted)".
 */
void rp_compare_missing(FILE *f, const struct rp_cmp *c, size_t n, const char *cut_short);
/*
 * JUnit XML and github-action-benchmark JSON; 0, or -1 with err. Only
 * comparable rows with NEW samples give github values, rounded to 4
 * significant digits. The JUnit testsuite takes its time, timestamp and
 * hostname from NEW's meta (started, finished, host.hostname), else from
 * now and this host.
 */
int rp_compare_junit(const char *path, const struct rp_cmp *c, size_t n,
		     const struct rp_cmp_opts *o, const struct rp_outcome *r,
		     const struct rp_run *cur, char *err, size_t errlen);
int rp_compare_github(const char *path, const struct rp_cmp *c, size_t n, char *err,
		      size_t errlen);
/* What was compared, as the JSON's top level names it. */
struct rp_compared {
	const char *base, *cur; /* BASE's and NEW's files; in one run, the instances */
	const char *file;       /* A/B in one run: the result file; else NULL */
	const struct rp_run *const *history; /* --history: its files, oldest first */
	size_t nhistory;        /* 0 without --history */
};
/*
 * Every row and the outcome as JSON ("vbench-compare", version 1) into
 * path, or onto stdout where path is "-"; 0, or -1 with err.
 */
int rp_compare_json(const char *path, const struct rp_cmp *c, size_t n,
		    const struct rp_cmp_opts *o, const struct rp_outcome *r,
		    const struct rp_compared *w, char *err, size_t errlen);
/* 1 when the row's threshold was looked up in history (--history). */
int rp_cmp_has_history(const struct rp_cmp *c);
/* The row's threshold for a table: "7.2%h" (from history), "5.0%" (min effect), "-". */
const char *rp_threshold_text(char *buf, size_t n, const struct rp_cmp *c);
/* "history: 10 runs, spread 7.2%, noise bound 9.8%", "history: only 2 runs, 1 left out". */
const char *rp_hist_note(char *buf, size_t n, const struct rp_cmp *c);
/* A p-value: 2 significant digits, and under 0.001 "<0.001"; "-" where none. */
const char *rp_fmt_p(char *buf, size_t n, double p);

#endif
