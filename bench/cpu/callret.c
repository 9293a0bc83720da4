/* SPDX-License-Identifier: MIT */
/*
 * cpu.callret: a call to a function that is not inlined, and its return
 * (Adams & Agesen's call/ret nanobenchmark). Native on hardware
 * virtualization; under binary translation a return is an indirect jump
 * whose target must be looked up in the translation cache, the classic BT
 * cost. Each call adds one to a counter the callee cannot see through, and
 * the total is checked.
 */
#include "../bench.h"

#include <stdio.h>

static __attribute__((noinline)) uint64_t callee(uint64_t x)
{
	/* opaque to the optimiser: the call can be neither folded nor dropped */
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

static int callret_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	uint64_t n = 0;

	(void)in;
	for (uint64_t i = 0; i < iters; i++)
		n = callee(n);
	if (n != iters) {
		snprintf(why, whylen, "%llu calls returned, expected %llu",
			 (unsigned long long)n, (unsigned long long)iters);
		return -1;
	}
	return 0;
}

const struct vb_workload vb_wl_cpu_callret = {
	.name = "cpu.callret",
	.desc = "call and return of a function that is not inlined",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1024,
	.run = callret_run,
};
