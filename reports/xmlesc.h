/* SPDX-License-Identifier: MIT */
/* Writing text into XML/HTML: the five special characters escaped. */
#ifndef VB_XMLESC_H
#define VB_XMLESC_H

#include <stdio.h>

void rp_put_xml(FILE *f, const char *s);

#endif
