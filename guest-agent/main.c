/* SPDX-License-Identifier: MIT */
/*
 * vbench-agent: one static binary holding every workload. It speaks the
 * NDJSON protocol on stdin/stdout (or a given fd or device) to the vbench
 * harness, in whatever environment a backend started it.
 */
#include "agent.h"
#include "version.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench-agent [--fd N | --device PATH] [--scratch PATH] [--role NAME]\n"
		"Serve the vbench protocol (NDJSON) on stdin/stdout, fd N or a device.\n"
		"  --fd N          use file descriptor N both ways\n"
		"  --device PATH   open PATH (a serial port, a virtio-serial port)\n"
		"  --scratch PATH  I/O scratch target for the io.* workloads\n"
		"  --role NAME     what started us: bare, container, vm (said in hello)\n"
		"  --version, --help\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fd", required_argument, NULL, 'f' },
		{ "device", required_argument, NULL, 'd' },
		{ "scratch", required_argument, NULL, 's' },
		{ "role", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	/* first: in a VM's init, where the kernel's part of the boot ends (said in hello) */
	double exec_ms = vb_agent_boottime_ms();
	struct vb_agent_opts o = { .in_fd = 0, .out_fd = 1, .role = "bare" };
	int c;

	/*
	 * Buffers of 128 KiB and more are mapped, and unmapped when freed, and
	 * the heap gives back what it does not use: glibc's default raises its
	 * mmap threshold after the first large free and then keeps freed
	 * buffers resident. The agent's footprint would depend on the order in
	 * which earlier workloads ran, differently in each instance, and
	 * cpu.fork copies a page-table entry per resident page (two instances of
	 * one backend measured fork at 950 and 1580 us/op that way).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	if (vb_agent_is_vm_init())
		return vb_agent_vm_init(exec_ms);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			char *end;
			long fd = strtol(optarg, &end, 10);

			if (*end || fd < 0 || fd > 65535) {
				fprintf(stderr, "vbench-agent: bad --fd '%s'\n", optarg);
				return 2;
			}
			o.in_fd = o.out_fd = (int)fd;
			break;
		}
		case 'd':
			o.in_fd = o.out_fd = open(optarg, O_RDWR | O_NOCTTY | O_CLOEXEC);
			if (o.in_fd < 0) {
				fprintf(stderr, "vbench-agent: open %s: %s\n", optarg, strerror(errno));
				return 1;
			}
			break;
		case 's': o.scratch = optarg; break;
		case 'r': o.role = optarg; break;
		case 'V': printf("vbench-agent %s\n", VB_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	return vb_agent_serve(&o);
}
