/* SPDX-License-Identifier: MIT */
/*
 * The "crash" request: the neighbour's fault that its victim must live
 * through. "panic": a VM's init ends itself, its kernel panics ("Attempted
 * to kill init"; the guest runs with panic=-1 and QEMU with -no-reboot,
 * so QEMU exits). "oom": the agent eats memory until the OOM killer of
 * the memory limit the harness put on its cgroup ends it.
 */
#include "agent.h"
#include "../common/proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#define OOM_MAX_LIMIT_MB 65536
#define OOM_CHUNK_MB 16

static int say_crashing(int fd, json_int_t id, const char *how)
{
	json_t *msg = json_pack("{s:s, s:I, s:s}", "op", "crashing", "id", id, "how", how);
	int rc = vb_proto_send(fd, msg);

	json_decref(msg);
	return rc;
}

static json_t *panic_now(const struct vb_agent_opts *o, json_int_t id)
{
	if (!vb_agent_is_vm_init())
		return json_pack("{s:s, s:I, s:s}", "op", "unsupported", "id", id, "reason",
				 "panic: the agent is not a VM's init");
	/* on a UART the line could still wait in the transmit buffer when the machine stops */
	if (say_crashing(o->out_fd, id, "panic") == 0 && isatty(o->out_fd))
		tcdrain(o->out_fd);
	_exit(1);
}

/* A new chunk of OOM_CHUNK_MB with every page written (so charged), or NULL (errno). */
static char *touched_chunk(void)
{
	size_t len = (size_t)OOM_CHUNK_MB << 20, page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (size_t off = 0; off < len; off += page)
		p[off] = 1;
	return p;
}

/*
 * Touch up to twice the limit: the OOM killer ends the agent long before,
 * and an agent without the limit (the harness forgot it) stops there
 * instead of eating the host. NULL when the channel is gone.
 */
static json_t *eat_memory(const struct vb_agent_opts *o, const json_t *req, json_int_t id)
{
	long long limit_mb = vb_json_int(req, "limit_mb", 0);
	size_t n, done = 0;
	char **chunks, why[128];
	int err = 0;

	if (limit_mb < 1 || limit_mb > OOM_MAX_LIMIT_MB) {
		snprintf(why, sizeof(why), "crash oom: limit_mb must be 1..%d", OOM_MAX_LIMIT_MB);
		return vb_agent_error(id, why);
	}
	n = (size_t)(2 * limit_mb + OOM_CHUNK_MB - 1) / OOM_CHUNK_MB;
	if (!(chunks = calloc(n, sizeof(*chunks))))
		return vb_agent_error(id, "crash oom: out of memory for the chunk list");
	if (say_crashing(o->out_fd, id, "oom")) {
		free(chunks);
		return NULL;
	}
	while (done < n && (chunks[done] = touched_chunk()))
		done++;
	err = done < n ? errno : 0;
	for (size_t i = 0; i < done; i++)
		munmap(chunks[i], (size_t)OOM_CHUNK_MB << 20);
	free(chunks);
	if (err) {
		snprintf(why, sizeof(why), "crash oom: mmap after %zu MiB: %s",
			 done * OOM_CHUNK_MB, strerror(err));
		return vb_agent_error(id, why);
	}
	return json_pack("{s:s, s:I, s:s, s:b, s:I}", "op", "crash", "id", id, "how", "oom",
			 "survived", 1, "touched_mb", (json_int_t)(done * OOM_CHUNK_MB));
}

json_t *vb_agent_crash(const struct vb_agent_opts *o, const json_t *req, json_int_t id)
{
	const char *how = vb_json_str(req, "how", "");

	if (strcmp(how, "panic") == 0)
		return panic_now(o, id);
	if (strcmp(how, "oom") == 0)
		return eat_memory(o, req, id);
	return vb_agent_error(id, "crash: how must be \"panic\" or \"oom\"");
}
