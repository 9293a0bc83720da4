/* SPDX-License-Identifier: MIT */
#include "qmp.h"
#include "../../common/clock.h"

#include <stdio.h>
#include <string.h>

/* Next JSON object from QEMU before the deadline; NULL with err. */
static json_t *next_msg(struct vb_qmp *q, double deadline, char *err, size_t n)
{
	for (;;) {
		double left = deadline - vb_now_ms();
		char *line;
		size_t len;
		int rc = vb_line_read(&q->lb, left > 0 ? (int)left : 0, &line, &len);
		json_error_t je;
		json_t *msg;

		if (rc == VB_LINE_TIMEOUT || rc == VB_LINE_EOF || rc == VB_LINE_ERR) {
			snprintf(err, n, "QMP: %s", rc == VB_LINE_TIMEOUT ? "no answer in time" :
				 rc == VB_LINE_EOF ? "QEMU closed the monitor" : "read error");
			return NULL;
		}
		if (rc != VB_LINE_OK || len == 0)
			continue;
		msg = json_loadb(line, len, 0, &je);
		if (json_is_object(msg))
			return msg;
		json_decref(msg);
	}
}

json_t *vb_qmp_cmd(struct vb_qmp *q, const char *cmd, json_t *args, int timeout_ms,
		   char *err, size_t n)
{
	double deadline = vb_now_ms() + timeout_ms;
	json_t *req = json_pack("{s:s}", "execute", cmd);

	if (args)
		json_object_set(req, "arguments", args);
	if (vb_proto_send(q->fd, req)) {
		json_decref(req);
		snprintf(err, n, "QMP: send failed");
		return NULL;
	}
	json_decref(req);
	for (;;) {
		json_t *msg = next_msg(q, deadline, err, n), *ret;

		if (!msg)
			return NULL;
		if ((ret = json_object_get(msg, "return")) != NULL) {
			json_incref(ret);
			json_decref(msg);
			return ret;
		}
		if (json_object_get(msg, "error")) {
			json_t *e = json_object_get(msg, "error");

			snprintf(err, n, "QMP %s: %s", cmd, vb_json_str(e, "desc", "error"));
			json_decref(msg);
			return NULL;
		}
		json_decref(msg); /* an event */
	}
}

int vb_qmp_open(struct vb_qmp *q, int fd, int timeout_ms, char *err, size_t n)
{
	json_t *greeting, *ret;

	q->fd = fd;
	q->ready = 0;
	vb_linebuf_init(&q->lb, fd);
	greeting = next_msg(q, vb_now_ms() + timeout_ms, err, n);
	if (!greeting)
		return -1;
	if (!json_object_get(greeting, "QMP")) {
		json_decref(greeting);
		snprintf(err, n, "QMP: no greeting");
		return -1;
	}
	json_decref(greeting);
	ret = vb_qmp_cmd(q, "qmp_capabilities", NULL, timeout_ms, err, n);
	if (!ret)
		return -1;
	json_decref(ret);
	q->ready = 1;
	return 0;
}

static void add_counter(json_t *counters, const char *name, double value, const char *unit)
{
	json_array_append_new(counters, json_pack("{s:s, s:s, s:s, s:f, s:s}", "source", "qmp",
						  "scope", "host", "name", name, "value",
						  value, "unit", unit));
}

void vb_qmp_jit_counters(const char *text, json_t *counters)
{
	/* the lines of `info jit` worth keeping, and the names we give them */
	static const struct { const char *label, *name; } keep[] = {
		{ "gen code size", "tcg.code_bytes" },
		{ "TB count", "tcg.tb_count" },
		{ "cross page TB count", "tcg.tb_cross_page" },
		{ "direct jump count", "tcg.tb_direct_jumps" },
		{ "TB flush count", "tcg.tb_flushes" },
		{ "TB invalidate count", "tcg.tb_invalidates" },
		{ "TLB full flushes", "tcg.tlb_full_flushes" },
		{ "TLB partial flushes", "tcg.tlb_partial_flushes" },
		{ "TLB elided flushes", "tcg.tlb_elided_flushes" },
	};

	for (const char *line = text; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
			size_t l = strlen(keep[i].label);
			unsigned long long v;

			/* the label, then spaces, then the number */
			if (len > l && strncmp(line, keep[i].label, l) == 0 && line[l] == ' ' &&
			    sscanf(line + l, " %llu", &v) == 1)
				add_counter(counters, keep[i].name, (double)v,
					    i == 0 ? "bytes" : "count");
		}
		line = eol ? eol + 1 : NULL;
	}
}

void vb_qmp_stats_counters(const json_t *stats, json_t *counters)
{
	json_t *sums = json_object(), *entry, *st, *v;
	const char *key;
	size_t i, j;

	/* [{"provider":"kvm","stats":[{"name":"exits","value":N},...]},...] */
	json_array_foreach(stats, i, entry) {
		json_array_foreach(json_object_get(entry, "stats"), j, st) {
			const char *name = vb_json_str(st, "name", NULL);
			json_t *val = json_object_get(st, "value");
			char full[128];

			if (!name || !json_is_integer(val))
				continue;
			snprintf(full, sizeof(full), "kvm.%s", name);
			json_object_set_new(sums, full,
					    json_real(vb_json_num(sums, full, 0) +
						      (double)json_integer_value(val)));
		}
	}
	json_object_foreach(sums, key, v)
		add_counter(counters, key, json_real_value(v), "count");
	json_decref(sums);
}
