/* SPDX-License-Identifier: MIT */
/*
 * Which KVM backs /dev/kvm and whether it runs guests, from fixture trees
 * of each flavour (this host's: tests/host/test_kvm.c).
 *
 * A fixture is tests/data/kvm/<flavour>/, standing for "/":
 *   sys/module/<module>/parameters/<p>  a loaded module and its parameters
 *   dev/kvm                             an (empty) file: /dev/kvm exists
 *   hypervisor                          the CPUID hypervisor signature: the host is a VM
 * The KVM API probe never runs on a fixture; evidence says it was skipped.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../harness/kvmhost.h"

#define FIXTURES "tests/data/kvm/"
#define HAS(s, sub) ck_assert_msg(strstr(s, sub) != NULL, "missing '%s' in '%s'", sub, s)

static struct vb_kvm_host fixture(const char *flavour)
{
	struct vb_kvm_host k;
	char root[256];
	struct stat st;

	snprintf(root, sizeof(root), FIXTURES "%s", flavour);
	ck_assert_msg(stat(root, &st) == 0, "no fixture %s (run from the source tree)", root);
	memset(&k, 0x5a, sizeof(k)); /* the probe must fill everything */
	ck_assert_int_eq(vb_kvm_host_probe(root, &k), 0);
	ck_assert_int_eq(k.api, -1);
	return k;
}

START_TEST(intel_bare)
{
	struct vb_kvm_host k = fixture("intel-bare");

	ck_assert_int_eq(k.impl, VB_KVM_INTEL);
	ck_assert_int_eq(k.nested, 0);
	ck_assert_int_eq(k.runs_guests, 1);
	HAS(k.evidence, "/sys/module/kvm_intel/parameters/ept=Y");
	HAS(k.evidence, "/sys/module/kvm_intel/parameters/nested=Y");
	HAS(k.evidence, "KVM API probe skipped");
}
END_TEST

START_TEST(amd_nested)
{
	struct vb_kvm_host k = fixture("amd-nested");

	ck_assert_int_eq(k.impl, VB_KVM_AMD);
	ck_assert_int_eq(k.nested, 1);
	ck_assert_int_eq(k.runs_guests, 1);
	HAS(k.evidence, "/sys/module/kvm_amd/parameters/npt=Y");
	HAS(k.evidence, "KVMKVMKVM");
}
END_TEST

/* Flavour B: /dev/kvm opens and runs a real-mode guest, but it is kvm-pvm. */
START_TEST(pvm_host)
{
	struct vb_kvm_host k = fixture("pvm-host");

	ck_assert_int_eq(k.impl, VB_KVM_PVM);
	ck_assert_int_eq(k.nested, 1);
	ck_assert_int_eq(k.runs_guests, 0);
	ck_assert_str_eq(k.why, "/dev/kvm is kvm-pvm, which runs only PVM-enabled guest kernels");
	HAS(k.evidence, "/sys/module/kvm_pvm");
}
END_TEST

/* Flavour A: a PVM guest, kvm_pvm loaded but no /dev/kvm. */
START_TEST(pvm_guest_nokvm)
{
	struct vb_kvm_host k = fixture("pvm-guest-nokvm");

	ck_assert_int_eq(k.impl, VB_KVM_NONE);
	ck_assert_int_eq(k.nested, 1);
	ck_assert_int_eq(k.runs_guests, 0);
	HAS(k.why, "no /dev/kvm: No such file or directory");
	HAS(k.why, "kvm_pvm is loaded");
	HAS(k.evidence, "bhyve bhyve");
}
END_TEST

START_TEST(none)
{
	struct vb_kvm_host k = fixture("none");

	ck_assert_int_eq(k.impl, VB_KVM_NONE);
	ck_assert_int_eq(k.nested, 0);
	ck_assert_int_eq(k.runs_guests, 0);
	ck_assert_str_eq(k.why, "no /dev/kvm: No such file or directory");
}
END_TEST

/* /dev/kvm from a module vbench does not know: it runs guests, and says so. */
START_TEST(unknown_module)
{
	struct vb_kvm_host k = fixture("unknown");

	ck_assert_int_eq(k.impl, VB_KVM_UNKNOWN);
	ck_assert_int_eq(k.runs_guests, 1);
	HAS(k.evidence, "unknown module");
}
END_TEST

START_TEST(json_form)
{
	struct vb_kvm_host k = fixture("pvm-host");
	json_t *j = vb_kvm_host_json(&k);

	ck_assert_str_eq(json_string_value(json_object_get(j, "impl")), "kvm_pvm");
	ck_assert(json_is_true(json_object_get(j, "nested")));
	ck_assert(json_is_false(json_object_get(j, "runs_guests")));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "api")), -1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), k.why);
	ck_assert_str_eq(json_string_value(json_object_get(j, "evidence")), k.evidence);
	json_decref(j);

	k = fixture("intel-bare");
	j = vb_kvm_host_json(&k);
	ck_assert(json_is_null(json_object_get(j, "reason")));
	ck_assert(json_is_true(json_object_get(j, "runs_guests")));
	json_decref(j);
}
END_TEST

START_TEST(impl_names)
{
	ck_assert_str_eq(vb_kvm_impl_name(VB_KVM_NONE), "none");
	ck_assert_str_eq(vb_kvm_impl_name(VB_KVM_INTEL), "kvm_intel");
	ck_assert_str_eq(vb_kvm_impl_name(VB_KVM_AMD), "kvm_amd");
	ck_assert_str_eq(vb_kvm_impl_name(VB_KVM_PVM), "kvm_pvm");
	ck_assert_str_eq(vb_kvm_impl_name(VB_KVM_UNKNOWN), "unknown");
}
END_TEST

Suite *suite_kvmhost(void)
{
	Suite *s = suite_create("kvmhost");
	TCase *tc = tcase_create("kvmhost");

	tcase_add_test(tc, intel_bare);
	tcase_add_test(tc, amd_nested);
	tcase_add_test(tc, pvm_host);
	tcase_add_test(tc, pvm_guest_nokvm);
	tcase_add_test(tc, none);
	tcase_add_test(tc, unknown_module);
	tcase_add_test(tc, json_form);
	tcase_add_test(tc, impl_names);
	suite_add_tcase(s, tc);
	return s;
}
