/* SPDX-License-Identifier: MIT */
/*
 * The "lab" request, served only by the agent that is /init of the
 * emulated lab's L1 machine (its image holds /usr/bin/vbench, QEMU and
 * the L2 guest image): format and mount the work disk, run the nested
 * vbench with the host's arguments, relay its progress lines, then send
 * its result file in chunks. The host's vbench merges it (harness/lab/).
 */
#include "agent.h"
#include "../common/proto.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LAB_VBENCH "/usr/bin/vbench"
#define LAB_MKFS "/usr/sbin/mke2fs"
#define LAB_WORK "/work"
#define LAB_RESULTS LAB_WORK "/results.json"
#define MAX_ARGS 128
#define MAX_RESULTS_BYTES (64u << 20)
#define CHUNK_BYTES 16384 /* escaped, well under the protocol's line limit */

__attribute__((format(printf, 2, 3))) static json_t *lab_error(json_int_t id,
								  const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return json_pack("{s:s, s:I, s:s}", "op", "error", "id", id, "msg", msg);
}

/* Run argv, output to the console; its exit status, or -1. */
static int run_quiet(char *const argv[])
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A fresh ext4 on the scratch disk at /work: the L2 guests' images need O_DIRECT. */
static int work_disk(const char *dev, char *why, size_t n)
{
	char *mkfs[] = { LAB_MKFS, "-q", "-F", "-t", "ext4", "-E", "nodiscard", (char *)dev, NULL };

	if (!dev) {
		snprintf(why, n, "no work disk (vbench.scratch)");
		return -1;
	}
	if (run_quiet(mkfs) != 0) {
		snprintf(why, n, "%s %s failed", LAB_MKFS, dev);
		return -1;
	}
	mkdir(LAB_WORK, 0755);
	if (mount(dev, LAB_WORK, "ext4", MS_NOSUID | MS_NODEV, NULL)) {
		snprintf(why, n, "mount %s: %s", dev, strerror(errno));
		return -1;
	}
	/*
	 * L1 has one vCPU per nested guest vCPU: KVM's halt polling would
	 * spin on it for every idle L2 vCPU's wake-up, taking the time of
	 * whatever is being measured. Off, as on hosts that overcommit.
	 */
	int fd = open("/sys/module/kvm/parameters/halt_poll_ns", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "0", 1) != 1)
		fprintf(stderr, "vbench-agent: halt_poll_ns: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
	/* the nested vbench makes its cgroups here, as on a host with cgroup v2 */
	if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV, NULL) &&
	    errno != EBUSY)
		fprintf(stderr, "vbench-agent: mount cgroup2: %s\n", strerror(errno));
	/*
	 * ... with the controllers a host's init enables at the root (systemd
	 * does): iso.neighbour's limits need them in the run's groups.
	 */
	fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || dprintf(fd, "+cpuset +cpu +io +memory +pids") < 0)
		fprintf(stderr, "vbench-agent: cgroup controllers: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

/* One line of the nested vbench's output, printable ASCII only. */
static void send_progress(int fd, json_int_t id, char *line, size_t len)
{
	json_t *msg;

	for (size_t i = 0; i < len; i++)
		if (line[i] < 0x20 || line[i] > 0x7e)
			line[i] = ' ';
	msg = json_pack("{s:s, s:I, s:s%}", "op", "progress", "id", id, "line", line, len);
	vb_proto_send(fd, msg);
	json_decref(msg);
}

/*
 * What L1 is doing, on its console (which the host keeps as the log
 * tail): when the host stops a nested run, it is often because L1 went
 * quiet, and the load, free memory and busy tasks say why.
 */
static void log_state(void)
{
	char line[256], path[64], comm[64];
	FILE *f = fopen("/proc/loadavg", "re");
	struct dirent *e;
	DIR *d;

	if (f && fgets(line, sizeof(line), f))
		fprintf(stderr, "vbench-agent: L1 load %s", line);
	if (f)
		fclose(f);
	f = fopen("/proc/meminfo", "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "MemFree:", 8) || !strncmp(line, "MemAvailable:", 13))
			fprintf(stderr, "vbench-agent: L1 %s", line);
	if (f)
		fclose(f);
	d = opendir("/proc");
	while (d && (e = readdir(d)) != NULL) {
		char st = 0;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/stat", e->d_name);
		f = fopen(path, "re");
		if (f && fscanf(f, "%*d (%63[^)]) %c", comm, &st) == 2 && (st == 'R' || st == 'D'))
			fprintf(stderr, "vbench-agent: L1 task %s %s: %c\n", e->d_name, comm, st);
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

/* A "stop" from the host: the nested vbench is told as Ctrl-C would (it keeps its results). */
static void heed_host(struct vb_linebuf *lb, pid_t child)
{
	char *line, err[64];
	size_t len;
	json_t *msg;

	while (vb_line_read(lb, 0, &line, &len) == VB_LINE_OK) {
		msg = vb_proto_parse(line, len, err, sizeof(err));
		if (msg && strcmp(vb_json_str(msg, "op", ""), "stop") == 0) {
			fprintf(stderr, "vbench-agent: the host says stop: interrupting the nested "
				"vbench\n");
			log_state();
			kill(child, SIGINT);
		}
		json_decref(msg);
	}
}

/*
 * Relay the child's output line by line until it closes it, and heed the
 * host meanwhile. The progress line rewrites itself with '\r' and an
 * erase sequence: both end a line.
 */
static void relay(int out_fd, struct vb_linebuf *lb, json_int_t id, int from, pid_t child)
{
	char buf[4096];
	size_t len = 0;
	ssize_t r;

	for (;;) {
		struct pollfd p[2] = { { from, POLLIN, 0 }, { lb->fd, POLLIN, 0 } };
		size_t start = 0;

		/* a stop read along with the request waits in lb, where poll cannot see it */
		heed_host(lb, child);
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & POLLIN)
			heed_host(lb, child);
		if (!(p[0].revents & (POLLIN | POLLHUP)))
			continue;
		r = read(from, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		for (size_t i = 0; i < len; i++) {
			if (buf[i] != '\n' && buf[i] != '\r')
				continue;
			if (i > start)
				send_progress(out_fd, id, buf + start, i - start);
			start = i + 1;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == sizeof(buf)) {
			send_progress(out_fd, id, buf, len);
			len = 0;
		}
	}
	if (len)
		send_progress(out_fd, id, buf, len);
}

/* The result file as "chunk" messages, cut on UTF-8 character boundaries. */
static int send_results(int fd, json_int_t id, size_t *total)
{
	FILE *f = fopen(LAB_RESULTS, "re");
	char *buf = malloc(MAX_RESULTS_BYTES);
	size_t len, off = 0;
	int rc = 0;

	*total = 0;
	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	len = fread(buf, 1, MAX_RESULTS_BYTES, f);
	fclose(f);
	while (off < len && rc == 0) {
		size_t k = len - off < CHUNK_BYTES ? len - off : CHUNK_BYTES;
		json_t *msg;

		while (k > 1 && off + k < len && ((unsigned char)buf[off + k] & 0xc0) == 0x80)
			k--;
		msg = json_pack("{s:s, s:I, s:s%}", "op", "chunk", "id", id, "data", buf + off, k);
		rc = !msg || vb_proto_send(fd, msg) ? -1 : 0;
		json_decref(msg);
		off += k;
	}
	free(buf);
	*total = len;
	return rc;
}

json_t *vb_agent_lab(const struct vb_agent_opts *o, struct vb_linebuf *lb, const json_t *req,
		     json_int_t id)
{
	const json_t *args = json_object_get(req, "args");
	char *argv[MAX_ARGS + 5], why[256];
	size_t i, nargs = json_array_size(args), total;
	int pipefd[2], st;
	pid_t pid;
	json_t *a;

	if (strcmp(o->role, "vm") || access(LAB_VBENCH, X_OK))
		return json_pack("{s:s, s:I, s:s, s:s}", "op", "unsupported", "id", id, "bench",
				 "lab", "reason", "not the emulated lab's L1 machine");
	if (!json_is_array(args) || nargs > MAX_ARGS)
		return lab_error(id, "args must be an array of at most %d strings", MAX_ARGS);
	argv[0] = LAB_VBENCH;
	argv[1] = "run";
	json_array_foreach(args, i, a) {
		if (!json_is_string(a))
			return lab_error(id, "args must be an array of at most %d strings", MAX_ARGS);
		argv[2 + i] = (char *)json_string_value(a);
	}
	argv[2 + nargs] = "-o";
	argv[3 + nargs] = LAB_RESULTS;
	argv[4 + nargs] = NULL;
	if (work_disk(o->scratch, why, sizeof(why)))
		return lab_error(id, "%s", why);
	/* the nested results name their host: say it is the lab's L1 */
	sethostname("vbench-lab-l1", strlen("vbench-lab-l1"));
	if (pipe2(pipefd, O_CLOEXEC))
		return lab_error(id, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TERM=dumb",
				 NULL };

		if (dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(127);
		execve(LAB_VBENCH, argv, envp);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return lab_error(id, "fork: %s", strerror(errno));
	}
	relay(o->out_fd, lb, id, pipefd[0], pid);
	close(pipefd[0]);
	if (waitpid(pid, &st, 0) != pid)
		return lab_error(id, "waitpid: %s", strerror(errno));
	fprintf(stderr, "vbench-agent: the nested vbench exited with status %d\n",
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	if (send_results(o->out_fd, id, &total))
		return lab_error(id, "the nested vbench left no %s", LAB_RESULTS);
	return json_pack("{s:s, s:I, s:i, s:I}", "op", "lab", "id", id, "exit",
			 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), "bytes",
			 (json_int_t)total);
}
