/* SPDX-License-Identifier: MIT */
#ifndef VB_PATHS_H
#define VB_PATHS_H

#include <stddef.h>

/*
 * The vbench-agent to run: $VBENCH_AGENT, else beside this executable,
 * else ../libexec/vbench/ from it (the installed layout). 0 or -1 with err.
 */
int vb_agent_path(char *buf, size_t n, char *err, size_t errlen);
/* --cache, else $XDG_CACHE_HOME/vbench, else $HOME/.cache/vbench. */
void vb_cache_dir(const char *opt, char *buf, size_t n);
/* mkdir -p */
int vb_mkdirs(const char *path, char *err, size_t n);
/* rm -rf of a directory vbench made (no symlinks followed). */
void vb_rmtree(const char *path);

#endif
