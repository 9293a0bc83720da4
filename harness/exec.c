/* SPDX-License-Identifier: MIT */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void child(char *const argv[], const char *cwd, int outfd, int errfd)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, 0) < 0 || dup2(outfd >= 0 ? outfd : null, 1) < 0 ||
	    dup2(errfd, 2) < 0)
		_exit(127);
	if (cwd && chdir(cwd)) {
		dprintf(2, "chdir %s: %s\n", cwd, strerror(errno));
		_exit(127);
	}
	execvp(argv[0], argv);
	dprintf(2, "exec: %s\n", strerror(errno));
	_exit(127);
}

int vb_spawn_wait(char *const argv[], const char *cwd, char *out, size_t outlen, char *err,
		  size_t n)
{
	int pipefd[2] = { -1, -1 }, errfd = memfd_create("vbench-stderr", MFD_CLOEXEC);
	size_t got = 0;
	int status = 0;
	pid_t pid;

	if (errfd < 0 || (out && pipe2(pipefd, O_CLOEXEC))) {
		snprintf(err, n, "%s: %s", argv[0], strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, n, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(argv, cwd, pipefd[1], errfd);
	if (out) {
		close(pipefd[1]);
		pipefd[1] = -1;
		for (;;) {
			char sink[4096];
			char *dst = got + 1 < outlen ? out + got : sink;
			size_t room = got + 1 < outlen ? outlen - 1 - got : sizeof(sink);
			ssize_t r = read(pipefd[0], dst, room);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (dst == out + got)
				got += (size_t)r;
		}
		out[got] = '\0';
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char tail[512] = "";
		off_t end = lseek(errfd, 0, SEEK_END);
		off_t from = end > (off_t)sizeof(tail) - 1 ? end - (off_t)sizeof(tail) + 1 : 0;
		ssize_t r = pread(errfd, tail, sizeof(tail) - 1, from);

		tail[r > 0 ? r : 0] = '\0';
		while (r > 0 && (tail[r - 1] == '\n' || tail[r - 1] == ' '))
			tail[--r] = '\0';
		if (WIFEXITED(status))
			snprintf(err, n, "%s exited with %d: %s", argv[0], WEXITSTATUS(status),
				 tail);
		else
			snprintf(err, n, "%s killed by signal %d", argv[0], WTERMSIG(status));
		goto fail;
	}
	close(errfd);
	if (out)
		close(pipefd[0]);
	return 0;
fail:
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	if (errfd >= 0)
		close(errfd);
	return -1;
}

int vb_exec_line(char *const argv[], char *line, size_t n, char *err, size_t errlen)
{
	char out[4096];

	if (vb_spawn_wait(argv, NULL, out, sizeof(out), err, errlen))
		return -1;
	snprintf(line, n, "%.*s", (int)strcspn(out, "\n"), out);
	return 0;
}
