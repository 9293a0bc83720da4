/* SPDX-License-Identifier: MIT */
/* `vbench run` options: parsed apart from running, so tests can check them. */
#ifndef VB_RUN_OPTS_H
#define VB_RUN_OPTS_H

#include <stdint.h>
#include <stdio.h>

/* Where KVM backends run when the host's KVM cannot run guests (--lab). */
enum vb_lab_mode {
	VB_LAB_AUTO,     /* in the emulated lab when the host's KVM cannot run them */
	VB_LAB_EMULATED, /* always in the emulated lab */
	VB_LAB_NONE,     /* never: unavailable where the host's KVM cannot run them */
};

struct vb_run_opts {
	const char *backends;       /* comma list */
	const char *benches;        /* comma list of globs */
	const char *out;            /* result file */
	const char *cache;
	const char *workdir_base;   /* where per-run dirs go (O_DIRECT-capable) */
	const char *container_runtime;
	const char *kernel, *modules;
	const char *probes;         /* NULL: default set */
	const char *resume;         /* --resume FILE: the cut-off run to continue */
	const char *params[32];     /* --param BENCH.PARAM=VALUE, checked by the caller */
	int nparams;
	const char *sets[32];       /* --set INSTANCE.KEY=VALUE, checked by the caller */
	int nsets;
	int no_probes;
	int no_count;               /* skip the counting passes */
	unsigned rounds, samples, warmup, min_sample_ms;
	/* rounds until precise (precision.h): target, 0 none; budget s, 0 auto */
	double precision, time_budget_s;
	unsigned max_rounds;
	unsigned timeout_s, hello_timeout_s;
	int cpus;
	long long memory_mb, scratch_mib;
	uint64_t seed;
	int quick, all, verbose;
	enum vb_lab_mode lab;
	/* the lifecycle experiments (harness/life/life.h) */
	unsigned life_reps, density_max;
	long long budget_bytes;
	char budget_desc[96];
};

const char *vb_lab_mode_name(enum vb_lab_mode m);

/*
 * Parse argv (argv[0] = "run"). Returns 0 to run, 1 when --help was
 * printed, 2 on a usage error (message in err).
 */
int vb_run_parse(int argc, char **argv, struct vb_run_opts *o, char *err, size_t n);
void vb_run_usage(FILE *f);

#endif
