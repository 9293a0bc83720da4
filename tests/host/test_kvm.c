/* SPDX-License-Identifier: MIT */
/*
 * This host's KVM: the decision agrees with what is there (the KVM API
 * probe opens /dev/kvm and runs a real-mode guest), and where it runs no
 * guest the KVM backends say why.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../harness/backend.h"
#include "../../harness/kvmhost.h"

#define HAS(s, sub) ck_assert_msg(strstr(s, sub) != NULL, "missing '%s' in '%s'", sub, s)

/* This host, with the KVM API probe: the decision agrees with what is there. */
START_TEST(this_host)
{
	struct vb_kvm_host k;

	ck_assert_int_eq(vb_kvm_host_probe(NULL, &k), 0);
	printf("this host's KVM: %s, nested %d, runs guests %d%s%s\n  evidence: %s\n",
	       vb_kvm_impl_name(k.impl), k.nested, k.runs_guests, k.runs_guests ? "" : ": ",
	       k.runs_guests ? "" : k.why, k.evidence);
	ck_assert(k.evidence[0]);
	ck_assert(k.runs_guests || k.why[0]);
	if (access("/dev/kvm", F_OK)) {
		ck_assert_int_eq(k.impl, VB_KVM_NONE);
		ck_assert_int_eq(k.api, -1);
		return;
	}
	ck_assert_int_ne(k.impl, VB_KVM_NONE);
	if (access("/sys/module/kvm_pvm", F_OK) == 0) {
		ck_assert_int_eq(k.impl, VB_KVM_PVM);
		ck_assert_int_eq(k.runs_guests, 0);
	}
	/* Guests run only where the probe ran and saw its `out`. */
	if (k.runs_guests) {
		ck_assert_int_eq(k.api, 12);
		HAS(k.evidence, "KVM_EXIT_IO");
	}
	/* Where /dev/kvm opened and answered, the probe ran (on kvm-pvm too). */
	if (k.api == 12)
		HAS(k.evidence, "real-mode probe");
}
END_TEST

START_TEST(kvm_availability)
{
	const struct vb_backend *be = vb_backend_find("type1");
	struct vb_run_ctx ctx = { .agent_path = "/proc/self/exe" };
	struct vb_kvm_host k;
	char why[1024] = "";

	ck_assert_ptr_nonnull(be);
	ck_assert_ptr_nonnull(vb_backend_find("paravirt"));
	ck_assert_ptr_nonnull(vb_backend_find("type2"));
	ck_assert_ptr_nonnull(vb_backend_find("type2-pv"));
	vb_kvm_host_probe("/", &k);
	if (k.runs_guests) {
		printf("skip: this host's KVM runs guests; the unavailable path is not reachable\n");
		return;
	}
	if (access("/usr/bin/qemu-system-x86_64", X_OK)) {
		printf("skip: no qemu-system-x86_64\n");
		return;
	}
	ck_assert_int_eq(be->available(be, &ctx, why, sizeof(why)), 0);
	ck_assert_str_eq(why, k.why);
	ck_assert_ptr_nonnull(strstr(why, "/dev/kvm"));
}
END_TEST

Suite *suite_host_kvm(void)
{
	Suite *s = suite_create("host_kvm");
	TCase *tc = tcase_create("kvm");

	tcase_add_test(tc, this_host);
	tcase_add_test(tc, kvm_availability);
	suite_add_tcase(s, tc);
	return s;
}
