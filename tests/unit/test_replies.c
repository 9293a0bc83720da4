/* SPDX-License-Identifier: MIT */
/*
 * What the harness does with what an agent says: a fake agent (the other
 * end of a socketpair, scripted by the test) answers the scheduler's
 * requests, so every check of a reply runs without any real backend.
 */
#include <check.h>
#include <float.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/clock.h"
#include "../../common/proto.h"
#include "../../harness/backend.h"
#include "../../harness/results.h"
#include "../../harness/run_opts.h"
#include "../../harness/scheduler.h"

/* An instance driven by the test: the agent's end of the channel is `agent`. */
struct fake {
	struct vb_instance in;
	int agent;
	pid_t writer;               /* the child writing the agent's script */
	const struct vb_workload *wl;
	json_t *doc, *backend;
	struct vb_sched s;
};

static volatile sig_atomic_t stop_flag;

static const struct vb_backend fake_be = { .name = "fake", .desc = "a scripted agent" };

static void fake_open(struct fake *f, unsigned rounds, int count)
{
	int sv[2];

	memset(f, 0, sizeof(*f));
	stop_flag = 0;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	f->in.be = &fake_be;
	snprintf(f->in.name, sizeof(f->in.name), "fake");
	f->in.tag = "";
	f->in.fd = sv[0];
	f->agent = sv[1];
	f->in.lb = malloc(sizeof(*f->in.lb));
	ck_assert_ptr_nonnull(f->in.lb);
	vb_linebuf_init(f->in.lb, sv[0]);
	f->wl = vb_workload_find("cpu.callret");
	ck_assert_ptr_nonnull(f->wl);
	f->doc = json_pack("{s:[]}", "measurements");
	f->backend = json_object();
	f->s = (struct vb_sched){
		.inst = &f->in, .inst_json = &f->backend, .ninst = 1, .wl = &f->wl, .nwl = 1,
		.rounds = rounds, .samples = 3, .min_sample_ms = 1, .timeout_ms = 3000,
		.count = count, .seed = 1, .doc = f->doc, .stop = &stop_flag,
	};
}

static void fake_close(struct fake *f)
{
	if (f->writer > 0)
		waitpid(f->writer, NULL, 0);
	close(f->in.fd);
	close(f->agent);
	free(f->in.lb);
	json_decref(f->doc);
	json_decref(f->backend);
}

/* The agent's lines, written by a child while the scheduler reads (a line may be long). */
static void agent_says(struct fake *f, const char *lines)
{
	f->writer = fork();
	ck_assert_int_ge(f->writer, 0);
	if (f->writer == 0) {
		size_t len = strlen(lines), off = 0;

		while (off < len) {
			ssize_t k = write(f->agent, lines + off, len - off);

			if (k <= 0)
				_exit(1);
			off += (size_t)k;
		}
		_exit(0);
	}
}

static json_t *measurement(const struct fake *f, size_t i)
{
	json_t *m = json_array_get(json_object_get(f->doc, "measurements"), i);

	ck_assert_msg(m != NULL, "no measurement %zu", i);
	return m;
}

static void assert_error_naming(const struct fake *f, size_t i, const char *field)
{
	json_t *m = measurement(f, i);
	const char *reason = vb_json_str(m, "reason", "");

	ck_assert_str_eq(vb_json_str(m, "status", ""), "error");
	ck_assert_msg(strstr(reason, field) != NULL, "measurement %zu: reason '%s' names no %s",
		      i, reason, field);
}

/* The k-th "run" request the harness sent (0: the first). */
static json_t *run_request(struct fake *f, int k)
{
	static struct vb_linebuf lb;
	char *line, err[200];
	size_t len;

	vb_linebuf_init(&lb, f->agent);
	while (vb_line_read(&lb, 0, &line, &len) == VB_LINE_OK) {
		json_t *req = vb_proto_parse(line, len, err, sizeof(err));

		if (req && strcmp(vb_json_str(req, "op", ""), "run") == 0 && k-- == 0)
			return req;
		json_decref(req);
	}
	ck_abort_msg("no such run request");
	return NULL;
}

/* A result for request ID: its fields as JSON text. */
#define RESULT(id, iters, samples, elapsed, extras)                                  \
	"{\"op\":\"result\",\"id\":" #id ",\"bench\":\"cpu.callret\",\"unit\":\"ns/op\"," \
	"\"iters\":" iters ",\"samples\":" samples ",\"elapsed_ns\":" elapsed           \
	",\"extras\":" extras "}\n"
