/* SPDX-License-Identifier: MIT */
/* Writing gnuplot scripts and running gnuplot; see chart.h. */
#include "chart.h"
#include "../common/safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void rp_name_safe(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
			*s = '_';
}

void rp_chart_name(char *buf, size_t n, const char *prefix, const char *part)
{
	snprintf(buf, n, "%s-%s", prefix, part);
	rp_name_safe(buf);
}

void rp_gp_safe(char *s)
{
	for (; *s; s++)
		if (*s == '\'' || *s == '\\' || *s == '\t' || *s == '\n' || *s == '"')
			*s = '_';
}

int rp_chart_workdir(const char *dir, char *work, size_t n, char *err, size_t errlen)
{
	if ((size_t)snprintf(work, n, "%s/.vbench-charts-XXXXXX", dir) >= n) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (mkdtemp(work))
		return 0;
	snprintf(err, errlen, "%s: cannot create a directory for the charts: %s", dir,
		 strerror(errno));
	return -1;
}

void rp_chart_workdir_remove(const char *work)
{
	DIR *d = opendir(work);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(work);
}

FILE *rp_chart_data(const char *work, const char *name, char *err, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dat", work, name);
	f = fopen(path, "we");
	if (!f)
		snprintf(err, n, "%s: %s", path, strerror(errno));
	return f;
}

/* The last non-empty line of gnuplot's error log, for a one-line error. */
static void last_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "re");
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

/*
 * gnuplot NAME.gp in work, its output in NAME.log there (removed when it
 * succeeds); a failure names the files as they will be once in dir.
 */
static int run_gnuplot(const char *work, const char *dir, const char *name, char *err,
		       size_t n)
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

		if (chdir(work))
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
	snprintf(logpath, sizeof(logpath), "%s/%s", work, log);
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
	snprintf(err, n, "gnuplot failed on %s/%s: %s (log: %s/%s)", dir, script, msg, dir, log);
	return -1;
}

/* Move what there is of NAME (data, script, images, log) from work into dir. */
static int keep(const char *work, const char *dir, const char *name, char *err, size_t n)
{
	static const char *const ext[] = { "dat", "gp", "png", "svg", "log" };
	char from[4096], to[4096];
	int rc = 0;

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]) && rc == 0; i++) {
		snprintf(from, sizeof(from), "%s/%s.%s", work, name, ext[i]);
		snprintf(to, sizeof(to), "%s/%s.%s", dir, name, ext[i]);
		if (access(from, F_OK) == 0)
			rc = vb_safe_move(from, to, err, n);
	}
	return rc;
}

int rp_chart_render(const char *work, const char *dir, const char *name, int width,
		    int height, const char *body, char *err, size_t n)
{
	char path[4096], ignored[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.gp", work, name);
	f = fopen(path, "we");
	if (!f) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (width > RP_CHART_MAX_WIDTH)
		width = RP_CHART_MAX_WIDTH;
	/* svg without "dynamic": width and height attributes, so the page shows it at that size */
	fprintf(f, "# vbench chart '%s'; re-plot with: gnuplot %s.gp (data in %s.dat)\n"
		"set terminal pngcairo size %d,%d noenhanced font 'sans,%d'\n"
		"set output '%s.png'\n"
		"set datafile missing '?'\n"
		"set datafile separator '\\t'\n"
		"set key autotitle columnhead # each data block starts with a header line\n"
		"%s\n"
		"set terminal svg size %d,%d fixed noenhanced font 'sans,%d' background '#ffffff'\n"
		"set output '%s.svg'\n"
		"replot\n"
		"unset output\n",
		name, name, name, width, height, RP_CHART_FONT, name, body, width, height,
		RP_CHART_FONT, name);
	if (fclose(f)) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (run_gnuplot(work, dir, name, err, n)) {
		/* the script, data and log where the message says they are */
		keep(work, dir, name, ignored, sizeof(ignored));
		return -1;
	}
	return keep(work, dir, name, err, n);
}

void rp_chart_rows(FILE *gp, int rows)
{
	fprintf(gp, "set yrange [%d.5:-0.5]\nset ytics scale 0\n", rows - 1);
	for (int k = 0; k + 1 < rows; k++)
		fprintf(gp, "set arrow from graph 0, first %d.5 to graph 1, first %d.5 nohead "
			"lc rgb '#dddddd' back\n", k, k);
}

void rp_chart_hbars(FILE *gp, const char *name, int rows, double longest, const char *colour)
{
	/* room right of the longest bar for its label */
	fprintf(gp, "set style fill solid 0.85 border -1\nset xrange [0:%g]\n"
		"set grid xtics lc rgb '#dddddd'\nunset key\n", (longest > 0 ? longest : 1) * 1.3);
	rp_chart_rows(gp, rows);
	fprintf(gp, "plot '%s.dat' using ($3/2):1:($3/2):(0.3):ytic(2) with boxxyerror "
		"lc rgb '%s', \\\n     '' using 3:1:4 with labels left offset 0.5,0\n", name,
		colour);
}
