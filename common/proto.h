/* SPDX-License-Identifier: MIT */
/*
 * The harness <-> agent protocol: newline-delimited JSON, one object per
 * line, both ways. The agent speaks first with "hello". See
 * docs/protocol.md. The channel from a guest is untrusted: every line is
 * bounded, validated, and a bad one is an error for that line only.
 */
#ifndef VB_PROTO_H
#define VB_PROTO_H

#include <jansson.h>
#include <stddef.h>

#define VB_PROTO_VERSION 1
/* The longest line accepted, bytes, without its '\n' (a '\r' before it counts). */
#define VB_LINE_MAX 65536

/*
 * Reals are sent with the 10 significant digits the result file keeps
 * (common/results.c), so the longest is "-d.ddddddddde-308": the digits,
 * a sign, '.', 'e', '-' and 3 digits of exponent.
 */
#define VB_PROTO_REAL_DIGITS 10
#define VB_PROTO_REAL_MAX (VB_PROTO_REAL_DIGITS + 7)

/*
 * The most samples a "run" may ask for: its "result" carries two reals
 * per sample (samples, elapsed_ns), a comma after each, and must fit in
 * one line with everything else it holds (VB_REPLY_ROOM: op, id, bench,
 * unit, iters, extras, and the count with its counters); tests/unit/
 * test_replies.c builds the worst case. A reply over the line would be
 * lost, and the measurement with it.
 */
#define VB_MAX_SAMPLES 1000
#define VB_REPLY_ROOM 24576
_Static_assert(VB_MAX_SAMPLES * 2 * (VB_PROTO_REAL_MAX + 1) + VB_REPLY_ROOM <= VB_LINE_MAX,
	       "a result of VB_MAX_SAMPLES samples must fit in a line");

enum vb_line_rc {
	VB_LINE_OK = 1,
	VB_LINE_EOF = 0,
	VB_LINE_ERR = -1,      /* read error, errno set */
	VB_LINE_TIMEOUT = -2,
	VB_LINE_TOO_LONG = -3, /* line dropped up to its '\n' */
};

struct vb_linebuf {
	int fd;
	size_t len;            /* bytes held in buf */
	size_t skip;           /* bytes at the front already taken as lines */
	int discarding;        /* inside an over-long line */
	int eof;
	char buf[VB_LINE_MAX + 1];
};

void vb_linebuf_init(struct vb_linebuf *lb, int fd);
/*
 * Return the next line (NUL-terminated, without '\n', valid until the next
 * call) within timeout_ms (-1: forever; 0: only if it has arrived already).
 * Carriage returns before '\n' are dropped (serial ports add them).
 */
int vb_line_read(struct vb_linebuf *lb, int timeout_ms, char **line, size_t *len);

/*
 * Parse one line into a JSON object with a string "op". Returns the object
 * or NULL with a reason in err (binary data, bad JSON, not an object...).
 */
json_t *vb_proto_parse(const char *line, size_t len, char *err, size_t errlen);

/* Write one object as a single line, reals to VB_PROTO_REAL_DIGITS; 0 or -1 (errno). */
int vb_proto_send(int fd, json_t *msg);

/*
 * Field helpers that tolerate wrong types (they return the default), and
 * vb_json_int reals out of long long's range too.
 */
const char *vb_json_str(const json_t *obj, const char *key, const char *def);
long long vb_json_int(const json_t *obj, const char *key, long long def);
double vb_json_num(const json_t *obj, const char *key, double def);

#endif
