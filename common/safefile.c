/* SPDX-License-Identifier: MIT */
/* Replacing a file safely; see safefile.h. */
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Attempts at a fresh temporary name before giving up (each collides with chance 62^-8). */
#define TEMP_TRIES 16

static const char *kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device node";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* 0 when path is absent or a regular file; -1 with err otherwise. */
static int replaceable(const char *path, char *err, size_t n)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	snprintf(err, n, "refusing to replace %s: it is %s", path, kind(st.st_mode));
	return -1;
}

/*
 * A new file <path>.tmp.<8 random characters>, as mkostemp makes one but
 * with the caller's mode: O_EXCL|O_NOFOLLOW, so that nothing already
 * there, a symlink least of all, is ever opened. Its fd, or -1 with err.
 */
static int open_temp(const char *path, mode_t mode, char *tmp, size_t tmplen, char *err,
		     size_t n)
{
	static const char chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[8];
	int fd = -1;

	for (int i = 0; i < TEMP_TRIES && fd < 0; i++) {
		char sfx[sizeof(rnd) + 1];
		int len;

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			snprintf(err, n, "a temporary name for %s: getrandom: %s", path,
				 strerror(errno));
			return -1;
		}
		for (size_t k = 0; k < sizeof(rnd); k++)
			sfx[k] = chars[rnd[k] % (sizeof(chars) - 1)];
		sfx[sizeof(rnd)] = '\0';
		len = snprintf(tmp, tmplen, "%s.tmp.%s", path, sfx);
		if (len < 0 || (size_t)len >= tmplen) {
			snprintf(err, n, "path too long: %s", path);
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		snprintf(err, n, "create %s: %s", tmp, strerror(errno));
	return fd;
}

/* All of buf to fd, then fsync and close (always); 0 or -1 with errno. */
static int finish_fd(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	int e = 0;

	while (len && !e) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else {
			p += w;
			len -= (size_t)w;
		}
	}
	if (!e && fsync(fd))
		e = errno;
	if (close(fd) && !e)
		e = errno;
	errno = e;
	return e ? -1 : 0;
}

/*
 * Flush the directory that holds path, so that a rename in it survives a
 * crash. EINVAL is the file system saying it has nothing to flush for a
 * directory (some FUSE and network ones): not an error.
 */
static int sync_dir_of(const char *path, char *err, size_t n)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = fd < 0 ? -1 : fsync(fd);
	if (rc && errno == EINVAL)
		rc = 0;
	if (rc)
		snprintf(err, n, "fsync directory %s: %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* from (complete and flushed) over path, then its directory flushed; from removed on failure. */
static int put_in_place(const char *from, const char *path, char *err, size_t n)
{
	if (replaceable(path, err, n)) {
		unlink(from);
		return -1;
	}
	if (rename(from, path)) {
		snprintf(err, n, "rename %s to %s: %s", from, path, strerror(errno));
		unlink(from);
		return -1;
	}
	return sync_dir_of(path, err, n);
}

int vb_safe_write(const char *path, const void *buf, size_t len, mode_t mode, char *err,
		  size_t n)
{
	char tmp[PATH_MAX];
	int fd;

	if (replaceable(path, err, n))
		return -1;
	fd = open_temp(path, mode, tmp, sizeof(tmp), err, n);
	if (fd < 0)
		return -1;
	if (finish_fd(fd, buf, len)) {
		snprintf(err, n, "write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return put_in_place(tmp, path, err, n);
}

FILE *vb_safe_open(struct vb_safe_file *s, const char *path, mode_t mode, char *err, size_t n)
{
	int fd;

	memset(s, 0, sizeof(*s));
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s", path) >= sizeof(s->path)) {
		snprintf(err, n, "path too long: %s", path);
		return NULL;
	}
	if (replaceable(path, err, n))
		return NULL;
	fd = open_temp(path, mode, s->tmp, sizeof(s->tmp), err, n);
	if (fd < 0)
		return NULL;
	s->f = fdopen(fd, "w");
	if (!s->f) {
		snprintf(err, n, "%s: %s", s->tmp, strerror(errno));
		close(fd);
		unlink(s->tmp);
	}
	return s->f;
}

int vb_safe_commit(struct vb_safe_file *s, int failed, char *err, size_t n)
{
	int bad = failed || fflush(s->f) || ferror(s->f) || fsync(fileno(s->f));
	int e = errno;

	if (fclose(s->f) && !bad) {
		bad = 1;
		e = errno;
	}
	s->f = NULL;
	if (bad) {
		snprintf(err, n, "write %s: %s", s->tmp, e ? strerror(e) : "failed");
		unlink(s->tmp);
		return -1;
	}
	return put_in_place(s->tmp, s->path, err, n);
}

void vb_safe_abort(struct vb_safe_file *s)
{
	if (!s->f)
		return;
	fclose(s->f);
	s->f = NULL;
	unlink(s->tmp);
}

int vb_safe_move(const char *from, const char *to, char *err, size_t n)
{
	int fd = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || fsync(fd)) {
		snprintf(err, n, "%s: %s", from, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(from);
		return -1;
	}
	close(fd);
	return put_in_place(from, to, err, n);
}
