/* SPDX-License-Identifier: MIT */
/*
 * The emulated lab: where the host has no KVM that runs guests, type1 and
 * paravirt run inside an L1 machine under QEMU TCG that emulates AMD SVM
 * with nested paging. L1 boots the cached lab image (harness/lab/l1image.h),
 * its agent runs the nested vbench with the host's plan (bare = L1 itself,
 * type1 and paravirt = L2 guests under L1's real KVM, the same probes),
 * and the host merges what it measured: the lab's bare as "bare@lab", the
 * baseline of the lab's guests, never the host's bare.
 */
#ifndef VB_LAB_H
#define VB_LAB_H

#include <jansson.h>
#include <signal.h>

#include "../backend.h"
#include "../run_opts.h"

#define VB_LAB_BARE "bare@lab"
#define VB_LAB_MAX_BACKENDS 8

struct vb_lab {
	const struct vb_run_opts *o;
	const struct vb_run_ctx *ctx;
	const char *names[VB_LAB_MAX_BACKENDS]; /* what runs in L2: "type1", "paravirt" */
	size_t n;
	const char *benches;                    /* the selected workloads, comma-separated */
	const char *why;                        /* why the lab: said in the results */
	volatile sig_atomic_t *stop;
};

/*
 * Boot L1, run the nested vbench, merge its results into doc (meta.lab,
 * backends, measurements). 0, or -1 with err: the caller then records the
 * lab's backends as failed with it.
 */
int vb_lab_run(const struct vb_lab *lab, json_t *doc, char *err, size_t n);

/*
 * Merge a nested run's checked document: its bare as VB_LAB_BARE, its
 * entries for names (backends, measurements, experiments the host
 * selected) under their own names with the lab's note in traits
 * and the lab's bare as baseline; anything else it holds is dropped and
 * counted. Returns the number of measurements taken.
 */
size_t vb_lab_merge(json_t *doc, const json_t *nested, const char *const *names, size_t n,
		    const char *note, size_t *dropped);

#endif
