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
#define FILL_CHUNK (1u << 20)              /* fill in 1 MiB requests */

int vb_scratch_open(struct vb_scratch *s, const struct vb_env *env, size_t block,
		    uint64_t span, char *why, size_t whylen)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	/* the two parameters meet here: each in its range, they may still not fit */
	if (block < VB_STAMP_SIZE || block % VB_STAMP_SIZE || span < block) {
		snprintf(why, whylen,
			 "block_kib=%zu must be a multiple of %d and fit in size_mib=%llu",
			 block / 1024, VB_STAMP_SIZE / 1024, (unsigned long long)(span >> 20));
		return -1;
	}
	if (!env || !env->scratch) {
		snprintf(why, whylen, "no scratch target in this environment");
		return VB_UNSUPPORTED;
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
	/*
	 * The request buffer in transparent huge pages: a virtual disk pays per
	 * physically contiguous run of a request, and 4 KiB pages fall in as
	 * many runs as the allocator happens to give (175 to 256 for 1 MiB
	 * here, at 820 to 590 MB/s; fresh pages at every setup made io.seqread
	 * 550 to 2050 MB/s from one setup to the next, docs/report.md). A huge
	 * page is one run, whatever the setup.
	 */
	if (vb_hugebuf_map(&s->hb, vb_hugebuf_round(block), 1)) {
		snprintf(why, whylen, "map a %zu KiB buffer: %s", block / 1024, strerror(errno));
		return -1;
	}
	s->buf = (unsigned char *)s->hb.buf;
	s->block = block;
	s->nblocks = span / block;
	s->gen = (uint64_t)getpid() << 20 ^ vb_now_ns();
	s->rng = s->gen | 1;
	return 0;
}

