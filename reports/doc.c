/* SPDX-License-Identifier: MIT */
/* The dual Markdown + HTML writer; see doc.h. */
#include "doc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmlesc.h"
#include "../common/safefile.h"
#include "../common/textsafe.h"

static const char css[] =
	"body{font-family:system-ui,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;"
	"color:#1d1d1f;line-height:1.45}"
	"h1{border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #bbb}"
	"table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
	"th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
	"th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}"
	"td.slower{background:#f8d0cc!important}td.faster{background:#cfeccd!important}"
	"td.holds{background:#cfeccd!important}td.fails{background:#f8d0cc!important}"
	"td.na{color:#777}"
	"p.note{color:#6b4e00;background:#fff6dc;border-left:4px solid #e0b020;padding:.4em .8em}"
	"figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}"
	"figcaption{font-size:.85em;color:#555}code{background:#f3f3f3;padding:0 .2em}";

static char *vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

/* Where Markdown text goes: a block's text, a table cell, an image's text. */
enum md_ctx { MD_TEXT, MD_CELL, MD_ALT };

/* 1 when s, at or after the start of its block's text, would start a block. */
static int md_block_mark(const char *start, const char *s)
{
	const char *d = start;

	if (s == start)
		return *s == '#' || *s == '>' || *s == '+' || *s == '-' || *s == '*';
	/* "12. " or "12) ": an ordered list */
	while (d < s && *d >= '0' && *d <= '9')
		d++;
	return d == s && (*s == '.' || *s == ')');
}

/* 1 when the ASCII character at s must be backslash-escaped. */
static int md_special(const char *start, const char *s, enum md_ctx ctx)
{
	switch (*s) {
	case '\\':
	case '<':             /* raw HTML, autolinks */
		return 1;
	case '(':
	case '[':             /* "](" and "][": inline and reference links, images */
		return (s > start && s[-1] == ']') || (ctx == MD_ALT && *s == '[');
	case ']':
		return ctx == MD_ALT;
	case '|':
		return ctx == MD_CELL;
	}
	return ctx == MD_TEXT && md_block_mark(start, s);
}

/*
 * Markdown: the text shows as written, whatever a result file put in it.
 * No raw HTML, link, image or block can start from it: '<' and a
 * backslash are escaped, "](" and "][" broken, a line break becomes a
 * space and a leading block marker is escaped; a table cell's pipes and
 * an image text's brackets are escaped too. Controls and bytes that are
 * not printable UTF-8 are shown as \xNN (textsafe.h): the file is read
 * on terminals too.
 */
static void put_md(FILE *f, const char *s, enum md_ctx ctx)
{
	const char *start = s;

	for (size_t k; *s; s += k) {
		k = vb_text_printable(s);
		if (!k) {
			if (*s == '\n' || *s == '\r')
				fputc(' ', f);
			else
				fprintf(f, "\\x%02x", (unsigned char)*s);
			k = 1;
			continue;
		}
		if (k == 1 && md_special(start, s, ctx))
			fputc('\\', f);
		fwrite(s, 1, k, f);
	}
}

int rp_doc_open(struct rp_doc *d, const char *dir, const char *title, char *err, size_t n)
{
	char path[4096];

	memset(d, 0, sizeof(*d));
	d->dir = dir;
	snprintf(path, sizeof(path), "%s/report.md", dir);
	d->md = vb_safe_open(&d->md_out, path, 0644, err, n);
	if (!d->md)
		return -1;
	snprintf(path, sizeof(path), "%s/index.html", dir);
	d->html = vb_safe_open(&d->html_out, path, 0644, err, n);
	if (!d->html) {
		vb_safe_abort(&d->md_out);
		return -1;
	}
	fprintf(d->md, "# %s\n\n", title);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", d->html);
	rp_put_xml(d->html, title);
	fprintf(d->html, "</title>\n<style>%s</style></head><body>\n<h1>", css);
	rp_put_xml(d->html, title);
	fputs("</h1>\n", d->html);
	return 0;
}

/* Forget the anchors, the contents and any text held for after them. */
static void free_held(struct rp_doc *d)
{
	if (d->md_after)
		fclose(d->md_after);
	if (d->html_after)
		fclose(d->html_after);
	free(d->md_buf);
	free(d->html_buf);
	d->md_after = d->html_after = NULL;
	d->md_buf = d->html_buf = NULL;
	for (int i = 0; i < d->nanchors; i++)
		free(d->anchors[i]);
	for (int i = 0; i < d->ntoc; i++)
		free(d->toc[i].title);
	d->nanchors = d->ntoc = 0;
	d->md = d->md_out.f;
	d->html = d->html_out.f;
}

