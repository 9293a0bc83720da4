/* SPDX-License-Identifier: MIT */
#include "pin.h"

#include <errno.h>
#include <hwloc.h>
#include <stdio.h>
#include <string.h>

static int load(hwloc_topology_t *t)
{
	if (hwloc_topology_init(t))
		return -1;
	if (hwloc_topology_load(*t)) {
		hwloc_topology_destroy(*t);
		return -1;
	}
	return 0;
}

json_t *vb_topology_json(void)
{
	hwloc_topology_t t;
	json_t *j;
	char summary[256];

	if (load(&t))
		return json_pack("{s:s}", "unavailable", "hwloc could not load the topology");
	int pk = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE);
	int co = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
	int pu = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
	int nn = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
	hwloc_obj_t l3 = hwloc_get_obj_by_type(t, HWLOC_OBJ_L3CACHE, 0);

	snprintf(summary, sizeof(summary), "Package:%d Core:%d PU:%d NUMANode:%d", pk, co, pu, nn);
	j = json_pack("{s:i, s:i, s:i, s:i, s:s}", "packages", pk, "cores", co, "pus", pu,
		      "numa_nodes", nn, "summary", summary);
	if (l3 && l3->attr)
		json_object_set_new(j, "l3_bytes", json_integer((json_int_t)l3->attr->cache.size));
	hwloc_topology_destroy(t);
	return j;
}

int vb_pin_choose(int want, int *pus, int max, char *err, size_t n)
{
	hwloc_topology_t t;
	int total, got = 0;

	if (want < 1 || want > max) {
		snprintf(err, n, "cannot pin to %d PUs (1..%d)", want, max);
		return -1;
	}
	if (load(&t)) {
		snprintf(err, n, "hwloc could not load the topology");
		return -1;
	}
	total = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
	if (want > total) {
		snprintf(err, n, "asked for %d CPUs, this host has %d", want, total);
		hwloc_topology_destroy(t);
		return -1;
	}
	for (int i = total - want; i < total; i++)
		pus[got++] = (int)hwloc_get_obj_by_type(t, HWLOC_OBJ_PU, (unsigned)i)->os_index;
	hwloc_topology_destroy(t);
	return got;
}

int vb_pin_pid(pid_t pid, const int *pus, int npus, int threads, char *err, size_t n)
{
	hwloc_topology_t t;
	hwloc_bitmap_t set;
	int rc;

	if (load(&t)) {
		snprintf(err, n, "hwloc could not load the topology");
		return -1;
	}
	set = hwloc_bitmap_alloc();
	for (int i = 0; i < npus; i++)
		hwloc_bitmap_set(set, (unsigned)pus[i]);
	rc = hwloc_set_proc_cpubind(t, pid, set, threads ? 0 : HWLOC_CPUBIND_THREAD);
	if (rc)
		snprintf(err, n, "bind pid %d: %s", (int)pid, strerror(errno));
	hwloc_bitmap_free(set);
	hwloc_topology_destroy(t);
	return rc ? -1 : 0;
}
