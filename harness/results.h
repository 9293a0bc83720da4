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

/* A new document with meta (host, versions, command line, plan: stolen). */
json_t *vb_results_new(int argc, char **argv, json_t *plan);
/*
 * Record an instance of a backend with its traits: status "ok",
 * "unavailable" or "failed".
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

#endif