static int anchor_taken(const struct rp_doc *d, const char *a)
{
	for (int i = 0; i < d->nanchors; i++)
		if (!strcmp(d->anchors[i], a))
			return 1;
	return 0;
}

/* A new anchor for a heading (see doc.h), kept in d; NULL when there is no room. */
static const char *new_anchor(struct rp_doc *d, const char *title)
{
	char base[80], *a = NULL;
	size_t k = 0;

	for (const unsigned char *p = (const unsigned char *)title; *p && k + 1 < sizeof(base); p++)
		if (isascii(*p) && (isalnum(*p) || *p == '_' || *p == '-'))
			base[k++] = (char)tolower(*p);
		else if (*p == ' ')
			base[k++] = '-';
	base[k] = 0;
	if (d->nanchors >= (int)(sizeof(d->anchors) / sizeof(d->anchors[0])))
		return NULL;
	for (int i = 0; !a; i++) {
		if (i ? asprintf(&a, "%s-%d", base, i) < 0 : !(a = strdup(base))) {
			d->failed = 1;
			return NULL;
		}
		if (anchor_taken(d, a)) {
			free(a);
			a = NULL;
		}
	}
	return d->anchors[d->nanchors++] = a;
}

void rp_doc_toc(struct rp_doc *d)
{
	if (d->md_after)
		return;
	d->md_after = open_memstream(&d->md_buf, &d->md_len);
	d->html_after = open_memstream(&d->html_buf, &d->html_len);
	if (!d->md_after || !d->html_after || !new_anchor(d, "Contents")) {
		d->failed = 1;
		return;
	}
	d->md = d->md_after;
	d->html = d->html_after;
}

/* The contents, then the text held after them, into the files. */
static void write_held(struct rp_doc *d)
{
	FILE *md = d->md_out.f, *html = d->html_out.f;

	if (fclose(d->md_after) | fclose(d->html_after))
		d->failed = 1;
	d->md_after = d->html_after = NULL;
	fputs("## Contents\n\n", md);
	fputs("<nav class=\"toc\"><h2 id=\"contents\">Contents</h2>\n<ul>\n", html);
	for (int i = 0; i < d->ntoc; i++) {
		fputs("- [", md);
		put_md(md, d->toc[i].title, MD_ALT);
		fprintf(md, "](#%s)\n", d->toc[i].anchor);
		fprintf(html, "<li><a href=\"#%s\">", d->toc[i].anchor);
		rp_put_xml(html, d->toc[i].title);
		fputs("</a></li>\n", html);
	}
	fputs("\n", md);
	fputs("</ul></nav>\n", html);
	fwrite(d->md_buf, 1, d->md_len, md);
	fwrite(d->html_buf, 1, d->html_len, html);
}

int rp_doc_close(struct rp_doc *d, char *err, size_t n)
{
	if (d->md_after && !d->failed)
		write_held(d);
	free_held(d);
	fputs("</body></html>\n", d->html);
	if (d->failed) {
		snprintf(err, n, "%s: writing the report failed", d->dir);
		rp_doc_discard(d);
		return -1;
	}
	if (vb_safe_commit(&d->md_out, 0, err, n)) {
		vb_safe_abort(&d->html_out);
		return -1;
	}
	return vb_safe_commit(&d->html_out, 0, err, n);
}

void rp_doc_discard(struct rp_doc *d)
{
	free_held(d);
	vb_safe_abort(&d->md_out);
	vb_safe_abort(&d->html_out);
}

void rp_doc_heading(struct rp_doc *d, int level, const char *fmt, ...)
{
	const char *anchor;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	if (!s) {
		d->failed = 1;
		return;
	}
	anchor = new_anchor(d, s);
	fprintf(d->md, "%.*s ", level, "######");
	put_md(d->md, s, MD_TEXT);
	fputs("\n\n", d->md);
	if (anchor)
		fprintf(d->html, "<h%d id=\"%s\">", level, anchor);
	else
		fprintf(d->html, "<h%d>", level);
	rp_put_xml(d->html, s);
	fprintf(d->html, "</h%d>\n", level);
	if (anchor && level == 2 && d->md_after && d->ntoc < RP_DOC_MAX_TOC) {
		d->toc[d->ntoc].title = s;
		d->toc[d->ntoc++].anchor = anchor;
		return;
	}
	free(s);
}

static void para(struct rp_doc *d, const char *cls, const char *fmt, va_list ap)
{
	char *s = vfmt(fmt, ap);

	if (!s) {
		d->failed = 1;
		return;
	}
	fputs(cls ? "> " : "", d->md);
	put_md(d->md, s, MD_TEXT);
	fputs("\n\n", d->md);
	fprintf(d->html, cls ? "<p class=\"%s\">" : "<p%s>", cls ? cls : "");
	rp_put_xml(d->html, s);
	fputs("</p>\n", d->html);
	free(s);
}

