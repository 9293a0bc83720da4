/* SPDX-License-Identifier: MIT */
#include "traits.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[VB_NKINDS] = { "host", "container", "vm" };
static const char *const accels[VB_NACCELS] = { "none", "kvm", "tcg" };
static const char *const devices[VB_NDEVICES] = { "native", "emulated", "virtio" };

const char *vb_kind_name(enum vb_kind k)
{
	return (unsigned)k < VB_NKINDS ? kinds[k] : "?";
}

const char *vb_accel_name(enum vb_accel a)
{
	return (unsigned)a < VB_NACCELS ? accels[a] : "?";
}

const char *vb_devices_name(enum vb_devices d)
{
	return (unsigned)d < VB_NDEVICES ? devices[d] : "?";
}

static json_t *tagged(const char *name, const char *tag)
{
	char buf[256];

	if (!name)
		return json_null();
	if (!tag || !tag[0])
		return json_string(name);
	snprintf(buf, sizeof(buf), "%s@%s", name, tag);
	return json_string(buf);
}

json_t *vb_traits_json(const struct vb_traits *t, const char *tag)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "kind", vb_kind_name(t->kind),
			 "accel", vb_accel_name(t->accel), "devices", vb_devices_name(t->devices),
			 "baseline", tagged(t->baseline, NULL), "pv_partner",
			 tagged(t->pv_partner, tag), "lab", t->lab ? t->lab : "");
}

/* The index of the string j in names, or -1. */
static int lookup(const json_t *j, const char *const *names, int count)
{
	for (int i = 0; json_is_string(j) && i < count; i++)
		if (strcmp(json_string_value(j), names[i]) == 0)
			return i;
	return -1;
}

/* A backend name or null. */
static int name_or_null(const json_t *j, const char **out)
{
	if (!j || json_is_null(j)) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(j) || !json_string_value(j)[0])
		return -1;
	*out = json_string_value(j);
	return 0;
}

int vb_traits_parse(const json_t *j, struct vb_traits *t, char *err, size_t n)
{
	int k = lookup(json_object_get(j, "kind"), kinds, VB_NKINDS);
	int a = lookup(json_object_get(j, "accel"), accels, VB_NACCELS);
	int d = lookup(json_object_get(j, "devices"), devices, VB_NDEVICES);
	const json_t *lab = json_object_get(j, "lab");

	if (!json_is_object(j)) {
		snprintf(err, n, "traits: expected an object");
		return -1;
	}
	if (k < 0 || a < 0 || d < 0) {
		snprintf(err, n, "traits: %s is not one of the known values",
			 k < 0 ? "kind" : a < 0 ? "accel" : "devices");
		return -1;
	}
	if (name_or_null(json_object_get(j, "baseline"), &t->baseline) ||
	    name_or_null(json_object_get(j, "pv_partner"), &t->pv_partner)) {
		snprintf(err, n, "traits: baseline and pv_partner must be backend names or null");
		return -1;
	}
	if (lab && !json_is_string(lab)) {
		snprintf(err, n, "traits: lab must be a string");
		return -1;
	}
	t->kind = (enum vb_kind)k;
	t->accel = (enum vb_accel)a;
	t->devices = (enum vb_devices)d;
	t->lab = lab ? json_string_value(lab) : "";
	return 0;
}
