/* SPDX-License-Identifier: MIT */
/* Turning --backend and --bench arguments into lists, with clear errors. */
#ifndef VB_SELECT_H
#define VB_SELECT_H

#include <stddef.h>

#include "backend.h"
#include "../bench/bench.h"

/* One instance to start: a backend under its own name or "<backend>@<tag>". */
struct vb_pick {
	const struct vb_backend *be;
	char name[VB_INSTANCE_NAME_MAX];
};

/*
 * "bare,container,type2@new" -> instances in registry order (an untagged
 * one before its tagged ones), no duplicates. An unknown backend, a bad
 * tag or more than max instances fail with err (naming the valid
 * choices). "" or "all" is every backend. Returns the count or -1.
 */
int vb_select_backends(const char *spec, struct vb_pick *out, size_t max, char *err,
		       size_t n);
/*
 * "cpu.*,mem.stream,life.*" (comma-separated fnmatch globs) -> workloads
 * in registry order, and in *experiments a bit per experiment matched
 * (harness/life/life.h). A pattern that matches nothing fails with err
 * naming the valid choices. Returns the count of workloads (0 where only
 * experiments match) or -1.
 */
int vb_select_benches(const char *spec, const struct vb_workload **out, size_t max,
		      unsigned *experiments, char *err, size_t n);

/*
 * Parse "cpu.int.n=4096": the workload (exact name), the index of its
 * parameter and the value, which must lie in the parameter's range. 0, or
 * -1 with err naming the valid choices or the range.
 */
int vb_select_param(const char *spec, const struct vb_workload **wl, int *index,
		    long long *value, char *err, size_t n);

/* What --set NAME.KEY=VALUE may change of one instance. */
enum vb_set_key {
	VB_SET_QEMU,       /* the qemu-system-x86_64 binary */
	VB_SET_KERNEL,     /* guest kernel */
	VB_SET_MODULES,    /* its modules dir */
	VB_SET_CPU,        /* QEMU -cpu model */
	VB_SET_QEMU_ARGS,  /* extra QEMU arguments, split on spaces */
	VB_SET_RUNTIME,    /* container runtime */
	VB_SET_MEMORY,     /* MB */
	VB_SET_PARAM,      /* a workload parameter */
};

struct vb_setting {
	char instance[VB_INSTANCE_NAME_MAX];
	enum vb_set_key key;
	char key_name[128];         /* as given: "qemu", "param.cpu.int.n" */
	const char *value;          /* points into the spec */
	long long num;              /* VB_SET_MEMORY, VB_SET_PARAM: the value */
	const struct vb_workload *wl; /* VB_SET_PARAM: the workload and */
	int param;                  /* the index of its parameter */
};

/*
 * Parse "type2@new.qemu=/opt/qemu/bin/qemu-system-x86_64" against the
 * selected instances: NAME must be one of them, KEY one that applies to
 * its backend, VALUE valid for KEY (a qemu binary exists and is
 * executable, a parameter lies in its range). 0, or -1 with err.
 */
int vb_select_setting(const char *spec, const struct vb_pick *picks, size_t npicks,
		      struct vb_setting *out, char *err, size_t n);

#endif
