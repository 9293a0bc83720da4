/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the agent channel as the harness reads it, the line
 * reader (vb_line_read) and the line parser (vb_proto_parse) with the
 * field helpers on what it accepts. The bytes come from a guest.
 *
 * The input is a script of writes into the pipe the reader reads:
 *   0xff n b   (n + 1) KiB of the byte b: an over-long line from a short input
 *   k          the next (k % 64) + 1 bytes of the input as they are
 * After each write the lines that have arrived are taken (timeout 0);
 * at the end the writer closes and the rest is read to EOF. The first
 * PARSE_MAX lines are parsed (a line's place in the stream does not
 * matter to the parser, and parsing every one of 256 Ki empty lines made
 * an input take a second). Every result
 * is checked against a model of the contract in common/proto.h: one
 * result per '\n'-terminated line, in order, whatever the chunking; a
 * line of up to VB_LINE_MAX bytes comes back whole (less one '\r' before
 * its '\n'), a longer one as VB_LINE_TOO_LONG; a last line without '\n'
 * counts when it fits.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/proto.h"

#define STREAM_MAX (256u << 10) /* bytes written per input, at most: four over-long lines */
#define CHUNK_MAX (256u << 10)
#define PARSE_MAX 64

/* Everything written so far, and how far the reader's results account for. */
struct model {
	unsigned char *stream;
	size_t len, pos;
	unsigned parsed;       /* lines given to the parser */
};

static struct vb_linebuf lb;

/* Die with what went wrong: libFuzzer saves the input. */
static void fail(const char *what, size_t pos)
{
	fprintf(stderr, "fuzz_proto: %s (stream offset %zu)\n", what, pos);
	abort();
}

/* The next chunk of the script into buf; its length, 0 at the end of the script. */
static size_t next_chunk(const uint8_t **in, size_t *left, unsigned char *buf)
{
	size_t n;

	if (!*left)
		return 0;
	if ((*in)[0] == 0xff && *left >= 3) {
		n = ((size_t)(*in)[1] + 1) * 1024;
		memset(buf, (*in)[2], n);
		*in += 3;
		*left -= 3;
		return n;
	}
	n = (size_t)((*in)[0] % 64) + 1;
	(*in)++;
	(*left)--;
	n = n < *left ? n : *left;
	memcpy(buf, *in, n);
	*in += n;
	*left -= n;
	return n;
}

/* A line or an over-long line from the reader: it must be the model's next. */
static void expect(struct model *m, int rc, const char *line, size_t len)
{
	unsigned char *start = m->stream + m->pos;
	unsigned char *nl = memchr(start, '\n', m->len - m->pos);
	size_t seg;

	if (!nl)
		fail("a line returned before its '\\n' was written", m->pos);
	seg = (size_t)(nl - start);
	m->pos += seg + 1;
	if (seg > VB_LINE_MAX) {
		if (rc != VB_LINE_TOO_LONG)
			fail("an over-long line was not reported as such", m->pos);
		return;
	}
	if (rc != VB_LINE_OK)
		fail("a line within VB_LINE_MAX was refused", m->pos);
	if (seg && start[seg - 1] == '\r')
		seg--;
	if (len != seg || memcmp(line, start, seg) || line[len] != '\0')
		fail("the line returned differs from the line written", m->pos);
}

/* Parse an accepted line and read the fields the harness reads. */
static void parse(const char *line, size_t len)
{
	char err[256] = "";
	json_t *msg = vb_proto_parse(line, len, err, sizeof(err));

	if (!msg) {
		if (!err[0])
			fail("a refused line without a reason", 0);
		return;
	}
	if (!vb_json_str(msg, "op", NULL))
		fail("a parsed message without a string op", 0);
	(void)vb_json_int(msg, "id", -1);
	(void)vb_json_int(msg, "iters", 0);
	(void)vb_json_num(msg, "elapsed_ns", 0);
	json_decref(msg);
}

/* Take every line that has arrived (timeout 0), or every line up to EOF. */
static void drain(struct model *m, int timeout_ms)
{
	for (;;) {
		char *line;
		size_t len;
		int rc = vb_line_read(&lb, timeout_ms, &line, &len);

		if (rc == VB_LINE_TIMEOUT && timeout_ms == 0)
			return;
		if (rc == VB_LINE_EOF)
			return;
		if (rc == VB_LINE_ERR || rc == VB_LINE_TIMEOUT)
			fail("read error or timeout with data or EOF pending", m->pos);
		if (rc == VB_LINE_OK && !memchr(m->stream + m->pos, '\n', m->len - m->pos)) {
			/* at EOF, a last line without '\n' */
			if (len != m->len - m->pos || len > VB_LINE_MAX ||
			    memcmp(line, m->stream + m->pos, len))
				fail("the last line differs from what was written", m->pos);
			m->pos = m->len;
		} else {
			expect(m, rc, line, len);
		}
		if (rc == VB_LINE_OK && m->parsed++ < PARSE_MAX)
			parse(line, len);
	}
}

/* Write all of buf, taking lines whenever the pipe is full. */
static void feed(struct model *m, int wfd, const unsigned char *buf, size_t n)
{
	memcpy(m->stream + m->len, buf, n);
	m->len += n;
	while (n) {
		ssize_t w = write(wfd, buf, n);

		if (w > 0) {
			buf += w;
			n -= (size_t)w;
		}
		drain(m, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char chunk[CHUNK_MAX];
	static struct model m;
	size_t n;
	int p[2];

	if (!m.stream && !(m.stream = malloc(STREAM_MAX + CHUNK_MAX)))
		abort();
	if (pipe2(p, O_CLOEXEC))
		abort();
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	m.len = m.pos = 0;
	m.parsed = 0;
	vb_linebuf_init(&lb, p[0]);
	while (m.len < STREAM_MAX && (n = next_chunk(&data, &size, chunk)))
		feed(&m, p[1], chunk, n);
	close(p[1]);
	drain(&m, 1000);
	if (m.pos != m.len && (m.len - m.pos <= VB_LINE_MAX || memchr(m.stream + m.pos, '\n',
								 m.len - m.pos)))
		fail("EOF before every line written was returned", m.pos);
	close(p[0]);
	return 0;
}
