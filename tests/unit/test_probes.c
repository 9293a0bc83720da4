/* SPDX-License-Identifier: MIT */
/*
 * Probes: the counter format, exit names and the probe list. What needs
 * the host (the PMU, eBPF, QEMU) is in tests/host/test_probes.c.
 */
#include <check.h>
#include <string.h>

#include "../../common/counter.h"
#include "../../probes/kvm_exits.h"
#include "../../probes/probes.h"

/* ---- format and names ---- */

START_TEST(counter_format)
{
	json_t *ok = vb_counter("ebpf", "host", "block.requests", 12, "count");
	json_t *un = vb_counter_unavailable("pmu", "guest", "cycles", "no PMU: %s", "ENOENT");
	json_t *bad[] = {
		json_pack("{s:s, s:s, s:s, s:i, s:s}", "source", "x", "scope", "host", "name", "n",
			  "value", 1, "unit", "count"),
		json_pack("{s:s, s:s, s:s, s:i, s:s}", "source", "ebpf", "scope", "vm", "name", "n",
			  "value", 1, "unit", "count"),
		json_pack("{s:s, s:s, s:s, s:i}", "source", "ebpf", "scope", "host", "name", "n",
			  "value", 1),
		json_pack("{s:s, s:s, s:s, s:s}", "source", "ebpf", "scope", "host", "name", "n",
			  "value", "1"),
		json_pack("{s:s, s:s, s:s, s:s, s:i}", "source", "ebpf", "scope", "host", "name",
			  "n", "unavailable", "why", "value", 3),
		json_pack("{s:s, s:s, s:s, s:s}", "source", "ebpf", "scope", "host", "name", "",
			  "unavailable", "why"),
		json_pack("[i]", 1),
	};
	char why[128];

	ck_assert_int_eq(vb_counter_check(ok, why, sizeof(why)), 0);
	ck_assert_int_eq(vb_counter_check(un, why, sizeof(why)), 0);
	ck_assert_str_eq(json_string_value(json_object_get(un, "unavailable")), "no PMU: ENOENT");
	ck_assert_int_eq(json_integer_value(json_object_get(ok, "value")), 12);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(vb_counter_check(bad[i], why, sizeof(why)) == -1, "bad[%zu] passed", i);
		json_decref(bad[i]);
	}
	json_decref(ok);
	json_decref(un);
}
END_TEST

START_TEST(exit_names)
{
	char b[64];

	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x400, b, sizeof(b)), "svm.npf");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x7b, b, sizeof(b)), "svm.io");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x81, b, sizeof(b)), "svm.hypercall");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x13, b, sizeof(b)), "svm.write_cr3");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x27, b, sizeof(b)), "svm.read_dr7");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x4e, b, sizeof(b)), "svm.excp_pf");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x93, b, sizeof(b)), "svm.cr3_write_trap");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_SVM, 0x3ff, b, sizeof(b)), "svm.0x3ff");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_VMX, 48, b, sizeof(b)), "vmx.ept_violation");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_VMX, 30 | 1u << 27, b, sizeof(b)),
			 "vmx.io_instruction");
	ck_assert_str_eq(vb_kvm_exit_name(VB_ISA_VMX, 5, b, sizeof(b)), "vmx.0x5");
}
END_TEST

START_TEST(probe_list)
{
	char err[256] = "";
	struct vb_probes *p = vb_probes_open("block,nosuch", err, sizeof(err));

	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err, "'nosuch'"), "%s", err);
}
END_TEST

Suite *suite_probes(void)
{
	Suite *s = suite_create("probes");
	TCase *t = tcase_create("core");

	tcase_add_test(t, counter_format);
	tcase_add_test(t, exit_names);
	tcase_add_test(t, probe_list);
	suite_add_tcase(s, t);
	return s;
}
