/* SPDX-License-Identifier: MIT */
#include "hostinfo.h"
#include "kvmhost.h"
#include "pin.h"
#include "../common/virtdetect.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

void vb_cpu_model(char *buf, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(buf, n, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
}

json_t *vb_host_json(void)
{
	struct utsname u;
	struct vb_kvm_host kvm;
	char host[256] = "", cpu[256];

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	vb_cpu_model(cpu, sizeof(cpu));
	vb_kvm_host_probe("/", &kvm);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "hostname", host,
			 "kernel", u.release, "machine", u.machine, "cpu_model", cpu,
			 "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "mem_bytes",
			 (json_int_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE), "virt",
			 vb_detect_virt(), "kvm", vb_kvm_host_json(&kvm), "topology",
			 vb_topology_json());
}
