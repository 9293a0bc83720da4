/* SPDX-License-Identifier: MIT */
#ifndef VB_KVM_EXITS_H
#define VB_KVM_EXITS_H

#include <stddef.h>

#define VB_ISA_VMX 1   /* KVM_ISA_VMX in the kvm_exit tracepoint */
#define VB_ISA_SVM 2   /* KVM_ISA_SVM */

/*
 * "vmx.ept_violation", "svm.npf", ...: the name of a kvm_exit reason as
 * the kernel's own tables (VMX_EXIT_REASONS, SVM_EXIT_REASONS) say it,
 * lower case; "vmx.0x..." for a code it does not name. Writes into buf.
 */
const char *vb_kvm_exit_name(unsigned isa, unsigned reason, char *buf, size_t n);

#endif
