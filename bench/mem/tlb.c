/* SPDX-License-Identifier: MIT */
/*
 * mem.tlb: one dependent load per page over `pages` pages in random order,
 * each on a different cache line of its page so the lines touched (64 B per
 * page) stay cache-resident while the pages overflow the TLB: ns per load is
 * dominated by the TLB miss and its page walk. Nested paging turns a 4-level
 * walk into a 2-D walk of up to 24 references; huge pages (thp=1,
 * MADV_HUGEPAGE) shorten both walks. Whether THP was really obtained is read
 * from /proc/self/smaps (AnonHugePages) and reported as the extra thp_pct,
 * after the samples (version 1 read it inside each timed sample);
 * thp=1 without any huge page is unsupported.
 */
#include "../bench.h"
#include "../hugebuf.h"
#include "ring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096

enum { P_PAGES, P_THP };

struct tlb_state {
	struct vb_hugebuf mem; /* pages * 4 KiB */
	struct vb_ring ring;
};

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
	double huge;

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
	if (vb_hugebuf_map(&s->mem, (size_t)pages * PAGE, (int)thp)) {
		snprintf(why, whylen, "cannot map %lld pages", pages);
		return -1;
	}
	if (vb_ring_build(&s->ring, s->mem.buf, (size_t)pages, PAGE, 1, 0x2545f4914f6cdd1dull)) {
		snprintf(why, whylen, "cannot build a ring over %lld pages", pages);
		return -1;
	}
	huge = vb_hugebuf_pct(&s->mem);
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

	if (vb_ring_chase(&s->ring, iters)) {
		snprintf(why, whylen, "page chase ended off its cycle");
		return -1;
	}
	return 0;
}

/* khugepaged may collapse or the kernel split pages during the samples: said after them */
static void tlb_after(struct vb_inst *in)
{
	struct tlb_state *s = in->priv;
	double pct = vb_hugebuf_pct(&s->mem);

	if (pct >= 0)
		vb_extra_set(in, "thp_pct", pct);
}

static void tlb_teardown(struct vb_inst *in)
{
	struct tlb_state *s = in->priv;

	if (s) {
		vb_ring_free(&s->ring);
		vb_hugebuf_unmap(&s->mem);
		free(s);
	}
	in->priv = NULL;
}

const struct vb_workload vb_wl_mem_tlb = {
	.name = "mem.tlb",
	.desc = "one dependent load per page over pages in random order (TLB misses)",
	.version = 2,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1024,
	.params = {
		{ "pages", 16384, 2, 1ll << 24, "4 KiB pages", "pages visited (4 KiB each: 16384 = 64 MiB)" },
		{ "thp", 0, 0, 1, "off/on", "1: back them with transparent huge pages (MADV_HUGEPAGE)" },
	},
	.setup = tlb_setup,
	.run = tlb_run,
	.after = tlb_after,
	.teardown = tlb_teardown,
};
