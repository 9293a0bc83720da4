/* SPDX-License-Identifier: MIT */
#include "phases.h"
#include "../../common/clock.h"

double vb_phase_end(json_t *info, const char *name, double since)
{
	double now = vb_now_ms();
	json_t *phases = json_object_get(info, "phases");

	if (!phases) {
		phases = json_array();
		json_object_set_new(info, "phases", phases);
	}
	json_array_append_new(phases, json_pack("{s:s, s:f}", "name", name, "ms", now - since));
	return now;
}