#define SAMPLES "[1.5,2.5,3.5]"
#define ELAPSED "[15.0,25.0,35.0]"

START_TEST(reply_non_numeric_sample_fails_that_measurement_only)
{
	struct fake f;

	fake_open(&f, 2, 0);
	agent_says(&f, RESULT(1, "7", "[1.5,\"x\",3.5]", ELAPSED, "{}")
		       RESULT(2, "9", SAMPLES, ELAPSED, "{}"));
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	assert_error_naming(&f, 0, "samples[1]");
	ck_assert_str_eq(vb_json_str(measurement(&f, 1), "status", ""), "ok");
	ck_assert_int_eq(vb_json_int(measurement(&f, 1), "iters", 0), 9);
	ck_assert_int_eq(f.in.dead, 0);
	ck_assert_ptr_null(json_object_get(f.backend, "status"));
	fake_close(&f);
}
END_TEST

START_TEST(reply_negative_iters_rejected)
{
	struct fake f;
	json_t *req;

	fake_open(&f, 2, 0);
	agent_says(&f, RESULT(1, "-5", SAMPLES, ELAPSED, "{}")
		       RESULT(2, "9", SAMPLES, ELAPSED, "{}"));
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	assert_error_naming(&f, 0, "iters");
	ck_assert_str_eq(vb_json_str(measurement(&f, 1), "status", ""), "ok");
	/* the bad value did not become the cell's calibration: round 2 calibrated again */
	req = run_request(&f, 1);
	ck_assert_int_eq(vb_json_int(req, "iters", -1), 0);
	json_decref(req);
	fake_close(&f);
}
END_TEST

START_TEST(reply_1e300_rejected)
{
	struct fake f;

	fake_open(&f, 3, 0);
	agent_says(&f, RESULT(1, "7", "[1e300,1,2]", ELAPSED, "{}")
		       RESULT(2, "1e300", SAMPLES, ELAPSED, "{}")
		       RESULT(3, "7", SAMPLES, "[10,20,1e300]", "{}"));
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	assert_error_naming(&f, 0, "samples[0]");
	assert_error_naming(&f, 1, "iters");
	assert_error_naming(&f, 2, "elapsed_ns[2]");
	fake_close(&f);
}
END_TEST

START_TEST(reply_bad_shape_rejected)
{
	struct fake f;

	fake_open(&f, 5, 0);
	agent_says(&f, RESULT(1, "7", SAMPLES, "[10,20]", "{}")
		       RESULT(2, "7", SAMPLES, ELAPSED,
			      "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1}")
		       RESULT(3, "7", SAMPLES, ELAPSED, "{\"\\u001b[31mred\":1}")
		       RESULT(4, "7", "[0,1,2]", "[0,10,20]", "{}")
		       "{\"op\":\"result\",\"id\":5,\"bench\":\"cpu.callret\",\"iters\":7}\n");
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	assert_error_naming(&f, 0, "elapsed_ns is not an array of 3");
	assert_error_naming(&f, 1, "extras");
	assert_error_naming(&f, 2, "extras has a name");
	assert_error_naming(&f, 3, "elapsed_ns[0]");
	assert_error_naming(&f, 4, "samples");
	fake_close(&f);
}
END_TEST

/* A well-formed result of a workload that was not asked for is not this one's. */
START_TEST(reply_for_another_workload_rejected)
{
	struct fake f;

	fake_open(&f, 2, 0);
	agent_says(&f, "{\"op\":\"result\",\"id\":1,\"bench\":\"mem.stream\",\"unit\":\"ns/op\","
		       "\"iters\":7,\"samples\":" SAMPLES ",\"elapsed_ns\":" ELAPSED "}\n"
		       RESULT(2, "9", SAMPLES, ELAPSED, "{}"));
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	assert_error_naming(&f, 0, "bench is not cpu.callret");
	ck_assert_str_eq(vb_json_str(measurement(&f, 1), "status", ""), "ok");
	fake_close(&f);
}
END_TEST

