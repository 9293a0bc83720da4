/* SPDX-License-Identifier: MIT */
/*
 * Detect whether we run virtualized (VM and/or container), from several
 * independent signals, keeping the evidence: a "bare" machine in a cloud
 * is often itself a guest (this project's CI host is a PVM guest).
 */
#ifndef VB_VIRTDETECT_H
#define VB_VIRTDETECT_H

#include <jansson.h>

/* The keys of vb_detect_virt()'s object, for its writers and readers alike. */
#define VB_VIRT_VM "vm"
#define VB_VIRT_CONTAINER "container"
#define VB_VIRT_EVIDENCE "evidence"

/*
 * Returns {"vm": "kvm"|"pvm"|...|"none", "container": "docker"|...|"none",
 *          "evidence": [ {"signal": ..., "value": ...}, ... ]}.
 */
json_t *vb_detect_virt(void);
/*
 * First line of a small file (sysfs, procfs), without its newline; "" when
 * unreadable. 0, or -1 with errno when the file cannot be opened.
 */
int vb_read_line(const char *path, char *buf, size_t n);

/* CPUID hypervisor signature (leaf 0x40000000), "" when the bit is clear. */
void vb_cpuid_hv_signature(char sig[13], int *present);

/*
 * The container we run in ("docker", "podman", "oci", the value of
 * $container...) or "none", from marker files and the environment; the
 * evidence is appended to ev when it is not NULL.
 */
const char *vb_container_marker(json_t *ev);

#endif
