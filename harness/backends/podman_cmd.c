/* SPDX-License-Identifier: MIT */
#include "podman_cmd.h"

#include <stdio.h>
#include <string.h>

/*
 * Every podman-only flag vbench passes, in one place, and why:
 * - cgroupfs: no systemd runs here (nor in most CI containers) to ask for
 *   cgroups, so podman writes them itself.
 * - events in a file: the default backend is journald, which needs systemd.
 * The OCI runtime stays podman's default (crun); on hybrid cgroup hosts
 * every podman command runs where crun accepts them (container_common.c).
 */
static const char *const podman_global[] = {
	"--cgroup-manager=cgroupfs",
	"--events-backend=file",
};

/*
 * Per container (podman only):
 * - rlimits: rootful podman raises nofile and nproc to its own maxima,
 *   which needs CAP_SYS_RESOURCE (absent when vbench runs in a container
 *   itself: crun then fails with "setrlimit ... Operation not permitted").
 *   Lowering always works; the agent uses a few files and threads.
 * - no pids limit: the OCI bundle has none either (podman's default is 2048).
 * - no log driver: the container's stdout is the agent channel, which
 *   conmon would otherwise also copy to a log file.
 */
static const char *const podman_run[] = {
	"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096",
	"--pids-limit", "-1", "--log-driver", "none",
};

int vb_podman_add(struct vb_podman_cmd *c, const char *arg)
{
	if (c->argc < 0 || c->argc >= VB_PODMAN_ARGV_MAX - 1) {
		c->argc = -1;
		return -1;
	}
	c->argv[c->argc++] = arg;
	c->argv[c->argc] = NULL;
	return 0;
}

static int add_all(struct vb_podman_cmd *c, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vb_podman_add(c, v[i]))
			return -1;
	return 0;
}

#define ADD_ALL(c, v) add_all(c, v, sizeof(v) / sizeof(v[0]))

void vb_podman_base(struct vb_podman_cmd *c, const char *engine, int docker)
{
	c->argc = 0;
	vb_podman_add(c, engine);
	if (!docker)
		ADD_ALL(c, podman_global);
}

static int fits(int len, size_t n)
{
	return len > 0 && (size_t)len < n;
}

int vb_podman_run_cmd(struct vb_podman_cmd *c, const struct vb_podman_run *r)
{
	const struct vb_oci_spec *s = r->spec;
	const char *run[] = { "run", "-i", "--rm", "--name", r->name, "--network", "none",
			      "--read-only", "--hostname", "vbench", "-e", "container=oci" };
	const char *agent[] = { r->image, VB_OCI_AGENT, "--role", "container", "--scratch",
				VB_OCI_SCRATCH };

	vb_podman_base(c, r->engine, r->docker);
	if (ADD_ALL(c, run) || (!r->docker && ADD_ALL(c, podman_run)))
		return -1;
	if (s->memory_mb > 0) {
		/* memory-swap is memory+swap: equal to the limit means no swap on top */
		if (!fits(snprintf(c->memory, sizeof(c->memory), "%lldm", s->memory_mb),
			  sizeof(c->memory)) ||
		    vb_podman_add(c, "--memory") || vb_podman_add(c, c->memory) ||
		    vb_podman_add(c, "--memory-swap") || vb_podman_add(c, c->memory))
			return -1;
	}
	if (s->ncpus > 0 && (!fits(snprintf(c->cpus, sizeof(c->cpus), "%d", s->ncpus),
				   sizeof(c->cpus)) ||
			     vb_podman_add(c, "--cpus") || vb_podman_add(c, c->cpus)))
		return -1;
	if (s->npus > 0) {
		vb_oci_cpuset(s->pus, s->npus, c->cpuset, sizeof(c->cpuset));
		if (vb_podman_add(c, "--cpuset-cpus") || vb_podman_add(c, c->cpuset))
			return -1;
	}
	if (s->cgroups_path && s->cgroups_path[0] &&
	    (vb_podman_add(c, "--cgroup-parent") || vb_podman_add(c, s->cgroups_path)))
		return -1;
	if (!fits(snprintf(c->volume, sizeof(c->volume), "%s:%s:rw", s->scratch_host,
			   VB_OCI_SCRATCH), sizeof(c->volume)) ||
	    vb_podman_add(c, "-v") || vb_podman_add(c, c->volume))
		return -1;
	return ADD_ALL(c, agent);
}
