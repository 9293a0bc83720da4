/* SPDX-License-Identifier: MIT */
/*
 * The VM backends' variants and QEMU command lines, QMP counter parsing.
 * This host's KVM availability: tests/host/test_kvm.c.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../harness/backend.h"
#include "../../harness/backends/qemu.h"
#include "../../harness/backends/qmp.h"

static const struct vb_qemu_cfg cfg = {
	.vmlinux = "/c/vmlinux", .initrd = "/c/initrd.cpio", .console_log = "/w/console.log",
	.disk = "/w/disk.img", .chan_fd = 3, .qmp_fd = 4, .cpus = 2, .mem_mb = 1024,
};

/* The variant of the backend with that name, from the one table. */
static const struct vb_qemu_variant *variant(const char *name)
{
	const struct vb_backend *be = vb_backend_find(name);
	const struct vb_qemu_variant *v;
	char err[256];

	ck_assert_ptr_nonnull(be);
	v = vb_qemu_variant_of(be, err, sizeof(err));
	ck_assert_msg(v != NULL, "%s", err);
	ck_assert_ptr_eq(v->be, be);
	return v;
}

static void line_of(const char *backend, char *out, size_t n)
{
	static struct vb_qemu_argv a;

	ck_assert_int_eq(vb_qemu_build_argv(variant(backend), &cfg, &a), 0);
	ck_assert_ptr_null(a.argv[a.argc]);
	vb_qemu_argv_string(&a, out, n);
}

#define HAS(line, s) ck_assert_msg(strstr(line, s) != NULL, "missing '%s' in %s", s, line)
#define HASNT(line, s) ck_assert_msg(strstr(line, s) == NULL, "unexpected '%s' in %s", s, line)

/* What every variant shares: only the approach may differ. */
static void common(const char *l)
{
	HAS(l, "-M q35 ");
	HAS(l, "-smp 2 -m 1024 ");
	HAS(l, "-kernel /c/vmlinux -initrd /c/initrd.cpio ");
	HAS(l, "-no-reboot");
	HAS(l, "panic=-1");
	HAS(l, "file=/w/disk.img,format=raw,if=none,id=disk,cache=none,aio=threads");
	HAS(l, "-chardev socket,id=chan,fd=3 ");
	HAS(l, "-chardev socket,id=qmp,fd=4 -mon chardev=qmp,mode=control");
	HAS(l, "-chardev file,id=console,path=/w/console.log -serial chardev:console");
}

static void emulated(const char *l)
{
	HAS(l, "-serial chardev:chan");
	HAS(l, "vbench.channel=/dev/ttyS1 vbench.scratch=/dev/sda");
	HAS(l, "-device ide-hd,drive=disk,bus=ide.0,share-rw=on");
	HAS(l, "-device e1000,netdev=net");
	HASNT(l, "virtio");
}

static void virtio(const char *l)
{
	HAS(l, "virtserialport,bus=vser.0,chardev=chan,name=vbench.0");
	HAS(l, "vbench.channel=vbench.0 vbench.scratch=/dev/vda");
	HAS(l, "-device virtio-blk-pci,drive=disk,share-rw=on");
	HAS(l, "-device virtio-net-pci,netdev=net");
	HASNT(l, "ide-hd");
	HASNT(l, "e1000");
}

START_TEST(type1_line)
{
	char l[VB_QEMU_ARG_BYTES];

	line_of("type1", l, sizeof(l));
	common(l);
	emulated(l);
	HAS(l, "-accel kvm -cpu host,kvm=off,hypervisor=off -global kvm-apic.vapic=off ");
}
END_TEST

START_TEST(paravirt_line)
{
	char l[VB_QEMU_ARG_BYTES];

	line_of("paravirt", l, sizeof(l));
	common(l);
	virtio(l);
	HAS(l, "-accel kvm -cpu host,kvmclock=on,kvm-pv-eoi=on,kvm-pv-tlb-flush=on,"
	       "kvm-pv-ipi=on,kvm-pv-unhalt=on -global kvm-apic.vapic=off ");
}
END_TEST

START_TEST(type2_lines)
{
	char l[VB_QEMU_ARG_BYTES];

	line_of("type2", l, sizeof(l));
	common(l);
	emulated(l);
	HAS(l, "-accel tcg -cpu max,la57=off,hypervisor=off ");
	line_of("type2-pv", l, sizeof(l));
	common(l);
	virtio(l);
	HAS(l, "-accel tcg -cpu max,la57=off ");
	ck_assert_msg(!strstr(l, "vapic"), "TCG has no kvm-apic: %s", l);
}
END_TEST

