/* SPDX-License-Identifier: MIT */
/*
 * Untrusted text (from a guest, a container's log, a result file) made
 * safe to print on a terminal: an escape sequence in it must not move the
 * cursor, clear the screen, retitle the window or fake a line of vbench's
 * own. Valid printable UTF-8 is kept as it is; every other byte is shown
 * as \xNN: C0 controls (ESC, CR, LF, TAB, ...), DEL, C1 controls (U+0080 to
 * U+009F: a terminal may take U+009B as CSI), the bidirectional overrides
 * and the line and paragraph separators (they reorder or break what is
 * shown), and bytes that are not UTF-8. A backslash is shown as \\, so
 * that text cannot pass for an escaped byte.
 */
#ifndef VB_TEXTSAFE_H
#define VB_TEXTSAFE_H

#include <stddef.h>
#include <stdio.h>

/*
 * The length (1 to 4) of the character at s when it is printable UTF-8,
 * 0 when its first byte is to be shown escaped (s points at a non-NUL).
 */
size_t vb_text_printable(const char *s);

/*
 * s rendered for a terminal into buf (n >= 4 bytes with the NUL); a
 * rendering that does not fit ends in "...", never silently short.
 * Returns buf, for printf's %s.
 */
const char *vb_term_safe(const char *s, char *buf, size_t n);

/* s rendered for a terminal, written to f whole; the bytes written. */
size_t vb_term_put(FILE *f, const char *s);

/*
 * For a printf argument: s rendered into a buffer that lives until the end
 * of the enclosing block (a compound literal), e.g.
 *     fprintf(stderr, "agent says: %s\n", VB_TERM(msg));
 */
#define VB_TERM_MAX 2048
#define VB_TERM(s) vb_term_safe((s), (char[VB_TERM_MAX]){ 0 }, VB_TERM_MAX)

#endif
