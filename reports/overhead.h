/* SPDX-License-Identifier: MIT */
/*
 * The overhead section's columns, a series per (run, approach) compared
 * with a baseline: its table is sec_overhead.c, its charts (one per group
 * of workloads) overhead_chart.c, the slowdowns both read overhead.c.
 */
#ifndef VB_OVERHEAD_H
#define VB_OVERHEAD_H

#include "report.h"

#define RP_OV_MAX_SERIES 48

struct rp_ov_series {
	int run;
	const char *backend;
	char label[80];         /* its label, made safe for gnuplot strings */
};

/* The slowdown of a series on bench, where it is against a baseline in its own place; 0 or -1. */
int rp_ov_slowdown(const struct rp_report *rp, const struct rp_ov_series *s, const char *bench,
		   double *med, double *lo, double *hi);
/* Why (series, workload) has no slowdown, in buf; NULL where it has one. */
const char *rp_ov_no_slowdown(const struct rp_report *rp, const struct rp_ov_series *s,
			      const char *bench, char *buf, size_t n);
/* 1 when rp_interval_words() names a range of rounds rather than a CI. */
int rp_ov_is_range(const char *words);
/* Each workload group's chart once, in the order of their first workload. */
void rp_ov_charts(struct rp_report *rp, const struct rp_ov_series *s, int ns);

#endif
