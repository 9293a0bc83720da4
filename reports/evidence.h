/* SPDX-License-Identifier: MIT */
/* Numbers the coursework sections reason with, derived from one run. */
#ifndef VB_EVIDENCE_H
#define VB_EVIDENCE_H

#include "rundata.h"

/*
 * How many times longer `slow` takes than `fast` on bench (medians of all
 * samples, turned for higher-is-better units: > 1 means slow is slower).
 * 0, or -1 when either lacks a summary.
 */
int rp_gap(const struct rp_run *r, const char *slow, const char *fast, const char *bench,
	   double *gap, double *slow_med, double *fast_med);

/* What the hypervisor did per operation, by kind of event. */
struct rp_cause {
	const char *counter;    /* counter name or prefix* */
	const char *what;       /* "VM exits", ... in a sentence */
};
extern const struct rp_cause rp_causes[];
extern const int rp_ncauses;

/* Per-operation rate of a cause; 0, or -1 with why (never NULL). */
int rp_rate(const struct rp_run *r, const char *be, const char *bench,
	    const struct rp_cause *c, double *rate, const char **why);

/* The emulated-lab note of a backend (traits.lab), or NULL when it ran directly. */
const char *rp_lab(const struct rp_run *r, const char *be);

#endif
