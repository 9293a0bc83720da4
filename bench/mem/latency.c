/* SPDX-License-Identifier: MIT */
/*
 * mem.latency: a dependent pointer chase through a buffer of size_kib, one
 * cache line per slot, in one random cyclic order: ns per load. Small sizes
 * measure the caches, large ones DRAM plus TLB misses. A guest pays the same
 * cache latencies; beyond the TLB's reach every miss walks the guest's page
 * table and, under nested paging, the host's for each of its levels. The end
 * of every chase is checked against the cycle.
 */
#include "../bench.h"
#include "ring.h"

#include <stdio.h>
#include <stdlib.h>

#define LINE 64

enum { P_SIZE_KIB };

struct latency_state {
	char *buf;
	struct vb_ring ring;
};

static int latency_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct latency_state *s = calloc(1, sizeof(*s));
	long long kib = in->param[P_SIZE_KIB];
	size_t bytes = (size_t)kib * 1024;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	if (posix_memalign((void **)&s->buf, 4096, bytes) ||
	    vb_ring_build(&s->ring, s->buf, bytes / LINE, LINE, 0, 0x9e3779b97f4a7c15ull)) {
		snprintf(why, whylen, "cannot build a ring over %lld KiB", kib);
		return -1;
	}
	return 0;
}

static int latency_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct latency_state *s = in->priv;

	if (vb_ring_chase(&s->ring, iters)) {
		snprintf(why, whylen, "pointer chase ended off its cycle");
		return -1;
	}
	return 0;
}

static void latency_teardown(struct vb_inst *in)
{
	struct latency_state *s = in->priv;

	if (s) {
		vb_ring_free(&s->ring);
		free(s->buf);
		free(s);
	}
	in->priv = NULL;
}

const struct vb_workload vb_wl_mem_latency = {
	.name = "mem.latency",
	.desc = "dependent loads along a random cycle through size_kib of memory",
	.version = 1,
	.metric = VB_NS_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1024,
	.params = {
		{ "size_kib", 65536, 1, 1ll << 26, "KiB",
		  "buffer size, KiB (16 = L1 ... 262144 = DRAM)" },
	},
	.setup = latency_setup,
	.run = latency_run,
	.teardown = latency_teardown,
};
