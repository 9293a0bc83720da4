/* SPDX-License-Identifier: MIT */
#include "evidence.h"

#include <math.h>
#include <string.h>

#include "../common/proto.h"

const struct rp_cause rp_causes[] = {
	{"kvm.exit.*", "VM exits"},
	/* Every MMIO or port access that reached QEMU's device model. */
	{"qemu.memory_region_dispatch_*", "trapped device accesses"},
	{"interrupts.*", "guest interrupts"},
};
const int rp_ncauses = sizeof(rp_causes) / sizeof(rp_causes[0]);

int rp_gap(const struct rp_run *r, const char *slow, const char *fast, const char *bench,
	   double *gap, double *slow_med, double *fast_med)
{
	const json_t *a = rp_summary(r, slow, bench), *b = rp_summary(r, fast, bench);

	if (!a || !b)
		return -1;
	*slow_med = vb_json_num(a, "median", NAN);
	*fast_med = vb_json_num(b, "median", NAN);
	if (!(*slow_med > 0) || !(*fast_med > 0))
		return -1;
	*gap = rp_higher_is_better(r, bench) ? *fast_med / *slow_med : *slow_med / *fast_med;
	return 0;
}

int rp_rate(const struct rp_run *r, const char *be, const char *bench,
	    const struct rp_cause *c, double *rate, const char **why)
{
	double sum, ops;
	int rc = rp_counter(r, be, bench, c->counter, &sum, &ops, why);

	if (rc == 1 && ops > 0) {
		*rate = sum / ops;
		return 0;
	}
	if (rc == 1)
		*why = "no operation count to divide by";
	else if (rc < 0 || !*why)
		*why = "not recorded";
	return -1;
}

const char *rp_lab(const struct rp_run *r, const char *be)
{
	const struct vb_traits *t = rp_traits(r, be);

	return t && t->lab[0] ? t->lab : NULL;
}
