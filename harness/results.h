/* SPDX-License-Identifier: MIT */
/*
 * Building the result document during a run (docs/results-schema.md);
 * writing, loading and summarizing it are common/results.h's.
 */
#ifndef VB_RESULTS_H
#define VB_RESULTS_H

#include <jansson.h>

#include "select.h"
#include "../common/results.h"

/* Now, as the document's times are written: "2026-11-22T19:40:00Z". */
json_t *vb_results_now(void);
/*
 * A new document with meta (versions, command line; host and plan, both
 * stolen: the caller describes the host, so that tests need not probe it).
 */
json_t *vb_results_new(int argc, char **argv, json_t *host, json_t *plan);
/*
 * Record an instance of a backend with its traits: status "ok",
 * "unavailable", "failed" or "interrupted" (its start, by Ctrl-C).
 */
json_t *vb_results_add_backend(json_t *doc, const struct vb_pick *pk, const char *status,
			       const char *reason);
void vb_results_add_workload(json_t *doc, json_t *wl);
/* Takes the reference to m. */
void vb_results_add_measurement(json_t *doc, json_t *m);
/*
 * Finish: the finished time, complete/interrupted flags and the summary
 * (once, from all measurements). 0, or -1 when the summary ran out of
 * memory (everything else is set).
 */
int vb_results_finish(json_t *doc, int complete, int interrupted);
/*
 * 1 when the run measured something: a backend ran and a measurement is
 * ok; else 0 with why in one line (vbench run then exits 1).
 */
int vb_results_measured(const json_t *doc, char *why, size_t n);

#endif
