/* SPDX-License-Identifier: MIT */
/*
 * container: the agent in an OCI container run by crun (or runc, which
 * takes the same bundle and command line). `create` with the socketpair as
 * the container's stdio, then `start`: between the two the container's
 * init exists but has not run, which is when it is moved into its cgroup
 * v2 group on hybrid hosts.
 *
 * Hybrid cgroup hosts (v1 controllers + a controller-less v2 tree at
 * /sys/fs/cgroup/unified): crun refuses them, so every runtime command
 * runs in a private mount namespace without the unified mount. There the
 * runtime applies the limits through the v1 controllers, and vbench itself
 * puts the container's init into `<vbench cgroup>/container` of the v2
 * tree, which is what the probes scope by.
 *
 * podman and docker: container_podman.c, sharing the helpers here.
 */
#include "container.h"
#include "../cgroup.h"
#include "../envutil.h"
#include "../exec.h"
#include "oci.h"
#include "../paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define V1_ROOT "/sys/fs/cgroup"
#define UNIFIED "/sys/fs/cgroup/unified"

static int container_available(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			       char *why, size_t n)
{
	(void)be;
	const char *name = ctx->container_runtime ? ctx->container_runtime : "crun";
	const char *layout = vb_cgroup_layout();
	char path[PATH_MAX], line[256], err[512];

	if (strcmp(name, "podman") == 0 || strcmp(name, "docker") == 0)
		return vb_podman_available(name, ctx, why, n);
	if (!vb_which(name, path, sizeof(path))) {
		snprintf(why, n, "%s is not installed (Debian package %s)", name, name);
		return 0;
	}
	char *argv[] = { path, "--version", NULL };
	if (vb_exec_line(argv, line, sizeof(line), err, sizeof(err))) {
		snprintf(why, n, "%s --version fails: %s", path, err);
		return 0;
	}
	if (geteuid() != 0) {
		snprintf(why, n, "needs root (cgroups and namespaces for %s)", name);
		return 0;
	}
	if (strcmp(layout, "v2") && strcmp(layout, "hybrid")) {
		snprintf(why, n, "cgroup layout '%s' not supported (needs cgroup v2 or hybrid)",
			 layout);
		return 0;
	}
	if (access(ctx->agent_path, X_OK)) {
		snprintf(why, n, "agent %s: %s", ctx->agent_path, strerror(errno));
		return 0;
	}
	return 1;
}

/* In a forked child: hide the v2 mount from the runtime (hybrid hosts). */
static int hide_unified(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    umount2(UNIFIED, MNT_DETACH)) {
		fprintf(stderr, "vbench: private mount namespace without %s: %s\n", UNIFIED,
			strerror(errno));
		return -1;
	}
	return 0;
}

