/* SPDX-License-Identifier: MIT */
/*
 * 95% confidence interval of a comparison's change, new median / base
 * median - 1, by a percentile bootstrap that resamples the same units the
 * test permutes: whole rounds (samples of one round share its conditions,
 * see roundperm.h), or single samples where compare fell back to testing
 * samples. Deterministic: a fixed seed, so two runs of compare agree.
 */
#ifndef VB_CHANGECI_H
#define VB_CHANGECI_H

#include <stddef.h>

#include "roundperm.h"

#define RP_CHANGE_CI_REPS 1000

/*
 * Into *lo, *hi: the interval of the change between rounds a and b.
 * 0, or -1 when a side has no sample or memory runs out.
 */
int rp_change_ci(const struct rp_round *a, size_t na, const struct rp_round *b, size_t nb,
		 double *lo, double *hi);

#endif
