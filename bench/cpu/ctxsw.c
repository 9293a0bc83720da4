/* SPDX-License-Identifier: MIT */
/*
 * cpu.ctxsw: two processes pinned to the same CPU pass a counter back and
 * forth through two pipes. One operation is a round trip: two context
 * switches (process to process, address space included) plus two pipe
 * writes and reads; the extra ns_per_switch is half of it. Under shadow
 * paging every CR3 load traps; with nested paging it does not, but the
 * TLB is flushed or retagged; a para-virtualized kernel makes the switch a
 * hypercall. The child echoes the counter plus one, checked on every trip.
 */
#include "../bench.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct ctxsw_state {
	int to_child, from_child;
	pid_t child;
	cpu_set_t saved;     /* the agent's affinity before setup */
	int pinned;
	uint32_t token;
};

static void echo_child(int in, int out)
{
	uint32_t v;

	while (read(in, &v, sizeof(v)) == sizeof(v)) {
		v++;
		if (write(out, &v, sizeof(v)) != sizeof(v))
			break;
	}
	_exit(0);
}

static int ctxsw_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct ctxsw_state *s = calloc(1, sizeof(*s));
	int down[2], up[2], cpu;
	cpu_set_t one;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	s->to_child = s->from_child = -1;
	cpu = in->env && in->env->cpu >= 0 ? in->env->cpu : sched_getcpu();
	if (cpu < 0 || sched_getaffinity(0, sizeof(s->saved), &s->saved)) {
		snprintf(why, whylen, "cannot find the current CPU: %s", strerror(errno));
		return -1;
	}
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		snprintf(why, whylen, "cannot pin to CPU %d: %s", cpu, strerror(errno));
		return VB_UNSUPPORTED;
	}
	s->pinned = 1;
	if (pipe(down))
		goto fail;
	if (pipe(up)) {
		close(down[0]);
		close(down[1]);
		goto fail;
	}
	s->child = fork();
	if (s->child < 0) {
		close(down[0]);
		close(down[1]);
		close(up[0]);
		close(up[1]);
		goto fail;
	}
	if (s->child == 0) {
		/* the affinity is inherited: both ends run on `cpu` */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(down[1]);
		close(up[0]);
		echo_child(down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	s->to_child = down[1];
	s->from_child = up[0];
	return 0;
fail:
	snprintf(why, whylen, "pipe/fork: %s", strerror(errno));
	return -1;
}

static int ctxsw_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct ctxsw_state *s = in->priv;
	uint64_t t0 = vb_now_ns();

	for (uint64_t i = 0; i < iters; i++) {
		uint32_t v = s->token, back = 0;

		if (write(s->to_child, &v, sizeof(v)) != sizeof(v) ||
		    read(s->from_child, &back, sizeof(back)) != sizeof(back)) {
			snprintf(why, whylen, "pipe to the echo process broke: %s",
				 strerror(errno));
			return -1;
		}
		if (back != v + 1) {
			snprintf(why, whylen, "echo returned %u, expected %u", back, v + 1);
			return -1;
		}
		s->token = back;
	}
	if (iters)
		vb_extra_set(in, "ns_per_switch",
			     (double)(vb_now_ns() - t0) / (2.0 * (double)iters));
	return 0;
}

static void ctxsw_teardown(struct vb_inst *in)
{
	struct ctxsw_state *s = in->priv;

	if (!s)
		return;
	if (s->to_child >= 0)
		close(s->to_child);     /* the child sees EOF and exits */
	if (s->from_child >= 0)
		close(s->from_child);
	if (s->child > 0)
		waitpid(s->child, NULL, 0);
	if (s->pinned)
		sched_setaffinity(0, sizeof(s->saved), &s->saved);
	free(s);
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_ctxsw = {
	.name = "cpu.ctxsw",
	.desc = "pipe ping-pong between two processes on one CPU (round trip = 2 switches)",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 16,
	.setup = ctxsw_setup,
	.run = ctxsw_run,
	.teardown = ctxsw_teardown,
};
