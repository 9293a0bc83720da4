/* SPDX-License-Identifier: MIT */
/*
 * The container backend's OCI runtime driver: crun, or runc, which takes
 * the same bundle and command line. One `run --detach` with the
 * socketpair as the container's stdio, as the floor's `crun run` is one
 * invocation; on hybrid hosts the init is then moved into its cgroup v2
 * group (see container_common.c), before start returns: nothing is asked
 * of the agent, so nothing it measures or forks, until then.
 */
#include "container_common.h"
#include "container_driver.h"
#include "floor_util.h"
#include "oci.h"
#include "phases.h"
#include "../envutil.h"
#include "../exec.h"
#include "../paths.h"
#include "../../common/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct oci {
	char bundle[PATH_MAX];
};

static int oci_available(const char *name, const char *path, char *why, size_t n)
{
	char line[256], err[512];

	if (vb_container_version(path, line, sizeof(line), err, sizeof(err))) {
		snprintf(why, n, "%s --version fails: %s", path, err);
		return 0;
	}
	if (geteuid() != 0) {
		snprintf(why, n, "needs root (cgroups and namespaces for %s)", name);
		return 0;
	}
	return 1;
}

/*
 * Run `runtime args...` to completion (see vb_container_wait). io_fd (or
 * /dev/null) becomes its stdin and stdout, which `run` hands on to the
 * container; stderr goes to the log. 0, or -1 with err.
 */
static int runtime(const struct vb_container *c, const char *const args[], int io_fd,
		   int stoppable, char *err, size_t n)
{
	const char *argv[10] = { c->rt };
	char what[sizeof(c->id) + 64];
	size_t i;

	/* the runtime, the args, the NULL: one more refused, never dropped */
	for (i = 0; args[i]; i++) {
		if (i + 2 >= sizeof(argv) / sizeof(argv[0])) {
			snprintf(err, n, "%s %s: more arguments than vbench passes", c->runtime,
				 args[0]);
			return -1;
		}
		argv[i + 1] = args[i];
	}
	snprintf(what, sizeof(what), "%s %s %s", c->runtime, args[0], c->id);
	return vb_container_wait(vb_container_spawn(c, argv, io_fd), what, VB_EXEC_TIMEOUT_S,
				 stoppable, err, n);
}

/* A step of the start: Ctrl-C stops it. */
static int run_step(const struct vb_container *c, const char *const args[], int io_fd,
		    char *err, size_t n)
{
	return runtime(c, args, io_fd, 1, err, n);
}

