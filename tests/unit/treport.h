/* SPDX-License-Identifier: MIT */
/* The report's Markdown as the report tests read it (Check fails the test on error). */
#ifndef VB_TREPORT_H
#define VB_TREPORT_H

#include <jansson.h>
#include <stddef.h>

/*
 * The report of doc (taken), named name, written into a new private dir
 * (its path in dir: the caller removes it): its Markdown (free it), or
 * NULL, the test skipped, without gnuplot.
 */
char *ut_report_of(json_t *doc, const char *name, char *dir, size_t n);
/* The text of md from the level-2 heading title up to the next one (free it). */
char *ut_section(const char *md, const char *title);

/*
 * Nothing from a hostile file came through raw: no escape byte in the
 * Markdown md or the HTML html, every '<' of md escaped, no script or
 * img element in html.
 */
void ut_assert_inert(const char *md, const char *html);

#endif
