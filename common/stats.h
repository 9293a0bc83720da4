/* SPDX-License-Identifier: MIT */
/* Robust statistics for noisy hosts: medians, MAD, bootstrap intervals. */
#ifndef VB_STATS_H
#define VB_STATS_H

#include <stddef.h>
#include <stdint.h>

double vb_median(const double *x, size_t n);   /* does not modify x; NAN if n == 0 */
double vb_mad(const double *x, size_t n);      /* median absolute deviation */
/* The q-quantile (0..1) of x[0..n), interpolated between order statistics; NAN if n == 0. */
double vb_quantile(const double *x, size_t n, double q);

/*
 * The two-sided 99% quantile of Student's t with df degrees of freedom,
 * t(0.995, df): exact (3 decimals) for df 1..30, the Cornish-Fisher
 * expansion above (within 0.001 from df 31 on); NAN for df 0.
 */
double vb_t995(unsigned df);
/* The same for the two-sided 95% quantile, t(0.975, df). */
double vb_t975(unsigned df);

/*
 * Bootstrap 95% confidence interval of the median of x: `reps` resamples
 * with replacement, percentile method, deterministic for a given seed.
 * Returns 0, or -1 when n == 0 or memory runs out.
 */
int vb_bootstrap_median_ci(const double *x, size_t n, unsigned reps, uint64_t seed,
			   double *lo, double *hi);

/* A small, fast, seedable generator (splitmix64) for shuffles and resampling. */
uint64_t vb_rand_next(uint64_t *state);
/* Uniform in [0, n). */
size_t vb_rand_below(uint64_t *state, size_t n);

#endif
