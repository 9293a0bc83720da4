/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the host's
 * app-specific machine id (harness/hostinfo.c). Small and plain, not fast:
 * it hashes a few dozen bytes per run.
 */
#ifndef VB_SHA256_H
#define VB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define VB_SHA256_LEN 32
#define VB_SHA256_BLOCK 64

struct vb_sha256 {
	uint32_t h[8];                          /* the hash so far */
	uint64_t bytes;                         /* message length so far */
	unsigned char block[VB_SHA256_BLOCK];   /* the part of a block not yet hashed */
	size_t fill;                            /* its length */
};

void vb_sha256_init(struct vb_sha256 *c);
void vb_sha256_update(struct vb_sha256 *c, const void *data, size_t n);
/* The digest of everything given to update; c must be initialized again to be reused. */
void vb_sha256_final(struct vb_sha256 *c, unsigned char out[VB_SHA256_LEN]);

/* HMAC-SHA256 of msg under key (any length: a key longer than a block is hashed first). */
void vb_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
		    unsigned char out[VB_SHA256_LEN]);

#endif
