/* SPDX-License-Identifier: MIT */
/*
 * The agent's requests for the lifecycle and isolation measurements,
 * asked of the real agent binary: hello's boot clock (a VM's init only),
 * "hog" (a neighbour's load until "stop" or max_ms) and "crash" (the
 * neighbour's fault). After each, the agent still answers a ping.
 */
#include <check.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../guest-agent/agent.h"
#include "tagent.h"

/* The agent answers a ping next: nothing else was left to say. */
static void assert_pong(struct ut_agent *a)
{
	json_t *m = ut_agent_ask(a, "{\"op\":\"ping\",\"id\":99}");

	ck_assert_str_eq(vb_json_str(m, "op", ""), "pong");
	ck_assert_int_eq(vb_json_int(m, "id", -1), 99);
	json_decref(m);
}

/* A reply of op with id, and its object (the caller frees it). */
static json_t *expect(struct ut_agent *a, int timeout_ms, const char *op, json_int_t id)
{
	json_t *m = ut_agent_next(a, timeout_ms);

	ck_assert_msg(strcmp(vb_json_str(m, "op", ""), op) == 0, "wanted %s, got %s: %s", op,
		      vb_json_str(m, "op", ""), vb_json_str(m, "msg", ""));
	ck_assert_int_eq(vb_json_int(m, "id", -1), id);
	return m;
}

/* Outside a VM's init CLOCK_BOOTTIME is the host's: hello says no boot. */
START_TEST(hello_has_no_boot_outside_a_vm_init)
{
	struct ut_agent a;
	json_t *hello;

	if (ut_agent_start(&a, "hello without boot", &hello))
		return;
	ck_assert_ptr_null(json_object_get(hello, "boot"));
	json_decref(hello);
	ut_agent_bye(&a);
}
END_TEST

/* As a VM's init, hello carries the exec time it was given and its own. */
START_TEST(hello_of_a_vm_init_says_the_boot_clock)
{
	int in[2], out = memfd_create("agent-out", 0);
	struct vb_agent_opts o = { .out_fd = out, .role = "vm", .boot_exec_ms = 1234.5 };
	struct vb_linebuf lb;
	json_t *hello, *boot;
	char err[256], *line;
	size_t len;
	double before = vb_agent_boottime_ms();

	ck_assert_int_eq(pipe(in), 0);
	close(in[1]);
	o.in_fd = in[0];
	ck_assert_int_eq(vb_agent_serve(&o), 0);
	lseek(out, 0, SEEK_SET);
	vb_linebuf_init(&lb, out);
	ck_assert_int_eq(vb_line_read(&lb, 1000, &line, &len), VB_LINE_OK);
	hello = vb_proto_parse(line, len, err, sizeof(err));
	ck_assert_ptr_nonnull(hello);
	boot = json_object_get(hello, "boot");
	ck_assert_ptr_nonnull(boot);
	ck_assert_double_eq(vb_json_num(boot, "exec_ms", -1), 1234.5);
	ck_assert_double_ge(vb_json_num(boot, "hello_ms", -1), before);
	ck_assert_double_le(vb_json_num(boot, "hello_ms", -1), vb_agent_boottime_ms());
	json_decref(hello);
	close(in[0]);
	close(out);
}
END_TEST

/*
 * A hog runs until its stop, and drops the other lines meanwhile: a bad
 * line, a ping and a stop for another id get no answer.
 */
START_TEST(hog_runs_until_stop)
{
	struct ut_agent a;
	json_t *m;

	if (ut_agent_start(&a, "hog until stop", NULL))
		return;
	ut_agent_send(&a, "{\"op\":\"hog\",\"id\":3,\"bench\":\"cpu.int\",\"max_ms\":10000}");
	json_decref(expect(&a, 5000, "hogging", 3));
	usleep(200000);
	ut_agent_send(&a, "not json");
	ut_agent_send(&a, "{\"op\":\"ping\",\"id\":4}");
	ut_agent_send(&a, "{\"op\":\"stop\",\"id\":5}");
	ut_agent_send(&a, "{\"op\":\"stop\",\"id\":3}");
	m = expect(&a, 2000, "hogged", 3);
	ck_assert_str_eq(vb_json_str(m, "stopped_by", ""), "stop");
	ck_assert_int_gt(vb_json_int(m, "ops", 0), 0);
	ck_assert_int_ge(vb_json_int(m, "elapsed_ns", 0), 150000000);
	ck_assert_int_lt(vb_json_int(m, "elapsed_ns", 0), 2000000000);
	json_decref(m);
	assert_pong(&a);
	ut_agent_bye(&a);
}
END_TEST

