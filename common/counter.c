/* SPDX-License-Identifier: MIT */
#include "counter.h"
#include "proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

json_t *vb_counter(const char *source, const char *scope, const char *name, long long value,
		   const char *unit)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s}", "source", source, "scope", scope,
			 "name", name, "value", (json_int_t)value, "unit", unit);
}

json_t *vb_counter_unavailable(const char *source, const char *scope, const char *name,
			       const char *reason, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, reason);
	vsnprintf(why, sizeof(why), reason, ap);
	va_end(ap);
	return json_pack("{s:s, s:s, s:s, s:s}", "source", source, "scope", scope, "name",
			 name, "unavailable", why);
}

static int nonempty_string(const json_t *c, const char *key)
{
	const json_t *v = json_object_get(c, key);

	return json_is_string(v) && json_string_length(v) > 0;
}

/* All but source and scope: a name, and a value with a unit or an unavailable reason. */
static int check_body(const json_t *c, char *why, size_t n)
{
	if (!nonempty_string(c, "name")) {
		snprintf(why, n, "counter without a name");
		return -1;
	}
	if (json_object_get(c, "unavailable")) {
		if (!nonempty_string(c, "unavailable") || json_object_get(c, "value")) {
			snprintf(why, n, "counter %s: unavailable must be a reason, without a value",
				 json_string_value(json_object_get(c, "name")));
			return -1;
		}
		return 0;
	}
	if (!json_is_number(json_object_get(c, "value")) || !nonempty_string(c, "unit")) {
		snprintf(why, n, "counter %s needs a numeric value and a unit",
			 json_string_value(json_object_get(c, "name")));
		return -1;
	}
	return 0;
}

int vb_counter_check(const json_t *c, char *why, size_t n)
{
	static const char *const sources[] = { "ebpf", "pmu", "qmp", "agent" };
	const char *src = json_string_value(json_object_get(c, "source"));
	const char *scope = json_string_value(json_object_get(c, "scope"));
	int known = 0;

	if (!json_is_object(c)) {
		snprintf(why, n, "a counter must be an object");
		return -1;
	}
	for (size_t i = 0; src && i < sizeof(sources) / sizeof(sources[0]); i++)
		known |= strcmp(src, sources[i]) == 0;
	if (!known) {
		snprintf(why, n, "counter source must be ebpf, pmu, qmp or agent");
		return -1;
	}
	if (!scope || (strcmp(scope, "host") && strcmp(scope, "guest"))) {
		snprintf(why, n, "counter scope must be host or guest");
		return -1;
	}
	return check_body(c, why, n);
}

int vb_counter_is_evidence(const json_t *c)
{
	static const char *const agent_kinds[] = { "rusage.", "vmstat.", "interrupts.",
						   "trace." };
	const char *name = vb_json_str(c, "name", "");

	if (strcmp(vb_json_str(c, "source", ""), "agent"))
		return 1;
	for (size_t i = 0; i < sizeof(agent_kinds) / sizeof(agent_kinds[0]); i++)
		if (!strncmp(name, agent_kinds[i], strlen(agent_kinds[i])))
			return 1;
	return 0;
}

json_t *vb_counter_from_agent(const json_t *c, char *why, size_t n)
{
	const char *name;

	if (!json_is_object(c)) {
		snprintf(why, n, "a counter must be an object");
		return NULL;
	}
	if (check_body(c, why, n))
		return NULL;
	name = json_string_value(json_object_get(c, "name"));
	if (json_object_get(c, "unavailable"))
		return json_pack("{s:s, s:s, s:s, s:O}", "source", "agent", "scope", "guest",
				 "name", name, "unavailable", json_object_get(c, "unavailable"));
	return json_pack("{s:s, s:s, s:s, s:O, s:O}", "source", "agent", "scope", "guest", "name",
			 name, "value", json_object_get(c, "value"), "unit",
			 json_object_get(c, "unit"));
}
