/* SPDX-License-Identifier: MIT */
#include "hugebuf.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20) /* a PMD-sized transparent huge page on x86-64 */

int vb_hugebuf_map(struct vb_hugebuf *b, size_t len, int huge)
{
	memset(b, 0, sizeof(*b));
	b->maplen = len + HUGE_PAGE;
	b->map = mmap(NULL, b->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return -1;
	}
	b->buf = (char *)(((uintptr_t)b->map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	b->len = len;
	/* without a word either way, THP "always" would decide for us */
	madvise(b->buf, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(b->buf, 0, len);
	return 0;
}

void vb_hugebuf_unmap(struct vb_hugebuf *b)
{
	if (b->map)
		munmap(b->map, b->maplen);
	memset(b, 0, sizeof(*b));
}

size_t vb_hugebuf_round(size_t len)
{
	return (len + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
}

/* AnonHugePages (bytes) of the mapping holding addr; -1 if unreadable. */
static long long anon_huge_bytes(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;
	long long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi, a = (uintptr_t)addr;
		long long v;

		/* a mapping's header line; its fields follow until the next one */
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &lo, &hi) == 2)
			inside = a >= lo && a < hi;
		else if (inside && sscanf(line, "AnonHugePages: %lld kB", &v) == 1) {
			kb = v;
			break;
		}
	}
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

double vb_hugebuf_pct(const struct vb_hugebuf *b)
{
	long long huge = b->len ? anon_huge_bytes(b->buf) : -1;

	if (huge < 0)
		return -1;
	return 100.0 * (double)(huge < (long long)b->len ? huge : (long long)b->len) /
	       (double)b->len;
}
