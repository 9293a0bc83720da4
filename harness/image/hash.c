/* SPDX-License-Identifier: MIT */
#include "hash.h"

unsigned long long vb_fnv1a64(unsigned long long h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}
