/* SPDX-License-Identifier: MIT */
#include "exec.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int vb_exec_line(char *const argv[], int merge, char *line, size_t n)
{
	int p[2], status;
	pid_t pid;
	FILE *f;

	line[0] = '\0';
	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(merge ? p[1] : null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	if (f) {
		char buf[4096];

		if (fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(line, n, "%s", buf);
		}
		while (fgets(buf, sizeof(buf), f)) /* drain so it can exit */
			;
		fclose(f);
	} else {
		close(p[0]);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
