/* SPDX-License-Identifier: MIT */
/*
 * cpu.cpuid: the CPUID instruction, leaf 0. Under VMX and SVM CPUID always
 * exits to the hypervisor, which answers it in software: the cheapest
 * complete exit round trip there is. Binary translation emulates it in a
 * helper without leaving the process. Every answer must match the first.
 */
#include "../bench.h"

#include <cpuid.h>
#include <stdio.h>

static int cpuid_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	unsigned a0, b0, c0, d0, a, b, c, d;

	(void)in;
	__cpuid(0, a0, b0, c0, d0);
	for (uint64_t i = 0; i < iters; i++) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
		if (a != a0 || b != b0 || c != c0 || d != d0) {
			snprintf(why, whylen, "cpuid leaf 0 changed its answer");
			return -1;
		}
	}
	return 0;
}

const struct vb_workload vb_wl_cpu_cpuid = {
	.name = "cpu.cpuid",
	.desc = "CPUID leaf 0 (always an exit under VMX/SVM)",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 64,
	.run = cpuid_run,
};
