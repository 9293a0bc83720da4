/* SPDX-License-Identifier: MIT */
/*
 * The KVM this host has: which module backs /dev/kvm, whether it runs
 * nested, and whether it can run an unmodified guest kernel (what type1
 * and paravirt need). An open /dev/kvm answering API 12 is not enough:
 * kvm-pvm answers it and runs a real-mode probe, yet cannot boot Linux.
 */
#ifndef VB_KVMHOST_H
#define VB_KVMHOST_H

#include <jansson.h>

enum vb_kvm_impl { VB_KVM_NONE, VB_KVM_INTEL, VB_KVM_AMD, VB_KVM_PVM, VB_KVM_UNKNOWN };

struct vb_kvm_host {
	enum vb_kvm_impl impl;  /* which module backs /dev/kvm; NONE: no /dev/kvm */
	int nested;             /* 1: the host is itself a VM, so its KVM runs nested */
	int runs_guests;        /* 1: can run an unmodified guest kernel */
	int api;                /* KVM_GET_API_VERSION, or -1 */
	char why[512];          /* when !runs_guests: the precise reason */
	char evidence[512];     /* the signals it decided from, "; "-separated */
};

/*
 * Probe the running host (root NULL or "/") or a fixture tree (root = a
 * directory holding sys/module/<module>/..., a file dev/kvm standing for
 * the device and a file `hypervisor` holding the CPUID hypervisor
 * signature when the host is a VM). The KVM API probe (a real-mode guest
 * doing `out` then `hlt`) runs on the real host only. Returns 0; fills k.
 */
int vb_kvm_host_probe(const char *root, struct vb_kvm_host *k);
/* "none", "kvm_intel", "kvm_amd", "kvm_pvm", "unknown" */
const char *vb_kvm_impl_name(enum vb_kvm_impl i);
/* {"impl", "nested": bool, "runs_guests": bool, "api", "reason": str|null, "evidence"} */
json_t *vb_kvm_host_json(const struct vb_kvm_host *k);

#endif