/* A step of the clean-up: runs on after Ctrl-C (that is when it is needed), bounded. */
static void clean_step(const struct vb_container *c, const char *const args[])
{
	char err[512];

	if (runtime(c, args, -1, 0, err, sizeof(err)))
		fprintf(stderr, "vbench: %s\n", err);
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

static int oci_start(struct vb_instance *in, struct vb_container *c,
		     const struct vb_run_ctx *ctx, int io_fd, char *err, size_t n)
{
	struct oci *o = c->priv;
	char pidfile[PATH_MAX], rootfs[PATH_MAX + 8];
	double t = vb_now_ms();

	if ((size_t)snprintf(c->cgpath, sizeof(c->cgpath), "%s/%s", c->parent, in->name) >=
	    sizeof(c->cgpath)) {
		snprintf(err, n, "cgroup path too long: %s", c->parent);
		return -1;
	}
	snprintf(o->bundle, sizeof(o->bundle), "%s/%s-bundle", ctx->workdir, in->name);
	snprintf(pidfile, sizeof(pidfile), "%s/%s.pid", ctx->workdir, in->name);

	struct vb_oci_spec spec = {
		.scratch_host = in->scratch, .cgroups_path = c->cgpath,
		.memory_mb = ctx->memory_mb, .ncpus = ctx->npus,
		.pus = ctx->pus, .npus = ctx->npus,
	};
	if (vb_oci_bundle(o->bundle, ctx->agent_path, &spec, err, n))
		return -1;
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", o->bundle);
	json_object_set_new(in->info, "disk", json_pack("{s:s}", "rootfs", rootfs));
	vb_container_describe(in, c);
	/*
	 * The bundle and the runtime's --version are vbench's preparation, as
	 * a VM's image build is: kept out of start-to-hello (setup_ms), which
	 * life.start holds against `crun run` of a ready bundle.
	 */
	in->setup_ms += vb_now_ms() - t;
	t = vb_now_ms();
	c->created = 1; /* from here on stop() deletes, even after a half-done run */
	const char *run[] = { "run", "--detach", "--bundle", o->bundle, "--pid-file", pidfile,
			      c->id, NULL };
	if (run_step(c, run, io_fd, err, n))
		return -1;
	in->pid = read_pid(pidfile);
	if (in->pid <= 0) {
		snprintf(err, n, "%s run wrote no pid to %s", c->rt, pidfile);
		return -1;
	}
	t = vb_phase_end(in->info, "runtime run", t);
	if (vb_container_join_v2(in, c, ctx, err, n))
		return -1;
	vb_phase_end(in->info, "cgroup join", t);
	return 0;
}

/* 1 while pid runs (a zombie has stopped running); pid is not our child. */
static int running(pid_t pid)
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

static void oci_stop(struct vb_instance *in, struct vb_container *c)
{
	struct oci *o = c->priv;
	struct timespec step = { 0, 5 * 1000000 };

	if (c->created) {
		const char *kill_args[] = { "kill", c->id, "KILL", NULL };
		const char *del[] = { "delete", "-f", c->id, NULL };

		/* the core has said bye: give the agent a moment to leave */
		for (int ms = 0; in->pid > 0 && running(in->pid) && ms < 2000; ms += 5)
			nanosleep(&step, NULL);
		if (in->pid > 0 && running(in->pid))
			clean_step(c, kill_args);
		clean_step(c, del);
	}
	if (o->bundle[0])
		vb_rmtree(o->bundle);
}

/* `<runtime> run`, the floor's container, with out as its stdin and stdout. */
struct floor_run {
	const struct vb_container *c;
	const char *const *argv;
	int out;
};

static pid_t spawn_run(void *arg)
{
	const struct floor_run *r = arg;

	return vb_container_spawn(r->c, r->argv, r->out);
}

/* Run the floor's bundle, made in dir, to the payload's line on a pipe. */
static int run_floor(struct vb_container *c, const struct vb_run_ctx *ctx, const char *dir,
		     double *ms, char *err, size_t n)
{
	char bundle[PATH_MAX], what[64];
	struct vb_oci_spec spec = {
		.floor = 1, .cgroups_path = c->cgpath, .memory_mb = ctx->memory_mb,
		.ncpus = ctx->npus, .pus = ctx->pus, .npus = ctx->npus,
	};
	const char *argv[] = { c->rt, "run", "--bundle", bundle, c->id, NULL };
	struct floor_run r = { .c = c, .argv = argv };
	int p[2];

	snprintf(bundle, sizeof(bundle), "%.4000s/bundle", dir);
	if (vb_oci_bundle(bundle, ctx->floor_hello, &spec, err, n))
		return -1;
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(err, n, "pipe: %s", strerror(errno));
		return -1;
	}
	r.out = p[1];
	snprintf(what, sizeof(what), "%s run", c->runtime);
	struct vb_floor_launch l = { .what = what, .spawn = spawn_run, .arg = &r, .rfd = p[0],
				     .wfd = p[1], .timeout_ms = ctx->hello_timeout_ms };
	int rc = vb_floor_time(&l, ms, err, n);

	close(p[0]);
	if (rc)
		vb_env_log_tail(c->log, c->runtime, err, n, strlen(err));
	return rc;
}

/*
 * The floor: `<runtime> run` of the static hello-world in a bundle of its
 * own, with the instances' config but for the process and the scratch
 * image, in a private dir; then a defensive `delete -f` (run deletes the
 * container as it ends) and the dir removed.
 */
static int oci_floor(struct vb_container *c, const struct vb_run_ctx *ctx, double *ms,
		     char *err, size_t n)
{
	const char *del[] = { "delete", "-f", c->id, NULL };
	char dir[PATH_MAX], quiet[512];
	int rc;

	snprintf(dir, sizeof(dir), "%.4000s/container-floor.XXXXXX", ctx->workdir);
	if (!mkdtemp(dir)) {
		snprintf(err, n, "mkdtemp %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(c->log, sizeof(c->log), "%.4000s/%.32s.log", dir, c->runtime);
	snprintf(c->cgpath, sizeof(c->cgpath), "%.4000s/floor", c->parent);
	rc = run_floor(c, ctx, dir, ms, err, n);
	/* it fails when run has deleted the container, as it should have: not news */
	runtime(c, del, -1, 0, quiet, sizeof(quiet));
	vb_rmtree(dir);
	if (rc == 0)
		snprintf(err, n, "%s run of a static hello-world", c->runtime);
	return rc;
}

const struct vb_container_driver vb_container_oci = {
	.priv_size = sizeof(struct oci),
	.available = oci_available,
	.start = oci_start,
	.stop = oci_stop,
	.floor = oci_floor,
};
