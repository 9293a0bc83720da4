/* SPDX-License-Identifier: MIT */
/*
 * A minimal QMP client (QEMU's JSON monitor) over a connected socket:
 * read the greeting, negotiate, run commands. Events are skipped; the
 * replies are untrusted JSON like anything else from the VM's side.
 */
#ifndef VB_QMP_H
#define VB_QMP_H

#include <jansson.h>

#include "../../common/proto.h"

struct vb_qmp {
	int fd;
	struct vb_linebuf lb;
	int ready;               /* greeting read and capabilities negotiated */
};

/* Take over fd (owned by the caller), wait for the greeting, negotiate. */
int vb_qmp_open(struct vb_qmp *q, int fd, int timeout_ms, char *err, size_t n);
/*
 * Run `cmd` with args (NULL or an object, borrowed); returns the "return"
 * value (new reference) or NULL with err (QMP error, timeout, EOF).
 */
json_t *vb_qmp_cmd(struct vb_qmp *q, const char *cmd, json_t *args, int timeout_ms,
		   char *err, size_t n);

/*
 * Counters from `x-query-jit`'s human-readable text ("TB count  1234"
 * lines): appended to counters as {"source":"qmp","scope":"host",...}.
 */
void vb_qmp_jit_counters(const char *text, json_t *counters);
/* Counters from `query-stats` replies (KVM): summed over vCPUs by name. */
void vb_qmp_stats_counters(const json_t *stats, json_t *counters);

#endif
