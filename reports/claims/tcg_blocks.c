/* SPDX-License-Identifier: MIT */
/* Claim 5: hosted (Type-2) virtualization translates the guest into basic blocks. */
#include <math.h>
#include <stdio.h>

#include "claim.h"

/* 5. Type-2 translates basic blocks: holds when TCG counted translated blocks. */
void rp_claim_tcg_blocks(const struct rp_report *rp, const struct rp_run *r,
			     struct claim_out *o)
{
	const char *first = NULL;
	int any = 0, ran = 0;
	size_t i;
	json_t *b;

	(void)rp;
	json_array_foreach(r->backends, i, b) {
		const char *be = vb_json_str(b, "name", "");
		double tbs, code;

		if (!r->has_traits[i] || r->traits[i].accel != VB_ACCEL_TCG)
			continue;
		first = first ? first : be;
		ran |= rp_backend_ok(r, be);
		tbs = rp_backend_counter(r, be, "tcg.tb_count");
		code = rp_backend_counter(r, be, "tcg.code_bytes");
		if (!isfinite(tbs))
			continue;
		any += tbs > 0;
		rp_claim_cat(o->ev, sizeof(o->ev), "%s: %.0f translation blocks", be, tbs);
		if (isfinite(code))
			rp_claim_cat(o->ev, sizeof(o->ev), ", %.1f MiB code cache", code / 1048576);
		rp_claim_cat(o->ev, sizeof(o->ev), "; ");
	}
	if (any)
		snprintf(o->verdict, sizeof(o->verdict), "holds");
	else if (o->ev[0])
		snprintf(o->verdict, sizeof(o->verdict), "does not hold here: no block translated");
	else if (ran)
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no TCG translation "
			 "statistics (tcg.tb_count) in this run");
	else if (first)
		rp_claim_not_run(r, VB_KIND_VM, VB_ACCEL_TCG, VB_DEV_EMULATED, &first, o);
	else
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no TCG guest in this run");
}
