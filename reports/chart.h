/* SPDX-License-Identifier: MIT */
/*
 * gnuplot charts kept re-plottable: each chart is DIR/NAME.dat (data),
 * DIR/NAME.gp (the script, which writes NAME.png with pngcairo and then
 * NAME.svg) and the two images. gnuplot runs as a child process
 * (`gnuplot NAME.gp` in a private directory, then the files are moved
 * into DIR); VBENCH_GNUPLOT overrides the program. Data
 * files are tab-separated and every block starts with a header line.
 */
#ifndef VB_CHART_H
#define VB_CHART_H

#include <stdio.h>

/*
 * Page geometry (doc.c): the page's text column is 1150 px wide and a chart
 * is shown at its natural size, so none is drawn wider than this and its
 * text, RP_CHART_FONT px in the SVG, is that large in the page too (about
 * the tables' text). rp_chart_render narrows a wider request to this.
 */
#define RP_CHART_MAX_WIDTH 1100
#define RP_CHART_FONT 14

/* Replace in s each character outside [A-Za-z0-9._-] by '_'. */
void rp_name_safe(char *s);
/* "prefix-part", made rp_name_safe. */
void rp_chart_name(char *buf, size_t n, const char *prefix, const char *part);
/* Make s safe inside a single-quoted gnuplot string (and a data column). */
void rp_gp_safe(char *s);
/*
 * The private directory charts are made in, WORK: DIR/.vbench-charts-XXXXXX
 * (mkdtemp: new, mode 0700). gnuplot writes its images by name (`set
 * output`) and would follow a symlink planted in DIR; in WORK no one else
 * can plant one. Finished files are moved into DIR as safefile.h does.
 * 0 or -1 with err.
 */
int rp_chart_workdir(const char *dir, char *work, size_t n, char *err, size_t errlen);
/* Remove WORK and what is left in it (the data of charts never drawn). */
void rp_chart_workdir_remove(const char *work);
/* Open WORK/NAME.dat for writing; NULL with err. */
FILE *rp_chart_data(const char *work, const char *name, char *err, size_t n);
/*
 * Write WORK/NAME.gp from the plot commands in body (which refer to
 * 'NAME.dat'), run gnuplot in WORK and move NAME.dat, .gp, .png and .svg
 * into DIR (and NAME.log, where gnuplot failed); 0, or -1 with a one-line
 * reason in err. The images are width (at most RP_CHART_MAX_WIDTH) x
 * height px, text in RP_CHART_FONT, not enhanced (names from result files
 * are drawn as they are: no _ subscripts or ^ superscripts).
 */
int rp_chart_render(const char *work, const char *dir, const char *name, int width,
		    int height, const char *body, char *err, size_t n);
/*
 * For charts with a row per item, top to bottom (y = 0 .. rows-1): the y
 * axis reversed over them, tics without marks, a faint line between rows.
 */
void rp_chart_rows(FILE *gp, int rows);
/*
 * Horizontal bars from 0 on a linear axis, a row per item, each labelled
 * with its value (a bar of a few ms beside one of seconds is too short to
 * see): the plot commands for NAME.dat with columns row (0..rows-1),
 * item, value, value as text; longest the largest value. Draw it
 * RP_CHART_HBARS_HEIGHT(rows) px high.
 */
void rp_chart_hbars(FILE *gp, const char *name, int rows, double longest, const char *colour);
#define RP_CHART_HBARS_HEIGHT(rows) (130 + 34 * (rows))

#endif
