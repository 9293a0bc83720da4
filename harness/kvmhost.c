/* SPDX-License-Identifier: MIT */
/*
 * Which KVM backs /dev/kvm, and whether it runs guests. Decided from
 * module identity (/sys/module), the CPUID hypervisor bit and, on the real
 * host, a real-mode micro-guest run through the KVM API: the probe proves
 * KVM runs code at all (a broken nested setup fails it), but kvm-pvm passes
 * it too, so kvm-pvm is known by its module alone.
 */
#include "kvmhost.h"
#include "../common/virtdetect.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROBE_PORT 0xe9
#define PROBE_BYTE 0x5a
#define PROBE_GPA 0x1000

/*
 * The modules that can back /dev/kvm, with the parameters worth keeping as
 * evidence. kvm_pvm comes first: where it is loaded, it binds /dev/kvm.
 */
static const struct {
	enum vb_kvm_impl impl;
	const char *module;
	const char *params[3];
} modules[] = {
	{ VB_KVM_PVM, "kvm_pvm", { NULL } },
	{ VB_KVM_INTEL, "kvm_intel", { "nested", "ept", NULL } },
	{ VB_KVM_AMD, "kvm_amd", { "nested", "npt", NULL } },
};

const char *vb_kvm_impl_name(enum vb_kvm_impl i)
{
	switch (i) {
	case VB_KVM_NONE: return "none";
	case VB_KVM_INTEL: return "kvm_intel";
	case VB_KVM_AMD: return "kvm_amd";
	case VB_KVM_PVM: return "kvm_pvm";
	case VB_KVM_UNKNOWN: break;
	}
	return "unknown";
}

/* Append to k->evidence, "; "-separated; what does not fit is cut. */
__attribute__((format(printf, 2, 3))) static void note(struct vb_kvm_host *k, const char *fmt,
							  ...)
{
	size_t len = strlen(k->evidence);
	va_list ap;

	if (len + 3 >= sizeof(k->evidence))
		return;
	if (len)
		len += (size_t)snprintf(k->evidence + len, sizeof(k->evidence) - len, "; ");
	va_start(ap, fmt);
	vsnprintf(k->evidence + len, sizeof(k->evidence) - len, fmt, ap);
	va_end(ap);
}

/* path under root ("" for the real host). */
static void at(const char *root, const char *path, char *out, size_t n)
{
	snprintf(out, n, "%s%s", root, path);
}

/* Evidence goes into JSON: what it quotes from files or CPUID must be text. */
static void printable(char *s)
{
	for (; *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

/* First line of a small file, printable; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t n)
{
	vb_read_line(path, buf, n);
	printable(buf);
}

/* The first module of the table that is loaded, with its parameters noted. */
static enum vb_kvm_impl module_identity(const char *root, struct vb_kvm_host *k)
{
	enum vb_kvm_impl impl = VB_KVM_UNKNOWN;
	char path[4096], val[64];

	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		snprintf(val, sizeof(val), "/sys/module/%s", modules[i].module);
		at(root, val, path, sizeof(path));
		if (access(path, F_OK))
			continue;
		note(k, "%s", val);
		if (impl == VB_KVM_UNKNOWN)
			impl = modules[i].impl;
		for (const char *const *p = modules[i].params; *p; p++) {
			snprintf(path, sizeof(path), "%s/sys/module/%s/parameters/%s", root,
				 modules[i].module, *p);
			read_line(path, val, sizeof(val));
			if (val[0])
				note(k, "/sys/module/%s/parameters/%s=%s", modules[i].module, *p, val);
		}
	}
	return impl;
}

/* Whether the host is a VM: CPUID on the real host, the `hypervisor` file in a fixture. */
static int host_is_vm(const char *root, int real, struct vb_kvm_host *k)
{
	char sig[13], path[4096];
	int hv;

	if (real) {
		vb_cpuid_hv_signature(sig, &hv);
		printable(sig);
	} else {
		at(root, "/hypervisor", path, sizeof(path));
		hv = access(path, F_OK) == 0;
		read_line(path, sig, sizeof(sig));
	}
	if (hv)
		note(k, "%s ('%s'): the host is a VM", real ? "cpuid hypervisor bit set"
							 : "fixture hypervisor marker", sig);
	else
		note(k, real ? "cpuid hypervisor bit clear" : "fixture: no hypervisor marker");
	return hv;
}

/*
 * Run `mov al, PROBE_BYTE; out PROBE_PORT, al; hlt` in real mode and expect
 * KVM_EXIT_IO. Bounded by construction: with no in-kernel irqchip both
 * `out` and `hlt` exit to user space, so KVM_RUN returns at once. Returns
 * 1 when it passed; says what happened in res. Closes what it opens.
 */
static int run_probe(int kvm, char *res, size_t n)
{
	static const unsigned char code[] = { 0xb0, PROBE_BYTE, 0xe6, PROBE_PORT, 0xf4 };
	int vm, cpu = -1, ok = 0;
	long run_size = -1;
	void *mem = MAP_FAILED;
	struct kvm_run *run = MAP_FAILED;
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = PROBE_GPA, .rflags = 0x2 };
	const char *step = "KVM_CREATE_VM";

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		goto fail;
	step = "mmap of guest memory";
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		goto fail;
	memcpy(mem, code, sizeof(code));
	struct kvm_userspace_memory_region region = {
		.guest_phys_addr = PROBE_GPA, .memory_size = 4096, .userspace_addr = (uintptr_t)mem,
	};
	step = "KVM_SET_USER_MEMORY_REGION";
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		goto fail;
	step = "KVM_CREATE_VCPU";
	cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (cpu < 0)
		goto fail;
	step = "KVM_GET_VCPU_MMAP_SIZE";
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < 0)
		goto fail;
	step = "mmap of kvm_run";
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
	if (run == MAP_FAILED)
		goto fail;
	step = "KVM_GET_SREGS";
	if (ioctl(cpu, KVM_GET_SREGS, &sregs) < 0)
		goto fail;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	step = "KVM_SET_SREGS";
	if (ioctl(cpu, KVM_SET_SREGS, &sregs) < 0)
		goto fail;
	step = "KVM_SET_REGS";
	if (ioctl(cpu, KVM_SET_REGS, &regs) < 0)
		goto fail;
	step = "KVM_RUN";
	while (ioctl(cpu, KVM_RUN, 0) < 0) /* a signal (Ctrl-C's handler) just resumes it */
		if (errno != EINTR)
			goto fail;
	ok = run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
	     run->io.port == PROBE_PORT && run->io.size == 1 &&
	     run->io.data_offset < (unsigned long)run_size &&
	     ((unsigned char *)run)[run->io.data_offset] == PROBE_BYTE;
	if (ok)
		snprintf(res, n, "KVM_RUN of a real-mode probe: 1 KVM_EXIT_IO (out 0x%x)", PROBE_PORT);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		snprintf(res, n, "KVM_RUN of a real-mode probe: KVM_EXIT_INTERNAL_ERROR, suberror %u",
			 run->internal.suberror);
	else
		snprintf(res, n, "KVM_RUN of a real-mode probe: exit reason %u, not KVM_EXIT_IO",
			 run->exit_reason);
	goto out;
