/* SPDX-License-Identifier: MIT */
/*
 * VM backends: QEMU booting the cached guest image (vmlinux + initramfs
 * whose /init is the agent). The channel and the QMP monitor are socket
 * pairs QEMU inherits (chardev socket,fd=N): no paths, no connect race.
 */
#include "qemu.h"
#include "../backend.h"
#include "../envutil.h"
#include "../exec.h"
#include "../paths.h"
#include "../pin.h"
#include "../qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QMP_TIMEOUT_MS 10000
#define CHAN_FD 3 /* where QEMU finds its ends: fixed, so command lines compare */
#define QMP_FD 4
#define DEFAULT_MEM_MB 1024

struct qemu_priv {
	const struct vb_qemu_variant *v;
	char dir[PATH_MAX];      /* the instance's files in the workdir */
	char console[PATH_MAX];
	char qemu_log[PATH_MAX]; /* QEMU's own stderr */
	struct vb_qmp qmp;
	int qmp_fd;
};

static const struct vb_qemu_variant *variant_of(const struct vb_backend *be);

static int kvm_usable(char *why, size_t n)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), api;

	if (fd < 0) {
		snprintf(why, n, "no usable /dev/kvm: %s", strerror(errno));
		return 0;
	}
	api = ioctl(fd, KVM_GET_API_VERSION, 0);
	close(fd);
	if (api != KVM_API_VERSION) {
		snprintf(why, n, "/dev/kvm answers API version %d, not %d", api, KVM_API_VERSION);
		return 0;
	}
	return 1;
}

static int qemu_available(const struct vb_run_ctx *ctx, const struct vb_qemu_variant *v,
			  char *why, size_t n)
{
	char path[PATH_MAX];

	if (!vb_which("qemu-system-x86_64", path, sizeof(path))) {
		snprintf(why, n, "qemu-system-x86_64 not found (Debian package qemu-system-x86)");
		return 0;
	}
	if (access(ctx->agent_path, R_OK)) {
		snprintf(why, n, "agent %s: %s", ctx->agent_path, strerror(errno));
		return 0;
	}
	return v->kvm ? kvm_usable(why, n) : 1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void child_exec(struct vb_qemu_argv *a, int chan, int qmp, const char *log)
{
	int null = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	/* QEMU must not outlive a harness that dies */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null < 0 || out < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
	    dup2(chan, CHAN_FD) < 0 || dup2(qmp, QMP_FD) < 0)
		_exit(127);
	closefrom(QMP_FD + 1);
	execvp(a->argv[0], a->argv);
	dprintf(2, "vbench: exec %s: %s\n", a->argv[0], strerror(errno));
	_exit(127);
}

/* Each vCPU thread on its own PU of the run's set (QMP query-cpus-fast). */
static void pin_vcpus(struct vb_instance *in, const struct vb_run_ctx *ctx)
{
	struct qemu_priv *p = in->priv;
	char err[256];
	json_t *cpus = vb_qmp_cmd(&p->qmp, "query-cpus-fast", NULL, QMP_TIMEOUT_MS, err,
				  sizeof(err)), *c, *pinned = json_array();
	size_t i;

	json_array_foreach(cpus, i, c) {
		long long tid = vb_json_int(c, "thread-id", -1);
		int pu = ctx->pus[i % (size_t)ctx->npus];

		if (tid > 0 && vb_pin_pid((pid_t)tid, &pu, 1, 0, err, sizeof(err)) == 0)
			json_array_append_new(pinned, json_pack("{s:I, s:i}", "thread", tid,
								"pu", pu));
	}
	json_object_set_new(in->info, "vcpu_pinning", pinned);
	json_decref(cpus);
}

/* The version of the QEMU really started, for the results' environment. */
static void record_version(struct vb_instance *in)
{
	struct qemu_priv *p = in->priv;
	char err[256], buf[128];
	json_t *v = vb_qmp_cmd(&p->qmp, "query-version", NULL, QMP_TIMEOUT_MS, err, sizeof(err));
	json_t *q = json_object_get(v, "qemu");

	if (q) {
		snprintf(buf, sizeof(buf), "%lld.%lld.%lld %s", vb_json_int(q, "major", 0),
			 vb_json_int(q, "minor", 0), vb_json_int(q, "micro", 0),
			 vb_json_str(v, "package", ""));
		json_object_set_new(in->info, "qemu_version", json_string(buf));
	}
	json_decref(v);
}

