/* SPDX-License-Identifier: MIT */
/*
 * cpu.divzero: an integer division by zero, its SIGFPE delivered to a
 * handler that jumps back (siglongjmp): the full round trip of a guest
 * exception through the kernel to user space and back (Adams & Agesen's
 * divzero). Hardware virtualization delivers #DE to the guest without an
 * exit; binary translation must detect it and emulate the delivery. The
 * handler counts the signals and checks each is an integer divide fault.
 */
#include "../bench.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct divzero_state {
	struct sigaction saved;
	int installed;
};

static sigjmp_buf back;
static volatile sig_atomic_t delivered, wrong_code;

static void on_fpe(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code != FPE_INTDIV)
		wrong_code = 1;
	delivered++;
	siglongjmp(back, 1);
}

/* divl by a zero register: asm, so neither the compiler nor UBSan step in. */
static void divide_by(uint32_t d)
{
	uint32_t lo = 1, hi = 0;

	__asm__ volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(d));
}

static int divzero_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct divzero_state *s = calloc(1, sizeof(*s));
	struct sigaction sa;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fpe;
	/* SA_NODEFER: SIGFPE stays unblocked after the jump, so sigsetjmp need
	 * not save the signal mask (no sigprocmask call per operation). */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGFPE, &sa, &s->saved)) {
		snprintf(why, whylen, "sigaction(SIGFPE): %s", strerror(errno));
		return -1;
	}
	s->installed = 1;
	return 0;
}

static int divzero_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	volatile uint64_t i = 0;
	volatile uint32_t zero = 0;

	(void)in;
	delivered = 0;
	wrong_code = 0;
	sigsetjmp(back, 0);
	while (i < iters) {
		i = i + 1;
		divide_by(zero);
		snprintf(why, whylen, "division by zero did not trap");
		return -1;
	}
	if ((uint64_t)delivered != iters || wrong_code) {
		snprintf(why, whylen, "%llu SIGFPE for %llu divisions%s",
			 (unsigned long long)delivered, (unsigned long long)iters,
			 wrong_code ? ", not all FPE_INTDIV" : "");
		return -1;
	}
	return 0;
}

static void divzero_teardown(struct vb_inst *in)
{
	struct divzero_state *s = in->priv;

	if (s && s->installed)
		sigaction(SIGFPE, &s->saved, NULL);
	free(s);
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_divzero = {
	.name = "cpu.divzero",
	.desc = "integer division by zero: SIGFPE delivery and siglongjmp back",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 64,
	.setup = divzero_setup,
	.run = divzero_run,
	.teardown = divzero_teardown,
};