/* A count whose elapsed time no clock could have measured is an error of the count. */
START_TEST(count_with_absurd_values_is_an_error)
{
	struct fake f;

	fake_open(&f, 1, 1);
	agent_says(&f, "{\"op\":\"floor\",\"id\":1,\"count\":{\"status\":\"ok\",\"iters\":0,"
		       "\"elapsed_ns\":1e300,\"counters\":[]}}\n"
		       "{\"op\":\"result\",\"id\":2,\"bench\":\"cpu.callret\",\"iters\":7,\"samples\":" SAMPLES
		       ",\"elapsed_ns\":" ELAPSED ",\"count\":{\"status\":\"ok\",\"iters\":1e300,"
		       "\"elapsed_ns\":5,\"counters\":[]}}\n");
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	ck_assert_str_eq(vb_json_str(json_object_get(f.backend, "count_floor"), "status", ""),
			 "error");
	ck_assert_ptr_nonnull(strstr(vb_json_str(json_object_get(f.backend, "count_floor"),
						 "reason", ""), "count.elapsed_ns"));
	ck_assert_str_eq(vb_json_str(measurement(&f, 0), "status", ""), "ok");
	ck_assert_str_eq(vb_json_str(json_object_get(measurement(&f, 0), "count"), "status", ""),
			 "error");
	fake_close(&f);
}
END_TEST

#define FORGED                                                                          \
	"[{\"source\":\"ebpf\",\"scope\":\"host\",\"name\":\"kvm.exit.svm.io\",\"value\":100," \
	"\"unit\":\"count\",\"note\":\"counted on the host by kvm:kvm_exit\"},"                \
	"{\"source\":\"pmu\",\"scope\":\"host\",\"name\":\"dTLB-load-misses\","                \
	"\"unavailable\":\"no\"}]"

static void assert_relabelled(const json_t *counters)
{
	const json_t *c0 = json_array_get(counters, 0), *c1 = json_array_get(counters, 1);

	ck_assert_uint_eq(json_array_size(counters), 2);
	ck_assert_str_eq(vb_json_str(c0, "source", ""), "agent");
	ck_assert_str_eq(vb_json_str(c0, "scope", ""), "guest");
	ck_assert_str_eq(vb_json_str(c0, "name", ""), "kvm.exit.svm.io");
	ck_assert_int_eq(vb_json_int(c0, "value", 0), 100);
	ck_assert_ptr_null(json_object_get(c0, "note"));
	ck_assert_str_eq(vb_json_str(c1, "source", ""), "agent");
	ck_assert_str_eq(vb_json_str(c1, "scope", ""), "guest");
	ck_assert_str_eq(vb_json_str(c1, "unavailable", ""), "no");
}

START_TEST(forged_host_counter_becomes_agent_guest)
{
	struct fake f;

	fake_open(&f, 1, 1);
	agent_says(&f, "{\"op\":\"floor\",\"id\":1,\"count\":{\"status\":\"ok\",\"iters\":0,"
		       "\"elapsed_ns\":5,\"counters\":" FORGED "}}\n"
		       "{\"op\":\"result\",\"id\":2,\"bench\":\"cpu.callret\",\"iters\":7,\"samples\":" SAMPLES
		       ",\"elapsed_ns\":" ELAPSED ",\"count\":{\"status\":\"ok\",\"iters\":4,"
		       "\"elapsed_ns\":5,\"counters\":" FORGED "}}\n");
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	assert_relabelled(json_object_get(json_object_get(f.backend, "count_floor"), "counters"));
	assert_relabelled(json_object_get(json_object_get(measurement(&f, 0), "count"),
					  "counters"));
	fake_close(&f);
}
END_TEST

START_TEST(overlong_reply_fails_at_once)
{
	struct fake f;
	size_t n = VB_LINE_MAX + 4000;
	char *script = malloc(n + 512);
	double t0;

	ck_assert_ptr_nonnull(script);
	memset(script, 'x', n);
	snprintf(script + n, 512, "\n%s", RESULT(2, "9", SAMPLES, ELAPSED, "{}"));
	fake_open(&f, 2, 0);
	agent_says(&f, script);
	t0 = vb_now_ms();
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 0);
	/* the timeout is 3000 ms: the request failed on the line, not on the clock */
	ck_assert_msg(vb_now_ms() - t0 < 1000, "took %.0f ms", vb_now_ms() - t0);
	assert_error_naming(&f, 0, "agent reply over 65536 bytes");
	/* only that request: the environment answers the next one */
	ck_assert_str_eq(vb_json_str(measurement(&f, 1), "status", ""), "ok");
	free(script);
	fake_close(&f);
}
END_TEST

/* A backend whose agent never says hello; its end stays open until stop. */
static int silent_peer = -1;

