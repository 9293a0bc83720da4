/* SPDX-License-Identifier: MIT */
#include "counter.h"

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
