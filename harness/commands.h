/* SPDX-License-Identifier: MIT */
/*
 * The vbench subcommands: X(name, summary) for an
 * `int vb_cmd_<name>(int argc, char **argv)` (argv[0] is the subcommand;
 * returns the exit status: 0 ok, 1 failure/regression, 2 bad usage/input).
 */
#define VB_COMMANDS(X) \
	X(run, "run workloads on backends and write a result file") \
	X(list, "list backends (with availability) and workloads") \
	X(doctor, "what this host offers: root, KVM, PMU, eBPF, QEMU, OCI runtime, cgroups") \
	X(image, "build and cache the guest kernel and initramfs the VM backends boot") \
	X(report, "turn result files into an HTML/Markdown report with gnuplot charts") \
	X(compare, "flag regressions between two result files (exit 1 on regression)") \
	X(history, "draw each metric over many result files, with the points compare flags")
