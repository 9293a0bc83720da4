/* SPDX-License-Identifier: MIT */
/*
 * --set INSTANCE.KEY=VALUE (A/B in one run): its checks at parse time, and
 * a per-instance workload parameter reaching that instance's requests
 * alone (two fake agents on socketpairs answer the scheduler).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/proto.h"
#include "../../harness/run_opts.h"
#include "../../harness/scheduler.h"
#include "../../harness/backends/qemu_args.h"
#include "../../harness/select.h"

static struct vb_pick picks[8];
static size_t npicks;

static void select_instances(const char *spec)
{
	char err[512];
	int k = vb_select_backends(spec, picks, 8, err, sizeof(err));

	ck_assert_msg(k > 0, "%s", err);
	npicks = (size_t)k;
}

/* The setting's error, or "" when it was accepted. */
static const char *set_error(const char *spec, struct vb_setting *st)
{
	static char err[1024];

	err[0] = '\0';
	if (vb_select_setting(spec, picks, npicks, st, err, sizeof(err)) == 0)
		return "";
	ck_assert_msg(err[0], "'%s' refused without a reason", spec);
	return err;
}

static void assert_refused(const char *spec, const char *why)
{
	struct vb_setting st;
	const char *err = set_error(spec, &st);

	ck_assert_msg(strstr(err, why), "'%s': wanted an error naming '%s', got '%s'", spec, why,
		      err);
}

