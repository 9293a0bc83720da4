/* SPDX-License-Identifier: MIT */
/*
 * The agent as a VM's /init (PID 1 in an initramfs): mount what the
 * workloads and counters need, load the kernel modules the image holds
 * (no kmod here: /modules/NNN-name.ko in dependency order, written by the
 * harness), find the channel to the host, serve the protocol, then power
 * off. Every failure ends in a power-off, and returning from here makes
 * the kernel panic (panic=-1, QEMU -no-reboot): the guest never hangs.
 */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DEVICE_WAIT_MS 15000 /* modules probe devices asynchronously */

/* stderr is /dev/console: the host keeps it as the console log */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vbench-agent: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, MS_NOSUID, NULL) && errno != EBUSY)
		say("mount %s: %s", dir, strerror(errno));
}

static void step_done(struct vb_agent_opts *o, const char *name);

/* /modules/NNN-name.ko: name into out. */
static void module_name(const char *file, char *out, size_t n)
{
	const char *dash = strchr(file, '-');

	snprintf(out, n, "%.*s", (int)strcspn(dash ? dash + 1 : file, "."), dash ? dash + 1 : file);
}

static void load_modules(struct vb_agent_opts *o)
{
	struct dirent **ents;
	int n = scandir("/modules", &ents, NULL, alphasort);
	char path[300], name[64], step[32];

	for (int i = 0; i < n; i++) {
		int fd;

		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "/modules/%s", ents[i]->d_name);
			module_name(ents[i]->d_name, name, sizeof(name));
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST))
				say("load %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			/* timed one by one: life.start shows each */
			snprintf(step, sizeof(step), "module %.24s", name);
			step_done(o, step);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* The value of `vbench.<key>=` on the kernel command line, or "" */
static void cmdline_value(const char *key, char *out, size_t n)
{
	char line[4096] = "", want[64];
	FILE *f = fopen("/proc/cmdline", "re");

	out[0] = '\0';
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	snprintf(want, sizeof(want), "vbench.%s=", key);
	for (char *p = line, *tok; (tok = strsep(&p, " \n")) != NULL;)
		if (strncmp(tok, want, strlen(want)) == 0)
			snprintf(out, n, "%s", tok + strlen(want));
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* /dev/vportNpM of the virtio-serial port called name, or "" */
static void virtio_port(const char *name, char *dev, size_t n)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	char path[512], got[128];

	dev[0] = '\0';
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name);
		FILE *f = fopen(path, "re");

		if (!f)
			continue;
		if (fgets(got, sizeof(got), f) && (got[strcspn(got, "\n")] = '\0', 1) &&
		    strcmp(got, name) == 0)
			snprintf(dev, n, "/dev/%.64s", e->d_name);
		fclose(f);
	}
	if (d)
		closedir(d);
}

/*
 * The channel: vbench.channel=<virtio port name> or =/dev/ttySN (QEMU's
 * command line says which); devices appear while modules probe, so wait.
 */
static int open_channel(char *dev, size_t n)
{
	char want[128];

	cmdline_value("channel", want, sizeof(want));
	if (!want[0])
		snprintf(want, sizeof(want), "/dev/ttyS1");
	for (int waited = 0; waited < DEVICE_WAIT_MS; waited += 10) {
		if (want[0] == '/')
			snprintf(dev, n, "%s", want);
		else
			virtio_port(want, dev, n);
		if (dev[0] && access(dev, F_OK) == 0)
			break;
		dev[0] = '\0';
		sleep_ms(10);
	}
	if (!dev[0]) {
		say("no channel %s after %d ms", want, DEVICE_WAIT_MS);
		return -1;
	}
	int fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		say("open %s: %s", dev, strerror(errno));
		return -1;
	}
	if (isatty(fd)) {
		/* a 16550: raw bytes, no echo, no CR/LF translation, no flow control */
		struct termios t;

		if (tcgetattr(fd, &t) == 0) {
			cfmakeraw(&t);
			t.c_cflag &= ~(tcflag_t)CRTSCTS;
			t.c_cflag |= CLOCAL | CREAD;
			cfsetspeed(&t, B115200);
			tcsetattr(fd, TCSANOW, &t);
		}
	}
	return fd;
}

static const char *wait_scratch(char *dev, size_t n)
{
	cmdline_value("scratch", dev, n);
	if (!dev[0])
		return NULL;
	for (int waited = 0; waited < DEVICE_WAIT_MS; waited += 10) {
		if (access(dev, F_OK) == 0)
			return dev;
		sleep_ms(10);
	}
	say("scratch disk %s did not appear", dev);
	return NULL;
}

/* The boot clock as init's step ends: life.start shows where a VM's start goes. */
static void step_done(struct vb_agent_opts *o, const char *name)
{
	if (o->nboot_steps < (int)(sizeof(o->boot_steps) / sizeof(o->boot_steps[0]))) {
		snprintf(o->boot_steps[o->nboot_steps].name, sizeof(o->boot_steps[0].name), "%s",
			 name);
		o->boot_steps[o->nboot_steps++].ms = vb_agent_boottime_ms();
	}
}

int vb_agent_vm_init(double exec_ms)
{
	char chan[256], scratch[256];
	struct vb_agent_opts o = { .role = "vm", .boot_exec_ms = exec_ms };

	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	mount_one("devtmpfs", "/dev", "devtmpfs");
	mount_one("tmpfs", "/tmp", "tmpfs");
	mount_one("tracefs", "/sys/kernel/tracing", "tracefs");
	step_done(&o, "mounts");
	load_modules(&o);
	o.in_fd = o.out_fd = open_channel(chan, sizeof(chan));
	step_done(&o, "channel");
	if (o.in_fd >= 0) {
		o.scratch = wait_scratch(scratch, sizeof(scratch));
		step_done(&o, "scratch disk");
		vb_agent_serve(&o);
	}
	sync();
	reboot(RB_POWER_OFF);
	say("power off failed: %s", strerror(errno));
	return 1;
}