fail:
	snprintf(res, n, "real-mode probe: %s: %s", step, strerror(errno));
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)run_size);
	if (cpu >= 0)
		close(cpu);
	if (mem != MAP_FAILED)
		munmap(mem, 4096);
	if (vm >= 0)
		close(vm);
	return ok;
}

/* The API version and the probe, real host only: 1 when /dev/kvm runs code. */
static int api_runs_code(int fd, struct vb_kvm_host *k)
{
	char res[256];
	int ok;

	k->api = ioctl(fd, KVM_GET_API_VERSION, 0);
	note(k, "KVM_GET_API_VERSION=%d", k->api);
	if (k->api != KVM_API_VERSION) {
		snprintf(k->why, sizeof(k->why), "/dev/kvm answers API version %d, not %d", k->api,
			 KVM_API_VERSION);
		return 0;
	}
	ok = run_probe(fd, res, sizeof(res));
	note(k, "%s", res);
	if (ok)
		return 1;
	snprintf(k->why, sizeof(k->why), "/dev/kvm (%s) does not run code: %s",
		 vb_kvm_impl_name(k->impl), res);
	return 0;
}

/* No /dev/kvm: say which module is loaded all the same (flavour A has kvm_pvm). */
static void no_device(struct vb_kvm_host *k, int err)
{
	enum vb_kvm_impl loaded = k->impl;

	k->impl = VB_KVM_NONE;
	note(k, "no /dev/kvm");
	if (loaded == VB_KVM_PVM)
		snprintf(k->why, sizeof(k->why),
			 "no /dev/kvm: %s (kvm_pvm is loaded but provides no /dev/kvm: kvm-pvm "
			 "does not bind in a kernel that is itself a kvm-pvm guest)", strerror(err));
	else if (loaded != VB_KVM_UNKNOWN)
		snprintf(k->why, sizeof(k->why), "no /dev/kvm: %s (%s is loaded)", strerror(err),
			 vb_kvm_impl_name(loaded));
	else
		snprintf(k->why, sizeof(k->why), "no /dev/kvm: %s", strerror(err));
}

int vb_kvm_host_probe(const char *root, struct vb_kvm_host *k)
{
	int real = !root || strcmp(root, "/") == 0, fd = -1, err = 0;
	char path[4096];

	memset(k, 0, sizeof(*k));
	k->api = -1;
	if (real)
		root = "";
	k->impl = module_identity(root, k);
	k->nested = host_is_vm(root, real, k);
	if (real) {
		fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
	} else {
		at(root, "/dev/kvm", path, sizeof(path));
		err = access(path, F_OK) ? errno : 0;
	}
	if (err && err != EACCES && err != EPERM) {
		no_device(k, err);
		return 0;
	}
	if (k->impl == VB_KVM_UNKNOWN)
		note(k, "/dev/kvm but no kvm_intel, kvm_amd or kvm_pvm in /sys/module: unknown module");
	if (err) {
		note(k, "/dev/kvm: %s", strerror(err));
		snprintf(k->why, sizeof(k->why), "/dev/kvm: %s (needs root or the kvm group)",
			 strerror(err));
	} else if (!real) {
		note(k, "fixture tree: KVM API probe skipped");
		k->runs_guests = 1;
	} else {
		k->runs_guests = api_runs_code(fd, k);
		close(fd);
	}
	/* Whatever the probe said: kvm-pvm runs a real-mode guest, not Linux. */
	if (k->impl == VB_KVM_PVM) {
		k->runs_guests = 0;
		snprintf(k->why, sizeof(k->why),
			 "/dev/kvm is kvm-pvm, which runs only PVM-enabled guest kernels");
	}
	return 0;
}

json_t *vb_kvm_host_json(const struct vb_kvm_host *k)
{
	return json_pack("{s:s, s:b, s:b, s:i, s:o, s:s}", "impl", vb_kvm_impl_name(k->impl),
			 "nested", k->nested, "runs_guests", k->runs_guests, "api", k->api,
			 "reason", k->runs_guests ? json_null() : json_string(k->why), "evidence",
			 k->evidence);
}
