/* SPDX-License-Identifier: MIT */
/* The container backend's OCI bundle: config.json contents and rootfs layout. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../harness/backend.h"
#include "../../harness/backends/oci.h"
#include "../../harness/backends/podman_cmd.h"
#include "../../harness/paths.h"

static const int pus[] = { 1, 3 };
static const struct vb_oci_spec spec = {
	.scratch_host = "/work/x/container.img",
	.cgroups_path = "/vbench-42/container",
	.memory_mb = 64,
	.ncpus = 2,
	.pus = pus,
	.npus = 2,
};

static json_t *find_mount(json_t *cfg, const char *dest)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(cfg, "mounts"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "destination")), dest) == 0)
			return m;
	return NULL;
}

static int has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

START_TEST(config_namespaces)
{
	json_t *cfg = vb_oci_config(&spec), *ns, *v;
	const char *want[] = { "pid", "mount", "uts", "ipc", "network", "cgroup" };
	size_t i;

	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(json_string_value(json_object_get(cfg, "ociVersion")), "1.0.2");
	ns = json_object_get(json_object_get(cfg, "linux"), "namespaces");
	ck_assert_int_eq(json_array_size(ns), 6);
	for (size_t k = 0; k < 6; k++) {
		int found = 0;

		json_array_foreach(ns, i, v)
			found |= strcmp(json_string_value(json_object_get(v, "type")), want[k]) == 0;
		ck_assert_msg(found, "namespace %s missing", want[k]);
	}
	json_decref(cfg);
}
END_TEST

START_TEST(config_limits)
{
	json_t *cfg = vb_oci_config(&spec);
	json_t *lnx = json_object_get(cfg, "linux");
	json_t *res = json_object_get(lnx, "resources");
	json_t *mem = json_object_get(res, "memory"), *cpu = json_object_get(res, "cpu");

	ck_assert_str_eq(json_string_value(json_object_get(lnx, "cgroupsPath")),
			 "/vbench-42/container");
	ck_assert_int_eq(json_integer_value(json_object_get(mem, "limit")), 64LL << 20);
	/* memory+swap equal to the limit: an overrun is an OOM kill, not swapping */
	ck_assert_int_eq(json_integer_value(json_object_get(mem, "swap")), 64LL << 20);
	ck_assert_int_eq(json_integer_value(json_object_get(cpu, "period")), 100000);
	ck_assert_int_eq(json_integer_value(json_object_get(cpu, "quota")), 200000);
	ck_assert_str_eq(json_string_value(json_object_get(cpu, "cpus")), "1,3");
	json_decref(cfg);
}
END_TEST

START_TEST(config_no_limits)
{
	struct vb_oci_spec s = spec;
	json_t *cfg, *res;

	s.memory_mb = 0;
	s.ncpus = 0;
	s.npus = 0;
	cfg = vb_oci_config(&s);
	res = json_object_get(json_object_get(cfg, "linux"), "resources");
	ck_assert_ptr_null(json_object_get(res, "memory"));
	ck_assert_ptr_null(json_object_get(json_object_get(res, "cpu"), "quota"));
	ck_assert_ptr_null(json_object_get(json_object_get(res, "cpu"), "cpus"));
	json_decref(cfg);
}
END_TEST

START_TEST(config_root_and_process)
{
	json_t *cfg = vb_oci_config(&spec);
	json_t *root = json_object_get(cfg, "root"), *proc = json_object_get(cfg, "process");
	json_t *args = json_object_get(proc, "args");

	ck_assert(json_is_true(json_object_get(root, "readonly")));
	ck_assert_str_eq(json_string_value(json_object_get(root, "path")), "rootfs");
	ck_assert(json_is_false(json_object_get(proc, "terminal")));
	ck_assert_int_eq(json_array_size(args), 5);
	ck_assert_str_eq(json_string_value(json_array_get(args, 0)), "/vbench-agent");
	ck_assert_str_eq(json_string_value(json_array_get(args, 2)), "container");
	ck_assert_str_eq(json_string_value(json_array_get(args, 4)), "/scratch.img");
	ck_assert(has_string(json_object_get(proc, "env"), "container=oci"));
	json_decref(cfg);
}
END_TEST

START_TEST(config_mounts)
{
	json_t *cfg = vb_oci_config(&spec), *m;

	m = find_mount(cfg, "/scratch.img");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "bind");
	ck_assert_str_eq(json_string_value(json_object_get(m, "source")), "/work/x/container.img");
	ck_assert(has_string(json_object_get(m, "options"), "rw"));
	ck_assert(has_string(json_object_get(m, "options"), "bind"));
	m = find_mount(cfg, "/proc");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "proc");
	m = find_mount(cfg, "/dev");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "tmpfs");
	m = find_mount(cfg, "/tmp");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "tmpfs");
	json_decref(cfg);
}
END_TEST