void rp_doc_para(struct rp_doc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	para(d, NULL, fmt, ap);
	va_end(ap);
}

void rp_doc_note(struct rp_doc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	para(d, "note", fmt, ap);
	va_end(ap);
}

/* Items open a list on first use; rp_doc_list_end closes it. */
void rp_doc_item(struct rp_doc *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	if (!s) {
		d->failed = 1;
		return;
	}
	if (!d->in_list)
		fputs("<ul>\n", d->html);
	d->in_list = 1;
	fputs("- ", d->md);
	put_md(d->md, s, MD_TEXT);
	fputc('\n', d->md);
	fputs("<li>", d->html);
	rp_put_xml(d->html, s);
	fputs("</li>\n", d->html);
	free(s);
}

void rp_doc_list_end(struct rp_doc *d)
{
	if (d->in_list)
		fputs("</ul>\n", d->html);
	fputc('\n', d->md);
	d->in_list = 0;
}

void rp_doc_table(struct rp_doc *d, int ncols, const char *const *head)
{
	fputs("<table><thead><tr>", d->html);
	fputc('|', d->md);
	for (int i = 0; i < ncols; i++) {
		fputc(' ', d->md);
		put_md(d->md, head[i], MD_CELL);
		fputs(" |", d->md);
		fputs("<th>", d->html);
		rp_put_xml(d->html, head[i]);
		fputs("</th>", d->html);
	}
	fputs("\n|", d->md);
	for (int i = 0; i < ncols; i++)
		fputs("---|", d->md);
	fputs("</tr></thead><tbody>\n", d->html);
	fputc('\n', d->md);
}

void rp_doc_row(struct rp_doc *d, int ncols, const char *const *cells,
		const char *const *classes)
{
	fputs("<tr>", d->html);
	fputc('|', d->md);
	for (int i = 0; i < ncols; i++) {
		const char *cls = classes ? classes[i] : NULL;

		fputc(' ', d->md);
		/* Markdown has no cell colours: mark significant cells in bold. */
		if (cls && (!strcmp(cls, "slower") || !strcmp(cls, "faster")))
			fputs("**", d->md);
		put_md(d->md, cells[i], MD_CELL);
		if (cls && (!strcmp(cls, "slower") || !strcmp(cls, "faster")))
			fputs("**", d->md);
		fputs(" |", d->md);
		if (cls)
			fprintf(d->html, "<td class=\"%s\">", cls);
		else
			fputs("<td>", d->html);
		rp_put_xml(d->html, cells[i]);
		fputs("</td>", d->html);
	}
	fputs("</tr>\n", d->html);
	fputc('\n', d->md);
}

void rp_doc_table_end(struct rp_doc *d)
{
	fputs("</tbody></table>\n", d->html);
	fputc('\n', d->md);
}

static void put_base64_file(struct rp_doc *d, FILE *in)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char b[3];
	size_t k;

	while ((k = fread(b, 1, 3, in)) > 0) {
		unsigned v = b[0] << 16 | (k > 1 ? b[1] << 8 : 0) | (k > 2 ? b[2] : 0);

		fputc(tab[v >> 18 & 63], d->html);
		fputc(tab[v >> 12 & 63], d->html);
		fputc(k > 1 ? tab[v >> 6 & 63] : '=', d->html);
		fputc(k > 2 ? tab[v & 63] : '=', d->html);
	}
}

void rp_doc_chart(struct rp_doc *d, const char *name, const char *caption)
{
	char path[4096];
	FILE *in;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.svg", d->dir, name);
	/* embedded in the page: a symlink put in DIR must not bring in another file */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	in = fd < 0 ? NULL : fdopen(fd, "rb");
	if (!in) {
		if (fd >= 0)
			close(fd);
		d->failed = 1;
		return;
	}
	fputs("![", d->md);
	put_md(d->md, caption, MD_ALT);
	fprintf(d->md, "](%s.svg)\n\n*", name);
	put_md(d->md, caption, MD_TEXT);
	fprintf(d->md, "* ([PNG](%s.png), data `%s.dat`, script `%s.gp`)\n\n", name, name, name);
	fputs("<figure><img alt=\"", d->html);
	rp_put_xml(d->html, caption);
	fputs("\" src=\"data:image/svg+xml;base64,", d->html);
	put_base64_file(d, in);
	fclose(in);
	fputs("\"><figcaption>", d->html);
	rp_put_xml(d->html, caption);
	fputs(" (", d->html);
	fprintf(d->html, "<a href=\"%s.png\">PNG</a>, data <code>%s.dat</code>, "
		"re-plot: <code>gnuplot %s.gp</code>)</figcaption></figure>\n", name, name, name);
}
