/* SPDX-License-Identifier: MIT */
#include "debris.h"
#include "cgroup.h"
#include "exec.h"
#include "paths.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_PREFIX "vbench-"
#define WORKDIR_PREFIX "vbench-"
#define MKDTEMP_CHARS 6

/* Field 22 of /proc/PID/stat and its state (field 3). 0, or -1 (no such process). */
static int proc_start(int pid, unsigned long long *start, char *state)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	/* the command name (field 2) may hold anything, ')' included: fields follow the last */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
			 "%*s %*s %*s %llu", state, start) != 2)
		return -1;
	return 0;
}

static int read_boot_id(char *buf, size_t n, char *err, size_t errlen)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	int ok = f && fgets(buf, (int)n, f);

	if (f)
		fclose(f);
	if (!ok) {
		snprintf(err, errlen, "/proc/sys/kernel/random/boot_id: %s", strerror(errno));
		return -1;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int pid_ns(int pid, unsigned long long *ino, char *err, size_t n)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	if (stat(path, &st)) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	*ino = (unsigned long long)st.st_ino;
	return 0;
}

int vb_owner_of(int pid, struct vb_owner *o, char *err, size_t n)
{
	char state;

	memset(o, 0, sizeof(*o));
	o->pid = pid;
	if (proc_start(pid, &o->start, &state)) {
		snprintf(err, n, "/proc/%d/stat: no such process or unreadable", pid);
		return -1;
	}
	if (read_boot_id(o->boot, sizeof(o->boot), err, n))
		return -1;
	return pid_ns(pid, &o->pidns, err, n);
}

enum vb_owner_state vb_owner_state(const struct vb_owner *o)
{
	struct vb_owner self;
	unsigned long long start;
	char err[256], state;

	if (vb_owner_of(getpid(), &self, err, sizeof(err)))
		return VB_OWNER_FOREIGN; /* cannot tell: treat as not ours to remove */
	if (strcmp(o->boot, self.boot))
		return VB_OWNER_REBOOTED;
	if (o->pidns != self.pidns)
		return VB_OWNER_FOREIGN;
	if (o->pid <= 0 || proc_start(o->pid, &start, &state) || state == 'Z' || state == 'X')
		return VB_OWNER_DEAD;
	return start == o->start ? VB_OWNER_ALIVE : VB_OWNER_REUSED;
}

const char *vb_owner_state_name(enum vb_owner_state s)
{
	static const char *const names[] = {
		[VB_OWNER_ALIVE] = "alive",
		[VB_OWNER_DEAD] = "dead",
		[VB_OWNER_REUSED] = "dead, its pid reused",
		[VB_OWNER_REBOOTED] = "dead, before the last boot",
		[VB_OWNER_FOREIGN] = "in another pid namespace",
	};

	return names[s];
}

