/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the ELF readers of the image and lab builders, on a
 * crafted file. vb_modinfo reads a kernel module's .modinfo from memory;
 * vb_elfdeps_add reads a program's PT_INTERP and DT_NEEDED from a path,
 * here /proc/self/fd/N of a memfd holding the input (its DT_NEEDED
 * libraries are then read from this host's library directories).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../harness/image/modules.h"
#include "../../harness/lab/elfdeps.h"

static int memfd = -1;
static char memfd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("fuzz_elf", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

/* A module key: a value that fits out, or a refusal with a reason. */
static void modinfo(const uint8_t *data, size_t size, const char *key)
{
	char out[256], err[256] = "";

	if (vb_modinfo(data, size, key, out, sizeof(out), err, sizeof(err)) == 0) {
		if (memchr(out, '\0', sizeof(out)) == NULL)
			abort();
	} else if (!err[0]) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vb_elfdeps d; /* 1 MiB of paths: not on the stack */
	char err[512] = "";

	modinfo(data, size, "depends");
	modinfo(data, size, "name");
	if (ftruncate(memfd, 0) || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	d.n = 0;
	if (vb_elfdeps_add(&d, memfd_path, err, sizeof(err)) && !err[0])
		abort(); /* refused without a reason */
	return 0;
}
