/* SPDX-License-Identifier: MIT */
/*
 * What the agent sees of the environment it runs in: the hello message's
 * "env", whether it is a VM's init, and the boot clock.
 */
#include "agent.h"
#include "../common/virtdetect.h"

#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

json_t *vb_agent_env(void)
{
	struct utsname u;
	json_t *env = json_object();

	if (uname(&u) == 0) {
		json_object_set_new(env, "kernel", json_string(u.release));
		json_object_set_new(env, "machine", json_string(u.machine));
	}
	json_object_set_new(env, "cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(env, "mem_bytes",
			    json_integer((json_int_t)sysconf(_SC_PHYS_PAGES) *
					 sysconf(_SC_PAGESIZE)));
	json_object_set_new(env, "pid", json_integer(getpid()));
	json_object_set_new(env, "euid", json_integer(geteuid()));
	json_object_set_new(env, "virt", vb_detect_virt());
	return env;
}

int vb_agent_is_vm_init(void)
{
	/* a container's PID 1 is not a VM's init (the container backend says so) */
	return getpid() == 1 && strcmp(vb_container_marker(NULL), "none") == 0;
}

double vb_agent_boottime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