static int qemu_start(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		      size_t n)
{
	const struct vb_qemu_variant *v = variant_of(in->be);
	struct vb_image_req req = { ctx->cache_dir, ctx->agent_path, ctx->kernel, ctx->modules,
				    ctx->verbose };
	struct qemu_priv *p = calloc(1, sizeof(*p));
	static struct vb_qemu_argv a; /* large: not on the stack */
	struct vb_image img;
	char cmdline[VB_QEMU_ARG_BYTES + 512];
	int chan[2], qmp[2];
	double t0 = now_ms();

	if (!p) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	in->priv = p;
	p->v = v;
	p->qmp_fd = -1;
	if (vb_image_ensure(&req, v->flavor, &img, err, n))
		return -1;
	/* building the image is not booting: keep it out of start-to-hello */
	in->setup_ms = now_ms() - t0;
	json_object_set_new(in->info, "image_ms", json_real(in->setup_ms));
	snprintf(p->dir, sizeof(p->dir), "%s/%s.XXXXXX", ctx->workdir, v->name);
	if (!mkdtemp(p->dir)) {
		snprintf(err, n, "mkdtemp %s: %s", p->dir, strerror(errno));
		p->dir[0] = '\0';
		return -1;
	}
	snprintf(p->console, sizeof(p->console), "%.4000s/console.log", p->dir);
	snprintf(p->qemu_log, sizeof(p->qemu_log), "%.4000s/qemu.log", p->dir);
	if (vb_env_scratch(in, ctx, err, n))
		return -1;
	/* cache=none opens the image with O_DIRECT: say so plainly if it cannot */
	int probe = open(in->scratch, O_RDWR | O_DIRECT | O_CLOEXEC);

	if (probe < 0) {
		snprintf(err, n, "%s refuses O_DIRECT (cache=none): %s; use --workdir elsewhere",
			 in->scratch, strerror(errno));
		return -1;
	}
	close(probe);
	struct vb_qemu_cfg cfg = {
		.vmlinux = img.k.vmlinux, .initrd = img.initrd, .console_log = p->console,
		.disk = in->scratch, .chan_fd = CHAN_FD, .qmp_fd = QMP_FD,
		.cpus = ctx->npus > 0 ? ctx->npus : 1,
		.mem_mb = ctx->memory_mb > 0 ? ctx->memory_mb : DEFAULT_MEM_MB,
	};
	if (vb_qemu_build_argv(v, &cfg, &a)) {
		snprintf(err, n, "QEMU command line too long");
		return -1;
	}
	vb_qemu_argv_string(&a, cmdline, sizeof(cmdline));
	json_object_set_new(in->info, "qemu_cmdline", json_string(cmdline));
	json_object_set_new(in->info, "guest_kernel", json_string(img.k.release));
	json_object_set_new(in->info, "initrd", json_string(img.initrd));
	json_object_set_new(in->info, "accel", json_string(v->kvm ? "kvm" : "tcg"));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, qmp)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		close(chan[0]);
		close(chan[1]);
		return -1;
	}
	in->pid = fork();
	if (in->pid == 0)
		child_exec(&a, chan[1], qmp[1], p->qemu_log);
	close(chan[1]);
	close(qmp[1]);
	in->fd = chan[0];
	p->qmp_fd = qmp[0];
	if (in->pid < 0) {
		snprintf(err, n, "fork: %s", strerror(errno));
		in->pid = 0;
		return -1;
	}
	if (vb_env_group(in, ctx, in->pid, err, n))
		return -1;
	/* QEMU answers QMP once the machine (and its vCPU threads) exists */
	if (vb_qmp_open(&p->qmp, p->qmp_fd, QMP_TIMEOUT_MS, err, n))
		return -1;
	pin_vcpus(in, ctx);
	record_version(in);
	return 0;
}

static void qemu_collect(struct vb_instance *in, json_t *counters)
{
	struct qemu_priv *p = in->priv;
	char err[256];
	json_t *r;

	if (!p || !p->qmp.ready || !json_is_array(counters))
		return;
	if (!p->v->kvm) {
		r = vb_qmp_cmd(&p->qmp, "x-query-jit", NULL, QMP_TIMEOUT_MS, err, sizeof(err));
		if (r)
			vb_qmp_jit_counters(vb_json_str(r, "human-readable-text", ""), counters);
	} else {
		json_t *args = json_pack("{s:s}", "target", "vcpu");

		r = vb_qmp_cmd(&p->qmp, "query-stats", args, QMP_TIMEOUT_MS, err, sizeof(err));
		json_decref(args);
		if (r)
			vb_qmp_stats_counters(r, counters);
	}
	if (!r)
		json_array_append_new(counters,
				      json_pack("{s:s, s:s, s:s, s:s}", "source", "qmp", "scope",
						"host", "name", p->v->kvm ? "kvm" : "tcg",
						"unavailable", err));
	json_decref(r);
}

