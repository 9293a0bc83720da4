/* SPDX-License-Identifier: MIT */
/*
 * Power-of-two histograms the probes write as counters "<prefix><k>":
 * events that took [2^k, 2^(k+1)) ns (block request latency, time outside
 * the guest per VM exit). Read per (run, approach, workload), summarized
 * by the buckets that hold a quantile, charted one line per approach.
 */
#ifndef VB_HIST_H
#define VB_HIST_H

#include <stddef.h>

#include "report.h"

#define RP_HIST_MAX 40 /* the probes' buckets: 2^0 .. 2^39 ns */

struct rp_hist {
	int n;                          /* buckets present, ascending */
	double lo_us[RP_HIST_MAX];      /* lower bound, 2^k ns in us */
	double count[RP_HIST_MAX];
	double total;
};

/* The histogram of (be, bench) from its counting passes; returns h->n (0: none). */
int rp_hist_read(const struct rp_run *r, const char *be, const char *bench, const char *prefix,
		 struct rp_hist *h);
/* The bucket holding quantile q, as "131-262 us". */
const char *rp_hist_bucket(const struct rp_hist *h, double q, char *buf, size_t n);

struct rp_hist_chart {
	const char *prefix;     /* counter prefix */
	const char *name;       /* chart name prefix: NAME-<workload> */
	const char *title;      /* "Block I/O latency", followed by ": <workload>" */
	const char *xlabel;
	const char *ylabel;     /* "% of requests" */
	const char *caption;
};
/* One chart per workload: a line per (run, approach), % of events per bucket. */
void rp_hist_chart(struct rp_report *rp, const struct rp_hist_chart *c, const char *bench);

#endif
