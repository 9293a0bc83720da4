/* SPDX-License-Identifier: MIT */
/*
 * io.seqread: sequential O_DIRECT reads of 1 MiB from the scratch target.
 * Every block carries a stamp of its offset, written at setup, and every
 * read checks it: a short or misplaced read cannot pass. Under a VM each
 * request goes through the virtual disk: an emulated controller traps on
 * every register access, virtio-blk needs one notification per batch.
 */
#include "../bench.h"
#include "scratch.h"

static int seqread_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct vb_scratch *s = in->priv;

	for (uint64_t i = 0; i < iters; i++)
		if (vb_scratch_read_block(s, vb_scratch_pick(s, 0), why, whylen))
			return -1;
	return 0;
}

const struct vb_workload vb_wl_io_seqread = {
	.name = "io.seqread",
	.desc = "sequential O_DIRECT reads of the scratch target, verified",
	.version = 2,
	.metric = VB_MB_PER_SEC,
	.dir = VB_HIGHER_IS_BETTER,
	.needs = VB_NEED_SCRATCH,
	.min_iters = 4,
	.params = {
		{ "block_kib", 1024, 4, 16384, "KiB, a multiple of 4", "request size, KiB" },
		{ "size_mib", 256, 1, 65536, "MiB", "span of the scratch target used, MiB" },
	},
	.setup = vb_scratch_setup,
	.run = seqread_run,
	.after = vb_scratch_after,
	.teardown = vb_scratch_teardown,
};
