/* SPDX-License-Identifier: MIT */
/* iso.neighbour's pair of instances, shared by its parts (neighbour*.c). */
#ifndef VB_LIFE_NEIGHBOUR_H
#define VB_LIFE_NEIGHBOUR_H

#include "life.h"
#include "limits.h"

struct vb_nb {
	const struct vb_life *L;
	const struct vb_run_ctx *ctx;
	struct vb_instance in[2];   /* [0] the victim, [1] the neighbour */
	int up[2];
	struct vb_lroots *roots;     /* large: allocated */
	struct vb_lgroup g[2];
	int limits;                 /* 1: limits can be put on; else why in limits_why */
	char limits_why[512];
	int other_pus[VB_MAX_PUS];  /* host PUs outside the run's: the limited neighbour's */
	int nother;
	json_t *placement;          /* where each runs, for the results */
};

/*
 * Start the victim and the neighbour of pk, each with its I/O scratch,
 * and ready their limit groups. 0, or -1 with err; vb_nb_close either way.
 */
int vb_nb_open(struct vb_nb *nb, const struct vb_pick *pk, char *err, size_t n);
void vb_nb_close(struct vb_nb *nb);
/*
 * Put the limits on (the victim on the run's PUs, the neighbour on the
 * others with a CPU quota, a memory limit and a disk bandwidth limit),
 * recording them in applied. 0; 1 when no limit can be put on here (why
 * in nb->limits_why).
 */
int vb_nb_limit(struct vb_nb *nb, json_t *applied);
void vb_nb_unlimit(struct vb_nb *nb);
/*
 * One victim measurement of bench: the median of its samples, in its unit;
 * *iters calibrated on the first call (0) and kept. 0, or -1 with why.
 */
int vb_nb_measure(struct vb_instance *v, const struct vb_life *L, const char *bench,
		  uint64_t *iters, unsigned samples, double *median, char *why, size_t n);
/*
 * The neighbour crashes (a VM: its kernel panics; else: out of memory
 * under a memory limit); does the victim go on? The result object.
 */
json_t *vb_nb_fault(struct vb_nb *nb);

#endif
