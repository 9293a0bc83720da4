/* SPDX-License-Identifier: MIT */
/* life.density's memory budget (--budget): a size, or a share of the memory available. */
#ifndef VB_LIFE_BUDGET_H
#define VB_LIFE_BUDGET_H

#include <stddef.h>

/*
 * "2G", "512M", "1.5G", "300K" (binary units; a bare number is bytes) or
 * "25%" of /proc/meminfo's MemAvailable now. Sets *bytes and desc ("2G",
 * "25% of 23000 MiB available"). 0, or -1 with err.
 */
int vb_life_budget(const char *s, long long *bytes, char *desc, size_t dn, char *err, size_t n);

/* The host's MemAvailable (/proc/meminfo) in bytes, or -1. */
long long vb_mem_available(void);

#endif
