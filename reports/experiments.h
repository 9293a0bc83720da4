/* SPDX-License-Identifier: MIT */
/*
 * The lifecycle and isolation experiments of a run, as the report reads
 * them: results "experiments", entries {"name", "backend", "status",
 * "reason", ...the experiment's fields} (harness/life). The file is
 * untrusted and rundata.h does not check this part: every accessor here
 * takes any JSON (missing, of the wrong type) and says "none" for what it
 * cannot use. A measure (a time, a size, a ratio, a count) is a finite
 * number >= 0; anything else reads as none, never as a number.
 */
#ifndef VB_EXPERIMENTS_H
#define VB_EXPERIMENTS_H

#include <jansson.h>
#include <stddef.h>

#include "rundata.h"

#define RP_EXP_START "life.start"
#define RP_EXP_FOOTPRINT "life.footprint"
#define RP_EXP_DENSITY "life.density"
#define RP_EXP_NEIGHBOUR "iso.neighbour"

/* The most values read from one distribution: life.density's highest --density-max. */
#define RP_DIST_MAX_VALUES 100000

/* The entry of (backend, experiment) in r, or NULL; the last wins (a resumed run adds). */
const json_t *rp_exp(const struct rp_run *r, const char *backend, const char *name);
/* 1 when the entry's status is "ok". */
int rp_exp_ok(const json_t *e);
/*
 * Why (backend, name) has no ok entry in r, or one without figures, in
 * words: its entry's "<status>: <reason>" (an ok one's: that it has no
 * figure to read), else the backend's own where it did not start,
 * else "not in this run: select life.* and iso.* or run --all" or, where
 * the run's plan selected it, "no entry: ...". Into buf; returns buf.
 */
const char *rp_exp_why(const struct rp_run *r, const char *backend, const char *name,
		       char *buf, size_t n);

/* 1 when r selected the experiment (meta.plan.experiments) or has an entry of it. */
int rp_exp_in_run(const struct rp_run *r, const char *name);

/* For the sections (exp_table.c). */
struct rp_report;
/*
 * Below an experiment's table, as items of a list the caller ends: why
 * each approach of each run has no entry with figures (status not ok, or
 * has(e) false), rp_exp_why; once for a run that did not select it.
 */
void rp_exp_absences(struct rp_report *rp, const char *name, int (*has)(const json_t *e));

/* An experiment's table: whether an entry has figures for a row, and that row. */
struct rp_exp_table {
	const char *name;
	int (*has)(const json_t *e);
	/* first: the table is still to be opened (rp_doc_table) */
	void (*row)(struct rp_report *rp, int run, const char *be, const json_t *e, int first);
};
/* A row per (run, approach) with figures, then rp_exp_absences, the list ended. */
void rp_exp_table(struct rp_report *rp, const struct rp_exp_table *t);

/* A measure (see above) at obj.key, or NAN. */
double rp_measure(const json_t *obj, const char *key);
/* The same in MiB, from bytes. */
double rp_measure_mib(const json_t *obj, const char *key);

/* A distribution {"median", "p95", "min", "max", "n", "values"}; NAN / 0 where absent. */
struct rp_dist {
	double median, p95, min, max;
	long long n;            /* 0 when absent or not a count */
};
/* Read obj.key; 1 when it has a median, else 0 (d all NAN, n 0). */
int rp_dist(const json_t *obj, const char *key, struct rp_dist *d);
/* Its median alone, or NAN. */
double rp_dist_median(const json_t *obj, const char *key);
/*
 * Its values, in file order, at most max (NAN for one that is not a
 * measure), into a malloc'd *out (NULL when none); the count.
 */
size_t rp_dist_values(const json_t *obj, const char *key, size_t max, double **out);

#endif
