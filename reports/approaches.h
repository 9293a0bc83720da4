/* SPDX-License-Identifier: MIT */
/*
 * Which backend plays which part in a comparison, chosen by its traits
 * (results backends[].traits), never by its name: the baseline, the VMs,
 * the full/para-virtual pairs, the approach a textbook claim is about.
 */
#ifndef VB_APPROACHES_H
#define VB_APPROACHES_H

#include <stddef.h>

#include "../common/traits.h"
#include "rundata.h"

/*
 * Where an approach goes in tables: the host, containers, KVM guests, TCG
 * guests (each: emulated devices, then virtio), then what has no traits.
 */
int rp_rank(const struct vb_traits *t);
/* 1 when be has traits and is of that kind. */
int rp_is_kind(const struct rp_run *r, const char *be, enum vb_kind kind);
/* The first backend of r with these traits, whatever its status; NULL if none. */
const char *rp_find(const struct rp_run *r, enum vb_kind kind, enum vb_accel accel,
		    enum vb_devices devices);
/* Such an approach in words: "a KVM guest with emulated devices". */
const char *rp_describe(enum vb_kind kind, enum vb_accel accel, enum vb_devices devices,
			char *buf, size_t n);

struct rp_pv_pair {
	const char *full;       /* emulated devices */
	const char *pv;         /* its para-virtual partner */
};
/*
 * The full/para-virtual pairs of r (a backend with emulated devices and
 * the pv_partner its traits name, both in r), full one's display order;
 * malloc'd (free it), *n pairs. NULL when there are none or memory runs out.
 */
struct rp_pv_pair *rp_pv_pairs(const struct rp_run *r, size_t *n);

#endif
