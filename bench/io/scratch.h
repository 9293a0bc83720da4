/* SPDX-License-Identifier: MIT */
/*
 * The I/O scratch target shared by the io.* workloads: O_DIRECT, stamped.
 *
 * Every 4 KiB of the span carries a stamp (magic, its own byte offset, the
 * generation of the fill of the target, the serial of the write that put
 * it there), so a read of the wrong place, a short read or a lost write
 * cannot pass. Agents that share a target (the instances of one run) take
 * up the fill they find there.
 */
#ifndef VB_SCRATCH_H
#define VB_SCRATCH_H

#include "../bench.h"
#include "../hugebuf.h"

#define VB_STAMP_SIZE 4096 /* every 4 KiB carries its own offset stamp */

struct vb_scratch {
	int fd;
	size_t block;        /* request size */
	uint64_t nblocks;    /* blocks in the span */
	uint64_t next;       /* next block for sequential access */
	unsigned char *buf;  /* one block, at the start of hb */
	struct vb_hugebuf hb; /* in transparent huge pages where the kernel gives them */
	uint64_t gen;        /* generation written into stamps */
	uint64_t serial;     /* serial of the last write_block */
	uint64_t last;       /* block of the last write_block */
	uint64_t rng;        /* xorshift state for random blocks */
};

/* Open env->scratch with O_DIRECT; VB_UNSUPPORTED when there is none. */
int vb_scratch_open(struct vb_scratch *s, const struct vb_env *env, size_t block,
		    uint64_t span, char *why, size_t whylen);
/* Write every block of the span with its stamps (in large requests), then fsync. */
int vb_scratch_fill(struct vb_scratch *s, char *why, size_t whylen);
/* Read block i into s->buf and check its stamps. */
int vb_scratch_read_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen);
/* Stamp s->buf for block i with a new serial and write it. */
int vb_scratch_write_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen);
/* Read back the last block written and check it holds that very write. */
int vb_scratch_verify_last(struct vb_scratch *s, char *why, size_t whylen);
/* The next block: sequential (wrapping) or uniformly random in the span. */
uint64_t vb_scratch_pick(struct vb_scratch *s, int random);
void vb_scratch_close(struct vb_scratch *s);

/*
 * The setup of every io.* workload (their parameters are block_kib and
 * size_mib): allocate and open the scratch target into in->priv, fill it
 * unless a fill that covers the span is there, set in->op_bytes to the
 * block. Returns as setup does.
 */
int vb_scratch_setup(struct vb_inst *in, char *why, size_t whylen);
/* The after hook of every io.* workload: the extra buf_thp_pct. */
void vb_scratch_after(struct vb_inst *in);
void vb_scratch_teardown(struct vb_inst *in);

/* One request of a queue-depth-1 workload on block i. */
typedef int (*vb_scratch_op)(struct vb_scratch *s, uint64_t i, char *why, size_t whylen);

/*
 * Issue iters requests one at a time (QD1), on random or sequential blocks,
 * timing each, and set the extras p50_us and p99_us of this sample.
 */
int vb_scratch_run_qd1(struct vb_inst *in, vb_scratch_op op, int random, uint64_t iters,
		       char *why, size_t whylen);

#endif
