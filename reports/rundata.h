/* SPDX-License-Identifier: MIT */
/*
 * A result file (docs/results-schema.md, version 1) as the report and
 * compare read it: loaded, checked once for shape, indexed by (backend,
 * workload) and summarized from its raw measurements, then queried. The
 * file is untrusted input: after rp_run_load() succeeds every array and
 * field the queries rely on has the right JSON type. Each query looks at
 * one pair's measurements only, and finds pairs, backends and workloads by
 * hash, so a report is linear in the file's size.
 */
#ifndef VB_RUNDATA_H
#define VB_RUNDATA_H

#include <jansson.h>
#include <stddef.h>

#include "../common/traits.h"

struct rp_run {
	const char *path;
	char label[96];         /* "R1 lab1 2026-11-22" for tables and charts */
	/*
	 * The hostname as series names carry it where runs of several hosts
	 * are side by side: [A-Za-z0-9._-] (others '_'), at most 32 bytes,
	 * so that a hostile file's name cannot reach a gnuplot script raw.
	 */
	char host[33];
	json_t *root;
	json_t *backends;       /* borrowed from root; arrays (maybe empty) */
	json_t *workloads;
	json_t *measurements;
	json_t *summary;        /* computed at load from the measurements */
	json_t *by_pair;        /* pair key -> array of its measurements */
	json_t *sum_by_pair;    /* pair key -> its summary entry */
	json_t *backend_at;     /* name -> index of its first backends[] entry */
	json_t *workload_at;    /* name -> index of its first workloads[] entry */
	struct vb_traits *traits; /* per backends[] entry */
	unsigned char *has_traits;
};

/* Load and validate; 0, or -1 with a one-line reason in err. */
int rp_run_load(struct rp_run *r, const char *path, int index, char *err, size_t n);
/*
 * Validate, index and summarize a document already loaded (schema and
 * version checked); takes root.
 */
int rp_run_adopt(struct rp_run *r, json_t *root, const char *path, int index, char *err,
		 size_t n);
void rp_run_free(struct rp_run *r);

/* The backend object by name, or NULL. */
json_t *rp_backend(const struct rp_run *r, const char *name);
/* A backend-level counter (e.g. memory.peak, tcg.tb_count) or NAN. */
double rp_backend_counter(const struct rp_run *r, const char *be, const char *name);
/* Its traits, or NULL when the file says none (a name vbench 0.1.0 did not have). */
const struct vb_traits *rp_traits(const struct rp_run *r, const char *name);
/* The backend it is compared against (traits.baseline), or NULL. */
const char *rp_baseline(const struct rp_run *r, const char *name);
/* Every measurement of (backend, bench) in file order; NULL (no entries) if none. */
const json_t *rp_pair(const struct rp_run *r, const char *backend, const char *bench);
/* 1 when the backend started and answered. */
int rp_backend_ok(const struct rp_run *r, const char *name);
/* "unavailable: no /dev/kvm", "not in this run", ... (static or in r). */
const char *rp_backend_why(const struct rp_run *r, const char *name, char *buf, size_t n);

/* The workload object by name, or NULL; 1 when higher values are better. */
json_t *rp_workload(const struct rp_run *r, const char *name);
int rp_higher_is_better(const struct rp_run *r, const char *bench);

/* The summary entry of (backend, bench), or NULL. */
json_t *rp_summary(const struct rp_run *r, const char *backend, const char *bench);
/* Slowdown median and CI from the summary; 0, or -1 when absent/null. */
int rp_slowdown(const struct rp_run *r, const char *backend, const char *bench, double *med,
		double *lo, double *hi);

/*
 * What the slowdown's interval of (backend, bench) is, in words: "95% CI"
 * (bootstrap, 5 rounds or more) or "range of 2 rounds" (fewer: min, max).
 */
const char *rp_interval_words(const struct rp_run *r, const char *backend, const char *bench,
			      char *buf, size_t n);
/* 1 when that interval is a 95% CI, 0 when it is a range (or there is none). */
int rp_slowdown_is_ci(const struct rp_run *r, const char *backend, const char *bench);

/*
 * Every ok sample of (backend, bench) over all rounds, in a malloc'd array
 * (*out, NULL when none); returns the count.
 */
size_t rp_samples(const struct rp_run *r, const char *backend, const char *bench, double **out);
/*
 * Why (backend, bench) has no ok sample: "unsupported: <reason>" or
 * "error: <reason>" of its first such measurement, else "not measured".
 */
const char *rp_not_ok_reason(const struct rp_run *r, const char *backend, const char *bench,
			     char *buf, size_t n);

/*
 * A counter of (backend, bench) summed over its ok measurements' counting
 * passes, and the operations those passes ran (count.iters). Files from
 * before counting passes counted around the timed samples: there the
 * operations are iters x (kept + warm-up samples), and round 0 is left out
 * where later rounds exist (it included calibration). Names ending in '*'
 * match a prefix. Returns 1 when counted, 0 when only unavailable or not
 * counted (reason in *why), -1 when no such counter exists.
 */
int rp_counter(const struct rp_run *r, const char *backend, const char *bench, const char *name,
	       double *sum, double *ops, const char **why);

/* 1 when a counter name matches a pattern (a trailing '*' matches a prefix). */
int rp_name_matches(const char *name, const char *pattern);

/* Every distinct counter name of (backend, bench) starting with prefix. */
json_t *rp_counter_names(const struct rp_run *r, const char *backend, const char *bench,
			 const char *prefix);

#endif
