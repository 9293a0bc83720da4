/* SPDX-License-Identifier: MIT */
/*
 * VM backends: QEMU booting the cached guest image (vmlinux + initramfs
 * whose /init is the agent). The channel and the QMP monitor are socket
 * pairs QEMU inherits (chardev socket,fd=N): no paths, no connect race.
 */
#include "floor_util.h"
#include "phases.h"
#include "qemu.h"
#include "qmp.h"
#include "../envutil.h"
#include "../exec.h"
#include "../image/image.h"
#include "../kvmhost.h"
#include "../paths.h"
#include "../pin.h"
#include "../../common/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define QMP_TIMEOUT_MS 10000
#define CHAN_FD 3 /* where QEMU finds its ends: fixed, so command lines compare */
#define QMP_FD 4
#define DEFAULT_MEM_MB 1024

/*
 * The one table of variants: X(symbol, name, accelerator, devices, guest
 * flavor, PV partner, -cpu, accelerator options, desc) makes the backend
 * vb_backend_<symbol> and its row. Every variant but the lab's L1 is a VM compared against
 * bare; its partner has the same accelerator and the other device family.
 */
#define QEMU_VARIANTS(X) \
	/* full virtualization: no KVM signature, no hypervisor bit, no PV */ \
	X(type1, "type1", KVM, EMULATED, EMULATED, "paravirt", "host,kvm=off,hypervisor=off", "", \
	  "Type-1, full virtualization: KVM, AHCI/e1000/16550, guest sees no hypervisor") \
	X(paravirt, "paravirt", KVM, VIRTIO, VIRTIO, "type1", \
	  "host,kvmclock=on,kvm-pv-eoi=on,kvm-pv-tlb-flush=on,kvm-pv-ipi=on,kvm-pv-unhalt=on", "", \
	  "Type-1, para-virtualized guest: KVM, virtio, kvm-clock, PV EOI/TLB/IPI") \
	/* \
	 * TCG's "max" model, without LA57: this host has no 5-level paging and a \
	 * guest using it would walk one more page-table level than bare does. \
	 */ \
	X(type2, "type2", TCG, EMULATED, EMULATED, "type2-pv", "max,la57=off,hypervisor=off", "", \
	  "Type-2, binary translation: QEMU TCG, AHCI/e1000/16550") \
	X(type2_pv, "type2-pv", TCG, VIRTIO, VIRTIO, "type2", "max,la57=off", "", \
	  "Type-2 with para-virtual I/O: QEMU TCG, virtio") \
	/* \
	 * The emulated lab's L1 (harness/lab/): TCG emulates AMD SVM with nested \
	 * paging, not VMX, so real KVM runs inside it. Not in the registry: \
	 * the lab starts it, users never pick it. EPYC less what TCG does \
	 * not emulate: the model L1 really gets. \
	 */ \
	X(lab_l1, "lab-l1", TCG, VIRTIO, L1, NULL, \
	  "EPYC,-rdseed,-sha-ni,-fxsr-opt,-misalignsse,-3dnowprefetch,-osvw,-topoext," \
	  "-nrip-save,-xsavec", "", \
	  "the emulated lab's L1 machine: QEMU TCG with AMD SVM and NPT, KVM inside")

struct qemu_priv {
	char dir[PATH_MAX];      /* the instance's files in the workdir */
	char console[PATH_MAX];
	char qemu_log[PATH_MAX]; /* QEMU's own stderr */
	struct vb_qmp qmp;
	int qmp_fd;
};

/* KVM that runs an unmodified guest kernel: kvm-pvm, for one, opens but does not. */
static int kvm_usable(char *why, size_t n)
{
	struct vb_kvm_host k;

	vb_kvm_host_probe("/", &k);
	if (!k.runs_guests)
		snprintf(why, n, "%s", k.why);
	return k.runs_guests;
}

