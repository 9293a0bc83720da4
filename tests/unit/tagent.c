/* SPDX-License-Identifier: MIT */
/* The real agent on a socketpair; see tagent.h. */
#include "tagent.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int ut_agent_start(struct ut_agent *a, const char *test, json_t **hello)
{
	const char *agent = getenv("VBENCH_AGENT");
	json_t *h;
	int sv[2];

	if (!agent) {
		fprintf(stderr, "SKIP %s: VBENCH_AGENT is not set\n", test);
		return -1;
	}
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	a->pid = fork();
	ck_assert_int_ge(a->pid, 0);
	if (a->pid == 0) {
		if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(127);
		execl(agent, agent, "--role", "bare", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	a->fd = sv[0];
	vb_linebuf_init(&a->lb, a->fd);
	h = ut_agent_next(a, 10000);
	ck_assert_str_eq(vb_json_str(h, "op", ""), "hello");
	if (hello)
		*hello = h;
	else
		json_decref(h);
	return 0;
}

void ut_agent_send(struct ut_agent *a, const char *line)
{
	size_t len = strlen(line);
	char *buf = malloc(len + 1);

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, line, len);
	buf[len] = '\n';
	ck_assert_int_eq(write(a->fd, buf, len + 1), (ssize_t)len + 1);
	free(buf);
}

json_t *ut_agent_next(struct ut_agent *a, int timeout_ms)
{
	char err[256], *line;
	size_t len;
	json_t *m;

	ck_assert_int_eq(vb_line_read(&a->lb, timeout_ms, &line, &len), VB_LINE_OK);
	m = vb_proto_parse(line, len, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s: %.*s", err, (int)len, line);
	return m;
}

json_t *ut_agent_ask(struct ut_agent *a, const char *req)
{
	ut_agent_send(a, req);
	return ut_agent_next(a, 30000);
}

void ut_agent_bye(struct ut_agent *a)
{
	json_t *bye = ut_agent_ask(a, "{\"op\":\"bye\"}");
	int st;

	ck_assert_str_eq(vb_json_str(bye, "op", ""), "bye");
	json_decref(bye);
	close(a->fd);
	ck_assert_int_eq(waitpid(a->pid, &st, 0), a->pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
