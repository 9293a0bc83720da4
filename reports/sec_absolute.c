/* SPDX-License-Identifier: MIT */
/* Section: absolute results per approach and workload, in the workload's unit. */
#include "report.h"

void rp_sec_absolute(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "Absolute results");
}
