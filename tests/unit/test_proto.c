/* SPDX-License-Identifier: MIT */
/* The protocol framing and parsing: the channel from a guest is untrusted. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/clock.h"
#include "../../common/proto.h"

/* A linebuf reading `data` through a pipe, written in one go. */
static void feed(struct vb_linebuf *lb, const char *data, size_t len)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	vb_linebuf_init(lb, p[0]);
}

static struct vb_linebuf lb;

START_TEST(lines_split_and_cr_dropped)
{
	char *line;
	size_t len;

	feed(&lb, "a\r\nbb\n\nlast", 11);
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_OK);
	ck_assert_str_eq(line, "a");
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_OK);
	ck_assert_str_eq(line, "bb");
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_OK);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_OK);
	ck_assert_str_eq(line, "last");
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_EOF);
	close(lb.fd);
}
END_TEST

START_TEST(over_long_line_dropped_then_next_ok)
{
	static char data[VB_LINE_MAX * 2 + 64];
	char *line;
	size_t len, n = VB_LINE_MAX * 2;
	int p[2];

	memset(data, 'x', n);
	memcpy(data + n, "\n{\"op\":\"ok\"}\n", 14);
	ck_assert_int_eq(pipe(p), 0);
	/* the pipe holds 64 KiB: write from a child while we read */
	if (fork() == 0) {
		close(p[0]);
		_exit(write(p[1], data, n + 14) == (ssize_t)(n + 14) ? 0 : 1);
	}
	close(p[1]);
	vb_linebuf_init(&lb, p[0]);
	ck_assert_int_eq(vb_line_read(&lb, 5000, &line, &len), VB_LINE_TOO_LONG);
	ck_assert_int_eq(vb_line_read(&lb, 5000, &line, &len), VB_LINE_OK);
	ck_assert_str_eq(line, "{\"op\":\"ok\"}");
	close(p[0]);
	wait(NULL);
}
END_TEST

START_TEST(timeout_when_silent)
{
	char *line;
	size_t len;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	vb_linebuf_init(&lb, p[0]);
	ck_assert_int_eq(vb_line_read(&lb, 50, &line, &len), VB_LINE_TIMEOUT);
	ck_assert_int_eq(vb_line_read(&lb, 0, &line, &len), VB_LINE_TIMEOUT);
	/* a timeout of 0 takes what has arrived (the lab's agent polls for a stop this way) */
	ck_assert_int_eq(write(p[1], "{\"op\":\"stop\"}\n", 14), 14);
	ck_assert_int_eq(vb_line_read(&lb, 0, &line, &len), VB_LINE_OK);
	ck_assert_str_eq(line, "{\"op\":\"stop\"}");
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(parse_rejects_bad_input)
{
	char err[256];
	static const char *bad[] = {
		"not json", "[1,2]", "{\"op\":3}", "{\"id\":1}", "{\"op\":\"a\",\"op\":\"b\"}",
		"{\"op\":\"x\"", "\xff\xfe{\"op\":\"x\"}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(vb_proto_parse(bad[i], strlen(bad[i]), err, sizeof(err)) == NULL,
			      "accepted: %s", bad[i]);
		ck_assert_msg(err[0], "no reason for: %s", bad[i]);
	}
	/* a NUL inside the line is binary data, not the end of the string */
	ck_assert_ptr_null(vb_proto_parse("{\"op\":\"a\"}\0xx", 13, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "binary"));
}
END_TEST

START_TEST(parse_accepts_and_send_roundtrips)
{
	char err[256], *line;
	size_t len;
	int p[2];
	json_t *m = json_pack("{s:s, s:i, s:s}", "op", "result", "id", 7, "s", "a\nb");

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(vb_proto_send(p[1], m), 0);
	close(p[1]);
	json_decref(m);
	vb_linebuf_init(&lb, p[0]);
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_OK);
	m = vb_proto_parse(line, len, err, sizeof(err));
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(vb_json_str(m, "op", ""), "result");
	ck_assert_int_eq(vb_json_int(m, "id", 0), 7);
	ck_assert_str_eq(vb_json_str(m, "s", ""), "a\nb");
	ck_assert_int_eq(vb_json_int(m, "op", -5), -5); /* wrong type: default */
	json_decref(m);
	close(p[0]);
}
END_TEST

