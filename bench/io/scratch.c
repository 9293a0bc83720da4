/* SPDX-License-Identifier: MIT */
#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAMP_MAGIC 0x76626e6368737472ull /* "vbnchstr" */

int vb_scratch_open(struct vb_scratch *s, const struct vb_env *env, size_t block,
		    uint64_t span, char *why, size_t whylen)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (!env || !env->scratch) {
		snprintf(why, whylen, "no scratch target in this environment");
		return VB_UNSUPPORTED;
	}
	if (block < VB_STAMP_SIZE || block % VB_STAMP_SIZE || span < block) {
		snprintf(why, whylen, "block must be a multiple of %d and <= the span",
			 VB_STAMP_SIZE);
		return -1;
	}
	s->fd = open(env->scratch, O_RDWR | O_DIRECT);
	if (s->fd < 0) {
		int e = errno;

		snprintf(why, whylen, "open %s with O_DIRECT: %s", env->scratch, strerror(e));
		/* tmpfs and some overlays refuse O_DIRECT: that is the environment */
		return e == EINVAL ? VB_UNSUPPORTED : -1;
	}
	struct stat st;
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size < span &&
	    ftruncate(s->fd, (off_t)span) != 0) {
		snprintf(why, whylen, "grow %s to %llu bytes: %s", env->scratch,
			 (unsigned long long)span, strerror(errno));
		return -1;
	}
	if (posix_memalign((void **)&s->buf, 4096, block)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	s->block = block;
	s->nblocks = span / block;
	s->gen = (uint64_t)getpid() << 20 ^ vb_now_ns();
	return 0;
}

static void stamp(struct vb_scratch *s, uint64_t i)
{
	for (size_t off = 0; off < s->block; off += VB_STAMP_SIZE) {
		uint64_t *w = (uint64_t *)(s->buf + off);

		w[0] = STAMP_MAGIC;
		w[1] = i * s->block + off;
		w[2] = s->gen;
	}
}

int vb_scratch_write_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen)
{
	ssize_t n;

	stamp(s, i);
	n = pwrite(s->fd, s->buf, s->block, (off_t)(i * s->block));
	if (n != (ssize_t)s->block) {
		snprintf(why, whylen, "write of block %llu: %s", (unsigned long long)i,
			 n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

int vb_scratch_read_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen)
{
	ssize_t n = pread(s->fd, s->buf, s->block, (off_t)(i * s->block));

	if (n != (ssize_t)s->block) {
		snprintf(why, whylen, "read of block %llu: %s", (unsigned long long)i,
			 n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	for (size_t off = 0; off < s->block; off += VB_STAMP_SIZE) {
		const uint64_t *w = (const uint64_t *)(s->buf + off);

		if (w[0] != STAMP_MAGIC || w[1] != i * s->block + off || w[2] != s->gen) {
			snprintf(why, whylen, "data check failed at offset %llu",
				 (unsigned long long)(i * s->block + off));
			return -1;
		}
	}
	return 0;
}

int vb_scratch_fill(struct vb_scratch *s, char *why, size_t whylen)
{
	for (uint64_t i = 0; i < s->nblocks; i++)
		if (vb_scratch_write_block(s, i, why, whylen))
			return -1;
	if (fsync(s->fd)) {
		snprintf(why, whylen, "fsync: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void vb_scratch_close(struct vb_scratch *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}
