/* SPDX-License-Identifier: MIT */
#include "results.h"
#include "proto.h"
#include "safefile.h"
#include "textsafe.h"
#include "traits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The document is rewritten after every measurement: dumped to memory and
 * written at once. json_dumpfd writes each token with its own write(2):
 * 722,000 calls and 0.76 s for a 2 MB file here, and tens of seconds in
 * the emulated lab's L1, where every system call is emulated.
 */
int vb_results_write(const json_t *doc, const char *path, char *err, size_t n)
{
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(10)), *line;
	size_t len = text ? strlen(text) : 0;
	int rc;

	line = text ? realloc(text, len + 2) : NULL;
	if (!line) {
		snprintf(err, n, "write %s: out of memory", path);
		free(text);
		return -1;
	}
	line[len] = '\n';
	rc = vb_safe_write(path, line, len + 1, 0644, err, n);
	free(line);
	return rc;
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
		/* jansson quotes the bad token: the file's bytes, as a terminal may show them */
		snprintf(err, n, "%s: not valid JSON: %s (line %d)", what, VB_TERM(je->text),
			 je->line);
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

static void over_cap(const char *what, char *err, size_t n)
{
	snprintf(err, n, "%s: larger than %u MiB, the most a result file may be", what,
		 VB_RESULTS_MAX_BYTES >> 20);
}

/* A file read for jansson, cut at the cap (a pipe has no size to check first). */
struct capped {
	int fd;
	size_t left;            /* bytes the cap allows, and one more */
	int over, errnum;
};

static size_t read_capped(void *buf, size_t len, void *data)
{
	struct capped *c = data;
	ssize_t r;

	do
		r = read(c->fd, buf, len < c->left ? len : c->left);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		c->errnum = errno;
		return (size_t)-1;
	}
	c->left -= (size_t)r;
	if (!c->left) {
		c->over = 1;
		return (size_t)-1;
	}
	return (size_t)r;
}

/*
 * Parse an open result file into *doc (NULL when it is not JSON: je says
 * why). -1 with err when it is over the cap or cannot be read.
 */
static int load_capped(int fd, const char *path, json_t **doc, json_error_t *je, char *err,
		       size_t n)
{
	struct capped c = { .fd = fd, .left = VB_RESULTS_MAX_BYTES + 1u };
	struct stat st;

	*doc = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > VB_RESULTS_MAX_BYTES) {
		over_cap(path, err, n);
		return -1;
	}
	*doc = json_load_callback(read_capped, &c, JSON_REJECT_DUPLICATES, je);
	if (!c.over && !c.errnum)
		return 0;
	json_decref(*doc);
	*doc = NULL;
	if (c.over)
		over_cap(path, err, n);
	else
		snprintf(err, n, "%s: %s", path, strerror(c.errnum));
	return -1;
}

json_t *vb_results_load(const char *path, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;
	json_error_t je;
	json_t *doc;

	if (fd < 0) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return NULL;
	}
	rc = load_capped(fd, path, &doc, &je, err, n);
	close(fd);
	return rc ? NULL : checked(doc, &je, path, err, n);
}

json_t *vb_results_loadb(const char *buf, size_t len, const char *what, char *err, size_t n)
{
	json_error_t je;

	if (len > VB_RESULTS_MAX_BYTES) {
		over_cap(what, err, n);
		return NULL;
	}
	return checked(json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je), &je, what, err, n);
}
