/* SPDX-License-Identifier: MIT */
#ifndef VB_HOSTINFO_H
#define VB_HOSTINFO_H

#include <jansson.h>

/* hostname, kernel, CPU model, cpus, memory, virtualization, KVM, topology. */
json_t *vb_host_json(void);
/* The CPU model string from /proc/cpuinfo, "" if unknown. */
void vb_cpu_model(char *buf, size_t n);

#endif
