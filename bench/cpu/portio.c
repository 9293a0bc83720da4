/* SPDX-License-Identifier: MIT */
/*
 * cpu.portio: `outb` to port 0x80 (the POST diagnostic port, harmless to
 * write) after ioperm (Adams & Agesen's in/out). Native on bare metal; in a
 * VM every port access exits to the hypervisor, which emulates the device;
 * under binary translation it is a call into the emulator's I/O dispatch.
 * Needs CAP_SYS_RAWIO and a kernel that grants ioperm: elsewhere (e.g. a
 * para-virtualized guest kernel that has no I/O bitmap) it is unsupported,
 * with ioperm's error. Setup proves the port is writable with one probe
 * write under a SIGSEGV guard, so a refused write cannot kill the agent.
 */
#include "../bench.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>

#define PORT 0x80

static sigjmp_buf probe_jmp;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

static void out80(uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"((uint16_t)PORT));
}

/* One guarded outb: 0, or -1 when the CPU refused it (SIGSEGV). */
static int probe_port(void)
{
	struct sigaction sa, old;
	volatile int faulted = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old))
		return -1;
	if (sigsetjmp(probe_jmp, 1))
		faulted = 1;
	else
		out80(0);
	sigaction(SIGSEGV, &old, NULL);
	return faulted ? -1 : 0;
}

static int portio_setup(struct vb_inst *in, char *why, size_t whylen)
{
	(void)in;
	if (ioperm(PORT, 1, 1)) {
		snprintf(why, whylen, "ioperm(0x%x): %s", PORT, strerror(errno));
		return VB_UNSUPPORTED;
	}
	if (probe_port()) {
		ioperm(PORT, 1, 0);
		snprintf(why, whylen, "outb to port 0x%x faulted despite ioperm", PORT);
		return VB_UNSUPPORTED;
	}
	return 0;
}

static int portio_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	uint64_t done = 0;

	(void)in;
	for (uint64_t i = 0; i < iters; i++) {
		out80((uint8_t)i);
		done++;
	}
	/* An outb has no result to check; a refused one would have raised SIGSEGV. */
	if (done != iters) {
		snprintf(why, whylen, "%llu of %llu writes done", (unsigned long long)done,
			 (unsigned long long)iters);
		return -1;
	}
	return 0;
}

static void portio_teardown(struct vb_inst *in)
{
	(void)in;
	ioperm(PORT, 1, 0);
}

const struct vb_workload vb_wl_cpu_portio = {
	.name = "cpu.portio",
	.desc = "outb to port 0x80 after ioperm (an exit per access in a VM)",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.needs = VB_NEED_ROOT,
	.min_iters = 64,
	.setup = portio_setup,
	.run = portio_run,
	.teardown = portio_teardown,
};
