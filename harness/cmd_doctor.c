/* SPDX-License-Identifier: MIT */
/* vbench doctor: what this host offers for each part of vbench, and why not. */
#include "cgroup.h"
#include "exec.h"
#include "hostinfo.h"
#include "pin.h"
#include "../common/proto.h"
#include "../common/virtdetect.h"
#include "../probes/probes.h"

#include <errno.h>
#include <getopt.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static json_t *check(const char *name, int ok, const char *detail)
{
	return json_pack("{s:s, s:b, s:s}", "name", name, "ok", ok, "detail", detail);
}

/* From host.kvm (kvmhost.c): which KVM backs /dev/kvm and whether it runs guests. */
static json_t *check_kvm(const json_t *kvm)
{
	int runs = json_is_true(json_object_get(kvm, "runs_guests"));
	char d[1024];
	json_t *c;

	snprintf(d, sizeof(d), "%s, %s, %s%s%s", vb_json_str(kvm, "impl", "?"),
		 json_is_true(json_object_get(kvm, "nested")) ? "nested (this host is itself a VM)"
							      : "not nested",
		 runs ? "runs unmodified guests" : "does not run unmodified guests: ",
		 runs ? "" : vb_json_str(kvm, "reason", ""),
		 runs ? "" : "; so type1 and paravirt run in the emulated lab (QEMU TCG with "
			     "AMD SVM, real KVM inside; docs/lab.md), unless --lab none");
	c = check("kvm", runs, d);
	json_object_set_new(c, "evidence", json_string(vb_json_str(kvm, "evidence", "")));
	return c;
}

static json_t *check_pmu(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(a),
		.config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1, .exclude_kernel = 1,
	};
	char d[256];
	int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);

	if (fd < 0) {
		snprintf(d, sizeof(d), "unavailable: perf_event_open(cycles): %s%s",
			 strerror(errno), errno == ENOENT ? " (no hardware PMU exposed)" : "");
		return check("pmu", 0, d);
	}
	close(fd);
	return check("pmu", 1, "hardware cycles counter opens");
}

static json_t *check_ebpf(void)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
			     .value_size = 8, .max_entries = 1 };
	struct stat st;
	char d[256];
	int fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));

	if (fd < 0) {
		snprintf(d, sizeof(d), "unavailable: bpf(MAP_CREATE): %s%s", strerror(errno),
			 geteuid() ? " (needs root)" : "");
		return check("ebpf", 0, d);
	}
	close(fd);
	if (stat("/sys/kernel/btf/vmlinux", &st)) {
		snprintf(d, sizeof(d), "unavailable: no kernel BTF (/sys/kernel/btf/vmlinux)");
		return check("ebpf", 0, d);
	}
	int tracefs = access("/sys/kernel/tracing/events", F_OK) == 0;
	snprintf(d, sizeof(d), "bpf() works, kernel BTF present, tracefs %s",
		 tracefs ? "mounted" : "not mounted at /sys/kernel/tracing");
	return check("ebpf", 1, d);
}

static json_t *check_tool(const char *name, const char *tool, const char *vflag)
{
	char path[256], line[256], err[400], d[1024];

	if (!vb_which(tool, path, sizeof(path))) {
		snprintf(d, sizeof(d), "unavailable: %s not installed", tool);
		return check(name, 0, d);
	}
	/* vflag may hold several words: split on spaces (no quoting needed) */
	char flags[128], *argv[8] = { path }, *save = NULL;
	int k = 1;

	snprintf(flags, sizeof(flags), "%s", vflag);
	for (char *t = strtok_r(flags, " ", &save); t && k < 7; t = strtok_r(NULL, " ", &save))
		argv[k++] = t;
	if (vb_exec_line(argv, line, sizeof(line), err, sizeof(err))) {
		snprintf(d, sizeof(d), "%s does not run: %s", path, err);
		return check(name, 0, d);
	}
	snprintf(d, sizeof(d), "%s: %s", path, line);
	return check(name, 1, d);
}

static json_t *check_cgroups(void)
{
	const char *layout = vb_cgroup_layout(), *root = vb_cgroup2_root();
	char d[256];

	snprintf(d, sizeof(d), "layout %s; cgroup v2 tree at %s%s", layout,
		 root ? root : "(none)",
		 strcmp(layout, "hybrid") == 0 ? " (crun refuses hybrid hosts directly; "
						 "vbench runs it in a private mount namespace)" : "");
	return check("cgroups", root != NULL, d);
}

