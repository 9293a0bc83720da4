/* SPDX-License-Identifier: MIT */
/* A chart drawn into the report: its data file, its picture, its place in the text. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>

#include "chart.h"

FILE *rp_report_data(struct rp_report *rp, const char *name)
{
	FILE *f = rp_chart_data(rp->charts, name, rp->err, sizeof(rp->err));

	if (!f)
		rp->failed = 1;
	return f;
}

void rp_report_chart(struct rp_report *rp, const char *name, int w, int h, const char *body,
		     const char *caption)
{
	char err[1024];

	if (rp->failed)
		return;
	if (rp_chart_render(rp->charts, rp->dir, name, w, h, body, err, sizeof(err))) {
		snprintf(rp->err, sizeof(rp->err), "%s", err);
		rp->failed = 1;
		return;
	}
	rp_doc_chart(&rp->doc, name, caption);
	json_object_set_new(rp->charts_made, name, json_true());
}

void rp_report_hbars(struct rp_report *rp, const char *name, const char *axes, int rows,
		     double longest, const char *colour, const char *caption)
{
	char *body = NULL;
	size_t len = 0;
	FILE *gp = open_memstream(&body, &len);

	if (!gp) {
		rp->failed = 1;
		snprintf(rp->err, sizeof(rp->err), "out of memory");
		return;
	}
	fputs(axes, gp);
	rp_chart_hbars(gp, name, rows, longest, colour);
	fclose(gp);
	rp_report_chart(rp, name, 900, RP_CHART_HBARS_HEIGHT(rows), body, caption);
	free(body);
}
