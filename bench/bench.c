/* SPDX-License-Identifier: MIT */
/* The workload registry and the sampling core shared by every workload. */
#include "bench.h"
#include "workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VB_DECLARE(g, n) extern const struct vb_workload vb_wl_##g##_##n;
VB_WORKLOADS(VB_DECLARE)
#undef VB_DECLARE

#define VB_ENTRY(g, n) &vb_wl_##g##_##n,
const struct vb_workload *const vb_workloads[] = { VB_WORKLOADS(VB_ENTRY) };
#undef VB_ENTRY
const size_t vb_nworkloads = sizeof(vb_workloads) / sizeof(vb_workloads[0]);

/* Calibration gives up doubling past this: a sample that long is enough. */
#define VB_MAX_ITERS (1ull << 40)

const struct vb_workload *vb_workload_find(const char *name)
{
	for (size_t i = 0; i < vb_nworkloads; i++)
		if (strcmp(vb_workloads[i]->name, name) == 0)
			return vb_workloads[i];
	return NULL;
}

const char *vb_metric_unit(enum vb_metric m)
{
	switch (m) {
	case VB_NS_PER_OP: return "ns/op";
	case VB_US_PER_OP: return "us/op";
	case VB_OPS_PER_SEC: return "ops/s";
	case VB_MB_PER_SEC: return "MB/s";
	}
	return "?";
}

const char *vb_direction_name(enum vb_direction d)
{
	return d == VB_HIGHER_IS_BETTER ? "higher" : "lower";
}

int vb_param_index(const struct vb_workload *wl, const char *name)
{
	for (int i = 0; i < VB_MAX_PARAMS && wl->params[i].name; i++)
		if (strcmp(wl->params[i].name, name) == 0)
			return i;
	return -1;
}

int vb_param_check(const struct vb_param *p, long long v, char *why, size_t whylen)
{
	if (v >= p->min && v <= p->max)
		return 0;
	snprintf(why, whylen, "out of range %lld..%lld (%s)", p->min, p->max, p->unit);
	return -1;
}

void vb_extra_set(struct vb_inst *in, const char *name, double value)
{
	for (int i = 0; i < in->nextra; i++)
		if (strcmp(in->extra[i].name, name) == 0) {
			in->extra[i].value = value;
			return;
		}
	if (in->nextra < VB_MAX_EXTRAS)
		in->extra[in->nextra++] = (struct vb_extra){ name, value };
}

double vb_value(const struct vb_inst *in, uint64_t elapsed_ns, uint64_t iters)
{
	double ns = elapsed_ns ? (double)elapsed_ns : 1.0;
	double it = (double)iters;

	switch (in->wl->metric) {
	case VB_NS_PER_OP: return ns / it;
	case VB_US_PER_OP: return ns / it / 1e3;
	case VB_OPS_PER_SEC: return it * 1e9 / ns;
	case VB_MB_PER_SEC: return it * (double)in->op_bytes / ns * 1e3;
	}
	return 0;
}

uint64_t vb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int vb_run_timed(struct vb_inst *in, uint64_t iters, uint64_t *ns, char *why, size_t whylen)
{
	uint64_t t0;
	int rc;

	in->nextra = 0;
	t0 = vb_now_ns();
	rc = in->wl->run(in, iters, why, whylen);
	*ns = vb_now_ns() - t0;
	return rc;
}

static int calibrate(struct vb_inst *in, unsigned min_ms, uint64_t *iters,
		     char *why, size_t whylen)
{
	uint64_t target = (uint64_t)min_ms * 1000000ull, ns, n;

	n = in->wl->min_iters ? in->wl->min_iters : 1;
	for (;;) {
		if (vb_run_timed(in, n, &ns, why, whylen))
			return -1;
		if (ns >= target || n >= VB_MAX_ITERS)
			break;
		/* Jump close to the target once the time is measurable. */
		if (ns > target / 16) {
			n = (uint64_t)((double)n * (double)target / (double)ns * 1.1) + 1;
			continue;
		}
		n *= 2;
	}
	*iters = n;
	return 0;
}

int vb_measure(struct vb_inst *in, const struct vb_sample_plan *plan,
	       struct vb_samples *out, char *why, size_t whylen)
{
	uint64_t iters = plan->iters, ns;

	memset(out, 0, sizeof(*out));
	if (plan->samples == 0) {
		snprintf(why, whylen, "samples must be >= 1");
		return -1;
	}
	if (!iters && calibrate(in, plan->min_sample_ms, &iters, why, whylen))
		return -1;
	for (unsigned i = 0; i < plan->warmup; i++)
		if (vb_run_timed(in, iters, &ns, why, whylen))
			return -1;
	out->value = calloc(plan->samples, sizeof(double));
	out->elapsed_ns = calloc(plan->samples, sizeof(double));
	if (!out->value || !out->elapsed_ns) {
		vb_samples_free(out);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	out->iters = iters;
	for (unsigned i = 0; i < plan->samples; i++) {
		if (vb_run_timed(in, iters, &ns, why, whylen)) {
			vb_samples_free(out);
			return -1;
		}
		out->value[i] = vb_value(in, ns, iters);
		out->elapsed_ns[i] = (double)ns;
		out->n = i + 1;
	}
	/* untimed, and outside any counting pass (which runs vb_run_timed alone) */
	if (in->wl->after)
		in->wl->after(in);
	memcpy(out->extra, in->extra, sizeof(out->extra));
	out->nextra = in->nextra;
	return 0;
}

void vb_samples_free(struct vb_samples *s)
{
	free(s->value);
	free(s->elapsed_ns);
	s->value = s->elapsed_ns = NULL;
	s->n = 0;
}

void vb_inst_init(struct vb_inst *in, const struct vb_workload *wl,
		  const struct vb_env *env)
{
	memset(in, 0, sizeof(*in));
	in->wl = wl;
	in->env = env;
	for (int i = 0; i < VB_MAX_PARAMS && wl->params[i].name; i++)
		in->param[i] = wl->params[i].def;
}
