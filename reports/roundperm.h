/* SPDX-License-Identifier: MIT */
/*
 * A permutation test that respects how vbench measures: samples of one
 * round share that round's conditions (this host drifts between minutes),
 * so they are not independent. The statistic is the Mann-Whitney one on
 * the raw samples (difference of mean ranks), but what gets permuted is
 * whole rounds between BASE and NEW. Exact over every split where there
 * are few enough, else 9999 seeded random splits.
 */
#ifndef VB_ROUNDPERM_H
#define VB_ROUNDPERM_H

#include <stddef.h>

struct rp_round {
	const double *x;
	size_t n;
};

struct rp_perm {
	double p;       /* two-sided */
	double min_p;   /* the smallest p any data could give with these rounds */
	int exact;      /* every split enumerated */
};

/*
 * 0, or -1 when a side has no round or memory runs out. Any number of
 * rounds: exact up to 62 rounds and 200000 splits, else random splits.
 */
int rp_round_perm(const struct rp_round *a, size_t ra, const struct rp_round *b, size_t rb,
		  struct rp_perm *out);

#endif
