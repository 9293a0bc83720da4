/* SPDX-License-Identifier: MIT */
#include "budget.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BUDGET (1LL << 20)
#define MAX_BUDGET (1LL << 50)

long long vb_mem_available(void)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && sscanf(line, "MemAvailable: %lld kB", &kb) != 1)
		;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

int vb_life_budget(const char *s, long long *bytes, char *desc, size_t dn, char *err, size_t n)
{
	static const char units[] = "KMGT";
	const char *u = NULL;
	char *end;
	double v, b;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v > 0)) {
		snprintf(err, n, "--budget wants a size such as 2G or 512M, or a share such as "
			 "25%%, not '%s'", s);
		return -1;
	}
	if (!strcmp(end, "%")) {
		long long avail = vb_mem_available();

		if (v > 100 || avail < 0) {
			snprintf(err, n, v > 100 ? "--budget %s: more than 100%%" :
				 "--budget %s: no MemAvailable in /proc/meminfo", s);
			return -1;
		}
		b = avail * v / 100;
		snprintf(desc, dn, "%g%% of %lld MiB available", v, avail >> 20);
	} else if (!*end || ((u = strchr(units, *end)) && *u && !end[1])) {
		b = *end ? ldexp(v, 10 * (int)(u - units + 1)) : v;
		/* bytes (as the emulated lab's nested run gets it) read better in MiB */
		if (*end)
			snprintf(desc, dn, "%s", s);
		else
			snprintf(desc, dn, "%.0f MiB", b / 1048576);
	} else {
		snprintf(err, n, "--budget '%s': the unit is K, M, G or T (binary), or %%", s);
		return -1;
	}
	if (!(b >= MIN_BUDGET && b <= MAX_BUDGET)) {
		snprintf(err, n, "--budget %s: below 1 MiB or absurdly large", s);
		return -1;
	}
	*bytes = (long long)b;
	return 0;
}
