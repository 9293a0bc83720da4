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

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { P_BLOCK_KIB, P_SIZE_MIB };

static int seqread_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct vb_scratch *s = calloc(1, sizeof(*s));
	int rc;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	rc = vb_scratch_open(s, in->env, (size_t)in->param[P_BLOCK_KIB] * 1024,
			     (uint64_t)in->param[P_SIZE_MIB] << 20, why, whylen);
	if (rc)
		return rc;
	in->op_bytes = s->block;
	return vb_scratch_fill(s, why, whylen);
}

static int seqread_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct vb_scratch *s = in->priv;

	for (uint64_t i = 0; i < iters; i++) {
		if (vb_scratch_read_block(s, s->next, why, whylen))
			return -1;
		s->next = (s->next + 1) % s->nblocks;
	}
	return 0;
}

static void seqread_teardown(struct vb_inst *in)
{
	if (in->priv)
		vb_scratch_close(in->priv);
	free(in->priv);
	in->priv = NULL;
}

const struct vb_workload vb_wl_io_seqread = {
	.name = "io.seqread",
	.desc = "sequential O_DIRECT reads of the scratch target, verified",
	.metric = VB_MB_PER_SEC,
	.dir = VB_HIGHER_IS_BETTER,
	.needs = VB_NEED_SCRATCH,
	.min_iters = 4,
	.params = {
		{ "block_kib", 1024, "request size, KiB" },
		{ "size_mib", 256, "span of the scratch target used, MiB" },
	},
	.setup = seqread_setup,
	.run = seqread_run,
	.teardown = seqread_teardown,
};
