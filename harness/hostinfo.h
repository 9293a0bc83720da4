/* SPDX-License-Identifier: MIT */
#ifndef VB_HOSTINFO_H
#define VB_HOSTINFO_H

#include <jansson.h>

/*
 * hostname, machine id, kernel, CPU model, cpus, memory, virtualization,
 * KVM, topology, and vb_host_tuning_json("/").
 */
json_t *vb_host_json(void);
/*
 * The machine id as vbench records it: not /etc/machine-id itself, which
 * machine-id(5) says is confidential, but what systemd's
 * sd_id128_get_machine_app_specific() derives from it for vbench's app id
 * (see hostinfo.c), 32 lowercase hex digits: the same on every run on one
 * machine, and nothing that leads back to the machine's own id. Read from
 * /etc/machine-id, else /var/lib/dbus/machine-id; "unavailable: <reason>"
 * where neither holds 32 hex digits (a newline may follow) other than all
 * zeros. root as for vb_host_tuning_json.
 */
json_t *vb_host_machine_id_json(const char *root);
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
