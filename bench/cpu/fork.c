/* SPDX-License-Identifier: MIT */
/*
 * cpu.fork: fork, the child exits at once, the parent waits: us per
 * operation. The parent first touches touch_mib of private memory, so fork
 * must copy (and write-protect) that many page-table entries and the exit
 * must tear them down: under shadow paging every one of those PTE writes
 * traps, under nested paging they are plain stores. The child reports a
 * value read from the last touched page as its exit status, checked.
 */
#include "../bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

enum { P_TOUCH_MIB };

struct fork_state {
	unsigned char *mem;
	size_t len;
};

static int fork_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct fork_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	s->len = (size_t)in->param[P_TOUCH_MIB] << 20;
	s->mem = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED) {
		s->mem = NULL;
		snprintf(why, whylen, "cannot map %zu bytes", s->len);
		return -1;
	}
	/* 4 KiB PTEs, so fork copies one entry per page */
	madvise(s->mem, s->len, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < s->len; i += PAGE)
		s->mem[i] = (unsigned char)(i / PAGE % 100 + 1);
	return 0;
}

static int fork_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct fork_state *s = in->priv;
	int expect = s->mem[s->len - PAGE];

	for (uint64_t i = 0; i < iters; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(*(volatile unsigned char *)&s->mem[s->len - PAGE]);
		if (pid < 0) {
			snprintf(why, whylen, "fork: %s", strerror(errno));
			return -1;
		}
		if (waitpid(pid, &st, 0) != pid) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			return -1;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != expect) {
			snprintf(why, whylen, "child ended with status %#x, expected exit %d", st,
				 expect);
			return -1;
		}
	}
	return 0;
}

static void fork_teardown(struct vb_inst *in)
{
	struct fork_state *s = in->priv;

	if (s && s->mem)
		munmap(s->mem, s->len);
	free(s);
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_fork = {
	.name = "cpu.fork",
	.desc = "fork + child exit + wait, with touch_mib of private memory to copy",
	.version = 1,
	.metric = VB_US_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 2,
	.params = {
		{ "touch_mib", 16, 1, 4096, "MiB", "private memory touched before forking, MiB" },
	},
	.setup = fork_setup,
	.run = fork_run,
	.teardown = fork_teardown,
};