static int silent_start(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
			size_t n)
{
	int sv[2];

	(void)ctx;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		snprintf(err, n, "socketpair failed");
		return -1;
	}
	in->fd = sv[0];
	silent_peer = sv[1];
	return 0;
}

static void silent_stop(struct vb_instance *in)
{
	(void)in;
	if (silent_peer >= 0)
		close(silent_peer);
	silent_peer = -1;
}

static const struct vb_backend silent_be = {
	.name = "silent", .desc = "an agent that never says hello",
	.start = silent_start, .stop = silent_stop,
};

static void on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* SIGALRM in 100 ms, caught as vbench run catches SIGINT: no SA_RESTART. */
static void signal_soon(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval t = { .it_value = { .tv_usec = 100000 } };

	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &t, NULL), 0);
}

START_TEST(sigint_during_hello_is_interrupted)
{
	static struct vb_instance in;
	struct vb_run_ctx ctx = { .hello_timeout_ms = 5000 };
	char err[512];
	double t0 = vb_now_ms();
	int rc;

	signal_soon();
	rc = vb_instance_start(&in, &silent_be, "silent", &ctx, err, sizeof(err));
	ck_assert_msg(rc == 1, "rc %d: %s", rc, err);
	ck_assert_msg(strstr(err, "interrupted while waiting") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "Interrupted system call") == NULL, "%s", err);
	ck_assert(vb_now_ms() - t0 < 2000);
	vb_instance_stop(&in);
}
END_TEST

START_TEST(sigint_during_floor_is_not_a_failure)
{
	struct fake f;

	fake_open(&f, 1, 1);
	signal_soon();
	ck_assert_int_eq(vb_sched_run(&f.s, NULL, 0), 1);
	ck_assert_ptr_null(json_object_get(f.backend, "status"));
	fake_close(&f);
}
END_TEST

START_TEST(run_exit_status_when_all_failed)
{
	json_t *none_ran = json_pack("{s:[{s:s}, {s:s}], s:[]}", "backends", "status", "failed",
				     "status", "unavailable", "measurements");
	json_t *none_ok = json_pack("{s:[{s:s}], s:[{s:s}, {s:s}]}", "backends", "status", "ok",
				    "measurements", "status", "error", "status", "unsupported");
	json_t *one_ok = json_pack("{s:[{s:s}, {s:s}], s:[{s:s}, {s:s}]}", "backends", "status",
				   "failed", "status", "ok", "measurements", "status", "error",
				   "status", "ok");
	char why[256];

	ck_assert_int_eq(vb_results_measured(none_ran, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "no backend ran") != NULL, "%s", why);
	ck_assert_int_eq(vb_results_measured(none_ok, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "no measurement or experiment is ok (2 measurements in all") != NULL, "%s", why);
	ck_assert_int_eq(vb_results_measured(one_ok, why, sizeof(why)), 1);
	json_decref(none_ran);
	json_decref(none_ok);
	json_decref(one_ok);
}
END_TEST

/*
 * The worst a result can be, as the agent builds it (guest-agent/serve.c):
 * the longest reals and integers, the longest workload name and unit,
 * VB_MAX_EXTRAS extras of the longest names, and a count with the agent's
 * counters: 100 of the longest (names of 95 bytes, guest-agent/counters.c;
 * a pass reports about 12 on a quiet host: usage, tracepoints, vmstat and
 * the interrupt lines that moved) and its 5 headline "unavailable" ones.
 */
static json_t *worst_series(unsigned n)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(a, json_real(-DBL_MIN)); /* "-2.225073859e-308" */
	return a;
}

static json_t *worst_count(void)
{
	json_t *counters = json_array();
	char name[96], why[160];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "%03d%092d", i, 0);
		json_array_append_new(counters, json_pack("{s:s, s:s, s:s, s:I, s:s}", "source",
							  "agent", "scope", "guest", "name", name,
							  "value", (json_int_t)INT64_MIN, "unit",
							  "bytes"));
	}
	memset(why, 'w', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	for (int i = 0; i < 5; i++)
		json_array_append_new(counters, json_pack("{s:s, s:s, s:s, s:s}", "source", "agent",
							  "scope", "guest", "name", "interrupts",
							  "unavailable", why));
	return json_pack("{s:s, s:I, s:I, s:o}", "status", "ok", "iters", (json_int_t)INT64_MIN,
			 "elapsed_ns", (json_int_t)INT64_MIN, "counters", counters);
}

