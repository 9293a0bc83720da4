/* SPDX-License-Identifier: MIT */
/* Writing gnuplot scripts and running gnuplot; see chart.h. */
#include "chart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void rp_chart_name(char *buf, size_t n, const char *prefix, const char *part)
{
	size_t i;

	snprintf(buf, n, "%s-%s", prefix, part);
	for (i = 0; buf[i]; i++) {
		char c = buf[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
			buf[i] = '_';
	}
}

void rp_gp_safe(char *s)
{
	for (; *s; s++)
		if (*s == '\'' || *s == '\\' || *s == '\t' || *s == '\n' || *s == '"')
			*s = '_';
}

FILE *rp_chart_data(const char *dir, const char *name, char *err, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, n, "%s: %s", path, strerror(errno));
	return f;
}

/* The last non-empty line of gnuplot's error log, for a one-line error. */
static void last_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[380];

	snprintf(out, n, "no message");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[strspn(line, " \t^")])
			snprintf(out, n, "%s", line);
	}
	fclose(f);
}

static int run_gnuplot(const char *dir, const char *name, char *err, size_t n)
{
	const char *prog = getenv("VBENCH_GNUPLOT");
	char script[512], log[512], logpath[4096], msg[400];
	int status;
	pid_t pid;

	if (!prog || !*prog)
		prog = "gnuplot";
	snprintf(script, sizeof(script), "%s.gp", name);
	snprintf(log, sizeof(log), "%s.log", name);
	pid = fork();
	if (pid < 0) {
		snprintf(err, n, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd;

		if (chdir(dir))
			_exit(126);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execlp(prog, prog, script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, n, "waitpid: %s", strerror(errno));
			return -1;
		}
	snprintf(logpath, sizeof(logpath), "%s/%s", dir, log);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		unlink(logpath);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(err, n, "cannot run '%s': gnuplot is needed for the charts "
			 "(Debian: apt-get install gnuplot-nox, or scripts/install-deps)", prog);
		unlink(logpath);
		return -1;
	}
	last_line(logpath, msg, sizeof(msg));
	snprintf(err, n, "gnuplot failed on %s/%s: %s (log: %s)", dir, script, msg, logpath);
	return -1;
}

int rp_chart_render(const char *dir, const char *name, int width, int height,
		    const char *body, char *err, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.gp", dir, name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# vbench chart '%s'; re-plot with: gnuplot %s.gp (data in %s.dat)\n"
		"set terminal pngcairo size %d,%d enhanced font 'sans,10'\n"
		"set output '%s.png'\n"
		"set datafile missing '?'\n"
		"set datafile separator '\\t'\n"
		"set key autotitle columnhead # each data block starts with a header line\n"
		"%s\n"
		"set terminal svg size %d,%d dynamic enhanced font 'sans,10' background '#ffffff'\n"
		"set output '%s.svg'\n"
		"replot\n"
		"unset output\n",
		name, name, name, width, height, name, body, width, height, name);
	if (fclose(f)) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	return run_gnuplot(dir, name, err, n);
}
