/* SPDX-License-Identifier: MIT */
/*
 * mem.tlb: one dependent load per page over `pages` pages in random order,
 * each on a different cache line of its page so the lines touched (64 B per
 * page) stay cache-resident while the pages overflow the TLB: ns per load is
 * dominated by the TLB miss and its page walk. Nested paging turns a 4-level
 * walk into a 2-D walk of up to 24 references; huge pages (thp=1,
 * MADV_HUGEPAGE) shorten both walks. Whether THP was really obtained is read
 * from /proc/self/smaps (AnonHugePages) and reported as the extra thp_pct;
 * thp=1 without any huge page is unsupported.
 */
#include "../bench.h"
#include "ring.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096
#define HUGE (2u << 20)

enum { P_PAGES, P_THP };

struct tlb_state {
	void *map;           /* the whole mapping, for munmap */
	size_t maplen;
	char *buf;           /* 2 MiB aligned, pages * 4 KiB */
	size_t len;
	struct vb_ring ring;
};

/* AnonHugePages (bytes) of the mapping holding addr; -1 if unreadable. */
static long long anon_huge_bytes(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;
	long long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi, a = (uintptr_t)addr;
		long long v;

		/* a mapping's header line; its fields follow until the next one */
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &lo, &hi) == 2)
			inside = a >= lo && a < hi;
		else if (inside && sscanf(line, "AnonHugePages: %lld kB", &v) == 1) {
			kb = v;
			break;
		}
	}
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

static int thp_mode(char *mode, size_t len)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char *l, *r;

	if (!f || !fgets(mode, (int)len, f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	mode[strcspn(mode, "\n")] = 0;
	/* "always [madvise] never": keep the selected word */
	if ((l = strchr(mode, '[')) && (r = strchr(l, ']'))) {
		*r = 0;
		memmove(mode, l + 1, strlen(l + 1) + 1);
	}
	return 0;
}

static int tlb_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct tlb_state *s = calloc(1, sizeof(*s));
	long long pages = in->param[P_PAGES], thp = in->param[P_THP];
	char mode[128];
	long long huge;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	/* sysfs may be absent (a minimal guest): then smaps alone decides */
	if (thp_mode(mode, sizeof(mode)))
		snprintf(mode, sizeof(mode), "unknown");
	if (thp && strcmp(mode, "never") == 0) {
		snprintf(why, whylen, "transparent huge pages are disabled (never)");
		return VB_UNSUPPORTED;
	}
	s->len = (size_t)pages * PAGE;
	s->maplen = s->len + HUGE;
	s->map = mmap(NULL, s->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		snprintf(why, whylen, "cannot map %zu bytes", s->maplen);
		return -1;
	}
	s->buf = (char *)(((uintptr_t)s->map + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
	/* 4 KiB pages must stay 4 KiB even where THP is "always". */
	madvise(s->buf, s->len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(s->buf, 0, s->len);
	if (vb_ring_build(&s->ring, s->buf, (size_t)pages, PAGE, 1, 0x2545f4914f6cdd1dull)) {
		snprintf(why, whylen, "cannot build a ring over %lld pages", pages);
		return -1;
	}
	huge = anon_huge_bytes(s->buf);
	if (thp && huge < 0) {
		snprintf(why, whylen, "cannot read /proc/self/smaps to confirm THP");
		return VB_UNSUPPORTED;
	}
	if (thp && huge == 0) {
		snprintf(why, whylen,
			 "THP requested but none obtained (transparent_hugepage/enabled: %s)",
			 mode);
		return VB_UNSUPPORTED;
	}
	return 0;
}

static int tlb_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct tlb_state *s = in->priv;
	long long huge;

	if (vb_ring_chase(&s->ring, iters)) {
		snprintf(why, whylen, "page chase ended off its cycle");
		return -1;
	}
	/* khugepaged may collapse or the kernel split pages later: report per sample */
	huge = anon_huge_bytes(s->buf);
	if (huge >= 0)
		vb_extra_set(in, "thp_pct",
			     100.0 * (double)(huge < (long long)s->len ? huge : (long long)s->len) /
				     (double)s->len);
	return 0;
}

static void tlb_teardown(struct vb_inst *in)
{
	struct tlb_state *s = in->priv;

	if (s) {
		vb_ring_free(&s->ring);
		if (s->map)
			munmap(s->map, s->maplen);
		free(s);
	}
	in->priv = NULL;
}

const struct vb_workload vb_wl_mem_tlb = {
	.name = "mem.tlb",
	.desc = "one dependent load per page over pages in random order (TLB misses)",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1024,
	.params = {
		{ "pages", 16384, 2, 1ll << 24, "4 KiB pages", "pages visited (4 KiB each: 16384 = 64 MiB)" },
		{ "thp", 0, 0, 1, "off/on", "1: back them with transparent huge pages (MADV_HUGEPAGE)" },
	},
	.setup = tlb_setup,
	.run = tlb_run,
	.teardown = tlb_teardown,
};