static int qemu_available(const struct vb_backend *be, const struct vb_run_ctx *ctx, char *why,
			  size_t n)
{
	char path[PATH_MAX];

	if (!vb_qemu_variant_of(be, why, n))
		return 0;
	if (ctx->qemu && access(ctx->qemu, X_OK)) {
		snprintf(why, n, "%s: %s", ctx->qemu, strerror(errno));
		return 0;
	}
	if (!ctx->qemu && !vb_which("qemu-system-x86_64", path, sizeof(path))) {
		snprintf(why, n, "qemu-system-x86_64 not found (Debian package qemu-system-x86)");
		return 0;
	}
	if (access(ctx->agent_path, R_OK)) {
		snprintf(why, n, "agent %s: %s", ctx->agent_path, strerror(errno));
		return 0;
	}
	return be->traits.accel == VB_ACCEL_KVM ? kvm_usable(why, n) : 1;
}

static void child_exec(struct vb_qemu_argv *a, pid_t parent, int chan, int qmp, const char *log)
{
	int null = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	/* QEMU must not outlive a harness that dies */
	if (vb_exec_die_with(parent))
		_exit(127);
	/*
	 * Nor die before it on the terminal's Ctrl-C: the harness stops every
	 * guest itself (collecting its counters first), and the emulated lab's
	 * L1 must stay up to send what the nested run measured.
	 */
	setpgid(0, 0);
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

int vb_qemu_launch_argv(const struct vb_qemu_variant *v, const struct vb_run_ctx *ctx,
			struct vb_qemu_cfg *cfg, struct vb_qemu_argv *a)
{
	cfg->chan_fd = CHAN_FD;
	cfg->qmp_fd = QMP_FD;
	cfg->cpus = ctx->npus > 0 ? ctx->npus : 1;
	cfg->mem_mb = ctx->memory_mb > 0 ? ctx->memory_mb : DEFAULT_MEM_MB;
	cfg->qemu = ctx->qemu;
	cfg->cpu = ctx->cpu_model;
	cfg->extra = ctx->qemu_args;
	return vb_qemu_build_argv(v, cfg, a);
}

/* The guest image the run's options ask for. */
static struct vb_image_req image_req(const struct vb_run_ctx *ctx)
{
	return (struct vb_image_req){ ctx->cache_dir, ctx->agent_path, ctx->kernel, ctx->modules,
				      ctx->verbose, ctx->image_extra, ctx->nimage_extra };
}

/* Two connected sockets, for the channel or QMP: 0, or -1 with err. */
static int sockets(int sv[2], char *err, size_t n)
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, n, "socketpair: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int qemu_start(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		      size_t n)
{
	const struct vb_qemu_variant *v = vb_qemu_variant_of(in->be, err, n);
	struct vb_image_req req = image_req(ctx);
	static struct vb_qemu_argv a; /* large: not on the stack */
	struct qemu_priv *p;
	struct vb_image img;
	char cmdline[VB_QEMU_ARG_BYTES + 512];
	int chan[2], qmp[2];
	double t0 = vb_now_ms(), t;

	if (!v)
		return -1;
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	in->priv = p;
	p->qmp_fd = -1;
	if (vb_image_ensure(&req, v->flavor, &img, err, n))
		return -1;
	/* building the image is not booting: keep it out of start-to-hello */
	t = vb_now_ms();
	in->setup_ms = t - t0;
	json_object_set_new(in->info, "image_ms", json_real(in->setup_ms));
	json_object_set_new(in->info, "disk", json_pack("{s:s, s:s}", "kernel", img.k.vmlinux,
							"initramfs", img.initrd));
	snprintf(p->dir, sizeof(p->dir), "%s/%s.XXXXXX", ctx->workdir, in->name);
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
	vb_phase_end(in->info, "scratch image", t);
	struct vb_qemu_cfg cfg = {
		.vmlinux = img.k.vmlinux, .initrd = img.initrd, .console_log = p->console,
		.disk = in->scratch,
	};
	if (vb_qemu_launch_argv(v, ctx, &cfg, &a)) {
		snprintf(err, n, "QEMU command line too long");
		return -1;
	}
	vb_qemu_argv_string(&a, cmdline, sizeof(cmdline));
	json_object_set_new(in->info, "qemu_cmdline", json_string(cmdline));
	json_object_set_new(in->info, "guest_kernel", json_string(img.k.release));
	json_object_set_new(in->info, "initrd", json_string(img.initrd));
	json_object_set_new(in->info, "accel", json_string(vb_accel_name(in->be->traits.accel)));
	if (sockets(chan, err, n))
		return -1;
	if (sockets(qmp, err, n)) {
		close(chan[0]);
		close(chan[1]);
		return -1;
	}
	pid_t self = getpid();

	t = vb_now_ms();
	in->pid = fork();
	if (in->pid == 0)
		child_exec(&a, self, chan[1], qmp[1], p->qemu_log);
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
	t = vb_phase_end(in->info, "QEMU to QMP", t);
	pin_vcpus(in, ctx);
	record_version(in);
	vb_phase_end(in->info, "vCPU pinning and version", t);
	return 0;
}

/* The floor's files, in a private dir of the workdir. */
struct floor_files {
	char dir[PATH_MAX];
	char initrd[PATH_MAX];      /* /init alone: the payload */
	char console[PATH_MAX];     /* a FIFO: the line arrives as the guest writes it */
	char disk[PATH_MAX];        /* sparse, as big as the scratch image: never touched */
	char log[PATH_MAX];         /* QEMU's stderr */
};

/* Make the floor's dir and files in it: 0, or -1 with err (then remove f->dir). */
static int floor_files(const struct vb_backend *be, const struct vb_run_ctx *ctx,
		       struct floor_files *f, char *err, size_t n)
{
	int fd;

	snprintf(f->dir, sizeof(f->dir), "%.4000s/%s-floor.XXXXXX", ctx->workdir, be->name);
	if (!mkdtemp(f->dir)) {
		snprintf(err, n, "mkdtemp %s: %s", f->dir, strerror(errno));
		f->dir[0] = '\0';
		return -1;
	}
	snprintf(f->initrd, sizeof(f->initrd), "%.4000s/init.cpio", f->dir);
	snprintf(f->console, sizeof(f->console), "%.4000s/console.log", f->dir);
	snprintf(f->disk, sizeof(f->disk), "%.4000s/disk.img", f->dir);
	snprintf(f->log, sizeof(f->log), "%.4000s/qemu.log", f->dir);
	if (vb_initramfs_init_only(f->initrd, ctx->floor_hello, err, n))
		return -1;
	if (mkfifo(f->console, 0600)) {
		snprintf(err, n, "mkfifo %s: %s", f->console, strerror(errno));
		return -1;
	}
	fd = open(f->disk, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)ctx->scratch_mib << 20)) {
		snprintf(err, n, "create %s: %s", f->disk, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* QEMU for the floor, as start() runs it (child_exec), on the run's PUs. */
struct floor_qemu {
	const struct vb_run_ctx *ctx;
	struct vb_qemu_argv *a;
	int chan, qmp;
	const char *log;
	pid_t parent;
};

static pid_t spawn_qemu(void *arg)
{
	struct floor_qemu *q = arg;
	pid_t pid = fork();

	if (pid == 0) {
		if (vb_floor_pin_self(q->ctx))
			_exit(127);
		child_exec(q->a, q->parent, q->chan, q->qmp, q->log);
	}
	if (pid > 0)
		setpgid(pid, pid); /* as the child does: whichever runs first */
	return pid;
}

/* Boot f's trivial guest with start()'s command line but for -initrd: 0 with *ms, or -1. */
static int floor_launch(const struct vb_qemu_variant *v, const struct vb_run_ctx *ctx,
			const char *vmlinux, const struct floor_files *f, double *ms, char *err,
			size_t n)
{
	static struct vb_qemu_argv a; /* large: not on the stack */
	struct vb_qemu_cfg cfg = { .vmlinux = vmlinux, .initrd = f->initrd,
				   .console_log = f->console, .disk = f->disk };
	struct floor_qemu q = { .ctx = ctx, .a = &a, .log = f->log, .parent = getpid() };
	int chan[2] = { -1, -1 }, qmp[2] = { -1, -1 }, console, rc = -1;

	if (vb_qemu_launch_argv(v, ctx, &cfg, &a)) {
		snprintf(err, n, "QEMU command line too long");
		return -1;
	}
	/* with no writer yet it opens at once, and reads no end before QEMU has come and gone */
	console = open(f->console, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (console < 0) {
		snprintf(err, n, "open %s: %s", f->console, strerror(errno));
		return -1;
	}
	if (sockets(chan, err, n) == 0 && sockets(qmp, err, n) == 0) {
		q.chan = chan[1];
		q.qmp = qmp[1];
		struct vb_floor_launch l = { .what = a.argv[0], .spawn = spawn_qemu, .arg = &q,
					     .rfd = console, .wfd = -1,
					     .timeout_ms = ctx->hello_timeout_ms };

		rc = vb_floor_time(&l, ms, err, n);
		if (rc)
			vb_env_log_tail(f->log, "qemu", err, n, strlen(err));
	}
	for (int i = 0; i < 2; i++) {
		if (chan[i] >= 0)
			close(chan[i]);
		if (qmp[i] >= 0)
			close(qmp[i]);
	}
	close(console);
	return rc;
}

int vb_qemu_floor_boot(const struct vb_backend *be, const struct vb_run_ctx *ctx,
		       const char *vmlinux, double *ms, char *what, size_t n)
{
	const struct vb_qemu_variant *v = vb_qemu_variant_of(be, what, n);
	struct floor_files f = { .dir = "" };
	int rc;

	if (!v || vb_floor_payload(ctx, what, n))
		return -1;
	rc = floor_files(be, ctx, &f, what, n);
	if (rc == 0)
		rc = floor_launch(v, ctx, vmlinux, &f, ms, what, n);
	if (f.dir[0])
		vb_rmtree(f.dir);
	if (rc == 0)
		snprintf(what, n, "QEMU %s boot of the same kernel to a trivial /init",
			 vb_accel_name(be->traits.accel));
	return rc;
}

static int qemu_floor(const struct vb_backend *be, const struct vb_run_ctx *ctx, double *ms,
		      char *what, size_t n)
{
	const struct vb_qemu_variant *v = vb_qemu_variant_of(be, what, n);
	struct vb_image_req req = image_req(ctx);
	struct vb_image img;

	/* the kernel start() boots; finding or building it is not timed */
	if (!v || vb_image_ensure(&req, v->flavor, &img, what, n))
		return -1;
	return vb_qemu_floor_boot(be, ctx, img.k.vmlinux, ms, what, n);
}

static void qemu_collect(struct vb_instance *in, json_t *counters)
{
	struct qemu_priv *p = in->priv;
	enum vb_accel accel = in->be->traits.accel;
	char err[256];
	json_t *r;

	if (!p || !p->qmp.ready || !json_is_array(counters))
		return;
	if (accel == VB_ACCEL_TCG) {
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
						"host", "name", vb_accel_name(accel),
						"unavailable", err));
	json_decref(r);
}

static void qemu_log_tail(struct vb_instance *in, char *buf, size_t n)
{
	struct qemu_priv *p = in->priv;
	size_t len = 0;

	buf[0] = '\0';
	if (!p)
		return;
	len = vb_env_log_tail(p->qemu_log, "qemu", buf, n, len);
	vb_env_log_tail(p->console, "console", buf, n, len);
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

#define QEMU_BACKEND(sym, name_, accel_, dev_, flavor_, partner_, cpu_, accel_opts_, desc_) \
	const struct vb_backend vb_backend_##sym = { \
		.name = name_, \
		.desc = desc_, \
		.traits = { VB_KIND_VM, VB_ACCEL_##accel_, VB_DEV_##dev_, "bare", partner_, "" }, \
		.available = qemu_available, \
		.start = qemu_start, \
		.collect = qemu_collect, \
		.log_tail = qemu_log_tail, \
		.stop = qemu_stop, \
		.floor = qemu_floor, \
	};
QEMU_VARIANTS(QEMU_BACKEND)
#undef QEMU_BACKEND

#define QEMU_ROW(sym, name_, accel_, dev_, flavor_, partner_, cpu_, accel_opts_, desc_) \
	{ .be = &vb_backend_##sym, .cpu = cpu_, .accel_opts = accel_opts_, \
	  .flavor = VB_GUEST_##flavor_ },
static const struct vb_qemu_variant variants[] = { QEMU_VARIANTS(QEMU_ROW) };
#undef QEMU_ROW

const struct vb_qemu_variant *vb_qemu_variant_of(const struct vb_backend *be, char *err,
						 size_t n)
{
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		if (variants[i].be == be)
			return &variants[i];
	snprintf(err, n, "no QEMU variant for backend '%s'", be->name);
	return NULL;
}
