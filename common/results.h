/* SPDX-License-Identifier: MIT */
/*
 * The result file (docs/results-schema.md) as every layer sees it: its
 * schema name and version, an atomic write, a checked load, and the
 * summary computed from its raw measurements. The harness builds the
 * document during a run; the reports read it.
 */
#ifndef VB_COMMON_RESULTS_H
#define VB_COMMON_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#define VB_RESULTS_SCHEMA "vbench-results"
#define VB_RESULTS_VERSION 1

/*
 * Write atomically, as safefile.h replaces a file (never through a symlink,
 * never over a device or FIFO). 0 or -1 with err.
 */
int vb_results_write(const json_t *doc, const char *path, char *err, size_t n);
/*
 * The largest result file read. A run of every workload on every backend,
 * 5 rounds with counters, writes about 5 MB; the readers hold 5-10 times
 * a file in memory (jansson's tree), so this cap keeps a compare of two
 * files within a few GB. A larger file is refused before it is read, a
 * pipe when it passes the cap.
 */
#define VB_RESULTS_MAX_BYTES (256u << 20)
/*
 * Load and check JSON, schema name and version, and that backends,
 * workloads and measurements are arrays; NULL with a one-line err. Files
 * written before backends carried traits get them (vb_results_fill_traits).
 * Over VB_RESULTS_MAX_BYTES is an error.
 */
json_t *vb_results_load(const char *path, char *err, size_t n);
/* The same checks on a document in memory; what names it in err. */
json_t *vb_results_loadb(const char *buf, size_t len, const char *what, char *err, size_t n);
/*
 * Give each backend entry without "traits" the traits its name had in
 * vbench 0.1.0, the last version that did not record them; names that
 * version did not have are left without.
 */
void vb_results_fill_traits(json_t *doc);
/*
 * The summary of the document's measurements: per (backend, workload)
 * with ok samples, their median and MAD, and where the backend has a
 * baseline (traits.baseline) the per-round paired ratio to it with a
 * bootstrap 95% CI ("interval": "ci95"), or under 5 rounds the range of
 * the ratios ("interval": "range"), and "rounds". Linear in the number of measurements; samples and
 * rounds are not capped. NULL when memory runs out.
 */
json_t *vb_results_summary(const json_t *doc);
/*
 * Below this many paired rounds a bootstrap "95% CI" of a median is little
 * more than the lowest and highest value: the summary gives that range,
 * and calls it one.
 */
#define VB_CI_MIN_ROUNDS 5
/*
 * The interval the summary gives a median of per-round values: bootstrap
 * 95% CI of the median of x (its resamples and seed). 0, or -1 (n == 0,
 * out of memory).
 */
int vb_summary_median_ci(const double *x, size_t n, double *lo, double *hi);
/* The median of a measurement's samples where its status is ok, else NAN. */
double vb_results_ok_median(const json_t *m);
/*
 * An index of entries {"name": ...} by name: name -> the index of its first
 * entry in arr (entries without a string name are left out); NULL when out
 * of memory.
 */
json_t *vb_results_names(const json_t *arr);
/*
 * The key of a (backend, workload) pair for indexes ("backend\x1fbench"),
 * malloc'd; NULL when out of memory.
 */
char *vb_results_pair_key(const char *backend, const char *bench);

#endif