pid_t vb_ctr_spawn(const struct ctr *c, const char *const argv[], int io_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		int log = open(c->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int io = io_fd >= 0 ? io_fd : null;

		/* Ctrl-C is vbench's to handle: it stops the container itself */
		setpgid(0, 0);
		if (log < 0 || null < 0 || dup2(io, 0) < 0 || dup2(io, 1) < 0 ||
		    dup2(log, 2) < 0)
			_exit(127);
		if (c->hybrid && hide_unified())
			_exit(127);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "vbench: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

int vb_ctr_wait(pid_t pid)
{
	int status;

	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Run `runtime args...` to completion. io_fd (or /dev/null) becomes its
 * stdin and stdout, which `create` hands on to the container; stderr goes
 * to the log. Returns its exit status, or -1.
 */
static int runtime(const struct ctr *c, const char *const args[], int io_fd)
{
	const char *argv[8] = { c->rt };

	for (int i = 0; i < 6 && args[i]; i++)
		argv[i + 1] = args[i];
	return vb_ctr_wait(vb_ctr_spawn(c, argv, io_fd));
}

static int run_step(const struct ctr *c, const char *const args[], int io_fd, char *err,
		    size_t n)
{
	int rc = runtime(c, args, io_fd);

	if (rc)
		snprintf(err, n, "%s %s %s failed (status %d)", c->rt, args[0], c->id, rc);
	return rc ? -1 : 0;
}

static pid_t read_pid(const char *file)
{
	FILE *f = fopen(file, "re");
	int pid = 0;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return pid;
}

/* The container's cgroup v2 group: made by vbench on hybrid hosts, by the runtime on v2. */
int vb_ctr_join_v2(struct vb_instance *in, const struct ctr *c, const struct vb_run_ctx *ctx,
		   char *err, size_t n)
{
	if (c->hybrid) {
		if (vb_cgroup_create(ctx->cgroup_parent, "container", in->cgroup,
				     sizeof(in->cgroup), err, n) ||
		    vb_cgroup_attach(in->cgroup, in->pid, err, n))
			return -1;
	} else {
		snprintf(in->cgroup, sizeof(in->cgroup), "%s%s", vb_cgroup2_root(), c->cgpath);
	}
	in->cgroup_id = vb_cgroup_id(in->cgroup);
	if (!in->cgroup_id) {
		snprintf(err, n, "container cgroup %s: %s", in->cgroup, strerror(errno));
		return -1;
	}
	return 0;
}

void vb_ctr_describe(struct vb_instance *in, const struct ctr *c)
{
	char *argv[] = { (char *)c->rt, "--version", NULL };
	char version[256], err[512];

	if (vb_exec_line(argv, version, sizeof(version), err, sizeof(err)))
		snprintf(version, sizeof(version), "unknown: %.200s", err);
	json_object_set_new(in->info, "runtime", json_string(c->rt));
	json_object_set_new(in->info, "runtime_version", json_string(version));
	json_object_set_new(in->info, "container_id", json_string(c->id));
	json_object_set_new(in->info, "cgroups_path", json_string(c->cgpath));
	json_object_set_new(in->info, "cgroup_layout",
			    json_string(c->hybrid ? "hybrid: limits in the v1 controllers, "
						    "v2 group made by vbench"
						  : "v2"));
}

static int container_start(struct vb_instance *in, const struct vb_run_ctx *ctx,
			   char *err, size_t n)
{
	struct ctr *c = calloc(1, sizeof(*c));
	const char *root = vb_cgroup2_root();
	const char *name = ctx->container_runtime ? ctx->container_runtime : "crun";
	char pidfile[PATH_MAX];
	int sv[2];

	if (!c) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	in->priv = c;
	if (!vb_which(name, c->rt, sizeof(c->rt))) {
		snprintf(err, n, "%s not found", name);
		return -1;
	}
	if (!root || !ctx->cgroup_parent || strncmp(ctx->cgroup_parent, root, strlen(root)) ||
	    !ctx->cgroup_parent[strlen(root)]) {
		snprintf(err, n, "no vbench cgroup to nest the container under");
		return -1;
	}
	c->hybrid = strcmp(vb_cgroup_layout(), "hybrid") == 0;
	c->memory_mb = ctx->memory_mb;
	snprintf(c->parent, sizeof(c->parent), "%s", ctx->cgroup_parent + strlen(root));
	snprintf(c->id, sizeof(c->id), "vbench-%d-container", (int)getpid());
	snprintf(c->log, sizeof(c->log), "%s/container.log", ctx->workdir);
	if (vb_env_scratch(in, ctx, err, n))
		return -1;
	if (strcmp(name, "podman") == 0 || strcmp(name, "docker") == 0) {
		c->engine = 1;
		c->docker = strcmp(name, "docker") == 0;
		return vb_podman_start(in, c, ctx, err, n);
	}
	if ((size_t)snprintf(c->cgpath, sizeof(c->cgpath), "%s/container", c->parent) >=
	    sizeof(c->cgpath)) {
		snprintf(err, n, "cgroup path too long: %s", c->parent);
		return -1;
	}
	snprintf(c->bundle, sizeof(c->bundle), "%s/container-bundle", ctx->workdir);
	snprintf(pidfile, sizeof(pidfile), "%s/container.pid", ctx->workdir);

	struct vb_oci_spec spec = {
		.scratch_host = in->scratch, .cgroups_path = c->cgpath,
		.memory_mb = ctx->memory_mb, .ncpus = ctx->npus,
		.pus = ctx->pus, .npus = ctx->npus,
	};
	if (vb_oci_bundle(c->bundle, ctx->agent_path, &spec, err, n))
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		return -1;
	}
	in->fd = sv[0];
	c->created = 1; /* from here on stop() deletes, even after a half-done create */
	const char *create[] = { "create", "--bundle", c->bundle, "--pid-file", pidfile,
				 c->id, NULL };
	int rc = run_step(c, create, sv[1], err, n);
	close(sv[1]);
	if (rc)
		return -1;
	in->pid = read_pid(pidfile);
	if (in->pid <= 0) {
		snprintf(err, n, "%s create wrote no pid to %s", c->rt, pidfile);
		return -1;
	}
	vb_ctr_describe(in, c);
	if (vb_ctr_join_v2(in, c, ctx, err, n))
		return -1;
	const char *start[] = { "start", c->id, NULL };
	return run_step(c, start, -1, err, n);
}

/* A file holding one number; -1 if unreadable. */
static long long read_number(const char *file)
{
	FILE *f = fopen(file, "re");
	long long v = -1;

	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* "key N" lines as in memory.events (v2) and memory.oom_control (v1); -1 if absent. */
static long long read_key(const char *file, const char *key)
{
	FILE *f = fopen(file, "re");
	char k[64];
	long long v, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (strcmp(k, key) == 0)
			found = v;
	fclose(f);
	return found;
}

/* A file of the container's cgroup in the hierarchy holding `controller`. */
static int cg_file(const struct ctr *c, const char *controller, const char *name,
		   char *f, size_t n)
{
	int len;

	if (c->hybrid)
		len = snprintf(f, n, V1_ROOT "/%s%s/%s", controller, c->cgpath, name);
	else
		len = snprintf(f, n, "%s%s/%s", vb_cgroup2_root(), c->cgpath, name);
	return len > 0 && (size_t)len < n ? 0 : -1;
}

static long long oom_kills(const struct ctr *c)
{
	char f[PATH_MAX];

	if (cg_file(c, "memory", c->hybrid ? "memory.oom_control" : "memory.events", f,
		    sizeof(f)))
		return -1;
	return read_key(f, "oom_kill");
}

static void add_counter(json_t *counters, const char *name, long long v, const char *unit,
			const char *file)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "source", "cgroup", "scope", "host", "name",
			      name);

	if (v >= 0) {
		json_object_set_new(o, "value", json_integer(v));
		json_object_set_new(o, "unit", json_string(unit));
	} else {
		char why[PATH_MAX + 32];

		snprintf(why, sizeof(why), "not readable from %s", file);
		json_object_set_new(o, "unavailable", json_string(why));
	}
	json_array_append_new(counters, o);
}

/*
 * What the limits did over the whole run: CFS throttling (a quota that
 * bites shows up as a CPU slowdown) and the memory high-water mark.
 */
static void container_collect(struct vb_instance *in, json_t *counters)
{
	struct ctr *c = in->priv;
	char f[PATH_MAX];
	long long v;

	if (!c || !c->created || cg_file(c, "cpu", "cpu.stat", f, sizeof(f)))
		return;
	add_counter(counters, "cpu.nr_throttled", read_key(f, "nr_throttled"), "count", f);
	v = read_key(f, c->hybrid ? "throttled_time" : "throttled_usec");
	add_counter(counters, "cpu.throttled_us", v < 0 ? v : c->hybrid ? v / 1000 : v, "us", f);
	if (cg_file(c, "memory", c->hybrid ? "memory.max_usage_in_bytes" : "memory.peak", f,
		    sizeof(f)) == 0)
		add_counter(counters, "memory.peak", read_number(f), "bytes", f);
}

/* The end of the log file as one line, the lines joined with " | ". */
static void file_tail(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size;
	ssize_t r;

	buf[0] = '\0';
	if (fd < 0 || n < 2)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	if (size < 0 || lseek(fd, size > (off_t)n - 1 ? size - (off_t)n + 1 : 0, SEEK_SET) < 0)
		goto out;
	r = read(fd, buf, n - 1);
	buf[r > 0 ? r : 0] = '\0';
	while (r > 0 && buf[r - 1] == '\n')
		buf[--r] = '\0';
	for (ssize_t i = 0; i < r; i++)
		if (buf[i] == '\n')
			buf[i] = '|';
out:
	if (fd >= 0)
		close(fd);
}

static void container_log_tail(struct vb_instance *in, char *buf, size_t n)
{
	struct ctr *c = in->priv;
	char log[768];
	long long ooms;

	buf[0] = '\0';
	if (!c)
		return;
	file_tail(c->log, log, sizeof(log));
	ooms = c->created ? oom_kills(c) : -1;
	if (ooms > 0)
		snprintf(buf, n, "agent killed by the OOM killer (container memory limit "
			 "%lld MiB, oom_kill %lld)%s%s", c->memory_mb, ooms, log[0] ? "; " : "",
			 log);
	else
		snprintf(buf, n, "%s", log);
}

/* 1 while pid runs (a zombie has stopped running); pid is not our child. */
int vb_ctr_running(pid_t pid)
{
	char f[64], stat[256];
	FILE *fp;
	char *p;

	snprintf(f, sizeof(f), "/proc/%d/stat", (int)pid);
	fp = fopen(f, "re");
	if (!fp)
		return 0;
	p = fgets(stat, sizeof(stat), fp) ? strrchr(stat, ')') : NULL;
	fclose(fp);
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/*
 * Each v1 controller's `<vbench cgroup>` with all below it, as the runtime
 * made them: the container's group, and podman's conmon group beside it.
 */
static void remove_v1_groups(const struct ctr *c)
{
	DIR *d;
	struct dirent *e;

	if (!c->parent[0]) /* never a controller's root */
		return;
	d = opendir(V1_ROOT);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char group[PATH_MAX];

		if (e->d_type != DT_DIR || e->d_name[0] == '.' || strcmp(e->d_name, "unified") == 0)
			continue;
		if ((size_t)snprintf(group, sizeof(group), V1_ROOT "/%s%s", e->d_name, c->parent) <
		    sizeof(group))
			vb_cgroup_destroy(group);
	}
	closedir(d);
}

static void container_stop(struct vb_instance *in)
{
	struct ctr *c = in->priv;
	struct timespec step = { 0, 5 * 1000000 };

	if (c && c->engine) {
		vb_podman_stop(in, c);
		if (c->hybrid)
			remove_v1_groups(c);
	} else if (c && c->created) {
		const char *kill_args[] = { "kill", c->id, "KILL", NULL };
		const char *del[] = { "delete", "-f", c->id, NULL };

		/* the core has said bye: give the agent a moment to leave */
		for (int ms = 0; in->pid > 0 && vb_ctr_running(in->pid) && ms < 2000; ms += 5)
			nanosleep(&step, NULL);
		if (in->pid > 0 && vb_ctr_running(in->pid))
			runtime(c, kill_args, -1);
		runtime(c, del, -1);
		if (c->hybrid)
			remove_v1_groups(c);
	}
	in->pid = 0;
	vb_env_cleanup(in);
	if (c && c->bundle[0])
		vb_rmtree(c->bundle);
	free(c);
	in->priv = NULL;
}

const struct vb_backend vb_backend_container = {
	.name = "container",
	.desc = "an OCI container (crun by default): namespaces, cgroup limits, read-only rootfs",
	.traits = { VB_KIND_CONTAINER, VB_ACCEL_NONE, VB_DEV_NATIVE, "bare", NULL, "" },
	.available = container_available,
	.start = container_start,
	.collect = container_collect,
	.log_tail = container_log_tail,
	.stop = container_stop,
};
