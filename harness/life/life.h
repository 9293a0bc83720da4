/* SPDX-License-Identifier: MIT */
/*
 * Lifecycle and isolation experiments: what an approach costs to start,
 * to keep, to pack, and what a neighbour does to it. Unlike a workload,
 * which runs inside one environment the scheduler keeps, an experiment
 * starts and stops environments itself, so it runs after the workloads'
 * rounds, with the host otherwise quiet. One file per experiment; the list
 * below makes the table, as stress-ng's stressors. They know a backend by
 * its callbacks and traits only.
 */
#ifndef VB_LIFE_H
#define VB_LIFE_H

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>

#include "../backend.h"
#include "../select.h"

/* X(symbol, name): the experiment is vb_exp_<symbol> (harness/life/<symbol>.c). */
#define VB_EXPERIMENTS(X) \
	X(start, "life.start") \
	X(footprint, "life.footprint") \
	X(density, "life.density") \
	X(neighbour, "iso.neighbour")

struct vb_life_opts {
	unsigned reps;            /* life.start: launches of each backend and of its floor */
	long long budget_bytes;   /* life.density: the memory its instances may take */
	const char *budget_desc;  /* ... as given: "2G", "25% of 23000 MiB available" */
	unsigned density_max;     /* life.density: the most instances it starts */
	unsigned neighbour_rounds; /* iso.neighbour: alone/with/limited rounds */
	unsigned min_sample_ms, samples; /* iso.neighbour: the victim's samples */
	unsigned timeout_ms;      /* per request (--timeout): a workload's setup may be slow */
};

/* What experiments need of the run. */
struct vb_life {
	const struct vb_life_opts *o;
	json_t *doc;                   /* entries go to its "experiments" */
	const char *out;               /* the result file, written after each entry */
	volatile sig_atomic_t *stop;   /* set on Ctrl-C: wind down, keep what is measured */
	uint64_t seed;
};

struct vb_experiment {
	const char *name;
	const char *desc;
	/*
	 * Measure instance pk (its own context ctx) into entry, whose "status"
	 * is "ok" unless it sets "failed", "unsupported" or "interrupted" with
	 * a "reason". Starts and stops everything it needs, also on failure.
	 */
	void (*run)(const struct vb_life *L, const struct vb_pick *pk,
		    const struct vb_run_ctx *ctx, json_t *entry);
	/* Its ok entry's line in the run's closing summary (no newline). */
	void (*print)(FILE *f, const json_t *entry);
};

extern const struct vb_experiment *const vb_experiments[];
extern const size_t vb_nexperiments;

/* Bit i of a selection: vb_experiments[i]. */
unsigned vb_experiment_match(const char *glob);

/*
 * Run the selected experiments on each pick whose entry in doc "backends"
 * is ok (the others get the backend's status and reason), experiment by
 * experiment, writing the file after each entry.
 */
void vb_life_run(const struct vb_life *L, unsigned selected, const struct vb_pick *picks,
		 const struct vb_run_ctx *ctxs, int npicks);

/* One line per experiment entry of doc, for the run's closing summary (print.c). */
void vb_life_print(FILE *f, const json_t *doc);

/* Helpers for the experiments (life.c). */
/*
 * Start an instance of pk named "<pk>-<suffix>" and wait for its hello.
 * Without io, its I/O scratch image is the smallest (VB_LIFE_SCRATCH_MIB):
 * making one of the run's size is vbench's work, not the approach's, and
 * a hundred of them would fill the disk. 0, or -1 with err (the instance
 * is stopped then), 1 when Ctrl-C cut it.
 */
#define VB_LIFE_SCRATCH_MIB 1
int vb_life_start(const struct vb_pick *pk, const struct vb_run_ctx *ctx, const char *suffix,
		  int io, struct vb_instance *in, char *err, size_t n);
/* Mark entry failed (or interrupted when L's stop is set) with why. */
void vb_life_fail(const struct vb_life *L, json_t *entry, const char *why);
/* The "median" of entry's distribution key (vb_life_dist), or NAN. */
double vb_life_median(const json_t *entry, const char *key);
/* {"median", "p95", "min", "max", "n", "values"} of x[0..n)'s finite values; null if none. */
json_t *vb_life_dist(const double *x, size_t n);

#endif
