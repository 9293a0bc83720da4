/* SPDX-License-Identifier: MIT */
/* FNV-1a 64: content keys for the caches, not a security hash. */
#ifndef VB_HASH_H
#define VB_HASH_H

#include <stddef.h>

#define VB_FNV_SEED 0xcbf29ce484222325ull

/* Continue h over len bytes at p; start from VB_FNV_SEED. */
unsigned long long vb_fnv1a64(unsigned long long h, const void *p, size_t len);

#endif
