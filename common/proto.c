/* SPDX-License-Identifier: MIT */
#include "proto.h"
#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void vb_linebuf_init(struct vb_linebuf *lb, int fd)
{
	lb->fd = fd;
	lb->len = lb->skip = 0;
	lb->discarding = lb->eof = 0;
}

/* Take a complete line out of the buffer if there is one. */
static int take_line(struct vb_linebuf *lb, char **line, size_t *len)
{
	char *start = lb->buf + lb->skip;
	char *nl = memchr(start, '\n', lb->len - lb->skip);
	size_t n;

	if (!nl)
		return 0;
	n = (size_t)(nl - start);
	lb->skip += n + 1;
	if (lb->discarding) {
		lb->discarding = 0;
		return VB_LINE_TOO_LONG;
	}
	if (n && start[n - 1] == '\r')
		n--;
	start[n] = '\0';
	*line = start;
	*len = n;
	return VB_LINE_OK;
}

/*
 * Drop the lines taken: the partial line after them moves to the front.
 * Only when no whole line is left: moving the rest after every line made
 * a burst of short lines (64 KiB of '\n' from a guest) cost 2 GB of copying.
 */
static void compact(struct vb_linebuf *lb)
{
	if (!lb->skip)
		return;
	memmove(lb->buf, lb->buf + lb->skip, lb->len - lb->skip);
	lb->len -= lb->skip;
	lb->skip = 0;
}

int vb_line_read(struct vb_linebuf *lb, int timeout_ms, char **line, size_t *len)
{
	double deadline = timeout_ms < 0 ? -1 : vb_now_ms() + timeout_ms;
	int polled = 0; /* a timeout of 0 still takes what has arrived */

	for (;;) {
		int rc = take_line(lb, line, len);

		if (rc)
			return rc;
		compact(lb);
		if (lb->len == VB_LINE_MAX + 1) {
			/* over-long: drop what we have and the rest of the line */
			lb->discarding = 1;
			lb->len = 0;
		}
		if (lb->eof) {
			if (lb->len && !lb->discarding) {
				/* a last line without '\n' still counts */
				lb->buf[lb->len] = '\0';
				*line = lb->buf;
				*len = lb->len;
				lb->skip = lb->len;
				return VB_LINE_OK;
			}
			lb->len = 0;
			return VB_LINE_EOF;
		}
		int wait = -1;
		if (deadline >= 0) {
			double left = deadline - vb_now_ms();

			if (left <= 0 && polled)
				return VB_LINE_TIMEOUT;
			wait = left <= 0 ? 0 : left > 1000000 ? 1000000
						: (int)left + (left > (int)left);
		}
		struct pollfd p = { .fd = lb->fd, .events = POLLIN };
		int pr = poll(&p, 1, wait);

		polled = 1;
		if (pr < 0)
			return VB_LINE_ERR; /* EINTR included: the caller may be stopping */
		if (pr == 0)
			continue;
		/* room for VB_LINE_MAX bytes and the '\n' (then the NUL's place) */
		ssize_t n = read(lb->fd, lb->buf + lb->len, VB_LINE_MAX + 1 - lb->len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return VB_LINE_ERR;
		}
		if (n == 0)
			lb->eof = 1;
		lb->len += (size_t)n;
	}
}

json_t *vb_proto_parse(const char *line, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *msg;

	if (memchr(line, '\0', len)) {
		snprintf(err, errlen, "binary data (NUL byte) in line");
		return NULL;
	}
	msg = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!msg) {
		snprintf(err, errlen, "not JSON: %s at column %d", je.text, je.column);
		return NULL;
	}
	if (!json_is_object(msg) || !json_is_string(json_object_get(msg, "op"))) {
		snprintf(err, errlen, "not an object with a string \"op\"");
		json_decref(msg);
		return NULL;
	}
	return msg;
}

int vb_proto_send(int fd, json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT | JSON_ENSURE_ASCII |
			     JSON_REAL_PRECISION(VB_PROTO_REAL_DIGITS));
	size_t len, off = 0;

	if (!s) {
		errno = ENOMEM;
		return -1;
	}
	len = strlen(s);
	/* one write for the line and its newline keeps lines whole on a tty */
	char *line = realloc(s, len + 2);
	if (!line) {
		free(s);
		errno = ENOMEM;
		return -1;
	}
	line[len++] = '\n';
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(line);
			return -1;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

const char *vb_json_str(const json_t *obj, const char *key, const char *def)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : def;
}

long long vb_json_int(const json_t *obj, const char *key, long long def)
{
	const json_t *v = json_object_get(obj, key);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v)) {
		double d = json_real_value(v);

		/* casting a real out of range (or NaN) is undefined behaviour */
		return d >= -0x1p63 && d < 0x1p63 ? (long long)d : def;
	}
	return def;
}

double vb_json_num(const json_t *obj, const char *key, double def)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : def;
}
