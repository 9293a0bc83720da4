/* SPDX-License-Identifier: MIT */
/*
 * Anonymous memory in a 2 MiB-aligned region, backed by transparent huge
 * pages where asked (MADV_HUGEPAGE) or kept to 4 KiB pages (MADV_NOHUGEPAGE),
 * and how much of it the kernel really gave as huge pages.
 */
#ifndef VB_HUGEBUF_H
#define VB_HUGEBUF_H

#include <stddef.h>

struct vb_hugebuf {
	void *map;      /* the whole mapping, for munmap */
	size_t maplen;
	char *buf;      /* 2 MiB aligned, len bytes, touched */
	size_t len;
};

/*
 * Map and touch len bytes (huge: 1 asks for huge pages, 0 forbids them);
 * 0 or -1. A huge page backs only a whole 2 MiB of the buffer.
 */
int vb_hugebuf_map(struct vb_hugebuf *b, size_t len, int huge);
void vb_hugebuf_unmap(struct vb_hugebuf *b);
/* len rounded up to whole huge pages: a buffer of that length can be all huge. */
size_t vb_hugebuf_round(size_t len);
/* The share of the buffer in huge pages, 0..100 (AnonHugePages in smaps); -1: unreadable. */
double vb_hugebuf_pct(const struct vb_hugebuf *b);

#endif