START_TEST(set_option_repeats)
{
	struct vb_run_opts o;
	char err[256];
	char *argv[] = { "run", "--set", "bare@b.param.cpu.int.n=8192", "--set",
			 "type2@new.cpu=max" };

	ck_assert_int_eq(vb_run_parse(5, argv, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(o.nsets, 2);
	ck_assert_str_eq(o.sets[0], "bare@b.param.cpu.int.n=8192");
	ck_assert_str_eq(o.sets[1], "type2@new.cpu=max");
}
END_TEST

START_TEST(set_unknown_instance_or_key_refused)
{
	select_instances("bare,bare@b,type2,type2@new");
	assert_refused("bare@c.param.cpu.int.n=8192", "no selected instance");
	assert_refused("container.runtime=runc", "no selected instance");
	assert_refused("type2@new", "INSTANCE.KEY=VALUE");
	assert_refused("type2@new.nosuch=1", "no key 'nosuch'");
	assert_refused("type2@new.cpus=2", "the run's (--cpus)");
	assert_refused("type2@new.memory=12", "64..");
	assert_refused("type2@new.cpu=", "empty value");
}
END_TEST

START_TEST(set_key_not_for_that_backend_refused)
{
	select_instances("bare,bare@b,container,type2");
	assert_refused("container.qemu=/bin/true", "does not apply to container");
	assert_refused("bare@b.memory=512", "does not apply to bare@b");
	assert_refused("type2.runtime=runc", "does not apply to type2");
	assert_refused("container.runtime=lxc", "crun, runc, podman or docker");
}
END_TEST

START_TEST(set_qemu_must_be_executable)
{
	char path[] = "/tmp/vbench-set-XXXXXX", spec[128], plain[1024], exec[1024];
	int fd = mkstemp(path);
	struct vb_setting st;

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(spec, sizeof(spec), "type2@new.qemu=%s", path);
	select_instances("type2,type2@new");
	chmod(path, 0644);
	snprintf(plain, sizeof(plain), "%s", set_error(spec, &st));
	chmod(path, 0755);
	snprintf(exec, sizeof(exec), "%s", set_error(spec, &st));
	unlink(path); /* before any assertion can end the test */
	ck_assert_msg(strstr(plain, "not an executable file"), "a 0644 file taken: '%s'", plain);
	ck_assert_str_eq(exec, "");
	ck_assert_int_eq(st.key, VB_SET_QEMU);
	assert_refused("type2@new.qemu=/nonexistent/qemu-system-x86_64", "/nonexistent");
	assert_refused("type2@new.qemu=/tmp", "not an executable file");
}
END_TEST

START_TEST(set_param_checked_like_param)
{
	select_instances("bare,bare@b");
	assert_refused("bare@b.param.cpu.int.n=1", "cpu.int.n=1");
	assert_refused("bare@b.param.cpu.int.nosuch=5", "no parameter 'nosuch'");
	assert_refused("bare@b.param.no.such=5", "no workload");
	assert_refused("bare@b.param.cpu.int.n=x", "integer");
}
END_TEST

START_TEST(set_good_cases)
{
	struct vb_setting st;

	select_instances("bare,bare@b,container@x,type2,type2@new.1");
	ck_assert_str_eq(set_error("bare@b.param.cpu.int.n=8192", &st), "");
	ck_assert_int_eq(st.key, VB_SET_PARAM);
	ck_assert_str_eq(st.instance, "bare@b");
	ck_assert_str_eq(st.key_name, "param.cpu.int.n");
	ck_assert_str_eq(st.wl->name, "cpu.int");
	ck_assert_str_eq(st.wl->params[st.param].name, "n");
	ck_assert_int_eq(st.num, 8192);
	/* a tag with a dot: the longest instance name wins */
	ck_assert_str_eq(set_error("type2@new.1.qemu-args=-smp 1 -overcommit mem-lock=off", &st),
			 "");
	ck_assert_str_eq(st.instance, "type2@new.1");
	ck_assert_int_eq(st.key, VB_SET_QEMU_ARGS);
	ck_assert_str_eq(st.value, "-smp 1 -overcommit mem-lock=off");
	ck_assert_str_eq(set_error("type2.memory=2048", &st), "");
	ck_assert_int_eq(st.num, 2048);
	ck_assert_str_eq(set_error("container@x.runtime=runc", &st), "");
	ck_assert_str_eq(set_error("type2.cpu=max,+svm", &st), "");
	ck_assert_str_eq(st.value, "max,+svm");
}
END_TEST

/* The index of arg in a's argv, or -1. */
static int argv_index(const struct vb_qemu_argv *a, const char *arg)
{
	for (int i = 0; i < a->argc; i++)
		if (!strcmp(a->argv[i], arg))
			return i;
	return -1;
}

START_TEST(set_qemu_cpu_and_args_reach_the_command_line)
{
	static struct vb_qemu_argv a;
	struct vb_qemu_variant v = { vb_backend_find("type2"), "qemu64", "", 0 };
	struct vb_qemu_cfg c = { .vmlinux = "k", .initrd = "i", .console_log = "c", .disk = "d",
				 .cpus = 1, .mem_mb = 512 };
	int i;

	ck_assert_int_eq(vb_qemu_build_argv(&v, &c, &a), 0);
	ck_assert_str_eq(a.argv[0], "qemu-system-x86_64");
	ck_assert_str_eq(a.argv[argv_index(&a, "-cpu") + 1], "qemu64");
	c.qemu = "/opt/qemu/bin/qemu-system-x86_64";
	c.cpu = "max,+svm";
	c.extra = " -overcommit  mem-lock=off ";
	ck_assert_int_eq(vb_qemu_build_argv(&v, &c, &a), 0);
	ck_assert_str_eq(a.argv[0], "/opt/qemu/bin/qemu-system-x86_64");
	ck_assert_str_eq(a.argv[argv_index(&a, "-cpu") + 1], "max,+svm");
	/* split on spaces, empty words dropped, after the variant's own arguments */
	i = argv_index(&a, "-overcommit");
	ck_assert_int_eq(i, a.argc - 2);
	ck_assert_str_eq(a.argv[i + 1], "mem-lock=off");
}
END_TEST

/* Two fake agents: "bare" and "bare@b", each on a socketpair. */
struct agent {
	struct vb_instance in;
	int peer;
	pid_t writer;
};

static void agent_open(struct agent *a, const char *name, const char *lines)
{
	static const struct vb_backend be = { .name = "bare", .desc = "a scripted agent" };
	int sv[2];

	memset(a, 0, sizeof(*a));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	a->in.be = &be;
	snprintf(a->in.name, sizeof(a->in.name), "%s", name);
	a->in.tag = strchr(name, '@') ? strchr(name, '@') + 1 : "";
	a->in.fd = sv[0];
	a->peer = sv[1];
	a->in.lb = malloc(sizeof(*a->in.lb));
	ck_assert_ptr_nonnull(a->in.lb);
	vb_linebuf_init(a->in.lb, sv[0]);
	a->writer = fork();
	ck_assert_int_ge(a->writer, 0);
	if (a->writer == 0) {
		ssize_t k = write(a->peer, lines, strlen(lines));

		_exit(k == (ssize_t)strlen(lines) ? 0 : 1);
	}
}

/* The params object of the first "run" request the harness sent to a (NULL: none). */
static json_t *sent_params(struct agent *a)
{
	struct vb_linebuf lb;
	char *line, err[200];
	size_t len;

	vb_linebuf_init(&lb, a->peer);
	while (vb_line_read(&lb, 0, &line, &len) == VB_LINE_OK) {
		json_t *req = vb_proto_parse(line, len, err, sizeof(err));

		if (req && !strcmp(vb_json_str(req, "op", ""), "run")) {
			json_t *p = json_incref(json_object_get(req, "params"));

			json_decref(req);
			return p;
		}
		json_decref(req);
	}
	ck_abort_msg("%s: no run request", a->in.name);
	return NULL;
}

static void agent_close(struct agent *a)
{
	waitpid(a->writer, NULL, 0);
	close(a->in.fd);
	close(a->peer);
	free(a->in.lb);
}

#define RESULT "{\"op\":\"result\",\"id\":1,\"bench\":\"cpu.int\",\"unit\":\"ns/op\"," \
	"\"iters\":7,\"samples\":[1.5,2.5,3.5],\"elapsed_ns\":[15.0,25.0,35.0],\"extras\":{}}\n"

START_TEST(set_param_reaches_that_instance_only)
{
	static volatile sig_atomic_t stop;
	struct agent a[2];
	struct vb_instance inst[2];
	const struct vb_workload *wl = vb_workload_find("cpu.int");
	json_t *doc = json_pack("{s:[]}", "measurements"), *bj[2] = { json_object(), json_object() };
	json_t *run_params = json_pack("{s:i}", "n", 4096);
	json_t *inst_params[2] = { NULL, json_pack("{s:{s:i}}", "cpu.int", "n", 8192) };

	agent_open(&a[0], "bare", RESULT);
	agent_open(&a[1], "bare@b", RESULT);
	inst[0] = a[0].in;
	inst[1] = a[1].in;
	struct vb_sched s = {
		.inst = inst, .inst_json = bj, .ninst = 2, .wl = &wl, .params = &run_params,
		.inst_params = inst_params, .nwl = 1, .rounds = 1, .samples = 3,
		.min_sample_ms = 1, .timeout_ms = 3000, .seed = 1, .doc = doc, .stop = &stop,
	};
	ck_assert_int_eq(vb_sched_run(&s, NULL, 0), 0);

	json_t *p0 = sent_params(&a[0]), *p1 = sent_params(&a[1]), *m;
	size_t i;

	ck_assert_int_eq(vb_json_int(p0, "n", 0), 4096);
	ck_assert_int_eq(vb_json_int(p1, "n", 0), 8192);
	/* and the results say what each measurement ran with */
	json_array_foreach(json_object_get(doc, "measurements"), i, m) {
		int b = !strcmp(vb_json_str(m, "backend", ""), "bare@b");

		ck_assert_str_eq(vb_json_str(m, "status", ""), "ok");
		ck_assert_int_eq(vb_json_int(json_object_get(m, "params"), "n", 0),
				 b ? 8192 : 4096);
	}
	ck_assert_uint_eq(i, 2);
	json_decref(p0);
	json_decref(p1);
	agent_close(&a[0]);
	agent_close(&a[1]);
	json_decref(doc);
	json_decref(bj[0]);
	json_decref(bj[1]);
	json_decref(run_params);
	json_decref(inst_params[1]);
}
END_TEST

Suite *suite_set(void)
{
	Suite *s = suite_create("set");
	TCase *t = tcase_create("core");

	tcase_add_test(t, set_option_repeats);
	tcase_add_test(t, set_unknown_instance_or_key_refused);
	tcase_add_test(t, set_key_not_for_that_backend_refused);
	tcase_add_test(t, set_qemu_must_be_executable);
	tcase_add_test(t, set_param_checked_like_param);
	tcase_add_test(t, set_good_cases);
	tcase_add_test(t, set_qemu_cpu_and_args_reach_the_command_line);
	tcase_add_test(t, set_param_reaches_that_instance_only);
	suite_add_tcase(s, t);
	return s;
}
