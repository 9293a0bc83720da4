/* SPDX-License-Identifier: MIT */
#include "exec.h"
#include "../common/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GRACE_MS 2000   /* SIGTERM to SIGKILL */
/*
 * Longest sleep between looks at the stop flag: a signal that lands just
 * before poll() does not interrupt it, so a stop is seen within this.
 */
#define SLICE_MS 250
#define POLL_MS 5       /* without a pidfd: how often to look for the exit */

static volatile sig_atomic_t *stop_flag;

void vb_exec_stop_on(volatile sig_atomic_t *flag)
{
	stop_flag = flag;
}

int vb_which(const char *name, char *path, size_t n)
{
	const char *env = getenv("PATH");
	char dirs[4096];
	char *save = NULL;

	if (strchr(name, '/')) {
		snprintf(path, n, "%s", name);
		return access(path, X_OK) == 0;
	}
	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/sbin", env ? env : "/usr/bin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if ((size_t)snprintf(path, n, "%s/%s", d, name) < n && access(path, X_OK) == 0)
			return 1;
	}
	path[0] = '\0';
	return 0;
}

int vb_exec_die_with(pid_t parent)
{
	/* the parent may have died before the death signal was armed */
	return prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent ? -1 : 0;
}

/* What a child writes to a pipe, kept up to cap - 1 bytes; the rest is read and dropped. */
struct capture {
	int fd;               /* non-blocking read end, -1 once at EOF or when none */
	char *buf;
	size_t len, cap;
};

