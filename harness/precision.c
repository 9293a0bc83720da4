/* SPDX-License-Identifier: MIT */
/* Rounds until precise: the targets and what they reached; see precision.h. */
#include "precision.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proto.h"
#include "../common/results.h"
#include "../common/stats.h"
#include "../common/textsafe.h"
#include "../reports/paired.h"

static long find(const struct vb_sched *s, const char *name)
{
	for (size_t i = 0; i < s->ninst; i++)
		if (!strcmp(s->inst[i].name, name))
			return (long)i;
	return -1;
}

/*
 * Instance i's partner: NAME for NAME@TAG (*ab set), else its baseline; -1
 * where neither ran.
 */
static long partner(const struct vb_sched *s, size_t i, int *ab)
{
	const struct vb_instance *in = &s->inst[i];
	long p = in->tag && in->tag[0] ? find(s, in->be->name) : -1;

	*ab = p >= 0;
	if (p < 0 && in->be->traits.baseline)
		p = find(s, in->be->traits.baseline);
	return p == (long)i ? -1 : p;
}

long vb_prec_targets(const struct vb_sched *s, struct vb_prec **out)
{
	long *p = calloc(s->ninst + 1, sizeof(*p));
	int *ab = calloc(s->ninst + 1, sizeof(*ab));
	unsigned char *is_partner = calloc(s->ninst + 1, 1);
	struct vb_prec *t = calloc(s->ninst * s->nwl + 1, sizeof(*t));
	size_t i, w;
	long n = 0;

	if (!p || !ab || !is_partner || !t) {
		free(t);
		n = -1;
		goto out;
	}
	for (i = 0; i < s->ninst; i++)
		if ((p[i] = partner(s, i, &ab[i])) >= 0)
			is_partner[p[i]] = 1;
	for (i = 0; i < s->ninst; i++) {
		if (p[i] < 0 && is_partner[i])
			continue;
		for (w = 0; w < s->nwl; w++)
			t[n++] = (struct vb_prec){ i, w, p[i], ab[i], NAN, 0 };
	}
	*out = t;
out:
	free(p);
	free(ab);
	free(is_partner);
	return n;
}

double vb_prec_half_width(const double *x, size_t n)
{
	double lo, hi, med;

	if (n < VB_PREC_MIN_ROUNDS ||
	    vb_summary_median_ci(x, n, &lo, &hi)) /* the interval the summary prints */
		return NAN;
	med = vb_median(x, n);
	return med > 0 ? (hi - lo) / 2 / med : NAN;
}

/* The half-width of compare's interval for ratios x (reordered into logs), relative. */
static double paired_half_width(double *x, size_t n)
{
	struct rp_paired t;

	for (size_t i = 0; i < n; i++)
		x[i] = log(x[i]);
	if (n < VB_PREC_MIN_ROUNDS || rp_paired_test(x, n, &t))
		return NAN;
	return (t.ci_hi - t.ci_lo) / 2 / (1 + t.change);
}

/* Into med[0..rounds): inst's median of bench per round, NAN where it has none. */
static void round_medians(const json_t *ms, const char *inst, const char *bench, double *med,
			  unsigned rounds)
{
	const json_t *m;
	size_t i;

	for (i = 0; i < rounds; i++)
		med[i] = NAN;
	json_array_foreach(ms, i, m) {
		long long r = vb_json_int(m, "round", -1);

		if (r >= 0 && r < rounds && !strcmp(vb_json_str(m, "backend", ""), inst) &&
		    !strcmp(vb_json_str(m, "bench", ""), bench))
			med[r] = vb_results_ok_median(m);
	}
}

void vb_prec_measure(const struct vb_sched *s, struct vb_prec *t, unsigned rounds)
{
	const json_t *ms = json_object_get(s->doc, "measurements");
	const char *bench = s->wl[t->wl]->name;
	double *a = calloc(rounds + 1, sizeof(*a)), *b = calloc(rounds + 1, sizeof(*b));
	size_t k = 0;

	t->half_width = NAN;
	t->rounds = 0;
	if (!a || !b)
		goto out;
	round_medians(ms, s->inst[t->inst].name, bench, a, rounds);
	if (t->against >= 0)
		round_medians(ms, s->inst[t->against].name, bench, b, rounds);
	for (unsigned r = 0; r < rounds; r++) {
		double v = t->against >= 0 ? a[r] / b[r] : a[r];

		/* a round one side lacks, or a ratio to nothing, tells nothing */
		if (isfinite(v) && v > 0)
			a[k++] = v;
	}
	t->rounds = (unsigned)k;
	t->half_width = t->ab ? paired_half_width(a, k) : vb_prec_half_width(a, k);
out:
	free(a);
	free(b);
}