/* The limit is exact: a line of VB_LINE_MAX bytes is read, one more byte is too long. */
START_TEST(line_of_exactly_line_max_accepted)
{
	static char data[2 * VB_LINE_MAX + 8];
	char *line;
	size_t len;
	int p[2];

	memset(data, 'x', sizeof(data));
	data[VB_LINE_MAX] = '\n';
	data[2 * VB_LINE_MAX + 2] = '\n';
	ck_assert_int_eq(pipe(p), 0);
	if (fork() == 0) {
		close(p[0]);
		_exit(write(p[1], data, 2 * VB_LINE_MAX + 3) == 2 * VB_LINE_MAX + 3 ? 0 : 1);
	}
	close(p[1]);
	vb_linebuf_init(&lb, p[0]);
	ck_assert_int_eq(vb_line_read(&lb, 5000, &line, &len), VB_LINE_OK);
	ck_assert_uint_eq(len, VB_LINE_MAX);
	ck_assert_int_eq(vb_line_read(&lb, 5000, &line, &len), VB_LINE_TOO_LONG);
	close(p[0]);
	wait(NULL);
}
END_TEST

START_TEST(json_int_of_huge_real_is_default)
{
	json_t *o = json_pack("{s:f, s:f, s:f, s:f}", "big", 1e300, "small", -1e300, "edge",
			      0x1p63, "fine", -0x1p63);

	ck_assert_int_eq(vb_json_int(o, "big", -7), -7);
	ck_assert_int_eq(vb_json_int(o, "small", -7), -7);
	ck_assert_int_eq(vb_json_int(o, "edge", -7), -7);
	ck_assert(vb_json_int(o, "fine", -7) == (long long)-0x1p63);
	/* jansson keeps no NaN (json_real refuses it): such a field is absent, the default */
	json_object_set_new(o, "nan", json_real(NAN));
	ck_assert_int_eq(vb_json_int(o, "nan", -7), -7);
	json_decref(o);
}
END_TEST

/*
 * 4 MiB of empty lines (a guest's burst, found by tests/fuzz/fuzz_proto) are
 * taken in well under 3 s: moving the buffer's rest after each line made
 * it 137 GB of copying, tens of seconds. A file reads in whole 64 KiB.
 */
START_TEST(burst_of_empty_lines_is_linear)
{
	static char nl[4 << 20];
	FILE *f = tmpfile();
	char *line;
	size_t len, n = 0;
	double t0;
	int rc;

	ck_assert_ptr_nonnull(f);
	memset(nl, '\n', sizeof(nl));
	ck_assert_uint_eq(fwrite(nl, 1, sizeof(nl), f), sizeof(nl));
	ck_assert_int_eq(fflush(f), 0);
	rewind(f);
	vb_linebuf_init(&lb, fileno(f));
	t0 = vb_now_ms();
	while ((rc = vb_line_read(&lb, 1000, &line, &len)) == VB_LINE_OK)
		n++;
	ck_assert_int_eq(rc, VB_LINE_EOF);
	ck_assert_uint_eq(n, sizeof(nl));
	ck_assert_msg(vb_now_ms() - t0 < 3000, "%.0f ms", vb_now_ms() - t0);
	fclose(f);
}
END_TEST

Suite *suite_proto(void)
{
	Suite *s = suite_create("proto");
	TCase *t = tcase_create("core");

	tcase_add_test(t, lines_split_and_cr_dropped);
	tcase_add_test(t, over_long_line_dropped_then_next_ok);
	tcase_add_test(t, timeout_when_silent);
	tcase_add_test(t, parse_rejects_bad_input);
	tcase_add_test(t, parse_accepts_and_send_roundtrips);
	tcase_add_test(t, line_of_exactly_line_max_accepted);
	tcase_add_test(t, json_int_of_huge_real_is_default);
	tcase_add_test(t, burst_of_empty_lines_is_linear);
	suite_add_tcase(s, t);
	return s;
}
