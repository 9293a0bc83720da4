/* SPDX-License-Identifier: MIT */
/*
 * io.randwrite: 4 KiB O_DIRECT writes at random offsets of the scratch
 * target, queue depth 1, each stamped with its offset and serial; the last
 * write of a sample is read back and must hold exactly that write. Same
 * virtual-disk round trip as io.randread, for writes. IOPS, with the p50/p99
 * request latency of the sample as extras.
 */
#include "../bench.h"
#include "scratch.h"

static int randwrite_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	if (vb_scratch_run_qd1(in, vb_scratch_write_block, 1, iters, why, whylen))
		return -1;
	return vb_scratch_verify_last(in->priv, why, whylen);
}

const struct vb_workload vb_wl_io_randwrite = {
	.name = "io.randwrite",
	.desc = "random O_DIRECT 4 KiB writes at queue depth 1, last read back; p50/p99 latency",
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
	.run = randwrite_run,
	.after = vb_scratch_after,
	.teardown = vb_scratch_teardown,
};
