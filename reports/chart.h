/* SPDX-License-Identifier: MIT */
/*
 * gnuplot charts kept re-plottable: each chart is DIR/NAME.dat (data),
 * DIR/NAME.gp (the script, which writes NAME.png with pngcairo and then
 * NAME.svg) and the two images. gnuplot runs as a child process
 * (`gnuplot NAME.gp` in DIR); VBENCH_GNUPLOT overrides the program. Data
 * files are tab-separated and every block starts with a header line.
 */
#ifndef VB_CHART_H
#define VB_CHART_H

#include <stdio.h>

/* "prefix-part" with anything outside [A-Za-z0-9._-] replaced by '_'. */
void rp_chart_name(char *buf, size_t n, const char *prefix, const char *part);
/* Make s safe inside a single-quoted gnuplot string (and a data column). */
void rp_gp_safe(char *s);
/* Open DIR/NAME.dat for writing; NULL with err. */
FILE *rp_chart_data(const char *dir, const char *name, char *err, size_t n);
/*
 * Write DIR/NAME.gp from the plot commands in body (which refer to
 * 'NAME.dat') and run gnuplot; 0, or -1 with a one-line reason in err.
 */
int rp_chart_render(const char *dir, const char *name, int width, int height,
		    const char *body, char *err, size_t n);

#endif