START_TEST(bundle_layout)
{
	char dir[] = "/tmp/vbench-oci-test-XXXXXX", bundle[256], p[PATH_MAX], err[256];
	const char *self = "/proc/self/exe";
	char agent[PATH_MAX];
	ssize_t len = readlink(self, agent, sizeof(agent) - 1);
	struct stat st;
	json_t *cfg;

	ck_assert_int_gt(len, 0);
	agent[len] = '\0';
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(bundle, sizeof(bundle), "%s/b", dir);
	ck_assert_msg(vb_oci_bundle(bundle, agent, &spec, err, sizeof(err)) == 0, "%s", err);
	snprintf(p, sizeof(p), "%s/rootfs/vbench-agent", bundle);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(st.st_mode & S_IXUSR);
	snprintf(p, sizeof(p), "%s/rootfs/scratch.img", bundle);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	for (const char *const *d = (const char *const[]){ "proc", "dev", "sys", "tmp", NULL };
	     *d; d++) {
		snprintf(p, sizeof(p), "%s/rootfs/%s", bundle, *d);
		ck_assert_int_eq(stat(p, &st), 0);
		ck_assert(S_ISDIR(st.st_mode));
	}
	snprintf(p, sizeof(p), "%s/config.json", bundle);
	cfg = json_load_file(p, 0, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(cfg, "linux"),
							   "cgroupsPath")),
			 "/vbench-42/container");
	json_decref(cfg);
	/* an existing bundle dir is an error, not silently reused */
	ck_assert_int_eq(vb_oci_bundle(bundle, agent, &spec, err, sizeof(err)), -1);
	snprintf(p, sizeof(p), "%s/none", dir);
	snprintf(bundle, sizeof(bundle), "%s/c", dir);
	ck_assert_int_eq(vb_oci_bundle(bundle, p, &spec, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "none"));
	vb_rmtree(dir);
}
END_TEST

/*
 * The floor's bundle: config.json runs the hello-world, with the
 * instances' limits and mounts but no scratch image, on a rootfs holding
 * nothing but it and the empty mount points.
 */
START_TEST(floor_bundle_runs_the_hello)
{
	struct vb_oci_spec fs = spec;
	char dir[] = "/tmp/vbench-oci-test-XXXXXX", bundle[256], p[PATH_MAX], err[256];
	char hello[PATH_MAX], out[1024] = "";
	json_t *cfg, *args;
	struct stat st, hs;
	FILE *f, *ls;
	size_t got;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(hello, sizeof(hello), "%s/hello", dir);
	f = fopen(hello, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\necho vbench-floor-hello\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(hello, 0755), 0);
	fs.floor = 1;
	fs.scratch_host = NULL;
	snprintf(bundle, sizeof(bundle), "%s/b", dir);
	ck_assert_msg(vb_oci_bundle(bundle, hello, &fs, err, sizeof(err)) == 0, "%s", err);
	snprintf(p, sizeof(p), "%s/config.json", bundle);
	cfg = json_load_file(p, 0, NULL);
	ck_assert_ptr_nonnull(cfg);
	args = json_object_get(json_object_get(cfg, "process"), "args");
	ck_assert_int_eq(json_array_size(args), 1);
	ck_assert_str_eq(json_string_value(json_array_get(args, 0)), "/vbench-floor-hello");
	ck_assert_ptr_null(find_mount(cfg, "/scratch.img"));
	ck_assert_ptr_nonnull(find_mount(cfg, "/proc"));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(
				 json_object_get(cfg, "linux"), "resources"), "memory"), "limit")),
			 64LL << 20);
	json_decref(cfg);
	/* the rootfs: the hello (the same file) and the empty mount points, nothing else */
	snprintf(p, sizeof(p), "cd '%s/rootfs' && find . | sort", bundle);
	ls = popen(p, "r");
	ck_assert_ptr_nonnull(ls);
	got = fread(out, 1, sizeof(out) - 1, ls);
	out[got] = '\0';
	ck_assert_int_eq(pclose(ls), 0);
	ck_assert_str_eq(out, ".\n./dev\n./proc\n./sys\n./tmp\n./vbench-floor-hello\n");
	snprintf(p, sizeof(p), "%s/rootfs/vbench-floor-hello", bundle);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(stat(hello, &hs), 0);
	ck_assert(st.st_ino == hs.st_ino && (st.st_mode & S_IXUSR));
	vb_rmtree(dir);
}
END_TEST

/* The index of arg in the command, or -1. */
static int arg_at(const struct vb_podman_cmd *c, const char *arg)
{
	for (int i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], arg) == 0)
			return i;
	return -1;
}

/* flag followed by value somewhere in the command. */
static int has_pair(const struct vb_podman_cmd *c, const char *flag, const char *value)
{
	for (int i = 0; i + 1 < c->argc; i++)
		if (strcmp(c->argv[i], flag) == 0 && strcmp(c->argv[i + 1], value) == 0)
			return 1;
	return 0;
}

