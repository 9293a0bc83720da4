/* SPDX-License-Identifier: MIT */
/*
 * mem.stream: the four STREAM kernels (copy, scale, add, triad) over arrays
 * well beyond the last-level cache, so they measure memory bandwidth. One
 * operation is one pass of all four kernels; the value counts the bytes
 * they move as STREAM does (no write-allocate traffic). Per-kernel rates
 * of the last sample are reported as extras.
 */
#include "../bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { P_MIB };

struct stream_state {
	double *a, *b, *c;
	double a0;      /* the value every a[j] holds between runs */
	size_t n;
};

static int stream_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct stream_state *s = calloc(1, sizeof(*s));
	long long mib = in->param[P_MIB];

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	s->n = (size_t)mib * 1024 * 1024 / sizeof(double);
	s->a = malloc(s->n * sizeof(double));
	s->b = malloc(s->n * sizeof(double));
	s->c = malloc(s->n * sizeof(double));
	in->priv = s;
	if (!s->a || !s->b || !s->c) {
		snprintf(why, whylen, "cannot allocate 3 x %lld MiB", mib);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		s->a[i] = 1.0;
		s->b[i] = 2.0;
		s->c[i] = 0.0;
	}
	s->a0 = 1.0;
	in->op_bytes = 10 * sizeof(double) * s->n;
	return 0;
}

static double rate(size_t bytes, uint64_t ns)
{
	return (double)bytes / (double)(ns ? ns : 1) * 1e3;
}

static int stream_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct stream_state *s = in->priv;
	/* q^2 + 2q = 1: a pass leaves a[] unchanged, so values stay finite. */
	const double q = 0.41421356237309504880;
	double *a = s->a, *b = s->b, *c = s->c;
	size_t n = s->n, bytes = n * sizeof(double);
	uint64_t t[5] = { 0 }, tk[4] = { 0 };

	for (uint64_t it = 0; it < iters; it++) {
		t[0] = vb_now_ns();
		for (size_t j = 0; j < n; j++)
			c[j] = a[j];
		t[1] = vb_now_ns();
		for (size_t j = 0; j < n; j++)
			b[j] = q * c[j];
		t[2] = vb_now_ns();
		for (size_t j = 0; j < n; j++)
			c[j] = a[j] + b[j];
		t[3] = vb_now_ns();
		for (size_t j = 0; j < n; j++)
			a[j] = b[j] + q * c[j];
		t[4] = vb_now_ns();
		for (int k = 0; k < 4; k++)
			tk[k] += t[k + 1] - t[k];
	}
	/* Validate as STREAM does: replay the recurrence on scalars. */
	double ea = s->a0, eb = 0, ec = 0;
	for (uint64_t it = 0; it < iters; it++) {
		ec = ea;
		eb = q * ec;
		ec = ea + eb;
		ea = eb + q * ec;
	}
	size_t probe = n / 2;
	if (iters && (fabs(a[probe] - ea) > 1e-9 * fabs(ea) || fabs(b[probe] - eb) > 1e-9 * fabs(eb) ||
		      fabs(c[probe] - ec) > 1e-9 * fabs(ec))) {
		snprintf(why, whylen, "STREAM validation failed: a=%g expected %g", a[probe], ea);
		return -1;
	}
	s->a0 = ea;
	vb_extra_set(in, "copy_MBps", rate(2 * bytes * iters, tk[0]));
	vb_extra_set(in, "scale_MBps", rate(2 * bytes * iters, tk[1]));
	vb_extra_set(in, "add_MBps", rate(3 * bytes * iters, tk[2]));
	vb_extra_set(in, "triad_MBps", rate(3 * bytes * iters, tk[3]));
	return 0;
}

static void stream_teardown(struct vb_inst *in)
{
	struct stream_state *s = in->priv;

	if (s) {
		free(s->a);
		free(s->b);
		free(s->c);
		free(s);
	}
	in->priv = NULL;
}

const struct vb_workload vb_wl_mem_stream = {
	.name = "mem.stream",
	.desc = "STREAM copy/scale/add/triad over arrays beyond the LLC",
	.version = 1,
	.metric = VB_MB_PER_SEC,
	.dir = VB_HIGHER_IS_BETTER,
	.min_iters = 1,
	.params = {
		{ "array_mib", 64, 1, 65536, "MiB per array",
		  "size of each of the three arrays, MiB" },
	},
	.setup = stream_setup,
	.run = stream_run,
	.teardown = stream_teardown,
};
