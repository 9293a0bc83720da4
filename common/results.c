/* SPDX-License-Identifier: MIT */
#include "results.h"
#include "proto.h"
#include "traits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* All of buf to fd; 0 or -1 (errno). */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * The document is rewritten after every measurement: dumped to memory and
 * written at once. json_dumpfd writes each token with its own write(2):
 * 722,000 calls and 0.76 s for a 2 MB file here, and tens of seconds in
 * the emulated lab's L1, where every system call is emulated.
 */
int vb_results_write(const json_t *doc, const char *path, char *err, size_t n)
{
	char tmp[4096], *text;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, n, "path too long: %s", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, n, "create %s: %s", tmp, strerror(errno));
		return -1;
	}
	text = json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
	if (!text || write_all(fd, text, strlen(text)) || write_all(fd, "\n", 1) || fsync(fd)) {
		snprintf(err, n, "write %s: %s", tmp, text ? strerror(errno) : "out of memory");
		free(text);
		close(fd);
		unlink(tmp);
		return -1;
	}
	free(text);
	close(fd);
	if (rename(tmp, path)) {
		snprintf(err, n, "rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * What the backend names of vbench 0.1.0 meant. Frozen: it describes
 * files already written, so it never follows later changes to backends.
 */
static const struct {
	const char *name;
	struct vb_traits t;
} traits_0_1_0[] = {
	{ "bare", { VB_KIND_HOST, VB_ACCEL_NONE, VB_DEV_NATIVE, NULL, NULL, "" } },
	{ "container", { VB_KIND_CONTAINER, VB_ACCEL_NONE, VB_DEV_NATIVE, "bare", NULL, "" } },
	{ "type1", { VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_EMULATED, "bare", "paravirt", "" } },
	{ "paravirt", { VB_KIND_VM, VB_ACCEL_KVM, VB_DEV_VIRTIO, "bare", "type1", "" } },
	{ "type2", { VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, "bare", "type2-pv", "" } },
	{ "type2-pv", { VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_VIRTIO, "bare", "type2", "" } },
};

void vb_results_fill_traits(json_t *doc)
{
	size_t i;
	json_t *b;

	json_array_foreach(json_object_get(doc, "backends"), i, b) {
		const char *name = vb_json_str(b, "name", "");

		if (!json_is_object(b) || json_object_get(b, "traits"))
			continue;
		for (size_t k = 0; k < sizeof(traits_0_1_0) / sizeof(traits_0_1_0[0]); k++) {
			struct vb_traits t = traits_0_1_0[k].t;

			if (strcmp(name, traits_0_1_0[k].name))
				continue;
			/* 0.1.0 kept an emulated lab's note in info.lab */
			t.lab = vb_json_str(json_object_get(b, "info"), "lab", "");
			json_object_set_new(b, "traits", vb_traits_json(&t, NULL));
			break;
		}
	}
}

/* The checks every loaded document passes; what names it in err. */
static json_t *checked(json_t *doc, const json_error_t *je, const char *what, char *err,
		       size_t n)
{
	json_t *v;

	if (!doc) {
		snprintf(err, n, "%s: not valid JSON: %s (line %d)", what, je->text, je->line);
		return NULL;
	}
	if (!json_is_object(doc) || strcmp(vb_json_str(doc, "schema", ""), VB_RESULTS_SCHEMA)) {
		snprintf(err, n, "%s: not a vbench result file (schema is not \"%s\")", what,
			 VB_RESULTS_SCHEMA);
		goto bad;
	}
	v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) != VB_RESULTS_VERSION) {
		if (json_is_integer(v))
			snprintf(err, n, "%s: result schema version %lld, this vbench reads version %d",
				 what, (long long)json_integer_value(v), VB_RESULTS_VERSION);
		else
			snprintf(err, n, "%s: no result schema version", what);
		goto bad;
	}
	if (!json_is_array(json_object_get(doc, "backends")) ||
	    !json_is_array(json_object_get(doc, "workloads")) ||
	    !json_is_array(json_object_get(doc, "measurements"))) {
		snprintf(err, n, "%s: malformed: backends, workloads and measurements must be arrays",
			 what);
		goto bad;
	}
	vb_results_fill_traits(doc);
	return doc;
bad:
	json_decref(doc);
	return NULL;
}

json_t *vb_results_load(const char *path, char *err, size_t n)
{
	json_error_t je;

	return checked(json_load_file(path, JSON_REJECT_DUPLICATES, &je), &je, path, err, n);
}

json_t *vb_results_loadb(const char *buf, size_t len, const char *what, char *err, size_t n)
{
	json_error_t je;

	return checked(json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je), &je, what, err, n);
}
