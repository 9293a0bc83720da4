/* SPDX-License-Identifier: MIT */
/*
 * The paired test of A/B in one run: two instances measured in the same
 * shuffled rounds, seconds apart, give one ratio per round (B's median over
 * A's). Whatever the host did in that round (drift, a noisy neighbour)
 * touches both and cancels in the ratio, which is why this is the
 * recommended CI mode. Under "no change" each round's log ratio is as
 * likely negative as positive, so the test flips their signs: exact over
 * every sign pattern up to 20 rounds, else 9999 seeded random patterns.
 *
 * Estimate, interval and test all rest on the mean log ratio (the
 * geometric mean of the ratios), so that the interval is as wide as the
 * test is unsure: a round that disagrees widens it, and `vbench run
 * --precision` then adds rounds (harness/precision.h) until the test can
 * see past it. With 8 rounds one disagreeing round already keeps every
 * sign-flip test above p = 4/256; with 12 it can be 26/4096.
 */
#ifndef VB_PAIRED_H
#define VB_PAIRED_H

#include <stddef.h>

struct rp_paired {
	double change;          /* geometric mean of the per-round ratios - 1 */
	double ci_lo, ci_hi;    /* its 95% interval: Student's t on the mean log ratio
				 * (a bootstrap's percentiles are too narrow on 8 to 20
				 * rounds); NAN under 2 rounds */
	double p;               /* two-sided, on the mean log ratio */
	double min_p;           /* the smallest p these many rounds can give */
	int exact;              /* every sign pattern enumerated */
};

/* On n per-round log ratios log(B/A); 0, or -1 when n is 0 or memory runs out. */
int rp_paired_test(const double *logratio, size_t n, struct rp_paired *out);

#endif
