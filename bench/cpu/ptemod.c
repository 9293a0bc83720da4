/* SPDX-License-Identifier: MIT */
/*
 * cpu.ptemod: flip one page between read-only and read-write with mprotect
 * and access it after each flip (Adams & Agesen's PTE modification): a
 * system call, a PTE rewrite and a TLB flush of that page. Under shadow
 * paging the PTE write traps so the hypervisor can update its shadow; with
 * nested paging it is a plain store, but the flush may exit (under PVM it is
 * a hypercall); under binary translation the emulated TLB is flushed. The
 * page counts the writable phases, checked on every read-only phase.
 */
#include "../bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096

struct ptemod_state {
	volatile uint64_t *page;
	uint64_t writes;
	int writable;
};

static int ptemod_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct ptemod_state *s = calloc(1, sizeof(*s));
	void *p;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(why, whylen, "mmap: %s", strerror(errno));
		return -1;
	}
	s->page = p;
	s->page[0] = 0;  /* populate it: the flips change a present PTE */
	s->writable = 1;
	return 0;
}

static int ptemod_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct ptemod_state *s = in->priv;

	for (uint64_t i = 0; i < iters; i++) {
		s->writable = !s->writable;
		if (mprotect((void *)s->page, PAGE,
			     s->writable ? PROT_READ | PROT_WRITE : PROT_READ)) {
			snprintf(why, whylen, "mprotect: %s", strerror(errno));
			return -1;
		}
		if (s->writable) {
			s->page[0] = ++s->writes;
		} else if (s->page[0] != s->writes) {
			snprintf(why, whylen, "page holds %llu after %llu writes",
				 (unsigned long long)s->page[0], (unsigned long long)s->writes);
			return -1;
		}
	}
	return 0;
}

static void ptemod_teardown(struct vb_inst *in)
{
	struct ptemod_state *s = in->priv;

	if (s && s->page)
		munmap((void *)s->page, PAGE);
	free(s);
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_ptemod = {
	.name = "cpu.ptemod",
	.desc = "mprotect flip of one page (read-only <-> read-write) and an access",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 64,
	.setup = ptemod_setup,
	.run = ptemod_run,
	.teardown = ptemod_teardown,
};
