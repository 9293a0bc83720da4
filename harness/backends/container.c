/* SPDX-License-Identifier: MIT */
/*
 * container: the agent in a container, run by an OCI runtime (crun, runc:
 * container_oci.c) or by podman or docker (container_podman.c). The driver
 * is chosen once, from --container-runtime. What does not depend on it is
 * here: the checks, the container's id, log and cgroup paths, the agent's
 * channel as the container's stdio, the cgroup counters and log for the
 * results, and on hybrid cgroup hosts (see container_common.c) the groups
 * the runtime made in the v1 controllers.
 */
#include "container_common.h"
#include "container_driver.h"
#include "floor_util.h"
#include "phases.h"
#include "../cgroup.h"
#include "../envutil.h"
#include "../exec.h"
#include "../../common/clock.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define V1_ROOT "/sys/fs/cgroup"

/* What --container-runtime takes, and the driver that runs each. */
static const struct runtime {
	const char *name;
	const char *package;        /* the Debian package that has it */
	const struct vb_container_driver *drv;
} runtimes[] = {
	{ "crun", "crun", &vb_container_oci },
	{ "runc", "runc", &vb_container_oci },
	{ "podman", "podman", &vb_container_podman },
	{ "docker", "docker.io", &vb_container_podman },
};
#define NRUNTIMES (sizeof(runtimes) / sizeof(runtimes[0]))

/* The backend's state: the driver chosen at start and what it runs. */
struct container {
	const struct vb_container_driver *drv;
	struct vb_container c;
};

/*
 * Container instances on a hybrid host: the groups the runtime made in the
 * v1 controllers, under `<vbench cgroup>`, are theirs together, and the
 * last one to stop removes them.
 */
static int v1_instances;

/* The run's runtime, or NULL with the valid ones in err. */
static const struct runtime *find_runtime(const struct vb_run_ctx *ctx, char *err, size_t n)
{
	const char *name = ctx->container_runtime ? ctx->container_runtime : "crun";

	for (size_t i = 0; i < NRUNTIMES; i++)
		if (strcmp(runtimes[i].name, name) == 0)
			return &runtimes[i];
	snprintf(err, n, "unknown container runtime '%s' (", name);
	for (size_t i = 0; i < NRUNTIMES; i++) {
		size_t len = strlen(err);

		snprintf(err + len, n - len, "%s%s", runtimes[i].name,
			 i + 2 < NRUNTIMES ? ", " : i + 1 < NRUNTIMES ? " or " : ")");
	}
	return NULL;
}

