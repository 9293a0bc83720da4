/* SPDX-License-Identifier: MIT */
/*
 * mem.pagefault: first touch of fresh anonymous memory, faults/s. Each
 * operation writes the first word of a never-touched 4 KiB page (huge pages
 * refused), so the kernel takes a fault, allocates and zeroes a page and
 * installs its PTE; a region of size_mib is mapped, touched page by page,
 * read back and unmapped, and that mmap/munmap cost is amortised in. Under
 * shadow paging every PTE install traps to the hypervisor; under nested
 * paging the guest handles the fault alone but the host must back the guest
 * page the first time (an EPT/NPT violation). The extra minflt_per_op is the
 * kernel's own count of minor faults per operation (1 when each touch faults).
 */
#include "../bench.h"
#include "minflt.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096

enum { P_SIZE_MIB };

struct pagefault_state {
	char *map;
	size_t npages, used;
};

static int map_fresh(struct pagefault_state *s, char *why, size_t whylen)
{
	s->map = mmap(NULL, s->npages * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		snprintf(why, whylen, "cannot map %zu pages", s->npages);
		return -1;
	}
	madvise(s->map, s->npages * PAGE, MADV_NOHUGEPAGE);
	s->used = 0;
	return 0;
}

/* Check every touched page holds its index, then unmap the region. */
static int unmap_checked(struct pagefault_state *s, char *why, size_t whylen)
{
	for (size_t i = 0; i < s->used; i++)
		if (*(volatile size_t *)(s->map + i * PAGE) != i + 1) {
			snprintf(why, whylen, "page %zu lost its first write", i);
			return -1;
		}
	munmap(s->map, s->npages * PAGE);
	s->map = NULL;
	return 0;
}

static int pagefault_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct pagefault_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	s->npages = (size_t)in->param[P_SIZE_MIB] * 1024 * 1024 / PAGE;
	return 0;
}

static int pagefault_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct pagefault_state *s = in->priv;
	long f0 = vb_minflt();

	for (uint64_t k = 0; k < iters; k++) {
		if (!s->map && map_fresh(s, why, whylen))
			return -1;
		*(volatile size_t *)(s->map + s->used * PAGE) = s->used + 1;
		if (++s->used == s->npages && unmap_checked(s, why, whylen))
			return -1;
	}
	if (s->map && unmap_checked(s, why, whylen))
		return -1;
	if (f0 >= 0 && iters)
		vb_extra_set(in, "minflt_per_op", (double)(vb_minflt() - f0) / (double)iters);
	return 0;
}

static void pagefault_teardown(struct vb_inst *in)
{
	struct pagefault_state *s = in->priv;

	if (s && s->map)
		munmap(s->map, s->npages * PAGE);
	free(s);
	in->priv = NULL;
}

const struct vb_workload vb_wl_mem_pagefault = {
	.name = "mem.pagefault",
	.desc = "first touch of fresh anonymous 4 KiB pages (allocate + zero + map)",
	.version = 1,
	.metric = VB_OPS_PER_SEC,
	.dir = VB_HIGHER_IS_BETTER,
	.min_iters = 256,
	.params = {
		{ "size_mib", 16, 1, 65536, "MiB",
		  "region mapped, touched and unmapped in turn, MiB" },
	},
	.setup = pagefault_setup,
	.run = pagefault_run,
	.teardown = pagefault_teardown,
};