START_TEST(argv_overflow_is_an_error)
{
	static struct vb_qemu_argv a;
	static char big[VB_QEMU_ARG_BYTES];
	struct vb_qemu_cfg c = cfg;

	memset(big, 'x', sizeof(big) - 1);
	c.vmlinux = big;
	ck_assert_int_eq(vb_qemu_build_argv(variant("type2"), &c, &a), -1);
}
END_TEST

/* The table's traits: what the reports compare the four variants by. */
START_TEST(variant_traits)
{
	static const struct {
		const char *name, *partner;
		enum vb_accel accel;
		enum vb_devices devices;
	} want[] = {
		{ "type1", "paravirt", VB_ACCEL_KVM, VB_DEV_EMULATED },
		{ "paravirt", "type1", VB_ACCEL_KVM, VB_DEV_VIRTIO },
		{ "type2", "type2-pv", VB_ACCEL_TCG, VB_DEV_EMULATED },
		{ "type2-pv", "type2", VB_ACCEL_TCG, VB_DEV_VIRTIO },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct vb_traits *t = &variant(want[i].name)->be->traits;

		ck_assert_int_eq(t->kind, VB_KIND_VM);
		ck_assert_int_eq(t->accel, want[i].accel);
		ck_assert_int_eq(t->devices, want[i].devices);
		ck_assert_str_eq(t->baseline, "bare");
		ck_assert_str_eq(t->pv_partner, want[i].partner);
		ck_assert_str_eq(t->lab, "");
		ck_assert_int_eq(variant(want[i].name)->flavor, want[i].devices == VB_DEV_VIRTIO ?
				 VB_GUEST_VIRTIO : VB_GUEST_EMULATED);
	}
}
END_TEST

/*
 * The emulated lab's L1: TCG on one thread, AMD SVM with what TCG really
 * emulates, the L1 flavour; never in the registry, so no user picks it.
 */
START_TEST(lab_l1_line)
{
	static struct vb_qemu_argv a;
	char l[VB_QEMU_ARG_BYTES], err[256];
	const struct vb_qemu_variant *v = vb_qemu_variant_of(&vb_backend_lab_l1, err, sizeof(err));

	ck_assert_msg(v != NULL, "%s", err);
	ck_assert_ptr_null(vb_backend_find("lab-l1"));
	ck_assert_int_eq(v->flavor, VB_GUEST_L1);
	ck_assert_int_eq(vb_qemu_build_argv(v, &cfg, &a), 0);
	vb_qemu_argv_string(&a, l, sizeof(l));
	common(l);
	virtio(l);
	HAS(l, "-accel tcg -cpu EPYC,");
	HAS(l, ",-nrip-save,");
	HASNT(l, "vapic");
}
END_TEST

