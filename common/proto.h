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
#define VB_LINE_MAX 65536 /* longest accepted line, bytes, without '\n' */

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
	size_t skip;           /* consumed bytes to drop on the next call */
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

/* Write one object as a single line; 0 or -1 (errno). */
int vb_proto_send(int fd, json_t *msg);

/* Field helpers that tolerate wrong types (they return the default). */
const char *vb_json_str(const json_t *obj, const char *key, const char *def);
long long vb_json_int(const json_t *obj, const char *key, long long def);
double vb_json_num(const json_t *obj, const char *key, double def);

#endif
