/* SPDX-License-Identifier: MIT */
/*
 * Rounds until precise (`vbench run --precision`): after the planned
 * rounds, the scheduler runs more rounds of the workloads whose
 * comparisons are not yet precise enough, until they are, or the time
 * budget or the round cap says stop.
 *
 * What is compared is what the readers take, per (instance, workload):
 * - beside its A/B partner (NAME@TAG beside NAME): the per-round ratios
 *   of its median to the partner's, and the interval `compare --base
 *   --new` gives their geometric mean (reports/paired.h), which is as wide
 *   as its test is unsure;
 * - else beside its baseline (traits.baseline: container beside bare):
 *   the same ratios, and the interval of their median the summary prints
 *   (common/summary.c);
 * - alone (no partner, and no one's partner): its own per-round medians,
 *   as a comparison of two result files takes them, and that interval of
 *   their median.
 * An instance that is another's partner has no target of its own: its
 * noise is in the other's ratios. Precision is the half-width of that 95%
 * CI relative to its estimate: the target is met in the numbers people
 * read.
 */
#ifndef VB_PRECISION_H
#define VB_PRECISION_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "scheduler.h"

/* Fewer rounds than this say nothing about a CI: none is computed. */
#define VB_PREC_MIN_ROUNDS 3

struct vb_prec {
	size_t inst, wl;
	long against;           /* the partner's instance index; -1: its own round medians */
	int ab;                 /* against is its A/B partner: the paired test's interval */
	double half_width;      /* reached, relative; NAN below VB_PREC_MIN_ROUNDS rounds */
	unsigned rounds;        /* rounds it rests on */
};

/* The targets of s's instances and workloads, into *out (free it); how many, or -1. */
long vb_prec_targets(const struct vb_sched *s, struct vb_prec **out);
/* What t has reached in the measurements of s->doc, rounds 0..rounds-1. */
void vb_prec_measure(const struct vb_sched *s, struct vb_prec *t, unsigned rounds);
/*
 * The half-width of the bootstrap 95% CI of x's median, relative to the
 * median; NAN under VB_PREC_MIN_ROUNDS values or a median not above 0.
 */
double vb_prec_half_width(const double *x, size_t n);
/* What the run reached, for the results' "precision" (docs/results-schema.md). */
json_t *vb_prec_json(const struct vb_sched *s, const struct vb_prec *t, size_t n,
		     unsigned rounds_run, const char *stopped);
/*
 * For the summary table: "+-2.1%" that (backend, bench) reached, with a
 * '!' where short of the target; "" where it had no target.
 */
const char *vb_prec_cell(const json_t *doc, const char *backend, const char *bench, char *buf,
			 size_t n);
/* The lines under it: how many reached the target, and which did not, why. */
void vb_prec_print(FILE *f, const json_t *doc);

#endif