/* A backend with the QEMU callbacks that the table did not make is refused, never guessed. */
START_TEST(unknown_variant_is_refused)
{
	struct vb_backend fake = *vb_backend_find("type2");
	struct vb_run_ctx ctx = { .agent_path = "/proc/self/exe" };
	struct vb_instance in = { .be = &fake, .name = "x" };
	char why[256] = "";

	fake.name = "x";
	ck_assert_ptr_null(vb_qemu_variant_of(&fake, why, sizeof(why)));
	ck_assert_str_eq(why, "no QEMU variant for backend 'x'");
	why[0] = '\0';
	ck_assert_int_eq(fake.available(&fake, &ctx, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "no QEMU variant for backend 'x'");
	why[0] = '\0';
	ck_assert_int_eq(fake.start(&in, &ctx, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "no QEMU variant for backend 'x'");
	ck_assert_int_eq(in.pid, 0);
	fake.stop(&in);
	ck_assert_ptr_null(in.priv);
}
END_TEST

/*
 * start() and the floor launch the same command line with the run's
 * settings but for -initrd: build both, as each does, and compare them.
 */
START_TEST(floor_argv_differs_in_initrd_only)
{
	static struct vb_qemu_argv start, floor;
	const char *names[] = { "type1", "paravirt", "type2", "type2-pv" };
	struct vb_run_ctx ctx = { .pus = { 1, 3 }, .npus = 2, .memory_mb = 512,
				  .cpu_model = "max", .qemu_args = "-s -S" };
	char l[VB_QEMU_ARG_BYTES];

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		struct vb_qemu_cfg s = { .vmlinux = "/c/vmlinux", .initrd = "/c/initrd.cpio",
					 .console_log = "/w/console.log", .disk = "/w/disk.img" };
		struct vb_qemu_cfg f = s;
		int differ = 0;

		f.initrd = "/w/floor/init.cpio";
		ck_assert_int_eq(vb_qemu_launch_argv(variant(names[k]), &ctx, &s, &start), 0);
		ck_assert_int_eq(vb_qemu_launch_argv(variant(names[k]), &ctx, &f, &floor), 0);
		ck_assert_int_eq(start.argc, floor.argc);
		for (int i = 0; i < start.argc; i++) {
			if (strcmp(start.argv[i], floor.argv[i]) == 0)
				continue;
			differ++;
			ck_assert_str_eq(start.argv[i - 1], "-initrd");
			ck_assert_str_eq(floor.argv[i], "/w/floor/init.cpio");
		}
		ck_assert_int_eq(differ, 1);
		/* the run's settings, in both */
		vb_qemu_argv_string(&floor, l, sizeof(l));
		HAS(l, "-cpu max -");
		HAS(l, "-smp 2 -m 512 ");
		HAS(l, "-chardev socket,id=chan,fd=3 ");
		HAS(l, "-chardev socket,id=qmp,fd=4 ");
		ck_assert_str_eq(floor.argv[floor.argc - 1], "-S");
	}
}
END_TEST

static double counter(json_t *counters, const char *name)
{
	size_t i;
	json_t *c;

	json_array_foreach(counters, i, c)
		if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
			return json_number_value(json_object_get(c, "value"));
	return -1;
}

START_TEST(jit_text_counters)
{
	const char *text = "Translation buffer state:\n"
			   "gen code size       51339971/1073736704\n"
			   "TB count            93146\n"
			   "TB avg target size  17 max=1994 bytes\n"
			   "cross page TB count 290 (0%)\n"
			   "\nStatistics:\nTB flush count      2\n"
			   "TLB full flushes    1234\nTLB partial flushes 55\n"
			   "TB count garbage\n";
	json_t *c = json_array();

	vb_qmp_jit_counters(text, c);
	ck_assert_double_eq(counter(c, "tcg.tb_count"), 93146);
	ck_assert_double_eq(counter(c, "tcg.code_bytes"), 51339971);
	ck_assert_double_eq(counter(c, "tcg.tb_cross_page"), 290);
	ck_assert_double_eq(counter(c, "tcg.tb_flushes"), 2);
	ck_assert_double_eq(counter(c, "tcg.tlb_full_flushes"), 1234);
	ck_assert_double_eq(counter(c, "tcg.tlb_partial_flushes"), 55);
	ck_assert_double_eq(counter(c, "tcg.tb_invalidates"), -1);
	ck_assert_uint_eq(json_array_size(c), 6);
	json_decref(c);
}
END_TEST

START_TEST(kvm_stats_counters)
{
	json_t *stats = json_loads(
		"[{\"provider\":\"kvm\",\"stats\":[{\"name\":\"exits\",\"value\":10},"
		"{\"name\":\"halt_poll_hist\",\"value\":[1,2]}]},"
		"{\"provider\":\"kvm\",\"stats\":[{\"name\":\"exits\",\"value\":5},"
		"{\"name\":\"io_exits\",\"value\":3}]}, 7, {\"stats\":\"x\"}]", 0, NULL);
	json_t *c = json_array();

	vb_qmp_stats_counters(stats, c);
	ck_assert_double_eq(counter(c, "kvm.exits"), 15);
	ck_assert_double_eq(counter(c, "kvm.io_exits"), 3);
	ck_assert_uint_eq(json_array_size(c), 2);
	json_decref(c);
	json_decref(stats);
}
END_TEST

Suite *suite_qemu(void)
{
	Suite *s = suite_create("qemu");
	TCase *tc = tcase_create("qemu");

	tcase_add_test(tc, type1_line);
	tcase_add_test(tc, paravirt_line);
	tcase_add_test(tc, type2_lines);
	tcase_add_test(tc, argv_overflow_is_an_error);
	tcase_add_test(tc, variant_traits);
	tcase_add_test(tc, lab_l1_line);
	tcase_add_test(tc, unknown_variant_is_refused);
	tcase_add_test(tc, floor_argv_differs_in_initrd_only);
	tcase_add_test(tc, jit_text_counters);
	tcase_add_test(tc, kvm_stats_counters);
	suite_add_tcase(s, tc);
	return s;
}
