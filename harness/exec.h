/* SPDX-License-Identifier: MIT */
#ifndef VB_EXEC_H
#define VB_EXEC_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Limits for external commands, seconds: a hung runtime or mirror must not hang a run. */
#define VB_EXEC_TIMEOUT_S 60         /* queries and runtime steps: crun, podman, --version */
#define VB_EXEC_UNPACK_TIMEOUT_S 300 /* local archive work: dpkg-deb -x, tar, podman import */
#define VB_EXEC_FETCH_TIMEOUT_S 900  /* downloads: apt-get download of a kernel package */

/*
 * The run's stop flag (set by SIGINT/SIGTERM): waits that may be cut
 * short end when it is set. NULL (the default): nothing stops them but
 * their timeout.
 */
void vb_exec_stop_on(volatile sig_atomic_t *flag);
/* Find an executable in $PATH (and /usr/sbin, /sbin); 1 found, 0 not. */
int vb_which(const char *name, char *path, size_t n);
/*
 * In a freshly forked child: SIGKILL when vbench (parent) dies, so a
 * SIGKILLed vbench leaves nothing running. -1 when it has died already:
 * the child should _exit.
 */
int vb_exec_die_with(pid_t parent);
/*
 * Wait for child pid, a process group leader (setpgid in the child and
 * in the parent), for at most timeout_s seconds and, when stoppable, only until
 * the run's stop flag is set. Then its group gets SIGTERM, and SIGKILL
 * after a grace. 0 with its wait status in *status, or -1 with err
 * naming what (e.g. "crun delete") and why: "killed after 60 s",
 * "interrupted".
 */
int vb_exec_wait(pid_t pid, const char *what, unsigned timeout_s, int stoppable, int *status,
		 char *err, size_t n);
/*
 * Run argv (searched in PATH; no shell) in cwd (NULL: ours), stdin from
 * /dev/null, and wait at most timeout_s seconds, or until the run is
 * told to stop. Its stdout goes to out (NUL-terminated, truncated to
 * outlen; NULL: dropped). 0 when it exits with status 0, else -1 with err
 * naming the program, its status and the end of its stderr, or why it
 * was killed.
 */
int vb_spawn_wait(char *const argv[], const char *cwd, unsigned timeout_s, char *out,
		  size_t outlen, char *err, size_t n);
/* vb_spawn_wait (VB_EXEC_TIMEOUT_S) keeping the first line of stdout ("crun version 1.8.1"). */
int vb_exec_line(char *const argv[], char *line, size_t n, char *err, size_t errlen);

#endif
