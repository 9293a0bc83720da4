/* SPDX-License-Identifier: MIT */
#include "treport.h"
#include "tfiles.h"
#include "../../reports/report.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

char *ut_report_of(json_t *doc, const char *name, char *dir, size_t n)
{
	struct rp_run r;
	char err[1024], *md;

	if (!ut_have_gnuplot(name)) {
		json_decref(doc);
		return NULL;
	}
	ut_tmpdir(dir, n, "report");
	ck_assert_msg(!rp_run_adopt(&r, doc, name, 0, err, sizeof(err)), "%s", err);
	ck_assert_msg(!rp_report_write(&r, 1, dir, err, sizeof(err)), "%s", err);
	md = ut_slurp(dir, "report.md");
	rp_run_free(&r);
	return md;
}

char *ut_section(const char *md, const char *title)
{
	char head[160];
	const char *at, *end;

	snprintf(head, sizeof(head), "\n## %s\n", title);
	at = strstr(md, head);
	ck_assert_msg(at != NULL, "no section '%s'", title);
	end = strstr(at + strlen(head), "\n## ");
	return strndup(at, end ? (size_t)(end - at) : strlen(at));
}

void ut_assert_inert(const char *md, const char *html)
{
	ck_assert_ptr_null(strchr(md, '\x1b'));
	ck_assert_ptr_null(strchr(html, '\x1b'));
	for (const char *p = strchr(md, '<'); p; p = strchr(p + 1, '<'))
		ck_assert_msg(p > md && p[-1] == '\\', "raw '<' in: %.60s", p);
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<img src=x"));
}
