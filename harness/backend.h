/* SPDX-License-Identifier: MIT */
/*
 * A backend starts vbench-agent inside one kind of environment and hands
 * the core a byte channel to it, the host-side identity of what it started
 * (pid, cgroup) and a way to stop it. Like fio's ioengine_ops: one const
 * struct of callbacks per backend, listed once in harness/backends/list.h;
 * the core never knows backend details.
 */
#ifndef VB_BACKEND_H
#define VB_BACKEND_H

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/proto.h"
#include "../common/traits.h"

#define VB_MAX_PUS 64
#define VB_INSTANCE_NAME_MAX 64

/* Everything a backend may need from the run's options. */
struct vb_image_file;

struct vb_run_ctx {
	const char *agent_path;     /* the static vbench-agent */
	const char *floor_hello;    /* the static vbench-floor-hello (floor()'s payload), or NULL */
	const char *workdir;        /* per-run private dir, removed at the end */
	const char *cache_dir;      /* guest images, kept across runs (NULL: vb_cache_dir) */
	const char *cgroup_parent;  /* vbench's own cgroup v2 dir, "" if none */
	int pus[VB_MAX_PUS];        /* OS indexes of the PUs environments use */
	int npus;
	long long memory_mb;        /* memory limit / guest RAM, 0: default */
	long long scratch_mib;      /* size of each I/O scratch image */
	/*
	 * The run's one I/O scratch image, which every instance measured in its
	 * rounds uses, or NULL: each instance makes its own. The host serves
	 * some files' blocks faster than others for a whole run (docs/report.md),
	 * so instances given files of their own differ by their files.
	 */
	const char *scratch;
	const char *container_runtime; /* crun (default), runc, podman, docker */
	const char *kernel;         /* guest kernel override, or NULL */
	const char *modules;        /* its modules dir, or NULL */
	const char *qemu;           /* QEMU binary, NULL: qemu-system-x86_64 on PATH */
	const char *cpu_model;      /* QEMU -cpu, NULL: the variant's */
	const char *qemu_args;      /* extra QEMU arguments, space-separated, or NULL */
	unsigned hello_timeout_ms;
	int verbose;
	/* files a VM image carries besides agent and modules (the lab's L1), or NULL */
	const struct vb_image_file *image_extra;
	size_t nimage_extra;
};

struct vb_instance {
	const struct vb_backend *be;
	/* "type2", or "type2@new" where a backend runs twice: names its files and group */
	char name[VB_INSTANCE_NAME_MAX];
	const char *tag;            /* the part after '@' in name, "" if none */
	int fd;                     /* channel to the agent, both ways */
	pid_t pid;                  /* host pid of what the backend started */
	char cgroup[PATH_MAX];      /* cgroup v2 dir holding it, "" if none */
	uint64_t cgroup_id;         /* its id, for eBPF scoping; 0 if none */
	char scratch[PATH_MAX];     /* host path of its I/O scratch image */
	int scratch_own;            /* made for it alone (removed when it stops) */
	double start_ms;            /* start to hello, ms, less setup_ms */
	double setup_ms;            /* start()'s preparation (image builds), ms */
	json_t *hello;              /* the agent's hello message */
	json_t *info;               /* backend facts for the results (owned) */
	int dead;                   /* stopped answering: no more requests */
	long long next_id;
	struct vb_linebuf *lb;      /* reader over fd */
	void *priv;                 /* backend state */
};

struct vb_backend {
	const char *name;
	const char *desc;
	struct vb_traits traits;    /* what the reports compare it by */
	/* 1 when it can run here, else 0 with the reason in why. */
	int (*available)(const struct vb_backend *be, const struct vb_run_ctx *ctx, char *why,
			 size_t n);
	/*
	 * Start the environment running the agent; set in->fd and in->pid
	 * (and cgroup, scratch, info). The core then waits for hello.
	 * Returns 0 or -1 with err set; stop() is called either way.
	 * What start() can see of itself goes in in->info: "phases", its
	 * steps in order as [{"name", "ms"}] (vb_phase_end), and "disk",
	 * {"<role>": "<path>"} of the files and directories that make up the
	 * instance's image ("kernel", "initramfs", "rootfs", "agent").
	 */
	int (*start)(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		     size_t n);
	/* Counters the backend collects from outside at the end (QMP); may be NULL. */
	void (*collect)(struct vb_instance *in, json_t *counters);
	/* The end of its console or error log, for reports of failure; may be NULL. */
	void (*log_tail)(struct vb_instance *in, char *buf, size_t n);
	/*
	 * Stop it and remove all it created. Safe after a failed or partial
	 * start and on the Ctrl-C path; idempotent.
	 */
	void (*stop)(struct vb_instance *in);
	/*
	 * The floor: one launch of the smallest payload this kind of
	 * environment can start (ctx->floor_hello, which prints one line and
	 * ends), timed from launch to that line, to compare start() against.
	 * 0 with *ms and what it ran in `what` ("crun run of a static
	 * hello-world"); 1 with why in `what` when this backend has no floor
	 * here; -1 with why on failure or when the run is told to stop.
	 * Leaves nothing behind, also then. May be NULL: no floor.
	 */
	int (*floor)(const struct vb_backend *be, const struct vb_run_ctx *ctx, double *ms,
		     char *what, size_t n);
};

/* The registry, generated from harness/backends/list.h. */
extern const struct vb_backend *const vb_backends[];
extern const size_t vb_nbackends;
const struct vb_backend *vb_backend_find(const char *name);

/*
 * The core's side of an instance (harness/instance.c). name is the
 * backend's name, or "<backend>@<tag>" for a second instance of it.
 * Returns 0, -1 with err when it failed, or 1 with err when a signal cut
 * the wait for the agent's hello (the run is stopping).
 */
int vb_instance_start(struct vb_instance *in, const struct vb_backend *be, const char *name,
		      const struct vb_run_ctx *ctx, char *err, size_t n);
/*
 * Send req (an "id" is added) and wait up to timeout_ms for the reply with
 * that id. Lines that are not valid protocol are counted and skipped;
 * returns the reply, or NULL with err set (timeout, channel closed, too
 * much garbage): the instance is then marked dead. A line over
 * VB_LINE_MAX fails the request at once and the instance goes on.
 */
json_t *vb_instance_request(struct vb_instance *in, json_t *req, unsigned timeout_ms,
			    char *err, size_t n);
/*
 * Continue the last request's exchange: send msg (NULL: nothing) with the
 * same id and wait for the next message carrying it, as above.
 */
json_t *vb_instance_exchange(struct vb_instance *in, json_t *msg, unsigned timeout_ms,
			     char *err, size_t n);
/*
 * As vb_instance_exchange, but a timeout or a signal is not the end: NULL
 * with *passing set, the instance still alive (the emulated lab follows
 * a nested run for minutes and may tell it to stop). Other failures are.
 */
json_t *vb_instance_wait(struct vb_instance *in, json_t *msg, unsigned timeout_ms,
			 int *passing, char *err, size_t n);
void vb_instance_stop(struct vb_instance *in);

#endif
