/* SPDX-License-Identifier: MIT */
/*
 * The workload registry.
 *
 * Every workload is one C file under bench/<group>/ that defines one
 * `const struct vb_workload vb_wl_<group>_<name>` and is listed once in
 * bench/workloads.h (an X-macro list, in the style of stress-ng's
 * core-stressors.h).  The same registry is linked into the static
 * vbench-agent (which runs workloads) and into the vbench harness (which
 * lists them and validates --bench patterns), so both always agree.
 *
 * The core (bench/bench.c) owns timing and calibration: a workload only
 * knows how to do `iters` operations and to check that it did them right.
 */
#ifndef VB_BENCH_H
#define VB_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define VB_MAX_PARAMS 6
#define VB_MAX_EXTRAS 6
#define VB_WHY_LEN 256

/* How the core turns (elapsed ns, iterations) into the reported value. */
enum vb_metric {
	VB_NS_PER_OP,     /* elapsed_ns / iters                         */
	VB_US_PER_OP,     /* elapsed_ns / iters / 1000                  */
	VB_OPS_PER_SEC,   /* iters * 1e9 / elapsed_ns  (IOPS, faults/s) */
	VB_MB_PER_SEC,    /* iters * op_bytes / elapsed_ns * 1e3 (1e6 B)*/
};

enum vb_direction { VB_LOWER_IS_BETTER, VB_HIGHER_IS_BETTER };

/* What a workload needs from its environment (bit set). */
enum vb_need {
	VB_NEED_ROOT    = 1u << 0, /* CAP_SYS_ADMIN or similar              */
	VB_NEED_SCRATCH = 1u << 1, /* an I/O scratch file or block device  */
};

/*
 * A parameter and its declared range, as fio declares one per option. The
 * harness refuses a value outside it when parsing --param, and the agent
 * again when a request applies it (a request can come from anywhere), so
 * a setup may rely on every parameter lying in [min, max]: each range is
 * chosen so that the setup's size arithmetic cannot overflow and nothing
 * it allocates is empty or absurd. A check that involves two parameters
 * belongs to the setup, with a reason naming both.
 */
struct vb_param {
	const char *name;
	long long def, min, max;
	const char *unit;          /* of min..max: "MiB per array" */
	const char *help;
};

/* A named by-product of a sample (e.g. p99 latency, THP obtained). */
struct vb_extra {
	const char *name;
	double value;
};

/* Where the workload runs: filled by the agent from the environment. */
struct vb_env {
	const char *scratch;      /* I/O target path, NULL when none */
	int cpu;                  /* CPU the agent is pinned to, -1 if unknown */
};

/* One configured instance of a workload: set up once, sampled many times. */
struct vb_inst {
	const struct vb_workload *wl;
	const struct vb_env *env;
	long long param[VB_MAX_PARAMS]; /* in the order of wl->params */
	uint64_t op_bytes;              /* for VB_MB_PER_SEC, set by setup */
	void *priv;                     /* workload state */
	struct vb_extra extra[VB_MAX_EXTRAS];
	int nextra;                     /* extras of the last sample */
};

/*
 * setup:    allocate and check support. Return 0, or VB_UNSUPPORTED with a
 *           reason in why (the environment lacks something), or -errno
 *           with a message in why (a real failure).
 * run:      do exactly `iters` operations; verify the work (checksum,
 *           read-back) and return 0, or -1 with a message in why.
 *           May set inst->extra[] (reset by the core before each call).
 * after:    once the samples are taken, untimed and uncounted: set extras
 *           that cost time to find out (reading /proc/self/smaps), beside
 *           the last sample's, so that a sample's time and counts are the
 *           operations' alone.
 * teardown: free what setup allocated (also after a failed run).
 * setup, after and teardown may be NULL.
 */
#define VB_UNSUPPORTED 1

struct vb_workload {
	const char *name;          /* "group.name" */
	const char *desc;          /* one line */
	/*
	 * 1, bumped whenever a change makes its values mean something else
	 * (what an operation does, its unit, its parameters): `vbench compare`
	 * refuses to compare results of two versions.
	 */
	int version;
	enum vb_metric metric;
	enum vb_direction dir;
	unsigned needs;            /* enum vb_need bits */
	uint64_t min_iters;        /* calibration starts here (>= 1) */
	struct vb_param params[VB_MAX_PARAMS]; /* terminated by name == NULL */
	int (*setup)(struct vb_inst *in, char *why, size_t whylen);
	int (*run)(struct vb_inst *in, uint64_t iters, char *why, size_t whylen);
	void (*after)(struct vb_inst *in);
	void (*teardown)(struct vb_inst *in);
};

/* The registry, generated from bench/workloads.h. */
extern const struct vb_workload *const vb_workloads[];
extern const size_t vb_nworkloads;

const struct vb_workload *vb_workload_find(const char *name);
/* Zero the instance and give every parameter its default. */
void vb_inst_init(struct vb_inst *in, const struct vb_workload *wl,
		  const struct vb_env *env);
const char *vb_metric_unit(enum vb_metric m);
const char *vb_direction_name(enum vb_direction d);
int vb_param_index(const struct vb_workload *wl, const char *name);
/* 0 when v lies in p's range, else -1 and "out of range MIN..MAX (UNIT)" in why. */
int vb_param_check(const struct vb_param *p, long long v, char *why, size_t whylen);
void vb_extra_set(struct vb_inst *in, const char *name, double value);

/* Convert a measured (elapsed, iters) pair into the workload's unit. */
double vb_value(const struct vb_inst *in, uint64_t elapsed_ns, uint64_t iters);

/* Calibration and sampling (bench/bench.c). */
struct vb_sample_plan {
	unsigned samples;          /* kept samples */
	unsigned warmup;           /* discarded samples before them */
	unsigned min_sample_ms;    /* each sample lasts at least this long */
	uint64_t iters;            /* 0: calibrate; else use as given */
};

struct vb_samples {
	uint64_t iters;            /* iterations per sample */
	unsigned n;
	double *value;             /* n values in the workload's unit */
	double *elapsed_ns;        /* n raw durations */
	struct vb_extra extra[VB_MAX_EXTRAS]; /* of the last sample */
	int nextra;
};

/*
 * Calibrate (double iters until one run lasts min_sample_ms, as in
 * kvm-unit-tests), run the warm-up and the samples of an instance whose
 * setup succeeded. Returns 0, or -1 with the reason in why.
 */
int vb_measure(struct vb_inst *in, const struct vb_sample_plan *plan,
	       struct vb_samples *out, char *why, size_t whylen);
void vb_samples_free(struct vb_samples *s);
/*
 * Run exactly `iters` operations once (extras reset first) and time them:
 * one sample, or the counting pass, whose operations are those of a sample.
 */
int vb_run_timed(struct vb_inst *in, uint64_t iters, uint64_t *ns, char *why, size_t whylen);

/* Monotonic nanoseconds. */
uint64_t vb_now_ns(void);

/* Keep a value alive so the compiler cannot drop the work behind it. */
#define VB_KEEP(x) __asm__ volatile("" : : "r"(x) : "memory")

#endif