/* Attach every probe set once, as a run would, and say which work here. */
static json_t *probe_checks(void)
{
	char err[256];
	struct vb_probes *p = vb_probes_open("kvm,qemu,block,pf,tlb,sched,syscalls,pmu", err,
					     sizeof(err));
	json_t *st;

	if (!p)
		return json_pack("[{s:s, s:s, s:s}]", "probe", "all", "status", "unavailable",
				 "reason", err);
	st = vb_probes_status(p);
	vb_probes_close(p);
	return st;
}

static void print_virt(json_t *virt)
{
	size_t i;
	json_t *e;

	printf("host virtualization: vm=%s container=%s\n", vb_json_str(virt, VB_VIRT_VM, "?"),
	       vb_json_str(virt, VB_VIRT_CONTAINER, "?"));
	json_array_foreach(json_object_get(virt, VB_VIRT_EVIDENCE), i, e)
		printf("    %-30s %s\n", vb_json_str(e, "signal", ""), vb_json_str(e, "value", ""));
	if (strcmp(vb_json_str(virt, VB_VIRT_VM, "none"), "none"))
		printf("    note: 'bare' on this host is itself a guest of a hypervisor\n");
}

int vb_cmd_doctor(int argc, char **argv)
{
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;

	if (argc > 1 && !json) {
		if (strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
			fprintf(stderr, "vbench doctor: unknown argument '%s'\n", argv[1]);
			return 2;
		}
		printf("usage: vbench doctor [--json]\nWhat this host offers vbench, with the "
		       "reason for anything missing.\n");
		return 0;
	}
	char who[64];
	snprintf(who, sizeof(who), "euid %d", (int)geteuid());
	json_t *host = vb_host_json(), *checks = json_array();
	json_array_append_new(checks, check("root", geteuid() == 0,
					    geteuid() == 0 ? "running as root"
							   : "not root: eBPF, cgroups, KVM and containers need root"));
	json_array_append_new(checks, check_kvm(json_object_get(host, "kvm")));
	json_array_append_new(checks, check_pmu());
	json_array_append_new(checks, check_ebpf());
	json_array_append_new(checks, check_cgroups());
	json_array_append_new(checks, check_tool("qemu", "qemu-system-x86_64", "--version"));
	json_array_append_new(checks, check_tool("crun", "crun", "--version"));
	json_array_append_new(checks, check_tool("runc", "runc", "--version"));
	json_array_append_new(checks, check_tool("podman", "podman", "--version"));
	json_array_append_new(checks, check_tool("docker", "docker", "version --format=server:{{.Server.Version}}"));
	json_array_append_new(checks, check_tool("gnuplot", "gnuplot", "--version"));
	json_t *doc = json_pack("{s:o, s:o, s:o}", "host", host, "checks", checks,
				"probes", probe_checks());

	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		json_t *c;
		size_t i;

		printf("host: %s, kernel %s, %s, %lld CPUs\n", vb_json_str(host, "hostname", ""),
		       vb_json_str(host, "kernel", ""), vb_json_str(host, "cpu_model", ""),
		       vb_json_int(host, "cpus", 0));
		printf("topology: %s\n",
		       vb_json_str(json_object_get(host, "topology"), "summary", "?"));
		print_virt(json_object_get(host, "virt"));
		json_array_foreach(checks, i, c) {
			printf("%-8s %-4s %s\n", vb_json_str(c, "name", ""),
			       json_is_true(json_object_get(c, "ok")) ? "ok" : "no",
			       vb_json_str(c, "detail", ""));
			if (json_object_get(c, "evidence"))
				printf("              evidence: %s\n", vb_json_str(c, "evidence", ""));
		}
		printf("probe sets (vbench run --probes LIST; default: all but qemu and syscalls):\n");
		json_array_foreach(json_object_get(doc, "probes"), i, c)
			printf("  %-9s %s%s%s\n", vb_json_str(c, "probe", ""),
			       vb_json_str(c, "status", ""), json_object_get(c, "reason") ? ": " : "",
			       vb_json_str(c, "reason", ""));
	}
	json_decref(doc);
	return 0;
}
