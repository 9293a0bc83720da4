/* SPDX-License-Identifier: MIT */
#include "envutil.h"
#include "cgroup.h"
#include "pin.h"
#include "../common/textsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int vb_env_scratch_image(const char *path, long long mib, char *err, size_t n)
{
	off_t size = (off_t)mib << 20;
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600), rc;

	if (fd < 0) {
		snprintf(err, n, "create %s: %s", path, strerror(errno));
		return -1;
	}
	rc = posix_fallocate(fd, 0, size);
	if (rc == EOPNOTSUPP || rc == EINVAL)
		rc = ftruncate(fd, size) ? errno : 0;
	close(fd);
	if (rc) {
		snprintf(err, n, "allocate %lld MiB for %s: %s", mib, path, strerror(rc));
		unlink(path);
		return -1;
	}
	return 0;
}

int vb_env_scratch(struct vb_instance *in, const struct vb_run_ctx *ctx, char *err,
		   size_t n)
{
	if (ctx->scratch) {
		snprintf(in->scratch, sizeof(in->scratch), "%s", ctx->scratch);
		in->scratch_own = 0;
		return 0;
	}
	snprintf(in->scratch, sizeof(in->scratch), "%s/%s.img", ctx->workdir, in->name);
	if (vb_env_scratch_image(in->scratch, ctx->scratch_mib, err, n)) {
		in->scratch[0] = '\0';
		return -1;
	}
	in->scratch_own = 1;
	return 0;
}

int vb_env_group(struct vb_instance *in, const struct vb_run_ctx *ctx, pid_t pid,
		 char *err, size_t n)
{
	if (ctx->cgroup_parent && ctx->cgroup_parent[0]) {
		if (vb_cgroup_create(ctx->cgroup_parent, in->name, in->cgroup,
				     sizeof(in->cgroup), err, n) ||
		    vb_cgroup_attach(in->cgroup, pid, err, n))
			return -1;
		in->cgroup_id = vb_cgroup_id(in->cgroup);
	}
	return vb_pin_pid(pid, ctx->pus, ctx->npus, 1, err, n);
}

void vb_env_reap(pid_t pid, unsigned grace_ms)
{
	struct timespec step = { 0, 5 * 1000000 };

	if (pid <= 0)
		return;
	for (unsigned waited = 0; waited < grace_ms; waited += 5) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return;
		nanosleep(&step, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

void vb_env_cleanup(struct vb_instance *in)
{
	if (in->cgroup[0]) {
		vb_cgroup_destroy(in->cgroup);
		in->cgroup[0] = '\0';
	}
	if (in->scratch[0]) {
		if (in->scratch_own)
			unlink(in->scratch);
		in->scratch[0] = '\0';
	}
}

/*
 * len bytes of a log as one line for a reason string: lines joined by '|',
 * other controls blanked, and what is not printable UTF-8 (a C1 control,
 * a sequence the tail cut or a guest broke) shown as U+FFFD: the reason
 * then reads the same on a terminal, in the result file and the report.
 */
static void one_line(const char *s, size_t len, char *out)
{
	size_t k;

	for (size_t i = 0; i < len; i += k) {
		k = s[i] ? vb_text_printable(s + i) : 0;
		if (k) {
			memcpy(out, s + i, k);
			out += k;
			continue;
		}
		k = 1;
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			*out++ = s[i] == '\n' ? '|' : ' ';
		} else {
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
		}
	}
	*out = '\0';
}

size_t vb_env_log_tail(const char *path, const char *label, char *buf, size_t n, size_t len)
{
	char chunk[768], shown[3 * sizeof(chunk)];
	int fd = open(path, O_RDONLY | O_CLOEXEC), w;
	ssize_t r = 0;

	if (len >= n)
		return len;
	if (fd >= 0) {
		off_t end = lseek(fd, 0, SEEK_END);

		r = pread(fd, chunk, sizeof(chunk) - 1,
			  end > (off_t)sizeof(chunk) - 1 ? end - (off_t)sizeof(chunk) + 1 : 0);
		close(fd);
	}
	while (r > 0 && (chunk[r - 1] == '\n' || chunk[r - 1] == '\r'))
		r--;
	chunk[r > 0 ? r : 0] = '\0';
	one_line(chunk, r > 0 ? (size_t)r : 0, shown);
	/* an empty log says something too: the environment printed nothing yet */
	w = snprintf(buf + len, n - len, "%s%s: %s", len ? "; " : "", label,
		     r > 0 ? shown : fd < 0 ? "(none)" : "(empty)");
	return w < 0 ? len : len + (size_t)w > n - 1 ? n - 1 : len + (size_t)w;
}
