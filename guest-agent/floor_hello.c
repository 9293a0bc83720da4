/* SPDX-License-Identifier: MIT */
/*
 * vbench-floor-hello: the floors' payload (harness/backend.h, floor()), the
 * least each kind of environment can start. It writes one line and ends;
 * as a VM's /init it writes it on the console and powers the VM off.
 * Nothing else, and nothing of vbench linked in: it is the floor.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE "vbench-floor-hello\n"

/* PID 1 and no container's marker: the agent's test (vb_agent_is_vm_init) */
static int vm_init(void)
{
	return getpid() == 1 && !getenv("container") && access("/.dockerenv", F_OK) &&
	       access("/run/.containerenv", F_OK) && access("/run/vbench-container", F_OK);
}

int main(void)
{
	int vm = vm_init(), fd = 1, ok;

	if (vm) {
		/* an initramfs of /init alone has no /dev/console for the kernel to open */
		if (access("/dev/console", F_OK)) {
			mkdir("/dev", 0755);
			mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		}
		fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	}
	ok = write(fd, LINE, sizeof(LINE) - 1) == sizeof(LINE) - 1;
	if (vm) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return ok ? 0 : 1;
}
