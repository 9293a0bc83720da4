/* SPDX-License-Identifier: MIT */
#ifndef VB_PATHS_H
#define VB_PATHS_H

#include <stddef.h>
#include <sys/stat.h>

/*
 * The vbench-agent to run: $VBENCH_AGENT, else beside this executable,
 * else ../libexec/vbench/ from it (the installed layout). 0 or -1 with err.
 */
int vb_agent_path(char *buf, size_t n, char *err, size_t errlen);
/*
 * The floor's payload, vbench-floor-hello (backend.h, floor()): beside the
 * agent, wherever that was found. 0 when it is there to run, or -1 with err.
 */
int vb_floor_hello_path(const char *agent, char *buf, size_t n, char *err, size_t errlen);
/*
 * The guest image cache: --cache, else $XDG_CACHE_HOME/vbench, else
 * $HOME/.cache/vbench, else (root only) /var/cache/vbench. Never a
 * directory everyone can write such as /var/tmp: whoever can write the
 * cache chooses the guest's kernel. 0, or -1 with err (not root, and
 * neither HOME nor XDG_CACHE_HOME set).
 */
int vb_cache_dir(const char *opt, char *buf, size_t n, char *err, size_t errlen);
/*
 * mkdir -p for the cache and the directories in it. What it creates it
 * reopens without following symlinks; a symlink already on the way is
 * followed only if root or the euid owns it (what fs.protected_symlinks
 * asks in sticky directories). The directory must end up private (see
 * vb_private_stat), else it is refused. 0 or -1 with err.
 */
int vb_cache_mkdirs(const char *path, char *err, size_t n);
/*
 * Whether what st describes can have been written by root and the euid
 * only: owned by one of them, writable by neither group nor others. 1, or
 * 0 with the reason in why ("writable by others", "owned by uid N, ...").
 */
int vb_private_stat(const struct stat *st, char *why, size_t n);
/* rm -rf of a directory vbench made (no symlinks followed). */
void vb_rmtree(const char *path);

#endif
