/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 and HMAC-SHA256 (common/sha256.h) against the published
 * vectors: FIPS 180-4's examples (NIST CSRC) and RFC 4231's test cases;
 * and the lengths where the padding changes shape.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../common/sha256.h"

/* out as lowercase hex (2 * VB_SHA256_LEN + 1 bytes). */
static const char *hex(const unsigned char d[VB_SHA256_LEN], char out[2 * VB_SHA256_LEN + 1])
{
	for (int i = 0; i < VB_SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return out;
}

/* The digest of msg given to update in pieces of chunk bytes. */
static const char *digest(const char *msg, size_t chunk, char out[2 * VB_SHA256_LEN + 1])
{
	unsigned char d[VB_SHA256_LEN];
	struct vb_sha256 c;
	size_t len = strlen(msg);

	vb_sha256_init(&c);
	for (size_t at = 0; at < len; at += chunk)
		vb_sha256_update(&c, msg + at, len - at < chunk ? len - at : chunk);
	vb_sha256_final(&c, d);
	return hex(d, out);
}

/*
 * "abc" (one block), "" (padding only) and the 448-bit message, whose
 * padding needs a second block; each whole and byte by byte.
 */
START_TEST(fips_vectors)
{
	static const struct { const char *msg, *sha; } v[] = {
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char out[2 * VB_SHA256_LEN + 1];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_str_eq(digest(v[i].msg, 1000, out), v[i].sha);
		ck_assert_str_eq(digest(v[i].msg, 1, out), v[i].sha);
	}
}
END_TEST

/*
 * Where the padding fits in the last block and where it takes one more:
 * 55 and 56, 119 and 120 'a's; and whole blocks (63 and 64). Digests from
 * Python's hashlib.
 */
START_TEST(padding_boundaries)
{
	static const struct { size_t len; const char *sha; } v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char a[121], out[2 * VB_SHA256_LEN + 1];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(a, 'a', v[i].len);
		a[v[i].len] = '\0';
		ck_assert_str_eq(digest(a, 7, out), v[i].sha);
	}
}
END_TEST

/* One million 'a': many blocks, given in pieces that do not end on a block's edge. */
START_TEST(fips_million_a)
{
	static char a[1000001];
	char out[2 * VB_SHA256_LEN + 1];

	memset(a, 'a', sizeof(a) - 1);
	ck_assert_str_eq(digest(a, 1000, out),
			 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* RFC 4231 test cases 1 and 2 (keys shorter than a block) and 6 (a 131-byte key). */
START_TEST(rfc4231_hmac)
{
	unsigned char k1[20], k6[131], d[VB_SHA256_LEN];
	char out[2 * VB_SHA256_LEN + 1];
	static const char m6[] = "Test Using Larger Than Block-Size Key - Hash Key First";

	memset(k1, 0x0b, sizeof(k1));
	memset(k6, 0xaa, sizeof(k6));
	vb_hmac_sha256(k1, sizeof(k1), "Hi There", 8, d);
	ck_assert_str_eq(hex(d, out),
			 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	vb_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
	ck_assert_str_eq(hex(d, out),
			 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	vb_hmac_sha256(k6, sizeof(k6), m6, strlen(m6), d);
	ck_assert_str_eq(hex(d, out),
			 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

Suite *suite_sha256(void)
{
	Suite *s = suite_create("sha256");
	TCase *t = tcase_create("core");

	tcase_add_test(t, fips_vectors);
	tcase_add_test(t, padding_boundaries);
	tcase_add_test(t, fips_million_a);
	tcase_add_test(t, rfc4231_hmac);
	suite_add_tcase(s, t);
	return s;
}
