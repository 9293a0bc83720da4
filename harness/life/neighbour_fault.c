/* SPDX-License-Identifier: MIT */
/*
 * iso.neighbour's fault: the neighbour crashes the way its kind does (a
 * VM's kernel panics; a container or a process runs out of memory under
 * a memory limit) and the victim is asked to go on: a measurement and a
 * ping after the crash. The evidence: the neighbour's channel ended, its
 * console's panic or its group's OOM kill count.
 */
#include "neighbour.h"
#include "../../common/proto.h"

#include <stdio.h>
#include <string.h>

/* Headroom over what the neighbour holds before it allocates without bound. */
#define OOM_ROOM_MIB 64

/* A container or a process: a memory limit just above what it holds. 0, or -1 with why. */
static int limit_memory(struct vb_nb *nb, long long *limit_mb, char *why, size_t n)
{
	long long held = nb->limits ? vb_lgroup_memory(&nb->g[1], why, n) : -1;
	struct vb_limits l = { 0 };
	json_t *applied = json_object();
	const char *v;

	if (!nb->limits)
		snprintf(why, n, "no memory limit can be put on the neighbour: %s",
			 nb->limits_why);
	if (held < 0)
		return -1;
	l.mem_bytes = held + ((long long)OOM_ROOM_MIB << 20);
	vb_lgroup_apply(&nb->g[1], &l, applied);
	v = vb_json_str(applied, "memory", "unavailable: not applied");
	if (!strncmp(v, "unavailable", 11))
		snprintf(why, n, "memory limit: %s", v);
	json_decref(applied);
	*limit_mb = l.mem_bytes >> 20;
	return strncmp(v, "unavailable", 11) ? 0 : -1;
}

/* Send the crash and wait for the neighbour's channel to end; the outcome into f. */
static void crash(struct vb_nb *nb, const char *how, long long limit_mb, json_t *f)
{
	struct vb_instance *in = &nb->in[1];
	json_t *req = json_pack("{s:s, s:s, s:I}", "op", "crash", "how", how, "limit_mb",
				(json_int_t)limit_mb);
	char why[512] = "";
	json_t *rep = vb_instance_request(in, req, nb->L->o->timeout_ms, why, sizeof(why));

	json_decref(req);
	if (rep && strcmp(vb_json_str(rep, "op", ""), "crashing")) {
		json_object_set_new(f, "neighbour", json_pack("{s:s, s:s}", "ended", "no",
							     "reply", vb_json_str(rep, "op", "?")));
		json_decref(rep);
		return;
	}
	json_decref(rep);
	/* "crashing" said: now its channel must end, with nothing more from it */
	rep = rep ? vb_instance_exchange(in, NULL, nb->L->o->timeout_ms, why,
						 sizeof(why)) : NULL;
	json_object_set_new(f, "neighbour", json_pack("{s:s, s:s}", "ended", rep ? "no" : "yes",
						     "how", rep ? vb_json_str(rep, "op", "?") : why));
	json_decref(rep);
}

/* What the host saw of the crash: the console's panic line, or the OOM kill count. */
static void evidence(struct vb_nb *nb, int panic, json_t *f)
{
	char buf[1200], why[256];

	if (panic) {
		buf[0] = '\0';
		if (nb->in[1].be->log_tail)
			nb->in[1].be->log_tail(&nb->in[1], buf, sizeof(buf));
		/*
		 * panic() prints "Kernel panic - not syncing", a stack dump, then
		 * (x86's panic notifier) "Kernel Offset:": the tail the log keeps
		 * may hold only the end of the dump.
		 */
		json_object_set_new(f, "kernel_panic", json_boolean(strstr(buf, "Kernel panic") ||
								    strstr(buf, "Kernel Offset:")));
		json_object_set_new(f, "log_tail", json_string(buf));
	} else {
		long long k = vb_lgroup_oom_kills(&nb->g[1], why, sizeof(why));

		json_object_set_new(f, "oom_kills", k >= 0 ? json_integer(k) : json_string(why));
	}
}

/* The victim after the crash: one measurement and a ping. */
static void victim_goes_on(struct vb_nb *nb, json_t *f)
{
	json_t *ping = json_pack("{s:s}", "op", "ping"), *pong;
	uint64_t iters = 0;
	double med;
	char why[512];
	int ok = vb_nb_measure(&nb->in[0], nb->L, "cpu.int", &iters, 1, &med, why, sizeof(why)) == 0;

	pong = ok ? vb_instance_request(&nb->in[0], ping, nb->L->o->timeout_ms, why,
						  sizeof(why)) : NULL;
	ok = pong && !strcmp(vb_json_str(pong, "op", ""), "pong");
	json_object_set_new(f, "victim", ok ? json_pack("{s:b, s:s, s:f}", "goes_on", 1, "bench",
							 "cpu.int", "median", med)
					  : json_pack("{s:b, s:s}", "goes_on", 0, "why", why));
	json_decref(ping);
	json_decref(pong);
}

json_t *vb_nb_fault(struct vb_nb *nb)
{
	int panic = nb->in[1].be->traits.kind == VB_KIND_VM;
	json_t *f = json_pack("{s:s}", "crash", panic ? "kernel panic" : "out of memory");
	long long limit_mb = 0;
	char why[600];

	if (nb->in[1].dead) {
		/* a hog that timed out ended it: a crash now would prove nothing */
		json_object_set_new(f, "unavailable", json_string("the neighbour had stopped "
								  "answering before its crash"));
		return f;
	}
	if (!panic && limit_memory(nb, &limit_mb, why, sizeof(why))) {
		json_object_set_new(f, "unavailable", json_string(why));
		return f;
	}
	json_object_set_new(f, "limit_mb", json_integer(limit_mb));
	crash(nb, panic ? "panic" : "oom", limit_mb, f);
	evidence(nb, panic, f);
	victim_goes_on(nb, f);
	return f;
}
