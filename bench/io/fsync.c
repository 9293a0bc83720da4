/* SPDX-License-Identifier: MIT */
/*
 * io.fsync: a 4 KiB O_DIRECT write followed by fsync, sequentially through
 * a small span (a log's access pattern), one at a time; us per write+fsync,
 * with p50/p99 as extras. fsync adds a cache flush command to the request:
 * under a VM that is one more trip through the virtual disk, and what it
 * costs depends on the host's cache mode for the image. The last write of a
 * sample is read back and must hold exactly that write.
 */
#include "../bench.h"
#include "scratch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_fsync(struct vb_scratch *s, uint64_t i, char *why, size_t whylen)
{
	if (vb_scratch_write_block(s, i, why, whylen))
		return -1;
	if (fsync(s->fd)) {
		snprintf(why, whylen, "fsync: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int fsync_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	if (vb_scratch_run_qd1(in, write_fsync, 0, iters, why, whylen))
		return -1;
	return vb_scratch_verify_last(in->priv, why, whylen);
}

const struct vb_workload vb_wl_io_fsync = {
	.name = "io.fsync",
	.desc = "4 KiB O_DIRECT write + fsync, sequential, one at a time; p50/p99 latency",
	.version = 1,
	.metric = VB_US_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.needs = VB_NEED_SCRATCH,
	.min_iters = 4,
	.params = {
		{ "block_kib", 4, 4, 16384, "KiB, a multiple of 4", "request size, KiB" },
		{ "size_mib", 16, 1, 65536, "MiB", "span of the scratch target used, MiB" },
	},
	.setup = vb_scratch_setup,
	.run = fsync_run,
	.after = vb_scratch_after,
	.teardown = vb_scratch_teardown,
};