static json_t *number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *vb_prec_json(const struct vb_sched *s, const struct vb_prec *t, size_t n,
		     unsigned rounds_run, const char *stopped)
{
	json_t *pairs = json_array();

	for (size_t i = 0; i < n; i++) {
		/* never measured (unsupported there): nothing reached, nothing missed */
		if (!t[i].rounds)
			continue;
		json_array_append_new(pairs, json_pack(
			"{s:s, s:s, s:o, s:o, s:i, s:b}", "backend", s->inst[t[i].inst].name,
			"bench", s->wl[t[i].wl]->name, "against",
			t[i].against >= 0 ? json_string(s->inst[t[i].against].name) : json_null(),
			"half_width", number_or_null(t[i].half_width), "rounds", (int)t[i].rounds,
			"reached", t[i].half_width <= s->precision));
	}
	return json_pack("{s:f, s:f, s:i, s:i, s:i, s:s, s:o}", "target", s->precision,
			 "time_budget_s", s->time_budget_s, "max_rounds", (int)s->max_rounds,
			 "rounds_planned", (int)s->rounds, "rounds_run", (int)rounds_run,
			 "stopped", stopped, "pairs", pairs);
}

/* The pair (backend, bench) of the document's precision, or NULL. */
static const json_t *pair_of(const json_t *doc, const char *backend, const char *bench)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(doc, "precision"), "pairs"), i, e)
		if (!strcmp(vb_json_str(e, "backend", ""), backend) &&
		    !strcmp(vb_json_str(e, "bench", ""), bench))
			return e;
	return NULL;
}

const char *vb_prec_cell(const json_t *doc, const char *backend, const char *bench, char *buf,
			 size_t n)
{
	const json_t *e = pair_of(doc, backend, bench);
	const json_t *hw = json_object_get(e, "half_width");

	buf[0] = '\0';
	if (json_is_number(hw))
		snprintf(buf, n, "\u00b1%.1f%%%s", 100 * json_number_value(hw),
			 json_is_true(json_object_get(e, "reached")) ? "" : "!");
	else if (e)
		snprintf(buf, n, "-!");
	return buf;
}

void vb_prec_print(FILE *f, const json_t *doc)
{
	const json_t *p = json_object_get(doc, "precision"), *e;
	size_t i, reached = 0, n = json_array_size(json_object_get(p, "pairs"));

	if (!json_is_object(p))
		return;
	json_array_foreach(json_object_get(p, "pairs"), i, e)
		reached += json_is_true(json_object_get(e, "reached"));
	fprintf(f, "precision: %zu of %zu comparisons reached a 95%% CI of \u00b1%.3g%% in %lld "
		"rounds (%lld planned, at most %lld, time budget %.0f s); stopped: %s\n", reached,
		n, 100 * vb_json_num(p, "target", 0), vb_json_int(p, "rounds_run", 0),
		vb_json_int(p, "rounds_planned", 0), vb_json_int(p, "max_rounds", 0),
		vb_json_num(p, "time_budget_s", 0), VB_TERM(vb_json_str(p, "stopped", "?")));
	json_array_foreach(json_object_get(p, "pairs"), i, e) {
		const char *against = vb_json_str(e, "against", NULL);

		if (json_is_true(json_object_get(e, "reached")))
			continue;
		fprintf(f, "  not reached: %s %s ", VB_TERM(vb_json_str(e, "backend", "")),
			VB_TERM(vb_json_str(e, "bench", "")));
		if (json_is_number(json_object_get(e, "half_width")))
			fprintf(f, "\u00b1%.1f%%", 100 * vb_json_num(e, "half_width", 0));
		else
			fprintf(f, "(no CI)");
		fprintf(f, " over %lld rounds (%s%s)\n", vb_json_int(e, "rounds", 0),
			against ? "of the ratio to " : "of its own round medians",
			against ? VB_TERM(against) : "");
	}
}
