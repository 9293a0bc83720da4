/* SPDX-License-Identifier: MIT */
#include "hostinfo.h"
#include "kvmhost.h"
#include "pin.h"
#include "../common/sha256.h"
#include "../common/textsafe.h"
#include "../common/virtdetect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* path under root ("/" or NULL: the running host). */
static void under(const char *root, const char *path, char *out, size_t n)
{
	snprintf(out, n, "%s%s", root && strcmp(root, "/") ? root : "", path);
}

/*
 * The value of the first "name : value" line of /proc/cpuinfo (the first
 * CPU's), "" when there is none; -1 with errno when it cannot be read.
 */
static int cpuinfo_field(const char *root, const char *name, char *buf, size_t n)
{
	char path[PATH_MAX], line[512];
	size_t len = strlen(name);
	FILE *f;

	buf[0] = '\0';
	under(root, "/proc/cpuinfo", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, name, len) == 0 && colon &&
		    strspn(line + len, " \t") == (size_t)(colon - line) - len) {
			snprintf(buf, n, "%s", colon + 1 + strspn(colon + 1, " \t"));
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	return 0;
}

void vb_cpu_model(char *buf, size_t n)
{
	cpuinfo_field("/", "model name", buf, n);
}

/* Longest fact kept: a kernel command line fits (COMMAND_LINE_SIZE is 2 KiB on x86). */
#define FACT_MAX 4096
/* A kernel knows some 20 CPU vulnerabilities; more is not a kernel's directory. */
#define MITIGATIONS_MAX 64

/*
 * Text as it goes into the results, made printable: sysfs is the kernel's,
 * but a fixture or a broken driver may hold anything, and a JSON string
 * must be UTF-8.
 */
static json_t *fact(const char *text)
{
	char safe[FACT_MAX];

	return json_string(vb_term_safe(text, safe, sizeof(safe)));
}

static json_t *unavailable(const char *what, int err)
{
	char buf[PATH_MAX + 128];

	snprintf(buf, sizeof(buf), "unavailable: %s: %s", what, strerror(err));
	return fact(buf);
}

/* The first line of root + path, or why it could not be read. */
static json_t *first_line(const char *root, const char *path)
{
	char full[PATH_MAX], line[FACT_MAX];

	under(root, path, full, sizeof(full));
	if (vb_read_line(full, line, sizeof(line)))
		return unavailable(path, errno);
	return fact(line);
}

static json_t *microcode(const char *root)
{
	char buf[128];

	if (cpuinfo_field(root, "microcode", buf, sizeof(buf)))
		return unavailable("/proc/cpuinfo", errno);
	return fact(buf[0] ? buf : "unavailable: no microcode line in /proc/cpuinfo");
}

/* scandir's filter: not ".", ".." nor hidden files. */
static int visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * Each CPU vulnerability the kernel knows, with its state ("Not affected",
 * "Mitigation: Retpolines; ...", "Vulnerable"), in name order.
 */
static json_t *mitigations(const char *root)
{
	static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
	char full[PATH_MAX], file[PATH_MAX + 300], name[300];
	struct dirent **names;
	json_t *o;
	int n;

	under(root, dir, full, sizeof(full));
	n = scandir(full, &names, visible, alphasort);
	if (n < 0)
		return unavailable(dir, errno);
	o = json_object();
	for (int i = 0; i < n; i++) {
		if (i < MITIGATIONS_MAX) {
			snprintf(file, sizeof(file), "%s/%s", dir, names[i]->d_name);
			json_object_set_new(o, vb_term_safe(names[i]->d_name, name, sizeof(name)),
					    first_line(root, file));
		}
		free(names[i]);
	}
	free(names);
	return o;
}

/*
 * The cpufreq governors of the CPUs, each distinct one once ("performance",
 * or "performance, powersave" when they differ).
 */
static json_t *governor(const char *root)
{
	char pattern[PATH_MAX], all[FACT_MAX] = "";
	glob_t g;

	under(root, "/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor", pattern,
	      sizeof(pattern));
	if (glob(pattern, 0, NULL, &g))
		return fact("unavailable: no cpufreq");
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char one[128];

		if (!vb_read_line(g.gl_pathv[i], one, sizeof(one)) && one[0] && !strstr(all, one) &&
		    strlen(all) + strlen(one) + 3 < sizeof(all))
			snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
				 all[0] ? ", " : "", one);
	}
	globfree(&g);
	return fact(all[0] ? all : "unavailable: scaling_governor unreadable");
}