/* Read what the pipe holds now (it does not block); at its end, close it. */
static void capture_read(struct capture *c)
{
	char sink[4096];
	ssize_t r;

	if (!c || c->fd < 0)
		return;
	for (;;) {
		char *dst = c->len + 1 < c->cap ? c->buf + c->len : sink;
		size_t room = dst == sink ? sizeof(sink) : c->cap - 1 - c->len;

		r = read(c->fd, dst, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (dst != sink)
			c->len += (size_t)r;
	}
	if (r == 0 || errno != EAGAIN) {
		close(c->fd);
		c->fd = -1;
	}
}

/* SIGTERM to the group, SIGKILL after the grace; reaps pid. */
static void kill_group(pid_t pid, int *status)
{
	struct timespec step = { 0, 10 * 1000000 };

	kill(-pid, SIGTERM);
	for (int ms = 0; ms < GRACE_MS; ms += 10) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			kill(-pid, SIGKILL); /* what it started and left behind */
			return;
		}
		nanosleep(&step, NULL);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Wait for pid, reading c meanwhile, until it exits (0), the deadline
 * passes or a stoppable wait is told to stop (-1 with *why; its group is
 * then killed). A pidfd wakes poll() at the exit; without one (kernels
 * before 5.3) the exit is looked for every POLL_MS.
 */
static int await(pid_t pid, unsigned timeout_s, int stoppable, struct capture *c, int *status,
		 const char **why)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int step = pidfd >= 0 ? SLICE_MS : POLL_MS;
	double deadline = vb_now_ms() + timeout_s * 1000.0;
	int lost = 0;
	pid_t w;

	while ((w = waitpid(pid, status, WNOHANG)) != pid) {
		double left = deadline - vb_now_ms();
		struct pollfd fds[2];
		nfds_t nfds = 0;

		if (w < 0 && errno != EINTR) {
			lost = 1; /* not ours to wait for: nothing to kill */
			*why = strerror(errno);
		} else if (stoppable && stop_flag && *stop_flag) {
			*why = "interrupted";
		} else if (left <= 0) {
			*why = "timeout";
		}
		if (**why)
			break;
		if (pidfd >= 0)
			fds[nfds++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		if (c && c->fd >= 0)
			fds[nfds++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
		poll(fds, nfds, left < step ? (int)left + 1 : step);
		capture_read(c);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (w != pid && !lost) /* timed out or told to stop */
		kill_group(pid, status);
	capture_read(c);
	return w == pid ? 0 : -1;
}

/* await, naming what in err when it fails. */
static int wait_named(pid_t pid, const char *what, unsigned timeout_s, int stoppable,
		      struct capture *c, int *status, char *err, size_t n)
{
	const char *why = "";

	if (await(pid, timeout_s, stoppable, c, status, &why) == 0)
		return 0;
	if (strcmp(why, "timeout") == 0)
		snprintf(err, n, "%s: killed after %u s", what, timeout_s);
	else
		snprintf(err, n, "%s: %s", what, why);
	return -1;
}

int vb_exec_wait(pid_t pid, const char *what, unsigned timeout_s, int stoppable, int *status,
		 char *err, size_t n)
{
	return wait_named(pid, what, timeout_s, stoppable, NULL, status, err, n);
}

static void child(char *const argv[], const char *cwd, pid_t parent, int outfd, int errfd)
{
	int null = open("/dev/null", O_RDWR);

	setpgid(0, 0);
	if (vb_exec_die_with(parent) || null < 0 || dup2(null, 0) < 0 ||
	    dup2(outfd >= 0 ? outfd : null, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	if (cwd && chdir(cwd)) {
		dprintf(2, "chdir %s: %s\n", cwd, strerror(errno));
		_exit(127);
	}
	execvp(argv[0], argv);
	dprintf(2, "exec: %s\n", strerror(errno));
	_exit(127);
}

/* "apt-get download", "crun": the program and its subcommand, if any. */
static void command_name(char *const argv[], char *buf, size_t n)
{
	const char *sub = argv[1] && argv[1][0] != '-' ? argv[1] : NULL;

	snprintf(buf, n, "%s%s%s", argv[0], sub ? " " : "", sub ? sub : "");
}

/* err: how the child ended, with the end of what it wrote to stderr. */
static void describe_status(char *const argv[], int status, int errfd, char *err, size_t n)
{
	char tail[512] = "";
	off_t end = lseek(errfd, 0, SEEK_END);
	off_t from = end > (off_t)sizeof(tail) - 1 ? end - (off_t)sizeof(tail) + 1 : 0;
	ssize_t r = pread(errfd, tail, sizeof(tail) - 1, from);

	tail[r > 0 ? r : 0] = '\0';
	while (r > 0 && (tail[r - 1] == '\n' || tail[r - 1] == ' '))
		tail[--r] = '\0';
	if (WIFEXITED(status))
		snprintf(err, n, "%s exited with %d: %s", argv[0], WEXITSTATUS(status), tail);
	else
		snprintf(err, n, "%s killed by signal %d", argv[0], WTERMSIG(status));
}

int vb_spawn_wait(char *const argv[], const char *cwd, unsigned timeout_s, char *out,
		  size_t outlen, char *err, size_t n)
{
	int pipefd[2] = { -1, -1 }, errfd = memfd_create("vbench-stderr", MFD_CLOEXEC);
	struct capture c = { -1, out, 0, outlen };
	char what[256];
	int status = 0, rc = -1;
	pid_t self = getpid(), pid;

	if (errfd < 0 || (out && pipe2(pipefd, O_CLOEXEC))) {
		snprintf(err, n, "%s: %s", argv[0], strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, n, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(argv, cwd, self, pipefd[1], errfd);
	setpgid(pid, pid); /* as the child does: whichever runs first */
	if (out) {
		close(pipefd[1]);
		pipefd[1] = -1;
		c.fd = pipefd[0];
		pipefd[0] = -1;
		fcntl(c.fd, F_SETFL, O_NONBLOCK);
	}
	command_name(argv, what, sizeof(what));
	if (wait_named(pid, what, timeout_s, 1, &c, &status, err, n) == 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			rc = 0;
		else
			describe_status(argv, status, errfd, err, n);
	}
	if (out)
		out[c.len] = '\0';
out:
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	if (c.fd >= 0)
		close(c.fd);
	if (errfd >= 0)
		close(errfd);
	return rc;
}

int vb_exec_line(char *const argv[], char *line, size_t n, char *err, size_t errlen)
{
	char out[4096];

	if (vb_spawn_wait(argv, NULL, VB_EXEC_TIMEOUT_S, out, sizeof(out), err, errlen))
		return -1;
	snprintf(line, n, "%.*s", (int)strcspn(out, "\n"), out);
	return 0;
}
