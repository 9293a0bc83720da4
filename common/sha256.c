/* SPDX-License-Identifier: MIT */
#include "sha256.h"

#include <string.h>

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The message schedule W[0..63] of one block (FIPS 180-4, 6.2.2 step 1). */
static void schedule(const unsigned char *block, uint32_t w[64])
{
	for (int t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
}

/* One 64-byte block into the hash (6.2.2 steps 2 to 4). */
static void compress(uint32_t h[8], const unsigned char *block)
{
	uint32_t w[64], v[8];

	schedule(block, w);
	memcpy(v, h, sizeof(v));
	for (int t = 0; t < 64; t++) {
		uint32_t e = v[4], a = v[0];
		uint32_t t1 = v[7] + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
			      ((e & v[5]) ^ (~e & v[6])) + K[t] + w[t];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
			      ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));

		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

void vb_sha256_init(struct vb_sha256 *c)
{
	/* the first 32 bits of the fractional parts of the square roots of the first 8 primes */
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(c->h, h0, sizeof(h0));
	c->bytes = 0;
	c->fill = 0;
}

void vb_sha256_update(struct vb_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->bytes += n;
	while (n) {
		size_t take = VB_SHA256_BLOCK - c->fill < n ? VB_SHA256_BLOCK - c->fill : n;

		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill == VB_SHA256_BLOCK) {
			compress(c->h, c->block);
			c->fill = 0;
		}
	}
}

/* Padding (5.1.1): a 1 bit, zeros, and the length in bits in the block's last 8 bytes. */
void vb_sha256_final(struct vb_sha256 *c, unsigned char out[VB_SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;

	c->block[c->fill++] = 0x80;
	if (c->fill > VB_SHA256_BLOCK - 8) {
		memset(c->block + c->fill, 0, VB_SHA256_BLOCK - c->fill);
		compress(c->h, c->block);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, VB_SHA256_BLOCK - 8 - c->fill);
	store_be32(c->block + VB_SHA256_BLOCK - 8, (uint32_t)(bits >> 32));
	store_be32(c->block + VB_SHA256_BLOCK - 4, (uint32_t)bits);
	compress(c->h, c->block);
	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, c->h[i]);
}

/* H((key ^ pad) || data), pad being ipad (0x36) or opad (0x5c) over a whole block. */
static void keyed_hash(const unsigned char key[VB_SHA256_BLOCK], unsigned char pad,
		       const void *data, size_t n, unsigned char out[VB_SHA256_LEN])
{
	unsigned char k[VB_SHA256_BLOCK];
	struct vb_sha256 c;

	for (int i = 0; i < VB_SHA256_BLOCK; i++)
		k[i] = key[i] ^ pad;
	vb_sha256_init(&c);
	vb_sha256_update(&c, k, sizeof(k));
	vb_sha256_update(&c, data, n);
	vb_sha256_final(&c, out);
}

void vb_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
		    unsigned char out[VB_SHA256_LEN])
{
	unsigned char k[VB_SHA256_BLOCK] = {0}, inner[VB_SHA256_LEN];

	if (key_len > VB_SHA256_BLOCK) {
		struct vb_sha256 c;

		vb_sha256_init(&c);
		vb_sha256_update(&c, key, key_len);
		vb_sha256_final(&c, k);
	} else if (key_len) { /* memcpy from NULL is undefined, even of 0 bytes */
		memcpy(k, key, key_len);
	}
	keyed_hash(k, 0x36, msg, msg_len, inner);
	keyed_hash(k, 0x5c, inner, sizeof(inner), out);
}