json_t *vb_host_tuning_json(const char *root)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "kernel_cmdline",
			 first_line(root, "/proc/cmdline"), "microcode", microcode(root),
			 "mitigations", mitigations(root), "cpufreq_governor", governor(root),
			 "smt_control", first_line(root, "/sys/devices/system/cpu/smt/control"),
			 "smt_active", first_line(root, "/sys/devices/system/cpu/smt/active"));
}

/*
 * vbench's application id for the machine id: a random 128-bit constant,
 * chosen once (uuid4). Never change it: every host's recorded id would
 * change with it, and files of before and after would no longer match.
 */
static const unsigned char vbench_app_id[16] = {
	0x06, 0xca, 0x47, 0xad, 0xf4, 0xcb, 0x48, 0xf7,
	0xaf, 0x37, 0x52, 0x6c, 0x31, 0x68, 0x2c, 0x6b,
};

/* A machine id file's text is 32 hex digits and a newline: what is read of it, at most. */
#define MACHINE_ID_READ 34

/*
 * The first n bytes of path at most, their count in *len; 0, or -1 with
 * errno. O_NONBLOCK: a FIFO in its place reads as empty, not forever.
 */
static int read_head(const char *path, char *buf, size_t n, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), err;
	ssize_t k;

	*len = 0;
	if (fd < 0)
		return -1;
	do {
		k = read(fd, buf + *len, n - *len);
		if (k > 0)
			*len += (size_t)k;
	} while ((k > 0 && *len < n) || (k < 0 && errno == EINTR));
	err = errno;
	close(fd);
	if (k < 0 && err != EAGAIN) {
		errno = err;
		return -1;
	}
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 16 bytes of a machine id's text (32 hex digits, a newline or not); 0, or -1. */
static int parse_machine_id(const char *text, size_t len, unsigned char id[16])
{
	if (len != 32 && !(len == 33 && text[32] == '\n'))
		return -1;
	for (int i = 0; i < 16; i++) {
		int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* The machine id in root + path; 0, or -1 with why it is none in why. */
static int read_machine_id(const char *root, const char *path, unsigned char id[16], char *why,
			   size_t n)
{
	static const unsigned char zero[16];
	char full[PATH_MAX], text[MACHINE_ID_READ];
	size_t len;

	under(root, path, full, sizeof(full));
	if (read_head(full, text, sizeof(text), &len)) {
		snprintf(why, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (parse_machine_id(text, len, id)) {
		snprintf(why, n, "%s is not 32 hex digits", path);
		return -1;
	}
	/* what an image holds before its first boot gives it an id */
	if (!memcmp(id, zero, sizeof(zero))) {
		snprintf(why, n, "%s is all zeros (not initialized)", path);
		return -1;
	}
	return 0;
}

/*
 * What systemd's sd_id128_get_machine_app_specific() gives for vbench's
 * app id: HMAC-SHA256(key: the machine id, message: the app id), its first
 * 16 bytes made a version 4 UUID; as 32 lowercase hex digits.
 */
static void app_specific(const unsigned char machine[16], char out[33])
{
	unsigned char mac[VB_SHA256_LEN];

	vb_hmac_sha256(machine, 16, vbench_app_id, sizeof(vbench_app_id), mac);
	mac[6] = (mac[6] & 0x0f) | 0x40;
	mac[8] = (mac[8] & 0x3f) | 0x80;
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

json_t *vb_host_machine_id_json(const char *root)
{
	char why[2][PATH_MAX + 64], buf[sizeof(why) + 32], hex[33];
	unsigned char id[16];

	/* where systemd keeps it, else where D-Bus does (a container without systemd) */
	if (read_machine_id(root, "/etc/machine-id", id, why[0], sizeof(why[0])) &&
	    read_machine_id(root, "/var/lib/dbus/machine-id", id, why[1], sizeof(why[1]))) {
		snprintf(buf, sizeof(buf), "unavailable: %s; %s", why[0], why[1]);
		return fact(buf);
	}
	app_specific(id, hex);
	return json_string(hex);
}

json_t *vb_host_json(void)
{
	struct utsname u;
	struct vb_kvm_host kvm;
	char host[256] = "", cpu[256];
	json_t *h;

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	vb_cpu_model(cpu, sizeof(cpu));
	vb_kvm_host_probe("/", &kvm);
	h = json_pack("{s:s, s:o, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "hostname", host,
		      "machine_id", vb_host_machine_id_json("/"), "kernel", u.release, "machine",
		      u.machine, "cpu_model", cpu, "cpus",
		      (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "mem_bytes",
		      (json_int_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE), "virt",
		      vb_detect_virt(), "kvm", vb_kvm_host_json(&kvm), "topology",
		      vb_topology_json());

	json_object_update_new(h, vb_host_tuning_json("/"));
	return h;
}
