/* SPDX-License-Identifier: MIT */
#ifndef VB_HOSTINFO_H
#define VB_HOSTINFO_H

#include <jansson.h>

/*
 * hostname, kernel, CPU model, cpus, memory, virtualization, KVM, topology,
 * and vb_host_tuning_json("/").
 */
json_t *vb_host_json(void);
/*
 * What makes the same code run at another speed on the same CPU model:
 * {"kernel_cmdline", "microcode", "mitigations": {vulnerability: state},
 *  "cpufreq_governor", "smt_control", "smt_active"}, each the text read or
 * "unavailable: <reason>" (mitigations too, when its directory is). root:
 * "/" for this host, or a fixture directory standing for it. Reads files
 * only: it runs at every vbench run.
 */
json_t *vb_host_tuning_json(const char *root);
/* The CPU model string from /proc/cpuinfo, "" if unknown. */
void vb_cpu_model(char *buf, size_t n);

#endif