int vb_owner_write(const char *dir, const struct vb_owner *o, char *err, size_t n)
{
	char path[PATH_MAX];
	int fd, ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/" VB_OWNER_FILE, dir) >= sizeof(path)) {
		snprintf(err, n, "path too long: %s", dir);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, n, "create %s: %s", path, strerror(errno));
		return -1;
	}
	ok = dprintf(fd, "vbench-owner pid=%d start=%llu boot=%s pidns=%llu\n", o->pid, o->start,
		     o->boot, o->pidns) > 0;
	if (!ok)
		snprintf(err, n, "write %s: %s", path, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

json_t *vb_owner_json(const struct vb_owner *o)
{
	return json_pack("{s:i, s:I, s:s, s:I}", "pid", o->pid, "start", (json_int_t)o->start,
			 "boot", o->boot, "pidns", (json_int_t)o->pidns);
}

int vb_owner_from_json(const json_t *j, struct vb_owner *o)
{
	const json_t *pid = json_object_get(j, "pid"), *start = json_object_get(j, "start");
	const json_t *boot = json_object_get(j, "boot"), *ns = json_object_get(j, "pidns");

	memset(o, 0, sizeof(*o));
	if (!json_is_integer(pid) || !json_is_integer(start) || !json_is_string(boot) ||
	    !json_is_integer(ns) || json_integer_value(pid) <= 0 ||
	    json_integer_value(pid) > INT_MAX || json_string_length(boot) >= sizeof(o->boot))
		return -1;
	o->pid = (int)json_integer_value(pid);
	o->start = (unsigned long long)json_integer_value(start);
	o->pidns = (unsigned long long)json_integer_value(ns);
	snprintf(o->boot, sizeof(o->boot), "%s", json_string_value(boot));
	return 0;
}

void vb_owner_cgroup_name(const struct vb_owner *o, char *buf, size_t n)
{
	snprintf(buf, n, CG_PREFIX "%d-%llu", o->pid, o->start);
}

/* A decimal number filling [s, end of the digits); the position after it, or NULL. */
static const char *number(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return NULL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *v > max ? NULL : end;
}

/*
 * A name that begins as a run's cgroup name does: "vbench-PID-START" is 2,
 * an owner, with *rest what follows (a container's "-<instance>");
 * "vbench-PID" alone is 1, a group made before owners were recorded;
 * anything else 0.
 */
static int parse_owner_name(const char *name, struct vb_owner *o, const char **rest)
{
	unsigned long long pid, start;
	const char *p;

	memset(o, 0, sizeof(*o));
	if (strncmp(name, CG_PREFIX, strlen(CG_PREFIX)))
		return 0;
	p = number(name + strlen(CG_PREFIX), INT_MAX, &pid);
	if (!p || pid == 0)
		return 0;
	o->pid = (int)pid;
	*rest = p;
	if (!*p)
		return 1;
	if (*p != '-' || !(p = number(p + 1, ULLONG_MAX, &start)))
		return 0;
	o->start = start;
	*rest = p;
	return 2;
}

/*
 * What a name's owner is: names carry pid and start time only, and name
 * what does not outlive a boot (cgroups, runtime state in /run) in this
 * pid namespace: those are taken as this process's.
 */
static enum vb_owner_state named_owner_state(struct vb_owner *o)
{
	struct vb_owner self;
	char err[256];

	if (vb_owner_of(getpid(), &self, err, sizeof(err)))
		return VB_OWNER_FOREIGN;
	memcpy(o->boot, self.boot, sizeof(o->boot));
	o->pidns = self.pidns;
	return vb_owner_state(o);
}

/* The owner record in the work directory dirfd: 1 read, 0 none, -1 malformed. */
static int read_owner(int dirfd, struct vb_owner *o)
{
	int fd = openat(dirfd, VB_OWNER_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[256], boot[64];
	struct stat st;
	ssize_t len;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	len = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, sizeof(buf) - 1) : -1;
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	memset(o, 0, sizeof(*o));
	if (sscanf(buf, "vbench-owner pid=%d start=%llu boot=%63s pidns=%llu", &o->pid, &o->start,
		   boot, &o->pidns) != 4 || o->pid <= 0 || strlen(boot) >= sizeof(o->boot))
		return -1;
	snprintf(o->boot, sizeof(o->boot), "%s", boot);
	return 1;
}

static int gone(const char *path)
{
	struct stat st;

	return lstat(path, &st) && errno == ENOENT;
}

/* One dead run's item: removed (1) or said why not (0). */
static size_t removed(FILE *report, const struct vb_owner *o, enum vb_owner_state st,
		      const char *what, const char *path)
{
	if (gone(path)) {
		fprintf(report, "vbench: swept debris of run %d (%s): %s%s\n", o->pid,
			vb_owner_state_name(st), what, path);
		return 1;
	}
	fprintf(report, "vbench: could not remove debris of run %d (%s): %s%s\n", o->pid,
		vb_owner_state_name(st), what, path);
	return 0;
}

static size_t sweep_cgroup(const char *root, const char *name, FILE *report)
{
	struct vb_owner o;
	char path[PATH_MAX];
	const char *rest = "";
	struct stat st;
	int kind;

	kind = parse_owner_name(name, &o, &rest);
	if (!kind || *rest ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", root, name) >= sizeof(path) ||
	    lstat(path, &st) || !S_ISDIR(st.st_mode))
		return 0;
	if (kind == 1) {
		if (kill(o.pid, 0) && errno == ESRCH)
			fprintf(report, "vbench: not sweeping cgroup %s: no owner record (made "
				"before vbench recorded owners); remove it when no vbench runs\n",
				path);
		return 0;
	}
	enum vb_owner_state state = named_owner_state(&o);
	if (state == VB_OWNER_ALIVE || state == VB_OWNER_FOREIGN)
		return 0;
	vb_cgroup_destroy(path);
	return removed(report, &o, state, "cgroup ", path);
}

/*
 * A dead run's containers, which crun and runc keep listing (stopped,
 * their processes gone with its cgroup) until deleted: their ids are the
 * run's cgroup name and the instance ("vbench-PID-START-container").
 */
static size_t sweep_containers(const char *rt, FILE *report)
{
	char *list[] = { (char *)rt, "list", "-q", NULL };
	static char out[1 << 16];
	char err[512], *save = NULL;
	size_t count = 0;

	if (vb_spawn_wait(list, NULL, VB_EXEC_TIMEOUT_S, out, sizeof(out), err, sizeof(err))) {
		fprintf(report, "vbench: not sweeping containers: %s\n", err);
		return 0;
	}
	for (char *id = strtok_r(out, "\n", &save); id; id = strtok_r(NULL, "\n", &save)) {
		char *del[] = { (char *)rt, "delete", "-f", id, NULL };
		const char *rest = "";
		struct vb_owner o;

		if (parse_owner_name(id, &o, &rest) != 2 || rest[0] != '-' || !rest[1])
			continue;
		enum vb_owner_state state = named_owner_state(&o);
		if (state == VB_OWNER_ALIVE || state == VB_OWNER_FOREIGN)
			continue;
		if (vb_spawn_wait(del, NULL, VB_EXEC_TIMEOUT_S, NULL, 0, err, sizeof(err))) {
			fprintf(report, "vbench: could not remove debris of run %d (%s): %s\n",
				o.pid, vb_owner_state_name(state), err);
			continue;
		}
		fprintf(report, "vbench: swept debris of run %d (%s): %s container %s\n", o.pid,
			vb_owner_state_name(state), rt, id);
		count++;
	}
	return count;
}

static int workdir_name(const char *name)
{
	size_t len = strlen(WORKDIR_PREFIX);

	if (strncmp(name, WORKDIR_PREFIX, len) || strlen(name) != len + MKDTEMP_CHARS)
		return 0;
	for (const char *p = name + len; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return 1;
}

static size_t sweep_workdir(const char *base, const char *name, FILE *report)
{
	char path[PATH_MAX];
	struct vb_owner o;
	struct stat st;
	int dirfd, got;

	if (!workdir_name(name) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", base, name) >= sizeof(path))
		return 0;
	/* a real directory of ours: O_NOFOLLOW refuses a symlink planted in its place */
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return 0;
	got = fstat(dirfd, &st) == 0 && st.st_uid == geteuid() ? read_owner(dirfd, &o) : -2;
	close(dirfd);
	if (got == 0)
		fprintf(report, "vbench: not sweeping %s: no owner record (made before vbench "
			"recorded owners, or by a run starting now); remove it when no vbench "
			"runs\n", path);
	if (got == -1)
		fprintf(report, "vbench: not sweeping %s: its owner record is unreadable\n", path);
	if (got != 1)
		return 0;
	enum vb_owner_state state = vb_owner_state(&o);
	if (state == VB_OWNER_ALIVE || state == VB_OWNER_FOREIGN)
		return 0;
	vb_rmtree(path);
	return removed(report, &o, state, "", path);
}

/* Apply fn to each entry of dir. */
static size_t each_entry(const char *dir, size_t (*fn)(const char *, const char *, FILE *),
			 FILE *report)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t count = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		count += fn(dir, e->d_name, report);
	closedir(d);
	return count;
}

size_t vb_debris_sweep(const struct vb_sweep *s, FILE *report)
{
	size_t count = 0;

	/* first the groups: that stops what still runs and holds files in the work dirs */
	for (size_t i = 0; i < s->ncg; i++)
		count += each_entry(s->cgroup_roots[i], sweep_cgroup, report);
	for (size_t i = 0; i < s->nrt; i++)
		count += sweep_containers(s->runtimes[i], report);
	if (s->workdir_base)
		count += each_entry(s->workdir_base, sweep_workdir, report);
	return count;
}
