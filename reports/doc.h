/* SPDX-License-Identifier: MIT */
/*
 * One report, two formats: every call writes the same content to the
 * Markdown file and to the self-contained HTML page, so the sections are
 * written once. Text arguments are plain text; the writer escapes them.
 */
#ifndef VB_DOC_H
#define VB_DOC_H

#include <stdio.h>

#include "../common/safefile.h"

#define RP_DOC_MAX_TOC 64

struct rp_doc {
	FILE *md;               /* where the text goes: md_out's stream, or after */
	FILE *html;             /* html_out's stream, or after */
	/* after rp_doc_toc: the text after the contents, held until they are known */
	FILE *md_after, *html_after;
	char *md_buf, *html_buf;
	size_t md_len, html_len;
	/* every heading's anchor so far (unique), and the level-2 ones after the mark */
	char *anchors[RP_DOC_MAX_TOC * 2];
	int nanchors;
	struct { char *title; const char *anchor; } toc[RP_DOC_MAX_TOC];
	int ntoc;
	struct vb_safe_file md_out, html_out; /* replace DIR's files only when complete */
	const char *dir;        /* where charts live, for embedding */
	int failed;             /* a write or an embed went wrong */
	int in_list;            /* an item list is open */
};

/* Start DIR/report.md and DIR/index.html (safefile.h replacements); 0 or -1 with err. */
int rp_doc_open(struct rp_doc *d, const char *dir, const char *title, char *err, size_t n);
/* Finish both files and put them in place; 0, or -1 with err (then DIR keeps its old ones). */
int rp_doc_close(struct rp_doc *d, char *err, size_t n);
/* Drop both files unfinished: DIR keeps what it had (the report failed). */
void rp_doc_discard(struct rp_doc *d);

/*
 * Headings have anchors (GitHub's: lower case, spaces to '-', other
 * punctuation dropped, "-1", "-2" after a repeat). Here goes a table of
 * contents of the level-2 headings that follow; it is written at close.
 */
void rp_doc_toc(struct rp_doc *d);
void rp_doc_heading(struct rp_doc *d, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rp_doc_para(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A paragraph that says why something is absent (styled as a note). */
void rp_doc_note(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_doc_item(struct rp_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_doc_list_end(struct rp_doc *d);

/* A table: header cells, then rows; a cell class ("slower", "faster") or NULL. */
void rp_doc_table(struct rp_doc *d, int ncols, const char *const *head);
void rp_doc_row(struct rp_doc *d, int ncols, const char *const *cells,
		const char *const *classes);
void rp_doc_table_end(struct rp_doc *d);

/* A chart DIR/NAME.svg (embedded as a data: URI) with its PNG and script linked. */
void rp_doc_chart(struct rp_doc *d, const char *name, const char *caption);

#endif