static json_t *worst_result(unsigned samples)
{
	const char *bench = "", *unit = "";
	json_t *extras = json_object();
	char name[64];

	for (size_t i = 0; i < vb_nworkloads; i++) {
		const char *u = vb_metric_unit(vb_workloads[i]->metric);

		if (strlen(vb_workloads[i]->name) > strlen(bench))
			bench = vb_workloads[i]->name;
		if (strlen(u) > strlen(unit))
			unit = u;
	}
	for (int i = 0; i < VB_MAX_EXTRAS; i++) {
		snprintf(name, sizeof(name), "%d%031d", i, 0);
		json_object_set_new(extras, name, json_real(-DBL_MIN));
	}
	return json_pack("{s:s, s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "op", "result", "id",
			 (json_int_t)INT64_MIN, "bench", bench, "unit", unit, "iters",
			 (json_int_t)INT64_MIN, "samples", worst_series(samples), "elapsed_ns",
			 worst_series(samples), "extras", extras, "count", worst_count());
}

/* The length of msg's line through the real sender and reader; -1 if it did not fit. */
static long line_length(json_t *msg)
{
	static struct vb_linebuf lb;
	char *line, err[200];
	size_t len;
	int p[2], rc;
	long got = -1;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();   /* a pipe holds 64 KiB: send from a child while we read */
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		_exit(vb_proto_send(p[1], msg) ? 1 : 0);
	}
	close(p[1]);
	vb_linebuf_init(&lb, p[0]);
	rc = vb_line_read(&lb, 5000, &line, &len);
	if (rc == VB_LINE_OK) {
		json_t *back = vb_proto_parse(line, len, err, sizeof(err));

		ck_assert_msg(back != NULL, "%s", err);
		json_decref(back);
		got = (long)len;
	}
	close(p[0]);
	waitpid(pid, NULL, 0);
	return got;
}

START_TEST(samples_cap_reply_fits_line)
{
	json_t *bare = worst_result(0), *full = worst_result(VB_MAX_SAMPLES);
	json_t *one = json_pack("[f]", -DBL_MIN);
	char *s = json_dumps(one, JSON_COMPACT | JSON_REAL_PRECISION(VB_PROTO_REAL_DIGITS));
	long room = line_length(bare), len = line_length(full);

	/* the bound the cap is derived from: no real prints longer */
	ck_assert_uint_eq(strlen(s), VB_PROTO_REAL_MAX + 2);
	ck_assert_msg(room > 0 && room <= VB_REPLY_ROOM, "all but the samples: %ld bytes", room);
	ck_assert_msg(len > 0 && len <= VB_LINE_MAX, "worst result: %ld bytes", len);
	free(s);
	json_decref(one);
	json_decref(bare);
	json_decref(full);
}
END_TEST

START_TEST(samples_option_capped)
{
	char max[16], over[16], err[256];
	char *ok_argv[] = { "run", "--samples", max, NULL };
	char *bad_argv[] = { "run", "--samples", over, NULL };
	struct vb_run_opts o;

	snprintf(max, sizeof(max), "%d", VB_MAX_SAMPLES);
	snprintf(over, sizeof(over), "%d", VB_MAX_SAMPLES + 1);
	ck_assert_int_eq(vb_run_parse(3, ok_argv, &o, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.samples, VB_MAX_SAMPLES);
	ck_assert_int_eq(vb_run_parse(3, bad_argv, &o, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "1..1000") != NULL, "%s", err);
}
END_TEST

Suite *suite_replies(void)
{
	Suite *s = suite_create("replies");
	TCase *t = tcase_create("core");

	tcase_add_test(t, reply_non_numeric_sample_fails_that_measurement_only);
	tcase_add_test(t, reply_negative_iters_rejected);
	tcase_add_test(t, reply_1e300_rejected);
	tcase_add_test(t, reply_bad_shape_rejected);
	tcase_add_test(t, reply_for_another_workload_rejected);
	tcase_add_test(t, count_with_absurd_values_is_an_error);
	tcase_add_test(t, forged_host_counter_becomes_agent_guest);
	tcase_add_test(t, overlong_reply_fails_at_once);
	tcase_add_test(t, sigint_during_hello_is_interrupted);
	tcase_add_test(t, sigint_during_floor_is_not_a_failure);
	tcase_add_test(t, run_exit_status_when_all_failed);
	tcase_add_test(t, samples_cap_reply_fits_line);
	tcase_add_test(t, samples_option_capped);
	suite_add_tcase(s, t);
	return s;
}
