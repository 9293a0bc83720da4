/* SPDX-License-Identifier: MIT */
/*
 * io.randread: 4 KiB O_DIRECT reads at random offsets of the scratch
 * target, one at a time (queue depth 1), each checked against its stamp.
 * At QD1 every request pays the whole round trip: under a VM that is the
 * guest driver, the exit or the emulated-register accesses (an emulated
 * controller needs several per request, virtio-blk one notification), the
 * host's I/O and the completion interrupt injected back. IOPS, with the
 * p50/p99 request latency of the sample as extras.
 */
#include "../bench.h"
#include "scratch.h"

static int randread_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	return vb_scratch_run_qd1(in, vb_scratch_read_block, 1, iters, why, whylen);
}

const struct vb_workload vb_wl_io_randread = {
	.name = "io.randread",
	.desc = "random O_DIRECT 4 KiB reads at queue depth 1, verified; p50/p99 latency",
	.version = 1,
	.metric = VB_OPS_PER_SEC,
	.dir = VB_HIGHER_IS_BETTER,
	.needs = VB_NEED_SCRATCH,
	.min_iters = 16,
	.params = {
		{ "block_kib", 4, 4, 16384, "KiB, a multiple of 4", "request size, KiB" },
		{ "size_mib", 128, 1, 65536, "MiB", "span of the scratch target used, MiB" },
	},
	.setup = vb_scratch_setup,
	.run = randread_run,
	.after = vb_scratch_after,
	.teardown = vb_scratch_teardown,
};
