/* SPDX-License-Identifier: MIT */
/*
 * The scheduler runs rounds: in each round every live environment runs
 * each workload once, in a freshly shuffled order, so slow drifts of a
 * noisy host hit every environment alike; ratios are then taken per round.
 *
 * Each measurement has two passes: the timed samples, which nothing
 * observes, then (unless count is 0) a counting pass of one sample's
 * operations with the observer attached. Times come from the first,
 * counters from the second.
 */
#ifndef VB_SCHEDULER_H
#define VB_SCHEDULER_H

#include <jansson.h>
#include <signal.h>

#include "backend.h"
#include "../bench/bench.h"

/*
 * Watches each counting pass (the probes); members may be NULL. Nothing
 * watches the timed samples: begin comes after them, when the agent is
 * ready to count, and end as soon as it has counted. wl is NULL for the
 * empty window measured once per instance (its floor).
 */
struct vb_observer {
	void (*begin)(void *arg, struct vb_instance *in, const struct vb_workload *wl);
	void (*end)(void *arg, struct vb_instance *in, json_t *counters);
	void *arg;
};

/* What a resumed run's file holds of an (instance, workload, round) already. */
enum vb_done {
	VB_NOT_DONE,          /* measure it */
	VB_DONE,              /* an ok measurement: skip it */
	VB_DONE_UNSUPPORTED,  /* unsupported there: skip it and that pair from now on */
};

struct vb_sched {
	struct vb_instance *inst;      /* started environments */
	json_t **inst_json;            /* their entries in doc "backends" */
	size_t ninst;
	const struct vb_workload **wl;
	json_t **params;               /* per workload: parameter overrides, or NULL */
	/* per instance: {bench: {param: value}} over those (--set), or NULL */
	json_t **inst_params;
	size_t nwl;
	unsigned rounds, samples, warmup, min_sample_ms, timeout_ms;
	/*
	 * Rounds until precise (precision.h): after `rounds`, more rounds of
	 * the workloads with a comparison whose CI half-width is above
	 * precision (relative; 0: exactly `rounds`), up to max_rounds in all,
	 * while the next round fits in time_budget_s for all rounds together
	 * (0: twice what the planned rounds took; the budget used is
	 * written back). What was reached goes into the document's "precision".
	 */
	double precision, time_budget_s;
	unsigned max_rounds;
	int count;                     /* run a counting pass after each timed pass */
	uint64_t seed;
	json_t *doc;                   /* results, written to out after each step */
	const char *out;
	volatile sig_atomic_t *stop;   /* set by SIGINT/SIGTERM */
	const struct vb_observer *obs;
	/* resuming a run: what is done already (harness/resume.h); NULL: nothing */
	enum vb_done (*done)(void *arg, const char *instance, const char *bench, unsigned round);
	void *done_arg;
};

/* 0: all rounds done; 1: interrupted; -1: results could not be written (err). */
int vb_sched_run(struct vb_sched *s, char *err, size_t n);

#endif
