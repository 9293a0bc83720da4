/* SPDX-License-Identifier: MIT */
/* Section for coursework: when the host is itself a VM, and a glossary. */
#include "report.h"

void rp_sec_coursework(struct rp_report *rp)
{
	rp_doc_heading(&rp->doc, 2, "For coursework");
}
