/* SPDX-License-Identifier: MIT */
/* QEMU command lines for the VM variants (their table is in qemu.c). */
#include "qemu_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static void add(struct vb_qemu_argv *a,
						       const char *fmt, ...)
{
	va_list ap;
	int len;

	if (a->argc < 0 || a->argc >= VB_QEMU_MAX_ARGS || a->used >= sizeof(a->buf)) {
		a->argc = -1;
		return;
	}
	va_start(ap, fmt);
	len = vsnprintf(a->buf + a->used, sizeof(a->buf) - a->used, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(a->buf) - a->used) {
		a->argc = -1;
		return;
	}
	a->argv[a->argc++] = a->buf + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)len + 1;
}

/* One argument per space-separated word of s (NULL: none): no quoting, as documented. */
static void add_words(struct vb_qemu_argv *a, const char *s)
{
	while (s && *s) {
		size_t len = strcspn(s, " ");

		if (len)
			add(a, "%.*s", (int)len, s);
		s += len + (s[len] == ' ');
	}
}

int vb_qemu_build_argv(const struct vb_qemu_variant *v, const struct vb_qemu_cfg *c,
		       struct vb_qemu_argv *a)
{
	int emulated = v->be->traits.devices == VB_DEV_EMULATED;

	a->argc = 0;
	a->used = 0;
	add(a, "%s", c->qemu ? c->qemu : "qemu-system-x86_64");
	add(a, "-nodefaults");
	add(a, "-no-user-config");
	add(a, "-display");
	add(a, "none");
	/* a guest that reboots or panics (panic=-1) ends QEMU */
	add(a, "-no-reboot");
	add(a, "-M");
	add(a, "q35");
	add(a, "-accel");
	add(a, "%s%s", vb_accel_name(v->be->traits.accel), v->accel_opts);
	add(a, "-cpu");
	add(a, "%s", c->cpu ? c->cpu : v->cpu);
	if (v->be->traits.accel == VB_ACCEL_KVM) {
		/*
		 * kvmvapic patches 32-bit Windows' TPR accesses; a Linux guest
		 * never needs it. It reads and writes back the vCPU's registers,
		 * and KVM reports TR as busy: TCG (the emulated lab's L1) then
		 * refuses every user-mode port access of the guest (its I/O
		 * permission check wants an available TSS), which real CPUs allow.
		 */
		add(a, "-global");
		add(a, "kvm-apic.vapic=off");
	}
	add(a, "-smp");
	add(a, "%d", c->cpus);
	add(a, "-m");
	add(a, "%lld", c->mem_mb);
	add(a, "-kernel");
	add(a, "%s", c->vmlinux);
	add(a, "-initrd");
	add(a, "%s", c->initrd);
	add(a, "-append");
	add(a, "console=ttyS0 quiet panic=-1 vbench.channel=%s vbench.scratch=%s",
	    emulated ? "/dev/ttyS1" : "vbench.0", emulated ? "/dev/sda" : "/dev/vda");
	add(a, "-chardev");
	add(a, "file,id=console,path=%s", c->console_log);
	add(a, "-serial");
	add(a, "chardev:console");
	add(a, "-chardev");
	add(a, "socket,id=chan,fd=%d", c->chan_fd);
	add(a, "-chardev");
	add(a, "socket,id=qmp,fd=%d", c->qmp_fd);
	add(a, "-mon");
	add(a, "chardev=qmp,mode=control");
	/*
	 * the same raw image and host cache mode (O_DIRECT) for every variant;
	 * share-rw: the run's instances share that image (backend.h), so each
	 * VM lets the others hold it open for writing (they take turns)
	 */
	add(a, "-drive");
	add(a, "file=%s,format=raw,if=none,id=disk,cache=none,aio=threads", c->disk);
	add(a, "-netdev");
	add(a, "user,id=net,restrict=on");
	if (emulated) {
		/* the second 16550 (ttyS1) is the channel; q35's own AHCI holds the disk */
		add(a, "-serial");
		add(a, "chardev:chan");
		add(a, "-device");
		add(a, "ide-hd,drive=disk,bus=ide.0,share-rw=on");
		add(a, "-device");
		add(a, "e1000,netdev=net");
	} else {
		add(a, "-device");
		add(a, "virtio-serial-pci,id=vser");
		add(a, "-device");
		add(a, "virtserialport,bus=vser.0,chardev=chan,name=vbench.0");
		add(a, "-device");
		add(a, "virtio-blk-pci,drive=disk,share-rw=on");
		add(a, "-device");
		add(a, "virtio-net-pci,netdev=net");
	}
	add_words(a, c->extra);
	return a->argc < 0 ? -1 : 0;
}

void vb_qemu_argv_string(const struct vb_qemu_argv *a, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < a->argc && len < n; i++) {
		const char *s = a->argv[i];
		int quote = strpbrk(s, " \t\"'$\\") != NULL;

		len += (size_t)snprintf(out + len, n - len, "%s%s%s%s", i ? " " : "",
					quote ? "'" : "", s, quote ? "'" : "");
	}
}
