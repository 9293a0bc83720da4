/* SPDX-License-Identifier: MIT */
/* The I/O scratch target shared by the io.* workloads: O_DIRECT, stamped. */
#ifndef VB_SCRATCH_H
#define VB_SCRATCH_H

#include "../bench.h"

#define VB_STAMP_SIZE 4096 /* every 4 KiB carries its own offset stamp */

struct vb_scratch {
	int fd;
	size_t block;        /* request size */
	uint64_t nblocks;    /* blocks in the span */
	uint64_t next;       /* next block for sequential access */
	unsigned char *buf;  /* aligned, one block */
	uint64_t gen;        /* generation written into stamps */
};

/* Open env->scratch with O_DIRECT; VB_UNSUPPORTED when there is none. */
int vb_scratch_open(struct vb_scratch *s, const struct vb_env *env, size_t block,
		    uint64_t span, char *why, size_t whylen);
/* Write every block of the span with its stamps, then fsync. */
int vb_scratch_fill(struct vb_scratch *s, char *why, size_t whylen);
/* Read block i into s->buf and check its stamps. */
int vb_scratch_read_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen);
/* Stamp s->buf for block i and write it. */
int vb_scratch_write_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen);
void vb_scratch_close(struct vb_scratch *s);

#endif