START_TEST(podman_run_limits)
{
	struct vb_oci_spec s = spec;
	struct vb_podman_run r = { .engine = "/usr/bin/podman", .name = "vbench-42-container",
				   .image = "localhost/vbench-agent:0123", .spec = &s };
	struct vb_podman_cmd c;
	int img;

	s.cgroups_path = "/vbench-42";
	ck_assert_int_eq(vb_podman_run_cmd(&c, &r), 0);
	ck_assert_str_eq(c.argv[0], "/usr/bin/podman");
	ck_assert_ptr_null(c.argv[c.argc]);
	ck_assert_int_ge(arg_at(&c, "--cgroup-manager=cgroupfs"), 1);
	ck_assert_int_lt(arg_at(&c, "--cgroup-manager=cgroupfs"), arg_at(&c, "run"));
	ck_assert_int_ge(arg_at(&c, "-i"), 0);
	ck_assert_int_ge(arg_at(&c, "--rm"), 0);
	ck_assert_int_ge(arg_at(&c, "--read-only"), 0);
	ck_assert(has_pair(&c, "--name", "vbench-42-container"));
	ck_assert(has_pair(&c, "--network", "none"));
	ck_assert(has_pair(&c, "--memory", "64m"));
	ck_assert(has_pair(&c, "--memory-swap", "64m"));
	ck_assert(has_pair(&c, "--cpus", "2"));
	ck_assert(has_pair(&c, "--cpuset-cpus", "1,3"));
	ck_assert(has_pair(&c, "--cgroup-parent", "/vbench-42"));
	ck_assert(has_pair(&c, "-v", "/work/x/container.img:/scratch.img:rw"));
	ck_assert(has_pair(&c, "-e", "container=oci"));
	/* the image, then the agent's command line, last */
	img = arg_at(&c, "localhost/vbench-agent:0123");
	ck_assert_int_eq(img, c.argc - 6);
	ck_assert_str_eq(c.argv[img + 1], VB_OCI_AGENT);
	ck_assert_str_eq(c.argv[c.argc - 1], VB_OCI_SCRATCH);
}
END_TEST

START_TEST(podman_run_no_limits_docker)
{
	struct vb_oci_spec s = { .scratch_host = "/x.img" };
	struct vb_podman_run r = { .engine = "docker", .docker = 1, .name = "n",
				   .image = "img", .spec = &s };
	struct vb_podman_cmd c;

	ck_assert_int_eq(vb_podman_run_cmd(&c, &r), 0);
	/* none of podman's own flags, no limits asked for */
	ck_assert_int_eq(arg_at(&c, "--cgroup-manager=cgroupfs"), -1);
	ck_assert_int_eq(arg_at(&c, "--pids-limit"), -1);
	ck_assert_int_eq(arg_at(&c, "--memory"), -1);
	ck_assert_int_eq(arg_at(&c, "--cpus"), -1);
	ck_assert_int_eq(arg_at(&c, "--cpuset-cpus"), -1);
	ck_assert_int_eq(arg_at(&c, "--cgroup-parent"), -1);
	ck_assert_str_eq(c.argv[1], "run");
}
END_TEST

START_TEST(podman_cmd_full)
{
	struct vb_podman_cmd c;

	vb_podman_base(&c, "podman", 0);
	while (c.argc > 0)
		vb_podman_add(&c, "x");
	ck_assert_int_eq(c.argc, -1);
	ck_assert_int_eq(vb_podman_add(&c, "x"), -1);
}
END_TEST

/* The container backend takes only the runtimes it has a driver for: no silent fallback. */
START_TEST(container_unknown_runtime)
{
	const struct vb_backend *be = vb_backend_find("container");
	const char *want = "unknown container runtime 'nosuch' (crun, runc, podman or docker)";
	struct vb_run_ctx ctx = { .agent_path = "/bin/true", .container_runtime = "nosuch" };
	struct vb_instance in = { .be = be, .name = "container", .fd = -1 };
	char why[256], tail[256];

	ck_assert_ptr_nonnull(be);
	ck_assert_int_eq(be->available(be, &ctx, why, sizeof(why)), 0);
	ck_assert_str_eq(why, want);
	ck_assert_int_eq(be->start(&in, &ctx, why, sizeof(why)), -1);
	ck_assert_str_eq(why, want);
	ck_assert_int_eq(in.fd, -1);
	be->log_tail(&in, tail, sizeof(tail));
	ck_assert_str_eq(tail, "");
	be->stop(&in);
	ck_assert_ptr_null(in.priv);
}
END_TEST

Suite *suite_oci(void)
{
	Suite *s = suite_create("oci");
	TCase *tc = tcase_create("oci");

	tcase_add_test(tc, config_namespaces);
	tcase_add_test(tc, config_limits);
	tcase_add_test(tc, config_no_limits);
	tcase_add_test(tc, config_root_and_process);
	tcase_add_test(tc, config_mounts);
	tcase_add_test(tc, bundle_layout);
	tcase_add_test(tc, floor_bundle_runs_the_hello);
	tcase_add_test(tc, podman_run_limits);
	tcase_add_test(tc, podman_run_no_limits_docker);
	tcase_add_test(tc, podman_cmd_full);
	tcase_add_test(tc, container_unknown_runtime);
	suite_add_tcase(s, tc);
	return s;
}
