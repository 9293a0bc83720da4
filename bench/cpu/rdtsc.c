/* SPDX-License-Identifier: MIT */
/*
 * cpu.rdtsc: read the time-stamp counter. Native when the hypervisor lets
 * the guest read the TSC (with an offset and scaling in hardware); one exit
 * per read where it traps RDTSC; a helper call under binary translation.
 * The counter must advance over a sample; the extras give its rate as seen
 * here (tsc_mhz) and how often it stepped backwards (tsc_backwards).
 */
#include "../bench.h"

#include <stdio.h>
#include <x86intrin.h>

static int rdtsc_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	uint64_t t0 = vb_now_ns(), first = __rdtsc(), prev = first, now = first, back = 0;

	for (uint64_t i = 0; i < iters; i++) {
		now = __rdtsc();
		back += now < prev;
		prev = now;
	}
	uint64_t ns = vb_now_ns() - t0;

	if (iters && now <= first) {
		snprintf(why, whylen, "the TSC did not advance over %llu reads",
			 (unsigned long long)iters);
		return -1;
	}
	vb_extra_set(in, "tsc_mhz", (double)(now - first) * 1e3 / (double)(ns ? ns : 1));
	vb_extra_set(in, "tsc_backwards", (double)back);
	return 0;
}

const struct vb_workload vb_wl_cpu_rdtsc = {
	.name = "cpu.rdtsc",
	.desc = "RDTSC, read the time-stamp counter",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 64,
	.run = rdtsc_run,
};