/* "label: <the last bytes of the file, printable>" appended at buf+len. */
static size_t tail_of(const char *path, const char *label, char *buf, size_t n, size_t len)
{
	char chunk[768] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC), w;
	ssize_t r = 0;

	if (len >= n)
		return len;
	if (fd >= 0) {
		off_t end = lseek(fd, 0, SEEK_END);

		r = pread(fd, chunk, sizeof(chunk) - 1,
			  end > (off_t)sizeof(chunk) - 1 ? end - (off_t)sizeof(chunk) + 1 : 0);
		close(fd);
	}
	for (ssize_t i = 0; i < r; i++)
		if ((unsigned char)chunk[i] < 0x20 && chunk[i] != '\n')
			chunk[i] = ' ';
	chunk[r > 0 ? r : 0] = '\0';
	/* an empty log says something too: the guest printed nothing yet */
	w = snprintf(buf + len, n - len, "%s%s: %s", len ? "; " : "", label,
		     r > 0 ? chunk : fd < 0 ? "(none)" : "(empty)");
	return w < 0 ? len : len + (size_t)w;
}

static void qemu_log_tail(struct vb_instance *in, char *buf, size_t n)
{
	struct qemu_priv *p = in->priv;
	size_t len = 0;

	buf[0] = '\0';
	if (!p)
		return;
	len = tail_of(p->qemu_log, "qemu", buf, n, len);
	tail_of(p->console, "console", buf, n, len);
}

static void qemu_stop(struct vb_instance *in)
{
	struct qemu_priv *p = in->priv;

	/* the core has said bye: the guest powers off by itself */
	vb_env_reap(in->pid, 5000);
	in->pid = 0;
	vb_env_cleanup(in);
	if (!p)
		return;
	if (p->qmp_fd >= 0)
		close(p->qmp_fd);
	if (p->dir[0])
		vb_rmtree(p->dir);
	free(p);
	in->priv = NULL;
}

static int type1_available(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			  char *why, size_t n)
{
	(void)be;
	return qemu_available(ctx, &vb_qemu_type1, why, n);
}

static int paravirt_available(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			  char *why, size_t n)
{
	(void)be;
	return qemu_available(ctx, &vb_qemu_paravirt, why, n);
}

static int type2_available(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			  char *why, size_t n)
{
	(void)be;
	return qemu_available(ctx, &vb_qemu_type2, why, n);
}

static int type2_pv_available(const struct vb_backend *be, const struct vb_run_ctx *ctx,
			  char *why, size_t n)
{
	(void)be;
	return qemu_available(ctx, &vb_qemu_type2_pv, why, n);
}

const struct vb_backend vb_backend_type1 = {
	.name = "type1",
	.desc = "Type-1, full virtualization: KVM, AHCI/e1000/16550, guest sees no hypervisor",
	.traits = { VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_EMULATED, "bare", "paravirt", "" },
	.available = type1_available,
	.start = qemu_start,
	.collect = qemu_collect,
	.log_tail = qemu_log_tail,
	.stop = qemu_stop,
};

const struct vb_backend vb_backend_paravirt = {
	.name = "paravirt",
	.desc = "Type-1, para-virtualized guest: KVM, virtio, kvm-clock, PV EOI/TLB/IPI",
	.traits = { VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_VIRTIO, "bare", "type1", "" },
	.available = paravirt_available,
	.start = qemu_start,
	.collect = qemu_collect,
	.log_tail = qemu_log_tail,
	.stop = qemu_stop,
};

const struct vb_backend vb_backend_type2 = {
	.name = "type2",
	.desc = "Type-2, binary translation: QEMU TCG, AHCI/e1000/16550",
	.traits = { VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, "bare", "type2-pv", "" },
	.available = type2_available,
	.start = qemu_start,
	.collect = qemu_collect,
	.log_tail = qemu_log_tail,
	.stop = qemu_stop,
};

const struct vb_backend vb_backend_type2_pv = {
	.name = "type2-pv",
	.desc = "Type-2 with para-virtual I/O: QEMU TCG, virtio",
	.traits = { VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_VIRTIO, "bare", "type2", "" },
	.available = type2_pv_available,
	.start = qemu_start,
	.collect = qemu_collect,
	.log_tail = qemu_log_tail,
	.stop = qemu_stop,
};

static const struct vb_qemu_variant *variant_of(const struct vb_backend *be)
{
	if (be == &vb_backend_type1)
		return &vb_qemu_type1;
	if (be == &vb_backend_paravirt)
		return &vb_qemu_paravirt;
	if (be == &vb_backend_type2)
		return &vb_qemu_type2;
	return &vb_qemu_type2_pv;
}