static int container_available(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			       char *why, size_t n)
{
	const struct runtime *rt = find_runtime(ctx, why, n);
	const char *layout = vb_cgroup_layout();
	char path[PATH_MAX];

	(void)be;
	if (!rt)
		return 0;
	if (!vb_which(rt->name, path, sizeof(path))) {
		snprintf(why, n, "%s is not installed (Debian package %s)", rt->name, rt->package);
		return 0;
	}
	if (!rt->drv->available(rt->name, path, why, n))
		return 0;
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

/*
 * Fill c for a container named after `instance` (the runtime found, the
 * cgroups, its id) and count it among the v1 users on a hybrid host
 * (release_v1 undoes that). 0 or -1 with err.
 */
static int container_init(struct vb_container *c, const struct runtime *rt,
			  const struct vb_run_ctx *ctx, const char *instance, char *err, size_t n)
{
	const char *root = vb_cgroup2_root();
	char *at;

	c->runtime = rt->name;
	if (!vb_which(rt->name, c->rt, sizeof(c->rt))) {
		snprintf(err, n, "%s not found", rt->name);
		return -1;
	}
	if (!root || !ctx->cgroup_parent || strncmp(ctx->cgroup_parent, root, strlen(root)) ||
	    !ctx->cgroup_parent[strlen(root)]) {
		snprintf(err, n, "no vbench cgroup to nest the container under");
		return -1;
	}
	c->hybrid = strcmp(vb_cgroup_layout(), "hybrid") == 0;
	v1_instances += c->hybrid;
	c->memory_mb = ctx->memory_mb;
	snprintf(c->parent, sizeof(c->parent), "%s", ctx->cgroup_parent + strlen(root));
	/*
	 * The run's cgroup name, which records its owner (harness/debris.h), and
	 * the instance: the next run's sweep finds a dead run's containers by it.
	 * runc and podman take no '@' in names: container@new is
	 * vbench-<pid>-<start>-container-new.
	 */
	snprintf(c->id, sizeof(c->id), "%s-%s", c->parent + 1, instance);
	at = strchr(c->id, '@');
	if (at)
		*at = '-';
	return 0;
}

static int container_start(struct vb_instance *in, const struct vb_run_ctx *ctx,
			   char *err, size_t n)
{
	const struct runtime *rt = find_runtime(ctx, err, n);
	struct container *ct = calloc(1, sizeof(*ct));
	struct vb_container *c;
	int sv[2], rc;
	double t;

	if (!ct) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	in->priv = ct;
	if (!rt)
		return -1;
	c = &ct->c;
	c->priv = calloc(1, rt->drv->priv_size);
	if (!c->priv) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	ct->drv = rt->drv;
	if (container_init(c, rt, ctx, in->name, err, n))
		return -1;
	snprintf(c->log, sizeof(c->log), "%s/%s.log", ctx->workdir, in->name);
	t = vb_now_ms();
	if (vb_env_scratch(in, ctx, err, n))
		return -1;
	vb_phase_end(in->info, "scratch image", t);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		return -1;
	}
	in->fd = sv[0];
	rc = ct->drv->start(in, c, ctx, sv[1], err, n);
	close(sv[1]);
	return rc;
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
static int cg_file(const struct vb_container *c, const char *controller, const char *name,
		   char *f, size_t n)
{
	int len;

	if (c->hybrid)
		len = snprintf(f, n, V1_ROOT "/%s%s/%s", controller, c->cgpath, name);
	else
		len = snprintf(f, n, "%s%s/%s", vb_cgroup2_root(), c->cgpath, name);
	return len > 0 && (size_t)len < n ? 0 : -1;
}

static long long oom_kills(const struct vb_container *c)
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
	struct container *ct = in->priv;
	const struct vb_container *c = ct ? &ct->c : NULL;
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

static void container_log_tail(struct vb_instance *in, char *buf, size_t n)
{
	struct container *ct = in->priv;
	const struct vb_container *c = ct ? &ct->c : NULL;
	long long ooms;
	int len = 0;

	buf[0] = '\0';
	if (!c || !c->log[0]) /* no log yet */
		return;
	ooms = c->created ? oom_kills(c) : -1;
	if (ooms > 0)
		len = snprintf(buf, n, "agent killed by the OOM killer (container memory limit "
			       "%lld MiB, oom_kill %lld)", c->memory_mb, ooms);
	/* the log holds the runtime's stderr and the agent's: named after the runtime */
	vb_env_log_tail(c->log, c->runtime, buf, n, len > 0 ? (size_t)len : 0);
}

/*
 * Each v1 controller's `<vbench cgroup>` with all below it, as the runtime
 * made them: the containers' groups, and podman's conmon group beside them.
 */
static void remove_v1_groups(const struct vb_container *c)
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

/* The end of c's use of the v1 groups (container_init): the last one removes them. */
static void release_v1(const struct vb_container *c)
{
	if (c->hybrid && --v1_instances == 0)
		remove_v1_groups(c);
}

static void container_stop(struct vb_instance *in)
{
	struct container *ct = in->priv;

	if (ct) {
		if (ct->drv)
			ct->drv->stop(in, &ct->c);
		release_v1(&ct->c);
		free(ct->c.priv);
	}
	in->pid = 0;
	vb_env_cleanup(in);
	free(ct);
	in->priv = NULL;
}

/* The driver's floor, on a container of its own beside the instances. */
static int container_floor(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			   double *ms, char *what, size_t n)
{
	const struct runtime *rt = find_runtime(ctx, what, n);
	struct vb_container c = { .created = 0 };
	int rc;

	(void)be;
	if (!rt)
		return -1;
	if (!rt->drv->floor) {
		snprintf(what, n,
			 "the floor is defined for an OCI runtime (crun, runc), not for %s",
			 rt->name);
		return 1;
	}
	if (vb_floor_payload(ctx, what, n))
		return -1;
	/* "floor": no instance has that name, so neither id nor cgroup can collide */
	rc = container_init(&c, rt, ctx, "floor", what, n);
	if (rc == 0)
		rc = rt->drv->floor(&c, ctx, ms, what, n);
	release_v1(&c);
	return rc;
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
	.floor = container_floor,
};
