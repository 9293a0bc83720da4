/* SPDX-License-Identifier: MIT */
/*
 * cpu.pgfault: the cost of one page fault as such (Adams & Agesen's pgfault
 * nanobenchmark): a write to a page of a shared memory file whose page is
 * already resident, but not mapped in this process. The kernel only takes
 * the exception, finds the page and installs the PTE: no allocation, no
 * zeroing (that is mem.pagefault). A window of `pages` is touched once per
 * round, then its PTEs are dropped (MADV_DONTNEED, amortised in). Under
 * shadow paging the fault and the PTE write both trap; under nested paging
 * the guest handles it alone; under binary translation the fault is
 * delivered by the emulator. Each page counts its touches, checked on every
 * touch; the extra minflt_per_op is the kernel's count of faults per touch.
 */
#include "../bench.h"
#include "../mem/minflt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

enum { P_PAGES };

struct pgfault_state {
	int fd;
	char *map;
	size_t npages, cursor;
	uint64_t round;      /* touches of every page at or after cursor */
};

static int pgfault_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct pgfault_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	s->fd = -1;
	s->npages = (size_t)in->param[P_PAGES];
	s->fd = memfd_create("vbench-pgfault", MFD_CLOEXEC);
	if (s->fd < 0) {
		snprintf(why, whylen, "memfd_create: %s", strerror(errno));
		return errno == ENOSYS ? VB_UNSUPPORTED : -1;
	}
	if (ftruncate(s->fd, (off_t)(s->npages * PAGE))) {
		snprintf(why, whylen, "size the memfd: %s", strerror(errno));
		return -1;
	}
	s->map = mmap(NULL, s->npages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		snprintf(why, whylen, "map the memfd: %s", strerror(errno));
		return -1;
	}
	/* make every page resident in the file, then unmap them all */
	for (size_t i = 0; i < s->npages; i++)
		*(volatile uint64_t *)(s->map + i * PAGE) = 0;
	if (madvise(s->map, s->npages * PAGE, MADV_DONTNEED)) {
		snprintf(why, whylen, "madvise(MADV_DONTNEED): %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int pgfault_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct pgfault_state *s = in->priv;
	long f0 = vb_minflt();

	for (uint64_t k = 0; k < iters; k++) {
		uint64_t *w = (uint64_t *)(s->map + s->cursor * PAGE);
		/*
		 * One locked add: a write access, so exactly one write fault. A
		 * plain load first would take a read fault, which maps up to 16
		 * neighbours at once (fault-around), then a write-protect fault.
		 */
		uint64_t v = __atomic_fetch_add(w, 1, __ATOMIC_RELAXED);

		if (v != s->round) {
			snprintf(why, whylen, "page %zu holds %llu, expected %llu", s->cursor,
				 (unsigned long long)v, (unsigned long long)s->round);
			return -1;
		}
		if (++s->cursor == s->npages) {
			madvise(s->map, s->npages * PAGE, MADV_DONTNEED);
			s->cursor = 0;
			s->round++;
		}
	}
	if (f0 >= 0 && iters)
		vb_extra_set(in, "minflt_per_op", (double)(vb_minflt() - f0) / (double)iters);
	return 0;
}

static void pgfault_teardown(struct vb_inst *in)
{
	struct pgfault_state *s = in->priv;

	if (!s)
		return;
	if (s->map)
		munmap(s->map, s->npages * PAGE);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_pgfault = {
	.name = "cpu.pgfault",
	.desc = "fault on a resident but unmapped page of a shared memory file",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 256,
	.params = {
		{ "pages", 4096, 1, 1ll << 20, "4 KiB pages",
		  "pages touched per round before their PTEs are dropped" },
	},
	.setup = pgfault_setup,
	.run = pgfault_run,
	.teardown = pgfault_teardown,
};
