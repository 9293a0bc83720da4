/* SPDX-License-Identifier: MIT */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define CPU_PERIOD_US 100000

/* Docker's default capability set, so the agent runs as `docker run` would. */
static const char *const caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};

/* Docker's masked and read-only /proc and /sys paths. */
static const char *const masked[] = {
	"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	"/sys/firmware",
};
static const char *const readonly[] = {
	"/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger",
};

/* Mount points the read-only rootfs must already hold. */
static const char *const mount_dirs[] = { "proc", "dev", "sys", "tmp" };

static json_t *strings(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

#define STRINGS(v) strings(v, sizeof(v) / sizeof(v[0]))

static json_t *process_json(int floor)
{
	const char *args[] = { VB_OCI_AGENT, "--role", "container", "--scratch",
			       VB_OCI_SCRATCH };
	const char *floor_args[] = { VB_OCI_FLOOR };
	/* container=: the systemd convention the agent's virt detection reads */
	const char *env[] = { "PATH=/", "container=oci" };

	return json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:{s:o, s:o, s:o}, s:b}",
			 "terminal", 0, "user", "uid", 0, "gid", 0, "args",
			 floor ? STRINGS(floor_args) : STRINGS(args),
			 "env", STRINGS(env), "cwd", "/", "capabilities", "bounding",
			 STRINGS(caps), "effective", STRINGS(caps), "permitted", STRINGS(caps),
			 "noNewPrivileges", 1);
}

static json_t *mounts_json(const char *scratch)
{
	json_t *m = json_pack(
		"[{s:s, s:s, s:s},"
		" {s:s, s:s, s:s, s:[s,s,s,s]},"
		" {s:s, s:s, s:s, s:[s,s,s,s]},"
		" {s:s, s:s, s:s, s:[s,s,s,s]}]",
		"destination", "/proc", "type", "proc", "source", "proc",
		"destination", "/dev", "type", "tmpfs", "source", "tmpfs", "options",
		"nosuid", "strictatime", "mode=755", "size=65536k",
		"destination", "/sys", "type", "sysfs", "source", "sysfs", "options",
		"nosuid", "noexec", "nodev", "ro",
		"destination", "/tmp", "type", "tmpfs", "source", "tmpfs", "options",
		"nosuid", "nodev", "mode=1777", "size=65536k");

	if (scratch)
		json_array_append_new(m, json_pack("{s:s, s:s, s:s, s:[s,s,s,s]}", "destination",
						   VB_OCI_SCRATCH, "type", "bind", "source",
						   scratch, "options", "bind", "rw", "nosuid",
						   "nodev"));
	return m;
}

void vb_oci_cpuset(const int *pus, int npus, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < npus && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%d", i ? "," : "", pus[i]);
}

static json_t *resources_json(const struct vb_oci_spec *s)
{
	json_t *r = json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm");
	json_t *cpu = json_object();

	if (s->memory_mb > 0) {
		json_int_t bytes = (json_int_t)s->memory_mb << 20;

		/* swap is memory+swap: equal to the limit means no swap on top */
		json_object_set_new(r, "memory",
				    json_pack("{s:I, s:I}", "limit", bytes, "swap", bytes));
	}
	if (s->ncpus > 0) {
		json_object_set_new(cpu, "quota", json_integer((json_int_t)s->ncpus * CPU_PERIOD_US));
		json_object_set_new(cpu, "period", json_integer(CPU_PERIOD_US));
	}
	if (s->npus > 0) {
		char set[VB_OCI_CPUSET_MAX];

		vb_oci_cpuset(s->pus, s->npus, set, sizeof(set));
		json_object_set_new(cpu, "cpus", json_string(set));
	}
	json_object_set_new(r, "cpu", cpu);
	return r;
}

json_t *vb_oci_config(const struct vb_oci_spec *s)
{
	json_t *ns = json_array();
	const char *kinds[] = { "pid", "mount", "uts", "ipc", "network", "cgroup" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		json_array_append_new(ns, json_pack("{s:s}", "type", kinds[i]));
	return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:{s:o, s:s, s:o, s:o, s:o}}",
			 "ociVersion", "1.0.2", "process", process_json(s->floor), "root", "path",
			 "rootfs", "readonly", 1, "hostname", "vbench", "mounts",
			 mounts_json(s->scratch_host), "linux", "namespaces", ns,
			 "cgroupsPath", s->cgroups_path, "resources", resources_json(s),
			 "maskedPaths", STRINGS(masked), "readonlyPaths", STRINGS(readonly));
}

/* Hard link when on the same filesystem, else a copy (mode 0755). */
static int place_program(const char *prog, const char *dst, char *err, size_t n)
{
	int in, out, rc = 0;
	struct stat st;

	if (link(prog, dst) == 0)
		return 0;
	in = open(prog, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st)) {
		snprintf(err, n, "open %s: %s", prog, strerror(errno));
		if (in >= 0)
			close(in);
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		snprintf(err, n, "create %s: %s", dst, strerror(errno));
		close(in);
		return -1;
	}
	for (off_t left = st.st_size; left > 0 && !rc;) {
		ssize_t w = sendfile(out, in, NULL, (size_t)left);

		if (w <= 0) {
			snprintf(err, n, "copy %s to %s: %s", prog, dst,
				 w < 0 ? strerror(errno) : "short read");
			rc = -1;
		}
		left -= w;
	}
	close(in);
	if (close(out) && !rc) {
		snprintf(err, n, "write %s: %s", dst, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* Rootfs dir: the mount points (the scratch image's with `scratch`), and prog at `at`. */
static int make_rootfs(const char *dir, const char *prog, const char *at, int scratch,
		       char *err, size_t n)
{
	char p[PATH_MAX];
	int fd;

	if (mkdir(dir, 0755)) {
		snprintf(err, n, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(mount_dirs) / sizeof(mount_dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, mount_dirs[i]);
		if (mkdir(p, 0755)) {
			snprintf(err, n, "mkdir %s: %s", p, strerror(errno));
			return -1;
		}
	}
	if (scratch) {
		snprintf(p, sizeof(p), "%s%s", dir, VB_OCI_SCRATCH);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			snprintf(err, n, "create %s: %s", p, strerror(errno));
			return -1;
		}
		close(fd);
	}
	snprintf(p, sizeof(p), "%s%s", dir, at);
	return place_program(prog, p, err, n);
}

int vb_oci_rootfs(const char *dir, const char *agent, char *err, size_t n)
{
	return make_rootfs(dir, agent, VB_OCI_AGENT, 1, err, n);
}

int vb_oci_bundle(const char *dir, const char *prog, const struct vb_oci_spec *s,
		  char *err, size_t n)
{
	char p[PATH_MAX];
	json_t *cfg;
	int rc;

	if (mkdir(dir, 0700)) {
		snprintf(err, n, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(p, sizeof(p), "%s/rootfs", dir);
	if (make_rootfs(p, prog, s->floor ? VB_OCI_FLOOR : VB_OCI_AGENT, s->scratch_host != NULL,
			err, n))
		return -1;
	cfg = vb_oci_config(s);
	if (!cfg) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	snprintf(p, sizeof(p), "%s/config.json", dir);
	rc = json_dump_file(cfg, p, JSON_INDENT(2));
	json_decref(cfg);
	if (rc)
		snprintf(err, n, "write %s: %s", p, strerror(errno));
	return rc ? -1 : 0;
}
