/* SPDX-License-Identifier: MIT */
/* The result document (docs/results-schema.md): build, summarize, write, load. */
#ifndef VB_RESULTS_H
#define VB_RESULTS_H

#include <jansson.h>

#include "select.h"

#define VB_RESULTS_SCHEMA "vbench-results"
#define VB_RESULTS_VERSION 1

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
/* (Re)compute "summary" from the measurements. */
void vb_results_summarize(json_t *doc);
/* Finish: finished time, complete/interrupted flags. */
void vb_results_finish(json_t *doc, int complete, int interrupted);
/* Write atomically (tmp file, fsync, rename). 0 or -1 with err. */
int vb_results_write(json_t *doc, const char *path, char *err, size_t n);
/* Load and validate schema and version; NULL with a one-line err. */
json_t *vb_results_load(const char *path, char *err, size_t n);

#endif
