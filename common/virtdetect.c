/* SPDX-License-Identifier: MIT */
#include "virtdetect.h"

#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

void vb_cpuid_hv_signature(char sig[13], int *present)
{
	unsigned a, b, c, d;

	sig[0] = '\0';
	*present = 0;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return;
	*present = 1;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
}

static void evidence(json_t *ev, const char *signal, const char *value)
{
	if (!ev)
		return;
	json_array_append_new(ev, json_pack("{s:s, s:s}", "signal", signal, "value", value));
}

int vb_read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return -1;
	if (fgets(buf, (int)n, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

/* Whether the first "flags" line of /proc/cpuinfo lists flag. */
static int cpuinfo_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "flags", 5) || !colon)
			continue;
		for (char *save = NULL, *t = strtok_r(colon + 1, " \n", &save); t;
		     t = strtok_r(NULL, " \n", &save))
			found |= strcmp(t, flag) == 0;
		break;
	}
	fclose(f);
	return found;
}

static const char *vm_from_signature(const char *sig)
{
	static const struct { const char *sig, *name; } map[] = {
		{ "KVMKVMKVM", "kvm" }, { "TCGTCGTCGTCG", "qemu-tcg" },
		{ "Microsoft Hv", "hyperv" }, { "VMwareVMware", "vmware" },
		{ "XenVMMXenVMM", "xen" }, { "bhyve bhyve ", "bhyve" },
		{ "ACRNACRNACRN", "acrn" }, { "VBoxVBoxVBox", "virtualbox" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(sig, map[i].sig, strlen(map[i].sig)) == 0)
			return map[i].name;
	return "unknown";
}

/* dmesg line naming the hypervisor ("Hypervisor detected: PVM"). */
static int dmesg_hypervisor(char *out, size_t n)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *p;
	int found = 0;

	if (len <= 0)
		return 0;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return 0;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len > 0) {
		buf[len] = '\0';
		p = strstr(buf, "Hypervisor detected: ");
		if (p) {
			p += strlen("Hypervisor detected: ");
			snprintf(out, n, "%.*s", (int)strcspn(p, "\n"), p);
			found = 1;
		}
	}
	free(buf);
	return found;
}

const char *vb_container_marker(json_t *ev)
{
	char line[512];
	const char *env = getenv("container");

	if (access("/.dockerenv", F_OK) == 0) {
		evidence(ev, "/.dockerenv", "present");
		return "docker";
	}
	if (access("/run/.containerenv", F_OK) == 0) {
		evidence(ev, "/run/.containerenv", "present");
		return "podman";
	}
	if (env && *env) {
		evidence(ev, "environment container=", env);
		return env;
	}
	/* Our own agent in a container is told so by the harness. */
	vb_read_line("/run/vbench-container", line, sizeof(line));
	if (line[0]) {
		evidence(ev, "/run/vbench-container", line);
		return "oci";
	}
	return "none";
}

json_t *vb_detect_virt(void)
{
	json_t *ev = json_array();
	const char *vm = "none";
	char sig[13], buf[256];
	int hv;

	vb_cpuid_hv_signature(sig, &hv);
	evidence(ev, "cpuid.1:ecx.hypervisor", hv ? "set" : "clear");
	if (hv) {
		evidence(ev, "cpuid.0x40000000 signature", sig);
		vm = vm_from_signature(sig);
	}
	if (cpuinfo_flag("hypervisor"))
		evidence(ev, "/proc/cpuinfo flags", "hypervisor");
	vb_read_line("/sys/class/dmi/id/sys_vendor", buf, sizeof(buf));
	if (buf[0])
		evidence(ev, "dmi sys_vendor", buf);
	vb_read_line("/sys/class/dmi/id/product_name", buf, sizeof(buf));
	if (buf[0])
		evidence(ev, "dmi product_name", buf);
	if (dmesg_hypervisor(buf, sizeof(buf))) {
		evidence(ev, "dmesg Hypervisor detected", buf);
		/* The kernel knows better than the signature (PVM shows bhyve's). */
		if (strcmp(buf, "PVM") == 0)
			vm = "pvm";
		else if (strcmp(vm, "none") == 0 || strcmp(vm, "unknown") == 0)
			vm = strcmp(buf, "KVM") == 0 ? "kvm" : "unknown";
	}
	vb_read_line("/sys/hypervisor/type", buf, sizeof(buf));
	if (buf[0]) {
		evidence(ev, "/sys/hypervisor/type", buf);
		if (strcmp(vm, "none") == 0)
			vm = buf[0] == 'x' ? "xen" : "unknown";
	}
	const char *ct = vb_container_marker(ev);
	return json_pack("{s:s, s:s, s:o}", VB_VIRT_VM, vm, VB_VIRT_CONTAINER, ct, VB_VIRT_EVIDENCE,
			 ev);
}
