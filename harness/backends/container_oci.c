/* SPDX-License-Identifier: MIT */
/*
 * The container backend's OCI runtime driver: crun, or runc, which takes
 * the same bundle and command line. `create` with the socketpair as the
 * container's stdio, then `start`: between the two the container's init
 * exists but has not run, which is when it is moved into its cgroup v2
 * group on hybrid hosts (see container_common.c).
 */
#include "container_common.h"
#include "container_driver.h"
#include "oci.h"
#include "../exec.h"
#include "../paths.h"

#include <stdio.h>
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
 * /dev/null) becomes its stdin and stdout, which `create` hands on to the
 * container; stderr goes to the log. 0, or -1 with err.
 */
static int runtime(const struct vb_container *c, const char *const args[], int io_fd,
		   int stoppable, char *err, size_t n)
{
	const char *argv[8] = { c->rt };
	char what[sizeof(c->id) + 64];

	for (int i = 0; i < 6 && args[i]; i++)
		argv[i + 1] = args[i];
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
	char pidfile[PATH_MAX];

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
	c->created = 1; /* from here on stop() deletes, even after a half-done create */
	const char *create[] = { "create", "--bundle", o->bundle, "--pid-file", pidfile,
				 c->id, NULL };
	if (run_step(c, create, io_fd, err, n))
		return -1;
	in->pid = read_pid(pidfile);
	if (in->pid <= 0) {
		snprintf(err, n, "%s create wrote no pid to %s", c->rt, pidfile);
		return -1;
	}
	vb_container_describe(in, c);
	if (vb_container_join_v2(in, c, ctx, err, n))
		return -1;
	const char *start[] = { "start", c->id, NULL };
	return run_step(c, start, -1, err, n);
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

const struct vb_container_driver vb_container_oci = {
	.priv_size = sizeof(struct oci),
	.available = oci_available,
	.start = oci_start,
	.stop = oci_stop,
};
