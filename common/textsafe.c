/* SPDX-License-Identifier: MIT */
/* Untrusted text for a terminal; see textsafe.h. */
#include "textsafe.h"

#include <string.h>

/* The bytes after lead that a well-formed sequence needs, and its second byte's range. */
static int utf8_shape(unsigned char lead, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (lead >= 0xc2 && lead <= 0xdf)
		return 1;
	if (lead >= 0xe0 && lead <= 0xef) {
		if (lead == 0xe0)
			*lo = 0xa0;        /* no overlong forms */
		if (lead == 0xed)
			*hi = 0x9f;        /* no UTF-16 surrogates */
		return 2;
	}
	if (lead >= 0xf0 && lead <= 0xf4) {
		if (lead == 0xf0)
			*lo = 0x90;
		if (lead == 0xf4)
			*hi = 0x8f;        /* nothing past U+10FFFF */
		return 3;
	}
	return -1;
}

/* Well-formed, but shown escaped: C1 controls, bidi overrides, U+2028/2029. */
static int invisible(const unsigned char *p, size_t len)
{
	if (len == 2)
		return p[0] == 0xc2 && p[1] <= 0x9f;
	if (len != 3 || p[0] != 0xe2)
		return 0;
	return (p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
	       (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

size_t vb_text_printable(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;
	int more;

	if (*p < 0x80)
		return *p >= 0x20 && *p != 0x7f;
	more = utf8_shape(*p, &lo, &hi);
	if (more < 0 || p[1] < lo || p[1] > hi)
		return 0;
	for (int k = 2; k <= more; k++)
		if (p[k] < 0x80 || p[k] > 0xbf)
			return 0;
	return invisible(p, (size_t)more + 1) ? 0 : (size_t)more + 1;
}

/* The rendering of the character at s into out (NUL-terminated); the bytes of s it took. */
static size_t render(const char *s, char out[8])
{
	size_t k = vb_text_printable(s);

	if (*s == '\\') {
		memcpy(out, "\\\\", 3);
		return 1;
	}
	if (!k) {
		static const char hex[] = "0123456789abcdef";
		unsigned char c = (unsigned char)*s;

		out[0] = '\\';
		out[1] = 'x';
		out[2] = hex[c >> 4];
		out[3] = hex[c & 15];
		out[4] = '\0';
		return 1;
	}
	memcpy(out, s, k);
	out[k] = '\0';
	return k;
}

/* The length of s rendered. */
static size_t rendered_len(const char *s)
{
	size_t len = 0;
	char piece[8];

	while (*s) {
		s += render(s, piece);
		len += strlen(piece);
	}
	return len;
}

const char *vb_term_safe(const char *s, char *buf, size_t n)
{
	/* what does not fit whole keeps room for "..." after its last whole piece */
	size_t room = rendered_len(s) < n ? n - 1 : n - 4, used = 0;
	char piece[8];

	while (*s) {
		size_t k = render(s, piece), len = strlen(piece);

		if (used + len > room) {
			memcpy(buf + used, "...", 4);
			return buf;
		}
		memcpy(buf + used, piece, len);
		used += len;
		s += k;
	}
	buf[used] = '\0';
	return buf;
}

size_t vb_term_put(FILE *f, const char *s)
{
	size_t written = 0;
	char piece[8];

	while (*s) {
		s += render(s, piece);
		written += strlen(piece);
		fputs(piece, f);
	}
	return written;
}
