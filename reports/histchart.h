/* SPDX-License-Identifier: MIT */
/*
 * `vbench history FILES... -o DIR`: each (backend, workload) over many
 * result files (CI artefacts), oldest first. Per metric a chart of its run
 * median in each file, the band of the earlier files' medians (their
 * range) and the points compare flags: file k against file k-1, with
 * thresholds as `compare --history` learns them from files 0..k-1
 * (history.h) where 3 or more of them are usable, else min_effect;
 * REGRESSED red, improved green.
 * DIR as `vbench report` takes it (report.h: rp_report_dir): index.html,
 * report.md and each chart's .dat, .gp, .png and .svg (chart.h).
 */
#ifndef VB_HISTCHART_H
#define VB_HISTCHART_H

#include "compare.h"

/*
 * runs[0..n) oldest first (history.h: rp_history_order), judged under o;
 * the points flagged into *flagged. 0, or -1 with err.
 */
int rp_history_write(const struct rp_run *const *runs, size_t n, const struct rp_cmp_opts *o,
		     const char *dir, size_t *flagged, char *err, size_t errlen);

#endif
