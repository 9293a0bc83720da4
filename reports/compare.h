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
 */
#ifndef VB_COMPARE_H
#define VB_COMPARE_H

#include <stdio.h>

#include "rundata.h"

enum rp_verdict {
	RP_SAME,        /* no significant change of at least min_effect */
	RP_IMPROVED,
	RP_REGRESSED,
	RP_BROKEN,      /* ok in BASE, an error in NEW: fails like a regression */
	RP_MISSING,     /* no ok sample on one side (unsupported, unavailable, absent) */
};

struct rp_cmp {
	const char *backend;    /* point into the runs compared: valid while they are */
	const char *bench;
	const char *unit;
	int higher_better;
	size_t n_base, n_new;
	double base_median, new_median, new_mad;
	double change;          /* new/base - 1 */
	double p;               /* two-sided */
	const char *test;       /* "rounds": permutation of whole rounds (the
				 * default); "samples": Mann-Whitney U over
				 * samples, where too few rounds cannot reach alpha */
	enum rp_verdict verdict;
	char note[200];         /* why MISSING/BROKEN */
};

struct rp_cmp_opts {
	double alpha;           /* significance level, default 0.01 */
	double min_effect;      /* minimum relative change of the median, default 0.05 */
};

/* Every (backend, workload) of either run, in BASE's order then NEW's. */
int rp_compare(const struct rp_run *base, const struct rp_run *cur,
	       const struct rp_cmp_opts *o, struct rp_cmp **out, size_t *n);
const char *rp_verdict_name(enum rp_verdict v);
/* 1 when the verdict fails a CI job. */
int rp_verdict_fails(enum rp_verdict v);

void rp_compare_table(FILE *f, const struct rp_cmp *c, size_t n);
/* JUnit XML and github-action-benchmark JSON; 0, or -1 with err. */
int rp_compare_junit(const char *path, const struct rp_cmp *c, size_t n,
		     const struct rp_cmp_opts *o, char *err, size_t errlen);
int rp_compare_github(const char *path, const struct rp_cmp *c, size_t n, char *err,
		      size_t errlen);

#endif
