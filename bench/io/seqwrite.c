/* SPDX-License-Identifier: MIT */
/*
 * io.seqwrite: sequential O_DIRECT writes of 1 MiB to the scratch target
 * (filled once at setup, so every write overwrites allocated blocks). Each
 * block is stamped with its offset and the serial of the write; the last
 * write of a sample is read back and must hold exactly that write. Under a
 * VM the data crosses the virtual disk as in io.seqread, in the other
 * direction.
 */
#include "../bench.h"
#include "scratch.h"

static int seqwrite_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct vb_scratch *s = in->priv;

	for (uint64_t i = 0; i < iters; i++)
		if (vb_scratch_write_block(s, vb_scratch_pick(s, 0), why, whylen))
			return -1;
	return vb_scratch_verify_last(s, why, whylen);
}

const struct vb_workload vb_wl_io_seqwrite = {
	.name = "io.seqwrite",
	.desc = "sequential O_DIRECT writes to the scratch target, last one read back",
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
	.run = seqwrite_run,
	.after = vb_scratch_after,
	.teardown = vb_scratch_teardown,
};
