/* SPDX-License-Identifier: MIT */
/*
 * The nested run's results into the host's document. They come from a
 * guest: only entries of the backends the lab was asked for, of workloads
 * the host selected, with the fields the readers need in the right types,
 * are taken; the rest is dropped and counted.
 */
#include "lab.h"
#include "../../common/proto.h"

#include <string.h>

/* The name a nested backend takes in the host's document, or NULL: not ours. */
static const char *host_name(const char *name, const char *const *names, size_t n)
{
	if (strcmp(name, "bare") == 0)
		return VB_LAB_BARE;
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return names[i];
	return NULL;
}

static int selected(const json_t *doc, const char *bench)
{
	size_t i;
	json_t *w;

	json_array_foreach(json_object_get(doc, "workloads"), i, w)
		if (strcmp(vb_json_str(w, "name", ""), bench) == 0)
			return 1;
	return 0;
}

static int numbers(const json_t *a)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return 0;
	json_array_foreach(a, i, v)
		if (!json_is_number(v))
			return 0;
	return 1;
}

/* A measurement the readers can take: names, round, status, and samples where ok. */
static int well_formed(const json_t *m)
{
	const char *st = vb_json_str(m, "status", "");

	if (!json_is_object(m) || !json_is_string(json_object_get(m, "bench")) ||
	    !json_is_integer(json_object_get(m, "round")) || vb_json_int(m, "round", -1) < 0)
		return 0;
	if (strcmp(st, "ok") == 0)
		return numbers(json_object_get(m, "samples")) &&
		       json_array_size(json_object_get(m, "samples")) > 0;
	return strcmp(st, "error") == 0 || strcmp(st, "unsupported") == 0;
}

static void merge_backend(json_t *doc, const json_t *b, const char *name, const char *note)
{
	json_t *e = json_deep_copy(b), *traits;

	if (!e)
		return;
	json_object_set_new(e, "name", json_string(name));
	traits = json_object_get(e, "traits");
	if (json_is_object(traits)) {
		json_object_set_new(traits, "lab", json_string(note));
		if (json_is_string(json_object_get(traits, "baseline")))
			json_object_set_new(traits, "baseline", json_string(VB_LAB_BARE));
		/* the lab's bare is L1 itself: a host, compared against nothing */
		if (strcmp(name, VB_LAB_BARE) == 0)
			json_object_set_new(traits, "baseline", json_null());
	}
	json_array_append_new(json_object_get(doc, "backends"), e);
}

/* An experiment entry the readers can take: one the host selected, with its status. */
static int experiment_ok(const json_t *doc, const json_t *e)
{
	const char *st = vb_json_str(e, "status", "");
	const json_t *r = json_object_get(e, "reason");
	size_t i;
	json_t *x;

	if (!json_is_object(e) || (!json_is_null(r) && !json_is_string(r)) ||
	    (strcmp(st, "ok") && strcmp(st, "failed") && strcmp(st, "unavailable") &&
	     strcmp(st, "interrupted")))
		return 0;
	json_array_foreach(json_object_get(json_object_get(json_object_get(doc, "meta"), "plan"),
					   "experiments"), i, x)
		if (json_is_string(x) && !strcmp(json_string_value(x), vb_json_str(e, "name", "")))
			return 1;
	return 0;
}

/* The nested run's experiment entries, renamed as its backends are. */
static void merge_experiments(json_t *doc, const json_t *nested, const char *const *names,
			      size_t n, size_t *dropped)
{
	size_t i;
	json_t *x, *e;

	json_array_foreach(json_object_get(nested, "experiments"), i, x) {
		const char *name = host_name(vb_json_str(x, "backend", ""), names, n);

		if (!name || !experiment_ok(doc, x) || !(e = json_deep_copy(x))) {
			(*dropped)++;
			continue;
		}
		json_object_set_new(e, "backend", json_string(name));
		json_array_append_new(json_object_get(doc, "experiments"), e);
	}
}

size_t vb_lab_merge(json_t *doc, const json_t *nested, const char *const *names, size_t n,
		    const char *note, size_t *dropped)
{
	size_t i, taken = 0;
	json_t *b, *m;

	*dropped = 0;
	json_array_foreach(json_object_get(nested, "backends"), i, b) {
		const char *name = json_is_object(b) ? host_name(vb_json_str(b, "name", ""),
								  names, n) : NULL;

		const char *st = vb_json_str(b, "status", "");

		if (name && (!strcmp(st, "ok") || !strcmp(st, "failed") || !strcmp(st, "unavailable")))
			merge_backend(doc, b, name, note);
		else
			(*dropped)++;
	}
	json_array_foreach(json_object_get(nested, "measurements"), i, m) {
		const char *name = host_name(vb_json_str(m, "backend", ""), names, n);
		json_t *e;

		if (!name || !well_formed(m) || !selected(doc, vb_json_str(m, "bench", "")) ||
		    !(e = json_deep_copy(m))) {
			(*dropped)++;
			continue;
		}
		json_object_set_new(e, "backend", json_string(name));
		json_array_append_new(json_object_get(doc, "measurements"), e);
		taken++;
	}
	merge_experiments(doc, nested, names, n, dropped);
	return taken;
}
