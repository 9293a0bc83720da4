/* SPDX-License-Identifier: MIT */
/*
 * The container backend's podman driver: podman, or docker (the same CLI).
 * The image holds what the OCI bundle's rootfs holds (the static agent and
 * mount points), imported once as localhost/vbench-agent:<hash of the
 * agent> and kept: later runs reuse it. `podman run -i --rm` gets the
 * socketpair as stdin/stdout, so the container's stdio is the agent's
 * channel, as with crun. Its init's pid comes from `podman inspect`; on
 * hybrid hosts vbench then moves it into `<vbench cgroup>/<instance>` of the
 * v2 tree (the group probes scope by) while podman applies the limits in
 * the v1 controllers. Every podman command runs through
 * vb_container_spawn, so on hybrid hosts crun, which podman runs, does not
 * see the v2 mount (see container_common.c).
 */
#include "container_common.h"
#include "container_driver.h"
#include "oci.h"
#include "phases.h"
#include "podman_cmd.h"
#include "../../common/clock.h"
#include "../envutil.h"
#include "../exec.h"
#include "../image/fsutil.h"
#include "../image/image.h"
#include "../paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AGENT_MAX (64 << 20)
#define IMAGE_FORMAT "vbench-agent image 1" /* bump when the rootfs layout changes */

struct podman {
	pid_t client;               /* `podman run`, while it runs */
	int docker;                 /* docker: no podman-only flags */
	char image[128];            /* localhost/vbench-agent:<hash of the agent> */
};

/*
 * Run `engine [global flags] args...` to completion through
 * vb_container_spawn and vb_container_wait. 0, or -1 with err.
 */
static int engine(const struct vb_container *c, const struct podman *p, const char *const args[],
		  unsigned timeout_s, int stoppable, char *err, size_t n)
{
	struct vb_podman_cmd cmd;
	char what[64];

	snprintf(what, sizeof(what), "%s %s", c->runtime, args[0]);
	vb_podman_base(&cmd, c->rt, p->docker);
	for (int i = 0; args[i]; i++)
		if (vb_podman_add(&cmd, args[i])) {
			snprintf(err, n, "%s: too many arguments", what);
			return -1;
		}
	return vb_container_wait(vb_container_spawn(c, cmd.argv, -1), what, timeout_s, stoppable,
				 err, n);
}

/* `engine [global flags] args...` with its first stdout line, as vb_exec_line. */
static int engine_line(const char *path, int docker, const char *const args[], char *line,
		       size_t n, char *err, size_t errlen)
{
	struct vb_podman_cmd cmd;

	vb_podman_base(&cmd, path, docker);
	for (int i = 0; args[i]; i++)
		if (vb_podman_add(&cmd, args[i])) {
			snprintf(err, errlen, "%s: too many arguments", path);
			return -1;
		}
	return vb_exec_line((char *const *)cmd.argv, line, n, err, errlen);
}

static int podman_available(const char *name, const char *path, char *why, size_t n)
{
	const int docker = strcmp(name, "docker") == 0;
	const char *info[] = { "info", "--format", "{{.Host.OCIRuntime.Name}}", NULL };
	char line[256], err[512];

	if (docker)
		info[2] = "{{.ServerVersion}}";
	if (geteuid() != 0) {
		snprintf(why, n, "needs root (rootful %s: cgroup limits and a v2 group)", name);
		return 0;
	}
	/* cheap, and it fails with the reason when the engine cannot run (no docker daemon) */
	if (engine_line(path, docker, info, line, sizeof(line), err, sizeof(err))) {
		snprintf(why, n, "%s info fails: %s", name, err);
		return 0;
	}
	return 1;
}

/* Import the agent's rootfs as p->image unless it is there already. */
static int ensure_image(const struct vb_instance *in, const struct vb_container *c,
			const struct vb_run_ctx *ctx, char *err, size_t n)
{
	const struct podman *p = c->priv;
	const char *inspect[] = { "image", "inspect", p->image, NULL };
	char line[256], rootfs[PATH_MAX], tarball[PATH_MAX];
	int rc;

	if (engine_line(c->rt, p->docker, inspect, line, sizeof(line), err, n) == 0)
		return 0;
	snprintf(rootfs, sizeof(rootfs), "%s/%s-rootfs", ctx->workdir, in->name);
	snprintf(tarball, sizeof(tarball), "%s/%s-rootfs.tar", ctx->workdir, in->name);
	char *tar[] = { "tar", "-C", rootfs, "-cf", tarball, ".", NULL };
	const char *import[] = { "import", tarball, p->image, NULL };

	rc = vb_oci_rootfs(rootfs, ctx->agent_path, err, n) ||
	     vb_spawn_wait(tar, NULL, VB_EXEC_UNPACK_TIMEOUT_S, NULL, 0, err, n) ? -1 : 0;
	if (rc == 0 && engine(c, p, import, VB_EXEC_UNPACK_TIMEOUT_S, 1, err, n))
		rc = -1;
	vb_rmtree(rootfs);
	unlink(tarball);
	return rc;
}

/* The container's cgroup below the roots, from /proc/pid/cgroup (v1 memory, else v2). */
static int container_cgroup(pid_t pid, int hybrid, char *path, size_t n)
{
	char f[64], line[PATH_MAX + 64];
	FILE *fp;
	int found = 0;

	snprintf(f, sizeof(f), "/proc/%d/cgroup", (int)pid);
	fp = fopen(f, "re");
	if (!fp)
		return -1;
	while (!found && fgets(line, sizeof(line), fp)) {
		char *ctl = strchr(line, ':'), *p = ctl ? strchr(ctl + 1, ':') : NULL;

		if (!p)
			continue;
		*p++ = '\0';
		p[strcspn(p, "\n")] = '\0';
		if (hybrid ? strcmp(ctl + 1, "memory") == 0 : strcmp(line, "0") == 0)
			found = snprintf(path, n, "%s", p) < (int)n;
	}
	fclose(fp);
	return found ? 0 : -1;
}

