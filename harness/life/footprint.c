/* SPDX-License-Identifier: MIT */
/*
 * life.footprint: what one idle instance holds. Memory on the host: the
 * PSS of its processes and its main process's RSS (memuse.h), the memory
 * controller's charge where its group has one (else the backend's own
 * counters of it, as its collect() reports them); on disk: the files the
 * backend names as its image (info "disk": kernel, initramfs, rootfs, agent).
 */
#include "life.h"
#include "memuse.h"
#include "../../common/proto.h"
#include "../../common/textsafe.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How long a started instance is left alone before it is weighed. */
#define SETTLE_MS 1000

static long long tree_bytes, tree_alloc;

static int add_file(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)path;
	(void)f;
	if (type == FTW_F) {
		tree_bytes += st->st_size;
		tree_alloc += (long long)st->st_blocks * 512;
	}
	return 0;
}

/* {"path", "bytes", "allocated_bytes"} of a file or a tree (symlinks not followed). */
static json_t *disk_item(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return json_pack("{s:s, s:s}", "path", path, "unavailable", strerror(errno));
	tree_bytes = tree_alloc = 0;
	if (S_ISDIR(st.st_mode)) {
		if (nftw(path, add_file, 16, FTW_PHYS))
			return json_pack("{s:s, s:s}", "path", path, "unavailable",
					 "could not walk the tree");
	} else {
		add_file(path, &st, S_ISREG(st.st_mode) ? FTW_F : FTW_SL, NULL);
	}
	return json_pack("{s:s, s:I, s:I}", "path", path, "bytes", (json_int_t)tree_bytes,
			 "allocated_bytes", (json_int_t)tree_alloc);
}

static json_t *disk_json(const struct vb_instance *in)
{
	json_t *d = json_object(), *items = json_object_get(in->info, "disk"), *v;
	long long total = 0;
	const char *role;

	json_object_foreach(items, role, v) {
		json_t *it;

		if (!json_is_string(v))
			continue;
		it = disk_item(json_string_value(v));
		total += vb_json_int(it, "bytes", 0);
		json_object_set_new(d, role, it);
	}
	if (!json_object_size(d))
		return json_pack("{s:s}", "unavailable", "the backend names no image files");
	json_object_set_new(d, "total_bytes", json_integer(total));
	return d;
}

/* The backend's own counter of the memory its instance holds, if it has one. */
static json_t *backend_memory(struct vb_instance *in)
{
	json_t *counters = json_array(), *c, *found = NULL;
	size_t i;

	if (in->be->collect)
		in->be->collect(in, counters);
	json_array_foreach(counters, i, c)
		if (!strncmp(vb_json_str(c, "name", ""), "memory.", 7) &&
		    json_is_number(json_object_get(c, "value")))
			found = json_pack("{s:s, s:O}", "counter", vb_json_str(c, "name", ""),
					  "bytes", json_object_get(c, "value"));
	json_decref(counters);
	return found;
}

static json_t *memory_json(struct vb_instance *in, char *err, size_t n)
{
	struct vb_memuse m;
	char why[512];
	long long cg = vb_memuse_cgroup(in, why, sizeof(why));
	json_t *mem, *bm;

	if (vb_memuse_read(in, &m, err, n))
		return NULL;
	mem = json_pack("{s:I, s:I, s:i}", "pss_bytes", (json_int_t)m.pss_bytes, "main_rss_bytes",
			(json_int_t)m.rss_bytes, "processes", m.nprocs);
	if (cg >= 0)
		json_object_set_new(mem, "cgroup_bytes", json_integer(cg));
	else if ((bm = backend_memory(in)))
		json_object_set_new(mem, "backend", bm);
	else
		json_object_set_new(mem, "cgroup_unavailable", json_string(why));
	return mem;
}

static void footprint_run(const struct vb_life *L, const struct vb_pick *pk,
			  const struct vb_run_ctx *ctx, json_t *entry)
{
	struct timespec settle = { SETTLE_MS / 1000, (SETTLE_MS % 1000) * 1000000L };
	struct vb_instance in;
	char err[1024];
	json_t *mem;

	if (vb_life_start(pk, ctx, "footprint", 0, &in, err, sizeof(err))) {
		vb_life_fail(L, entry, err);
		return;
	}
	/* idle: what it holds once started, not what its start touched on the way */
	nanosleep(&settle, NULL);
	mem = memory_json(&in, err, sizeof(err));
	if (mem) {
		json_object_set_new(entry, "settle_ms", json_integer(SETTLE_MS));
		json_object_set_new(entry, "memory", mem);
		json_object_set_new(entry, "disk", disk_json(&in));
	} else {
		vb_life_fail(L, entry, err);
	}
	vb_instance_stop(&in);
}

/* Its line in the run's closing summary. */
static void footprint_print(FILE *f, const json_t *e)
{
	const json_t *m = json_object_get(e, "memory"), *d = json_object_get(e, "disk");

	fprintf(f, "memory %.1f MiB PSS (main process RSS %.1f MiB), image %.1f MiB",
		vb_json_num(m, "pss_bytes", NAN) / 1048576,
		vb_json_num(m, "main_rss_bytes", NAN) / 1048576,
		vb_json_num(d, "total_bytes", NAN) / 1048576);
}

const struct vb_experiment vb_exp_footprint = {
	.name = "life.footprint",
	.desc = "host memory and disk one idle instance holds",
	.run = footprint_run,
	.print = footprint_print,
};
