/* SPDX-License-Identifier: MIT */
/*
 * Untrusted text on a terminal (common/textsafe.h): escape sequences,
 * controls and broken UTF-8 shown as \xNN, printable UTF-8 kept; and the
 * log tail that a failed environment's reason carries.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/textsafe.h"
#include "../../harness/envutil.h"

/* No byte a terminal acts on: C0, DEL, and the C1 range's lead 0xc2 0x80-0x9f. */
static void assert_inert(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte %#x in '%s'", *p, s);
		ck_assert_msg(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f), "C1 in '%s'", s);
	}
}

START_TEST(term_escapes_esc_sequences)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "\x1b[2J\x1b]0;owned\x07", "\\x1b[2J\\x1b]0;owned\\x07" },   /* CSI, OSC title */
		{ "ok\r\nvbench: result: no regression", "ok\\x0d\\x0avbench: result: no regression" },
		{ "a\tb\x7f", "a\\x09b\\x7f" },
		{ "\xc2\x9b" "31m", "\\xc2\\x9b31m" },                      /* C1 CSI in UTF-8 */
		{ "\x9b" "31m", "\\x9b31m" },                               /* a lone 8-bit CSI */
		{ "\xe2\x80\xae" "txt.exe", "\\xe2\\x80\\xaetxt.exe" },     /* right-to-left override */
		{ "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80", "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80" },
		{ "\xe2\x82", "\\xe2\\x82" },                                /* cut short */
		{ "C:\\x1b", "C:\\\\x1b" },                                 /* not an escaped byte */
	};
	char buf[256];
	FILE *f;
	char *put = NULL;
	size_t len;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_str_eq(vb_term_safe(cases[i].in, buf, sizeof(buf)), cases[i].out);
		assert_inert(buf);
		f = open_memstream(&put, &len);
		ck_assert_uint_eq(vb_term_put(f, cases[i].in), strlen(cases[i].out));
		fclose(f);
		ck_assert_str_eq(put, cases[i].out);
		free(put);
	}
	/* too long for the buffer: cut where it shows, never mid-escape */
	ck_assert_str_eq(vb_term_safe("\x1b\x1b\x1b", buf, 8), "\\x1b...");
	ck_assert_str_eq(vb_term_safe("abcdefgh", buf, 8), "abcd...");
	ck_assert_str_eq(vb_term_safe("abcdefg", buf, 8), "abcdefg");
	ck_assert_str_eq(VB_TERM("\x1b[2J"), "\\x1b[2J");
}
END_TEST

START_TEST(term_keeps_utf8)
{
	static const char *keep[] = {
		"plain ASCII: backend@tag (x 2.0) [1, 2] 100%",
		"\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xce\xbb \xe2\x82\xac",    /* été — λ € */
		"\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xc2\xa0",        /* 日本 😀 NBSP */
		"\xef\xbf\xbd",                                              /* U+FFFD itself */
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		ck_assert_str_eq(vb_term_safe(keep[i], buf, sizeof(buf)), keep[i]);
	ck_assert_uint_eq(vb_text_printable("x"), 1);
	ck_assert_uint_eq(vb_text_printable("\xc3\xa9"), 2);
	ck_assert_uint_eq(vb_text_printable("\xf0\x9f\x98\x80"), 4);
	ck_assert_uint_eq(vb_text_printable("\xe2\x82\xac"), 3);
	/* a cut keeps whole characters */
	ck_assert_str_eq(vb_term_safe("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", buf, 8),
			 "\xe2\x82\xac...");
}
END_TEST

/*
 * A container's or a guest's log tail goes into the reason a failed start
 * records and prints: one line, nothing a terminal acts on, printable
 * UTF-8 kept and what is not shown as U+FFFD.
 */
START_TEST(log_tail_is_one_safe_line)
{
	char path[] = "/tmp/vbench-log-XXXXXX", buf[4096];
	static const char log[] = "crun: error\n\x1b[2J\x1b]0;x\x07\xc2\x9b" "1m"
				  "caf\xc3\xa9 \xff\xfe end\r\n";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, log, sizeof(log) - 1), (ssize_t)sizeof(log) - 1);
	close(fd);
	vb_env_log_tail(path, "crun", buf, sizeof(buf), 0);
	unlink(path);
	assert_inert(buf);
	ck_assert_str_eq(buf, "crun: crun: error| [2J ]0;x \xef\xbf\xbd\xef\xbf\xbd" "1m"
			      "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end");
}
END_TEST

Suite *suite_textsafe(void)
{
	Suite *s = suite_create("textsafe");
	TCase *t = tcase_create("core");

	tcase_add_test(t, term_escapes_esc_sequences);
	tcase_add_test(t, term_keeps_utf8);
	tcase_add_test(t, log_tail_is_one_safe_line);
	suite_add_tcase(s, t);
	return s;
}