/* Poll `inspect` until the container's init runs (or `run` has ended). */
static pid_t wait_init(const struct vb_container *c, struct podman *p, unsigned timeout_ms,
		       char *err, size_t n)
{
	const char *inspect[] = { "inspect", "--format", "{{.State.Pid}}", c->id, NULL };
	struct timespec step = { 0, 20 * 1000000 };
	char line[64], why[512] = "";

	for (unsigned ms = 0; ms < timeout_ms; ms += 20) {
		int status;

		if (waitpid(p->client, &status, WNOHANG) == p->client) {
			p->client = 0;
			snprintf(err, n, "%s run %s ended before its init ran", c->rt, c->id);
			return -1;
		}
		if (engine_line(c->rt, p->docker, inspect, line, sizeof(line), why,
				sizeof(why)) == 0 && atoi(line) > 0)
			return atoi(line);
		nanosleep(&step, NULL);
	}
	snprintf(err, n, "%s inspect %s: no running init after %u ms%s%s", c->rt, c->id,
		 timeout_ms, why[0] ? ": " : "", why);
	return -1;
}

static int podman_start(struct vb_instance *in, struct vb_container *c,
			const struct vb_run_ctx *ctx, int io_fd, char *err, size_t n)
{
	struct podman *p = c->priv;
	unsigned char *agent;
	size_t len;
	double t0 = vb_now_ms();

	p->docker = strcmp(c->runtime, "docker") == 0;
	if (vb_read_file(ctx->agent_path, AGENT_MAX, &agent, &len, err, n))
		return -1;
	snprintf(p->image, sizeof(p->image), "localhost/vbench-agent:%016llx",
		 vb_fnv1a64(vb_fnv1a64(VB_FNV_SEED, IMAGE_FORMAT, sizeof(IMAGE_FORMAT)), agent,
			    len));
	free(agent);
	if (ensure_image(in, c, ctx, err, n))
		return -1;
	in->setup_ms = vb_now_ms() - t0;
	json_object_set_new(in->info, "image", json_string(p->image));
	json_object_set_new(in->info, "image_ms", json_real(in->setup_ms));

	struct vb_oci_spec spec = {
		.scratch_host = in->scratch, .cgroups_path = c->parent,
		.memory_mb = ctx->memory_mb, .ncpus = ctx->npus,
		.pus = ctx->pus, .npus = ctx->npus,
	};
	struct vb_podman_run run = { .engine = c->rt, .docker = p->docker, .name = c->id,
				     .image = p->image, .spec = &spec };
	struct vb_podman_cmd cmd;

	if (vb_podman_run_cmd(&cmd, &run)) {
		snprintf(err, n, "%s run: an argument does not fit", c->rt);
		return -1;
	}
	c->created = 1; /* from here on stop() removes the container */
	t0 = vb_now_ms();
	p->client = vb_container_spawn(c, cmd.argv, io_fd);
	if (p->client < 0) {
		p->client = 0;
		snprintf(err, n, "fork: %s", strerror(errno));
		return -1;
	}
	in->pid = wait_init(c, p, ctx->hello_timeout_ms, err, n);
	if (in->pid <= 0) {
		in->pid = 0;
		return -1;
	}
	/* `run` itself shows no steps: only when `inspect` sees its init running */
	t0 = vb_phase_end(in->info, "run to running init", t0);
	if (container_cgroup(in->pid, c->hybrid, c->cgpath, sizeof(c->cgpath))) {
		snprintf(err, n, "/proc/%d/cgroup: no container cgroup", (int)in->pid);
		return -1;
	}
	/* vbench's own query of the runtime's version: kept out of start-to-hello */
	vb_container_describe(in, c);
	in->setup_ms += vb_now_ms() - t0;
	t0 = vb_now_ms();
	if (vb_container_join_v2(in, c, ctx, err, n))
		return -1;
	vb_phase_end(in->info, "cgroup join", t0);
	return 0;
}

static void podman_stop(struct vb_instance *in, struct vb_container *c)
{
	struct podman *p = c->priv;
	struct timespec step = { 0, 5 * 1000000 };
	char err[512];
	/* podman's rm -f sends SIGTERM first, which the agent as pid 1 ignores: -t 0 */
	const char *rm[] = { "rm", "-f", "-t", "0", c->id, NULL };

	(void)in; /* `run` ends with the container: its client is what to wait for */
	if (!c->created)
		return;
	/* the core has said bye: give the agent a moment to leave, and run --rm to clean up */
	for (int ms = 0; p->client > 0 && ms < 3000; ms += 5) {
		if (waitpid(p->client, NULL, WNOHANG) == p->client)
			p->client = 0;
		else
			nanosleep(&step, NULL);
	}
	/* whatever is left: rm -f kills it at once (SIGKILL) and removes it */
	if (p->docker) /* docker rm -f sends SIGKILL at once and has no -t */
		rm[2] = c->id, rm[3] = NULL;
	/* the clean-up runs on after Ctrl-C: that is when it is needed */
	if (engine(c, p, rm, VB_EXEC_TIMEOUT_S, 0, err, sizeof(err)))
		fprintf(stderr, "vbench: %s\n", err);
	if (p->client > 0)
		vb_env_reap(p->client, 1000);
	p->client = 0;
}

const struct vb_container_driver vb_container_podman = {
	.priv_size = sizeof(struct podman),
	.available = podman_available,
	.start = podman_start,
	.stop = podman_stop,
};
