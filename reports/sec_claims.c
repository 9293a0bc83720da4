/* SPDX-License-Identifier: MIT */
/*
 * Section for coursework: the textbook claims (reports/claims/, one file
 * each, listed in claim.h), each with this run's evidence and verdict.
 */
#include <stdio.h>
#include <string.h>

#include "claims/claim.h"

static const struct {
	const char *text;
	void (*eval)(const struct rp_report *, const struct rp_run *, struct claim_out *);
} claims[] = {
#define RP_CLAIM_ROW(name, text) { text, rp_claim_##name },
	RP_CLAIMS(RP_CLAIM_ROW)
#undef RP_CLAIM_ROW
};

size_t rp_claims_count(void)
{
	return sizeof(claims) / sizeof(claims[0]);
}

const char *rp_claim_judge(const struct rp_report *rp, const struct rp_run *r, size_t c,
			   char *verdict, size_t n)
{
	struct claim_out o = {{0}, {0}};

	claims[c].eval(rp, r, &o);
	snprintf(verdict, n, "%s", o.verdict);
	return claims[c].text;
}

void rp_sec_claims(struct rp_report *rp)
{
	static const char *const head[] = {"#", "claim", "run", "evidence", "verdict"};

	rp_doc_heading(&rp->doc, 2, "Textbook claims, tested");
	rp_doc_para(&rp->doc, "Claims that course notes repeat, each checked against the numbers "
		    "above. The rule behind each verdict is fixed in the code (reports/claims/) "
		    "and described in docs/report.md; a claim this run cannot test says why.");
	rp_doc_table(&rp->doc, 5, head);
	for (size_t c = 0; c < rp_claims_count(); c++)
		for (int r = 0; r < rp->nruns; r++) {
			struct claim_out o = {{0}, {0}};
			char num[8];
			const char *cells[5], *cls[5] = {NULL, NULL, NULL, NULL, NULL};

			claims[c].eval(rp, &rp->runs[r], &o);
			/* Evidence lists end with a separator. */
			while (strlen(o.ev) > 0 && strchr("; ", o.ev[strlen(o.ev) - 1]))
				o.ev[strlen(o.ev) - 1] = 0;
			snprintf(num, sizeof(num), "%zu", c + 1);
			cells[0] = num;
			cells[1] = r ? "" : claims[c].text;
			cells[2] = rp->runs[r].label;
			cells[3] = o.ev[0] ? o.ev : "-";
			cells[4] = o.verdict;
			cls[4] = !strncmp(o.verdict, "holds", 5) ? "holds" :
				 !strncmp(o.verdict, "does not", 8) ? "fails" : "na";
			rp_doc_row(&rp->doc, 5, cells, cls);
		}
	rp_doc_table_end(&rp->doc);
}
