/* SPDX-License-Identifier: MIT */
/* `vbench image`: build (or find in the cache) the guest kernel and initramfs. */
#include "image/image.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vbench image [--cache DIR] [--kernel PATH --modules DIR] [--agent PATH]\n"
		"                    [--flavor emulated|virtio|all] [-v]\n"
		"Build and cache the guest image the VM backends boot: the kernel as an ELF\n"
		"vmlinux (Debian's linux-image-amd64 unless --kernel) and an initramfs per\n"
		"flavor with vbench-agent as /init. Prints what it uses.\n");
}

int vb_cmd_image(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cache", required_argument, NULL, 'c' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "modules", required_argument, NULL, 'm' },
		{ "agent", required_argument, NULL, 'a' },
		{ "flavor", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vb_image_req r = { 0 };
	const char *flavor = "all";
	char agent[PATH_MAX], err[1024];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': r.cache_dir = optarg; break;
		case 'k': r.kernel = optarg; break;
		case 'm': r.modules = optarg; break;
		case 'a': r.agent = optarg; break;
		case 'f': flavor = optarg; break;
		case 'v': r.verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (r.modules && !r.kernel) ||
	    (strcmp(flavor, "all") && strcmp(flavor, "emulated") && strcmp(flavor, "virtio"))) {
		usage(stderr);
		return 2;
	}
	if (r.kernel && !r.modules) {
		fprintf(stderr, "vbench image: --kernel needs --modules DIR\n");
		return 2;
	}
	if (!r.agent) {
		if (vb_agent_path(agent, sizeof(agent), err, sizeof(err))) {
			fprintf(stderr, "vbench image: %s\n", err);
			return 1;
		}
		r.agent = agent;
	}
	for (int f = 0; f < VB_GUEST_NFLAVORS; f++) {
		struct vb_image img;

		/* the lab's L1 image is the lab's to build, with its payload */
		if (f == VB_GUEST_L1 ||
		    (strcmp(flavor, "all") && strcmp(flavor, vb_guest_flavor_name(f))))
			continue;
		if (vb_image_ensure(&r, f, &img, err, sizeof(err))) {
			fprintf(stderr, "vbench image: %s\n", err);
			return 1;
		}
		if (f == 0 || strcmp(flavor, "all"))
			printf("kernel   %s\nvmlinux  %s\nmodules  %s\n", img.k.release,
			       img.k.vmlinux, img.k.modules);
		printf("initrd   %s (%s)%s\n", img.initrd, vb_guest_flavor_name(f),
		       img.built ? " built" : "");
	}
	return 0;
}
