/* SPDX-License-Identifier: MIT */
/*
 * What kind of environment a backend makes, in words every layer shares:
 * the harness writes them into the results' backends[].traits, and the
 * reports choose what to compare by them, never by a backend's name.
 */
#ifndef VB_TRAITS_H
#define VB_TRAITS_H

#include <jansson.h>
#include <stddef.h>

enum vb_kind { VB_KIND_HOST, VB_KIND_CONTAINER, VB_KIND_VM, VB_NKINDS };
enum vb_accel { VB_ACCEL_NONE, VB_ACCEL_KVM, VB_ACCEL_TCG, VB_NACCELS };
enum vb_devices { VB_DEV_NATIVE, VB_DEV_EMULATED, VB_DEV_VIRTIO, VB_NDEVICES };

struct vb_traits {
	enum vb_kind kind;
	enum vb_accel accel;        /* how guest code runs: natively, KVM, or TCG */
	enum vb_devices devices;    /* the host's own, emulated, or para-virtual */
	const char *baseline;       /* the backend it is compared against; NULL: none */
	const char *pv_partner;     /* same hypervisor, the other device model; NULL: none */
	const char *lab;            /* "" where it ran directly on this host */
};

const char *vb_kind_name(enum vb_kind k);
const char *vb_accel_name(enum vb_accel a);
const char *vb_devices_name(enum vb_devices d);

/*
 * The traits as results JSON. An instance started under a tag ("type2@new")
 * has its partner under the same tag; its baseline stays untagged.
 */
json_t *vb_traits_json(const struct vb_traits *t, const char *tag);
/*
 * Read a results "traits" object (untrusted): 0, or -1 with err. The
 * strings point into j.
 */
int vb_traits_parse(const json_t *j, struct vb_traits *t, char *err, size_t n);

#endif