/* Without a stop, a hog ends at max_ms; a stop that comes after it is not answered. */
START_TEST(hog_ends_at_max_ms)
{
	struct ut_agent a;
	json_t *m;

	if (ut_agent_start(&a, "hog until max_ms", NULL))
		return;
	ut_agent_send(&a, "{\"op\":\"hog\",\"id\":6,\"bench\":\"cpu.int\",\"max_ms\":100}");
	json_decref(expect(&a, 5000, "hogging", 6));
	m = expect(&a, 2000, "hogged", 6);
	ck_assert_str_eq(vb_json_str(m, "stopped_by", ""), "max_ms");
	ck_assert_int_gt(vb_json_int(m, "ops", 0), 0);
	ck_assert_int_le(vb_json_int(m, "elapsed_ns", 0), 1000000000);
	json_decref(m);
	ut_agent_send(&a, "{\"op\":\"stop\",\"id\":6}");
	assert_pong(&a);
	ut_agent_bye(&a);
}
END_TEST

/* A hog checks its request as "run" does, and says why before hogging. */
START_TEST(hog_refuses_a_bad_request)
{
	static const struct {
		const char *req, *msg;
	} bad[] = {
		{ "{\"op\":\"hog\",\"id\":7,\"bench\":\"cpu.nope\",\"max_ms\":100}",
		  "unknown workload" },
		{ "{\"op\":\"hog\",\"id\":7,\"bench\":\"cpu.int\",\"params\":{\"bogus\":1},"
		  "\"max_ms\":100}",
		  "bogus" },
		{ "{\"op\":\"hog\",\"id\":7,\"bench\":\"mem.stream\","
		  "\"params\":{\"array_mib\":17592186044416},\"max_ms\":100}",
		  "array_mib" },
		{ "{\"op\":\"hog\",\"id\":7,\"bench\":\"cpu.int\"}", "max_ms" },
		{ "{\"op\":\"hog\",\"id\":7,\"bench\":\"cpu.int\",\"max_ms\":600001}", "max_ms" },
	};
	struct ut_agent a;

	if (ut_agent_start(&a, "hog refuses", NULL))
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *m;

		ut_agent_send(&a, bad[i].req);
		m = expect(&a, 5000, "error", 7);
		ck_assert_msg(strstr(vb_json_str(m, "msg", ""), bad[i].msg), "%s: %s", bad[i].req,
			      vb_json_str(m, "msg", ""));
		json_decref(m);
		assert_pong(&a);
	}
	ut_agent_bye(&a);
}
END_TEST

/* Only a VM's init can make its kernel panic; and a crash must say how. */
START_TEST(crash_panic_outside_a_vm_init_is_unsupported)
{
	struct ut_agent a;
	json_t *m;

	if (ut_agent_start(&a, "crash panic", NULL))
		return;
	m = ut_agent_ask(&a, "{\"op\":\"crash\",\"id\":8,\"how\":\"panic\"}");
	ck_assert_str_eq(vb_json_str(m, "op", ""), "unsupported");
	ck_assert_int_eq(vb_json_int(m, "id", -1), 8);
	ck_assert_ptr_nonnull(strstr(vb_json_str(m, "reason", ""), "not a VM's init"));
	json_decref(m);
	assert_pong(&a);
	m = ut_agent_ask(&a, "{\"op\":\"crash\",\"id\":9,\"how\":\"meteor\"}");
	ck_assert_str_eq(vb_json_str(m, "op", ""), "error");
	json_decref(m);
	assert_pong(&a);
	ut_agent_bye(&a);
}
END_TEST

/*
 * An oom crash without the limit it was told of stops at twice the limit
 * (16 MiB here: harmless) and says it survived.
 */
START_TEST(crash_oom_without_a_limit_survives)
{
	struct ut_agent a;
	json_t *m;

	if (ut_agent_start(&a, "crash oom", NULL))
		return;
	ut_agent_send(&a, "{\"op\":\"crash\",\"id\":10,\"how\":\"oom\",\"limit_mb\":8}");
	m = expect(&a, 5000, "crashing", 10);
	ck_assert_str_eq(vb_json_str(m, "how", ""), "oom");
	json_decref(m);
	m = expect(&a, 5000, "crash", 10);
	ck_assert(json_is_true(json_object_get(m, "survived")));
	ck_assert_int_ge(vb_json_int(m, "touched_mb", 0), 16);
	json_decref(m);
	assert_pong(&a);
	m = ut_agent_ask(&a, "{\"op\":\"crash\",\"id\":11,\"how\":\"oom\",\"limit_mb\":0}");
	ck_assert_str_eq(vb_json_str(m, "op", ""), "error");
	ck_assert_ptr_nonnull(strstr(vb_json_str(m, "msg", ""), "limit_mb"));
	json_decref(m);
	assert_pong(&a);
	ut_agent_bye(&a);
}
END_TEST

Suite *suite_agentops(void)
{
	Suite *s = suite_create("agentops");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, hello_has_no_boot_outside_a_vm_init);
	tcase_add_test(tc, hello_of_a_vm_init_says_the_boot_clock);
	tcase_add_test(tc, hog_runs_until_stop);
	tcase_add_test(tc, hog_ends_at_max_ms);
	tcase_add_test(tc, hog_refuses_a_bad_request);
	tcase_add_test(tc, crash_panic_outside_a_vm_init_is_unsupported);
	tcase_add_test(tc, crash_oom_without_a_limit_survives);
	suite_add_tcase(s, tc);
	return s;
}
