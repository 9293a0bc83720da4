/* SPDX-License-Identifier: MIT */
/*
 * Mann-Whitney U test (Wilcoxon rank-sum) for two independent samples,
 * with the normal approximation, tie correction and continuity correction.
 * It makes no assumption about the distribution, which suits timing samples
 * on a noisy host (skewed, with outliers).
 */
#ifndef VB_MANNWHITNEY_H
#define VB_MANNWHITNEY_H

#include <stddef.h>

struct rp_mwu {
	double u;       /* U of sample a: how often a value of a beats one of b */
	double z;       /* standardized U (> 0: a tends to be larger) */
	double p;       /* two-sided p-value; 1 when every value is equal */
};

/* 0, or -1 when a sample is empty or memory runs out. */
int rp_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		    struct rp_mwu *out);

#endif
