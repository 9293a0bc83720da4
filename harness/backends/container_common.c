/* SPDX-License-Identifier: MIT */
/*
 * Hybrid cgroup hosts (v1 controllers + a controller-less v2 tree at
 * /sys/fs/cgroup/unified): crun refuses them, so every runtime command
 * (and every podman command: podman runs crun) runs in a private mount
 * namespace without the unified mount. There the runtime applies the
 * limits through the v1 controllers, and vbench itself puts the
 * container's init into `<vbench cgroup>/<instance>` of the v2 tree, which
 * is what the probes scope by. On a pure v2 host the runtime's own group
 * is that group.
 */
#include "container_common.h"
#include "../cgroup.h"
#include "../exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNIFIED "/sys/fs/cgroup/unified"

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

pid_t vb_container_spawn(const struct vb_container *c, const char *const argv[], int io_fd)
{
	pid_t self = getpid(), pid = fork();

	if (pid == 0) {
		int log = open(c->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int io = io_fd >= 0 ? io_fd : null;

		/*
		 * Ctrl-C is vbench's to handle: it stops the container itself.
		 * The runtime's command dies with vbench; the container it
		 * made does not (the death signal is not inherited), and the
		 * next run's sweep kills it through vbench's cgroup.
		 */
		setpgid(0, 0);
		if (vb_exec_die_with(self) || log < 0 || null < 0 || dup2(io, 0) < 0 ||
		    dup2(io, 1) < 0 || dup2(log, 2) < 0)
			_exit(127);
		if (c->hybrid && hide_unified())
			_exit(127);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "vbench: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid); /* as the child does: whichever runs first */
	return pid;
}

int vb_container_wait(pid_t pid, const char *what, unsigned timeout_s, int stoppable,
		      char *err, size_t n)
{
	int status;

	if (pid < 0) {
		snprintf(err, n, "%s: fork: %s", what, strerror(errno));
		return -1;
	}
	if (vb_exec_wait(pid, what, timeout_s, stoppable, &status, err, n))
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, n, "%s: exited with %d (see its log)", what, WEXITSTATUS(status));
	else
		snprintf(err, n, "%s: killed by signal %d", what, WTERMSIG(status));
	return -1;
}

/* The container's cgroup v2 group: made by vbench on hybrid hosts, by the runtime on v2. */
int vb_container_join_v2(struct vb_instance *in, const struct vb_container *c,
			 const struct vb_run_ctx *ctx, char *err, size_t n)
{
	if (c->hybrid) {
		if (vb_cgroup_create(ctx->cgroup_parent, in->name, in->cgroup,
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

int vb_container_version(const char *rt, char *line, size_t n, char *err, size_t errlen)
{
	/* exec's argv is char *const[] for history's sake: nothing writes to it */
	char *argv[] = { (char *)rt, "--version", NULL };

	return vb_exec_line(argv, line, n, err, errlen);
}

void vb_container_describe(struct vb_instance *in, const struct vb_container *c)
{
	char version[256], err[512];

	if (vb_container_version(c->rt, version, sizeof(version), err, sizeof(err)))
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
