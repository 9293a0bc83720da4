/* SPDX-License-Identifier: MIT */
#include "approaches.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"

int rp_rank(const struct vb_traits *t)
{
	if (!t)
		return VB_NKINDS * VB_NACCELS * VB_NDEVICES;
	return ((int)t->kind * VB_NACCELS + (int)t->accel) * VB_NDEVICES + (int)t->devices;
}

int rp_is_kind(const struct rp_run *r, const char *be, enum vb_kind kind)
{
	const struct vb_traits *t = rp_traits(r, be);

	return t && t->kind == kind;
}

const char *rp_find(const struct rp_run *r, enum vb_kind kind, enum vb_accel accel,
		    enum vb_devices devices)
{
	size_t i;
	json_t *b;

	json_array_foreach(r->backends, i, b) {
		const struct vb_traits *t = r->has_traits[i] ? &r->traits[i] : NULL;

		if (t && t->kind == kind && t->accel == accel && t->devices == devices)
			return vb_json_str(b, "name", NULL);
	}
	return NULL;
}

const char *rp_describe(enum vb_kind kind, enum vb_accel accel, enum vb_devices devices,
			char *buf, size_t n)
{
	static const char *const accel_words[VB_NACCELS] = { "", "KVM ", "TCG " };
	static const char *const dev_words[VB_NDEVICES] = { "", " with emulated devices",
							    " with virtio devices" };

	snprintf(buf, n, "a %s%s%s", accel_words[accel % VB_NACCELS],
		 kind == VB_KIND_VM ? "guest" : vb_kind_name(kind), dev_words[devices % VB_NDEVICES]);
	return buf;
}

struct rp_pv_pair *rp_pv_pairs(const struct rp_run *r, size_t *n)
{
	struct rp_pv_pair *p = calloc(json_array_size(r->backends) + 1, sizeof(*p));
	size_t i;
	json_t *b;

	*n = 0;
	if (!p)
		return NULL;
	json_array_foreach(r->backends, i, b) {
		const struct vb_traits *t = r->has_traits[i] ? &r->traits[i] : NULL;

		size_t k;

		if (!t || t->devices != VB_DEV_EMULATED || !t->pv_partner ||
		    !rp_backend(r, t->pv_partner))
			continue;
		/* insertion keeps the file's order among equal ranks */
		for (k = *n; k > 0 && rp_rank(rp_traits(r, p[k - 1].full)) > rp_rank(t); k--)
			p[k] = p[k - 1];
		p[k] = (struct rp_pv_pair){ vb_json_str(b, "name", ""), t->pv_partner };
		++*n;
	}
	if (!*n) {
		free(p);
		return NULL;
	}
	return p;
}
