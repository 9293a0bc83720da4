/* SPDX-License-Identifier: MIT */
/* What the claims share (claim.h): appending to their text, and finding who ran where. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"

void rp_claim_cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

int rp_claim_not_run(const struct rp_run *r, enum vb_kind k, enum vb_accel a, enum vb_devices d,
		     const char **be, struct claim_out *o)
{
	char why[400];

	*be = rp_find(r, k, a, d);
	if (!*be) {
		snprintf(o->verdict, sizeof(o->verdict), "not measured: no run of %s",
			 rp_describe(k, a, d, why, sizeof(why)));
		return 1;
	}
	if (rp_backend_ok(r, *be))
		return 0;
	snprintf(o->verdict, sizeof(o->verdict), "not measured: %s",
		 rp_backend_why(r, *be, why, sizeof(why)));
	return 1;
}

int rp_claim_apart(const struct rp_run *r, const char *a, const char *b, struct claim_out *o)
{
	char why[400];

	if (!rp_not_comparable(r, a, b, why, sizeof(why)))
		return 0;
	snprintf(o->verdict, sizeof(o->verdict), "not comparable: %s", why);
	return 1;
}

int rp_claim_baseline_apart(const struct rp_run *r, const char *be, struct claim_out *o)
{
	return rp_baseline(r, be) && rp_claim_apart(r, be, rp_baseline(r, be), o);
}
