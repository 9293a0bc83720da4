/* SPDX-License-Identifier: MIT */
/*
 * The container backend with podman (or docker: the same CLI) as engine.
 * The image holds what the OCI bundle's rootfs holds (the static agent and
 * mount points), imported once as localhost/vbench-agent:<hash of the
 * agent> and kept: later runs reuse it. `podman run -i --rm` gets the
 * socketpair as stdin/stdout, so the container's stdio is the agent's
 * channel, as with crun. Its init's pid comes from `podman inspect`; on
 * hybrid hosts vbench then moves it into `<vbench cgroup>/container` of the
 * v2 tree (the group probes scope by) while podman applies the limits in
 * the v1 controllers. Every podman command runs through vb_ctr_spawn, so
 * on hybrid hosts crun, which podman runs, does not see the v2 mount.
 */
#include "container.h"

#include "../cgroup.h"
#include "../envutil.h"
#include "../exec.h"
#include "../image/fsutil.h"
#include "../image/image.h"
#include "oci.h"
#include "../paths.h"
#include "podman_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AGENT_MAX (64 << 20)
#define IMAGE_FORMAT "vbench-agent image 1" /* bump when the rootfs layout changes */

struct engine_priv {
	char image[128];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run `engine [global flags] args...` to completion through vb_ctr_spawn. */
static int engine(const struct ctr *c, const char *const args[])
{
	struct vb_podman_cmd cmd;

	vb_podman_base(&cmd, c->rt, c->docker);
	for (int i = 0; args[i]; i++)
		if (vb_podman_add(&cmd, args[i]))
			return -1;
	return vb_ctr_wait(vb_ctr_spawn(c, cmd.argv, -1));
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

int vb_podman_available(const char *name, const struct vb_run_ctx *ctx, char *why, size_t n)
{
	const int docker = strcmp(name, "docker") == 0;
	const char *info[] = { "info", "--format", "{{.Host.OCIRuntime.Name}}", NULL };
	char path[PATH_MAX], line[256], err[512];

	if (docker)
		info[2] = "{{.ServerVersion}}";
	if (!vb_which(name, path, sizeof(path))) {
		snprintf(why, n, "%s is not installed (Debian package %s)", name,
			 docker ? "docker.io" : name);
		return 0;
	}
	if (geteuid() != 0) {
		snprintf(why, n, "needs root (rootful %s: cgroup limits and a v2 group)", name);
		return 0;
	}
	/* cheap, and it fails with the reason when the engine cannot run (no docker daemon) */
	if (engine_line(path, docker, info, line, sizeof(line), err, sizeof(err))) {
		snprintf(why, n, "%s info fails: %s", name, err);
		return 0;
	}
	if (strcmp(vb_cgroup_layout(), "v2") && strcmp(vb_cgroup_layout(), "hybrid")) {
		snprintf(why, n, "cgroup layout '%s' not supported (needs cgroup v2 or hybrid)",
			 vb_cgroup_layout());
		return 0;
	}
	if (access(ctx->agent_path, X_OK)) {
		snprintf(why, n, "agent %s: %s", ctx->agent_path, strerror(errno));
		return 0;
	}
	return 1;
}

/* Import the agent's rootfs as `image` unless it is there already. */
static int ensure_image(const struct ctr *c, const struct vb_run_ctx *ctx, const char *image,
			char *err, size_t n)
{
	const char *inspect[] = { "image", "inspect", image, NULL };
	char line[256], rootfs[PATH_MAX], tarball[PATH_MAX];
	int rc;

	if (engine_line(c->rt, c->docker, inspect, line, sizeof(line), err, n) == 0)
		return 0;
	snprintf(rootfs, sizeof(rootfs), "%s/container-rootfs", ctx->workdir);
	snprintf(tarball, sizeof(tarball), "%s/container-rootfs.tar", ctx->workdir);
	char *tar[] = { "tar", "-C", rootfs, "-cf", tarball, ".", NULL };
	const char *import[] = { "import", tarball, image, NULL };

	rc = vb_oci_rootfs(rootfs, ctx->agent_path, err, n) ||
	     vb_spawn_wait(tar, NULL, NULL, 0, err, n) ? -1 : 0;
	if (rc == 0 && engine(c, import)) {
		snprintf(err, n, "%s import %s failed (see its log)", c->rt, image);
		rc = -1;
	}
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
static pid_t wait_init(const struct ctr *c, unsigned timeout_ms, char *err, size_t n)
{
	const char *inspect[] = { "inspect", "--format", "{{.State.Pid}}", c->id, NULL };
	struct timespec step = { 0, 20 * 1000000 };
	char line[64], why[512] = "";

	for (unsigned ms = 0; ms < timeout_ms; ms += 20) {
		int status;

		if (waitpid(c->client, &status, WNOHANG) == c->client) {
			((struct ctr *)c)->client = 0;
			snprintf(err, n, "%s run %s ended before its init ran", c->rt, c->id);
			return -1;
		}
		if (engine_line(c->rt, c->docker, inspect, line, sizeof(line), why,
				sizeof(why)) == 0 && atoi(line) > 0)
			return atoi(line);
		nanosleep(&step, NULL);
	}
	snprintf(err, n, "%s inspect %s: no running init after %u ms%s%s", c->rt, c->id,
		 timeout_ms, why[0] ? ": " : "", why);
	return -1;
}

int vb_podman_start(struct vb_instance *in, struct ctr *c, const struct vb_run_ctx *ctx,
		    char *err, size_t n)
{
	unsigned char *agent;
	size_t len;
	char image[128];
	double t0 = now_ms();
	int sv[2];

	if (vb_read_file(ctx->agent_path, AGENT_MAX, &agent, &len, err, n))
		return -1;
	snprintf(image, sizeof(image), "localhost/vbench-agent:%016llx",
		 vb_fnv1a64(vb_fnv1a64(VB_FNV_SEED, IMAGE_FORMAT, sizeof(IMAGE_FORMAT)), agent,
			    len));
	free(agent);
	if (ensure_image(c, ctx, image, err, n))
		return -1;
	in->setup_ms = now_ms() - t0;
	json_object_set_new(in->info, "image", json_string(image));
	json_object_set_new(in->info, "image_ms", json_real(in->setup_ms));

	struct vb_oci_spec spec = {
		.scratch_host = in->scratch, .cgroups_path = c->parent,
		.memory_mb = ctx->memory_mb, .ncpus = ctx->npus,
		.pus = ctx->pus, .npus = ctx->npus,
	};
	struct vb_podman_run run = { .engine = c->rt, .docker = c->docker, .name = c->id,
				     .image = image, .spec = &spec };
	struct vb_podman_cmd cmd;

	if (vb_podman_run_cmd(&cmd, &run)) {
		snprintf(err, n, "%s run: an argument does not fit", c->rt);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		return -1;
	}
	in->fd = sv[0];
	c->created = 1; /* from here on stop() removes the container */
	c->client = vb_ctr_spawn(c, cmd.argv, sv[1]);
	close(sv[1]);
	if (c->client < 0) {
		c->client = 0;
		snprintf(err, n, "fork: %s", strerror(errno));
		return -1;
	}
	in->pid = wait_init(c, ctx->hello_timeout_ms, err, n);
	if (in->pid <= 0) {
		in->pid = 0;
		return -1;
	}
	if (container_cgroup(in->pid, c->hybrid, c->cgpath, sizeof(c->cgpath))) {
		snprintf(err, n, "/proc/%d/cgroup: no container cgroup", (int)in->pid);
		return -1;
	}
	vb_ctr_describe(in, c);
	return vb_ctr_join_v2(in, c, ctx, err, n);
}

void vb_podman_stop(struct vb_instance *in, struct ctr *c)
{
	struct timespec step = { 0, 5 * 1000000 };
	/* podman's rm -f sends SIGTERM first, which the agent as pid 1 ignores: -t 0 */
	const char *rm[] = { "rm", "-f", "-t", "0", c->id, NULL };

	if (!c->created)
		return;
	/* the core has said bye: give the agent a moment to leave, and run --rm to clean up */
	for (int ms = 0; c->client > 0 && ms < 3000; ms += 5) {
		if (waitpid(c->client, NULL, WNOHANG) == c->client)
			c->client = 0;
		else
			nanosleep(&step, NULL);
	}
	/* whatever is left: rm -f kills it at once (SIGKILL) and removes it */
	if (c->docker) /* docker rm -f sends SIGKILL at once and has no -t */
		rm[2] = c->id, rm[3] = NULL;
	engine(c, rm);
	if (c->client > 0)
		vb_env_reap(c->client, 1000);
	c->client = 0;
	in->pid = 0;
}