/* Stamp len bytes of buf that go to byte offset off of the target. */
static void stamp(const struct vb_scratch *s, unsigned char *buf, size_t len, uint64_t off,
		  uint64_t serial)
{
	for (size_t o = 0; o < len; o += VB_STAMP_SIZE) {
		uint64_t *w = (uint64_t *)(buf + o);

		w[0] = STAMP_MAGIC;
		w[1] = off + o;
		w[2] = s->gen;
		w[3] = serial;
	}
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off, char *why,
		      size_t whylen)
{
	ssize_t n = pwrite(fd, buf, len, (off_t)off);

	if (n != (ssize_t)len) {
		snprintf(why, whylen, "write of %zu bytes at %llu: %s", len,
			 (unsigned long long)off, n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

int vb_scratch_write_block(struct vb_scratch *s, uint64_t i, char *why, size_t whylen)
{
	stamp(s, s->buf, s->block, i * s->block, ++s->serial);
	s->last = i;
	return pwrite_all(s->fd, s->buf, s->block, i * s->block, why, whylen);
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

int vb_scratch_verify_last(struct vb_scratch *s, char *why, size_t whylen)
{
	if (!s->serial)
		return 0;
	if (vb_scratch_read_block(s, s->last, why, whylen))
		return -1;
	for (size_t off = 0; off < s->block; off += VB_STAMP_SIZE)
		if (((const uint64_t *)(s->buf + off))[3] != s->serial) {
			snprintf(why, whylen, "lost write: block %llu does not hold write #%llu",
				 (unsigned long long)s->last, (unsigned long long)s->serial);
			return -1;
		}
	return 0;
}

int vb_scratch_fill(struct vb_scratch *s, char *why, size_t whylen)
{
	uint64_t span = s->nblocks * s->block;
	unsigned char *chunk;
	int rc = 0;

	if (posix_memalign((void **)&chunk, 4096, FILL_CHUNK)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memset(chunk, 0, FILL_CHUNK);
	for (uint64_t off = 0; off < span && !rc; off += FILL_CHUNK) {
		size_t len = span - off < FILL_CHUNK ? (size_t)(span - off) : FILL_CHUNK;

		stamp(s, chunk, len, off, 0);
		rc = pwrite_all(s->fd, chunk, len, off, why, whylen);
	}
	free(chunk);
	if (!rc && fsync(s->fd)) {
		snprintf(why, whylen, "fsync: %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

uint64_t vb_scratch_pick(struct vb_scratch *s, int random)
{
	uint64_t i;

	if (random) {
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		return s->rng % s->nblocks;
	}
	i = s->next;
	s->next = (s->next + 1) % s->nblocks;
	return i;
}

void vb_scratch_close(struct vb_scratch *s)
{
	if (s->fd >= 0)
		close(s->fd);
	vb_hugebuf_unmap(&s->hb);
	s->fd = -1;
	s->buf = NULL;
}

/* The generation of the stamp at byte offset off, if it is a stamp of that place: 0 or -1. */
static int stamp_gen(const struct vb_scratch *s, uint64_t off, uint64_t *gen)
{
	const uint64_t *w = (const uint64_t *)s->buf;

	if (pread(s->fd, s->buf, VB_STAMP_SIZE, (off_t)off) != VB_STAMP_SIZE ||
	    w[0] != STAMP_MAGIC || w[1] != off)
		return -1;
	*gen = w[2];
	return 0;
}

/*
 * The fill is most of an io.* setup (256 MiB: half a minute through an
 * emulated disk in the emulated lab), and the instances of a run share one
 * target. So a setup takes the fill it finds where the
 * first and the last stamp of its span carry one generation: a fill writes
 * its whole span in order from the start, so one fill covered both and all
 * between. Otherwise it fills anew. Every read still checks magic, offset
 * and generation, so a block that this fill (or a write in its generation)
 * did not put at that place cannot pass.
 */
static int fill_once(struct vb_scratch *s, char *why, size_t whylen)
{
	uint64_t first, last;

	if (stamp_gen(s, 0, &first) == 0 &&
	    stamp_gen(s, s->nblocks * s->block - VB_STAMP_SIZE, &last) == 0 && first == last) {
		s->gen = first;
		return 0;
	}
	return vb_scratch_fill(s, why, whylen);
}

int vb_scratch_setup(struct vb_inst *in, char *why, size_t whylen)
{
	int kib = vb_param_index(in->wl, "block_kib"), mib = vb_param_index(in->wl, "size_mib");
	struct vb_scratch *s = calloc(1, sizeof(*s));
	int rc;

	if (kib < 0 || mib < 0) {
		free(s);
		snprintf(why, whylen, "%s lacks block_kib or size_mib", in->wl->name);
		return -1;
	}
	size_t block = (size_t)in->param[kib] * 1024;
	uint64_t span = (uint64_t)in->param[mib] << 20;

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	rc = vb_scratch_open(s, in->env, block, span, why, whylen);
	if (rc)
		return rc;
	in->op_bytes = s->block;
	return fill_once(s, why, whylen);
}

/* Whether the request buffer got its huge page (a guest may not have THP): said after the samples */
void vb_scratch_after(struct vb_inst *in)
{
	const struct vb_scratch *s = in->priv;
	double pct = vb_hugebuf_pct(&s->hb);

	if (pct >= 0)
		vb_extra_set(in, "buf_thp_pct", pct);
}

void vb_scratch_teardown(struct vb_inst *in)
{
	if (in->priv)
		vb_scratch_close(in->priv);
	free(in->priv);
	in->priv = NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of n sorted values. */
static double percentile_us(const uint64_t *v, uint64_t n, double p)
{
	uint64_t rank = (uint64_t)(p * (double)n + 0.999999);

	return (double)v[rank ? rank - 1 : 0] / 1e3;
}

int vb_scratch_run_qd1(struct vb_inst *in, vb_scratch_op op, int random, uint64_t iters,
		       char *why, size_t whylen)
{
	struct vb_scratch *s = in->priv;
	uint64_t *lat = malloc((iters ? iters : 1) * sizeof(*lat));
	int rc = 0;

	if (!lat) {
		snprintf(why, whylen, "out of memory for %llu latencies",
			 (unsigned long long)iters);
		return -1;
	}
	for (uint64_t k = 0; k < iters && !rc; k++) {
		uint64_t i = vb_scratch_pick(s, random), t0 = vb_now_ns();

		rc = op(s, i, why, whylen);
		lat[k] = vb_now_ns() - t0;
	}
	if (!rc && iters) {
		qsort(lat, iters, sizeof(*lat), cmp_u64);
		vb_extra_set(in, "p50_us", percentile_us(lat, iters, 0.50));
		vb_extra_set(in, "p99_us", percentile_us(lat, iters, 0.99));
	}
	free(lat);
	return rc;
}
