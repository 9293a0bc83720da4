/* SPDX-License-Identifier: MIT */
/*
 * cpu.syscall: the null system call (getppid). Under binary translation
 * every guest kernel entry is translated and dispatched; under hardware
 * virtualization it runs natively; a para-virtualized host (PVM) may
 * route it through the hypervisor.
 */
#include "../bench.h"

#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int syscall_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	long expect = syscall(SYS_getppid), got = 0;

	(void)in;
	for (uint64_t i = 0; i < iters; i++) {
		/* syscall(2), not getppid(): libc must not cache the answer. */
		got = syscall(SYS_getppid);
		if (got != expect)
			break;
	}
	if (got != expect) {
		snprintf(why, whylen, "getppid returned %ld, expected %ld", got, expect);
		return -1;
	}
	return 0;
}

const struct vb_workload vb_wl_cpu_syscall = {
	.name = "cpu.syscall",
	.desc = "null system call (getppid), a kernel entry and exit",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 64,
	.run = syscall_run,
};
