/* SPDX-License-Identifier: MIT */
/*
 * A series' slowdowns and why it has none, which the overhead section's
 * table (sec_overhead.c) and its charts (overhead_chart.c) both read.
 */
#include <stdio.h>
#include <string.h>

#include "../common/proto.h"
#include "overhead.h"

/* The slowdown of a series on bench, where it is against a baseline in its own place. */
int rp_ov_slowdown(const struct rp_report *rp, const struct rp_ov_series *s, const char *bench,
		   double *med, double *lo, double *hi)
{
	const struct rp_run *r = &rp->runs[s->run];

	if (!rp_has_comparable_baseline(r, s->backend))
		return -1;
	return rp_slowdown(r, s->backend, bench, med, lo, hi);
}

/* Why (series, workload) has no slowdown, in buf; NULL where it has one. */
const char *rp_ov_no_slowdown(const struct rp_report *rp, const struct rp_ov_series *s,
			      const char *bench, char *buf, size_t n)
{
	const struct rp_run *r = &rp->runs[s->run];
	double med, lo, hi;

	if (!rp_backend_ok(r, s->backend))
		snprintf(buf, n, "%s", vb_json_str(rp_backend(r, s->backend), "status", "absent"));
	else if (!rp_workload(r, bench) && !rp_summary(r, s->backend, bench))
		snprintf(buf, n, "not in this run");
	else if (!rp_has_comparable_baseline(r, s->backend))
		snprintf(buf, n, "not compared: ran in the emulated lab, its baseline %.40s on this "
			 "host", rp_baseline(r, s->backend));
	else if (rp_slowdown(r, s->backend, bench, &med, &lo, &hi))
		rp_no_slowdown_why(r, s->backend, bench, buf, n);
	else
		return NULL;
	return buf;
}

/* 1 when rp_interval_words() names a range of rounds rather than a CI. */
int rp_ov_is_range(const char *words)
{
	return !strncmp(words, "range", 5);
}
