/* SPDX-License-Identifier: MIT */
/*
 * What changed between the environments of two runs, for `vbench compare`
 * to say before its verdicts: a regression next to "qemu (type2): 7.2.9 ->
 * 8.2.1" or "host kernel: 6.1.0-18 -> 6.1.0-21" has its first suspect.
 * Fields are visited in a fixed order of importance (the host, then each
 * instance's hypervisor or runtime, then vbench itself, the plan, the
 * probes and the command line); identical ones are left out, and a field
 * an older file lacks is "not recorded". Both files are untrusted: what
 * is printed goes through common/textsafe.h, and each value is bounded.
 */
#ifndef VB_ENVDIFF_H
#define VB_ENVDIFF_H

#include <stdio.h>

#include "rundata.h"

struct rp_envdiff {
	char *what;     /* "host kernel", "qemu (type2)", "plan.samples" */
	char *base;     /* the value in BASE, rendered; "not recorded" when absent */
	char *cur;      /* in NEW */
};

struct rp_envdiffs {
	struct rp_envdiff *d;
	size_t n, cap;
};

/* The differences, in order; 0, or -1 when out of memory. Free with rp_envdiff_free. */
int rp_envdiff(const struct rp_run *base, const struct rp_run *cur, struct rp_envdiffs *out);
void rp_envdiff_free(struct rp_envdiffs *d);

/*
 * "What changed between BASE and NEW:" and one line per difference (at
 * most RP_ENVDIFF_SHOWN, then how many more), or that there is none;
 * escaped for a terminal.
 */
#define RP_ENVDIFF_SHOWN 100
void rp_envdiff_print(FILE *f, const struct rp_envdiffs *d);

/* Both: what compare calls. 0, or -1 when out of memory. */
int rp_envdiff_report(FILE *f, const struct rp_run *base, const struct rp_run *cur);

#endif
