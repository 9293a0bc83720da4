#!/bin/sh
# The shell steps of vbench's CI jobs (contrib/ci/github/vbench.yml and
# contrib/ci/gitlab/vbench.gitlab-ci.yml call it; tests/e2e/ci.sh runs it).
#
# usage: vbench-ci.sh [STEP...]      STEP: deps, build, bench (default: all three)
#   deps   install the build and run-time dependencies (scripts/install-deps; root)
#   build  make, into $VBENCH_BUILD
#   bench  vbench run $VBENCH_PLAN into $OUT/results.json, then, if the
#          baseline exists, vbench compare BASELINE NEW into $OUT:
#          compare.txt (the table), compare.json, junit.xml,
#          github-benchmark.json (+ github-benchmark-bigger.json); with 3 or
#          more files in $VBENCH_HISTORY_DIR, vbench compare --history
#          HISTORY... NEW instead, and vbench history into $OUT/history/
#
# Environment:
#   VBENCH_PLAN       arguments of vbench run (default: --backend bare,container --quick)
#   VBENCH_BASELINE   the stored baseline result file (default: vbench-baseline.json).
#                     When it does not exist, this run becomes it: no comparison,
#                     exit 0, and a line saying so.
#   VBENCH_UPDATE_BASELINE=1  after a passing comparison, this run replaces the
#                     baseline (set it on the main branch only)
#   VBENCH_HISTORY_DIR  earlier accepted results (kept like the baseline, e.g. in
#                     the CI cache): each run that becomes or replaces the baseline
#                     is added as <UTC time>.json; from 3 of them on, NEW is compared
#                     with the newest and each metric's threshold is its noise bound
#                     over them (vbench compare --history). Unset: no history.
#   VBENCH_HISTORY_KEEP  how many of the newest to keep there (default 20)
#   VBENCH_COMPARE_ARGS  more options of vbench compare (e.g. --min-effect 10%)
#   OUT               where the outputs go (default: vbench-ci-out)
#   VBENCH_BUILD      build directory (default: build); VBENCH: the vbench
#                     binary (default: $VBENCH_BUILD/vbench)
#
# Exit status: 0 passed, or the baseline was created; 1 vbench compare
# failed the run (REGRESSED, BROKEN, INCOMPARABLE, MISSING, an empty or
# interrupted NEW) or vbench run measured nothing; 2 bad usage or input;
# else vbench run's own status (130 interrupted).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${VBENCH_PLAN:=--backend bare,container --quick}"
: "${VBENCH_BASELINE:=vbench-baseline.json}"
: "${VBENCH_UPDATE_BASELINE:=0}"
: "${VBENCH_COMPARE_ARGS:=}"
: "${VBENCH_HISTORY_DIR:=}"
: "${VBENCH_HISTORY_KEEP:=20}"
: "${OUT:=vbench-ci-out}"
: "${VBENCH_BUILD:=build}"
: "${VBENCH:=$ROOT/$VBENCH_BUILD/vbench}"

say() { echo "vbench-ci: $*" >&2; }

step_deps() {
	"$ROOT/scripts/install-deps"
}

step_build() {
	make -C "$ROOT" BUILD="$VBENCH_BUILD" -j"$(nproc)"
}

# vbench run; its status, 0 when it measured something.
run_plan() {
	mkdir -p "$OUT"
	say "vbench run $VBENCH_PLAN -o $OUT/results.json"
	# VBENCH_PLAN is a list of arguments: split on spaces on purpose
	# shellcheck disable=SC2086
	"$VBENCH" run $VBENCH_PLAN -o "$OUT/results.json" || return $?
}

# The history's files, oldest first (their names are their UTC times).
history_files() {
	[ -n "$VBENCH_HISTORY_DIR" ] && [ -d "$VBENCH_HISTORY_DIR" ] || return 0
	find "$VBENCH_HISTORY_DIR" -maxdepth 1 -type f -name '*.json' | sort
}

# BASE: the baseline, or with 3 or more history files, --history and those
# (find's names, one per line: the history's path must not hold spaces).
compare_baseline() {
	if [ "$(history_files | wc -l)" -ge 3 ]; then
		# shellcheck disable=SC2046
		set -- --history $(history_files)
	else
		set -- "$VBENCH_BASELINE"
	fi
	say "vbench compare $* $OUT/results.json"
	# shellcheck disable=SC2086
	"$VBENCH" compare $VBENCH_COMPARE_ARGS --json "$OUT/compare.json" \
		--junit "$OUT/junit.xml" --github-benchmark "$OUT/github-benchmark.json" \
		"$@" "$OUT/results.json" >"$OUT/compare.txt" || return $?
}

# Each metric over the history and this run, as a page to keep with $OUT;
# a chart that cannot be drawn (no gnuplot) does not fail the job.
draw_history() {
	[ "$(history_files | wc -l)" -ge 2 ] || return 0
	# shellcheck disable=SC2046
	"$VBENCH" history $(history_files) "$OUT/results.json" -o "$OUT/history" >&2 ||
		say "vbench history failed; the comparison stands"
}

# This run joins the history; only the newest $VBENCH_HISTORY_KEEP stay.
keep_history() {
	[ -n "$VBENCH_HISTORY_DIR" ] || return 0
	mkdir -p "$VBENCH_HISTORY_DIR"
	cp "$OUT/results.json" "$VBENCH_HISTORY_DIR/$(date -u +%Y%m%dT%H%M%SZ)-$$.json"
	n=$(history_files | wc -l)
	history_files | head -n "$((n > VBENCH_HISTORY_KEEP ? n - VBENCH_HISTORY_KEEP : 0))" |
		while read -r old; do rm -f "$old"; done
	say "history $VBENCH_HISTORY_DIR: $(history_files | wc -l) results"
}

step_bench() {
	rc=0
	run_plan || rc=$?
	# a run that measured nothing may still have written why: compare reports it
	if [ ! -s "$OUT/results.json" ]; then
		say "vbench run wrote no results (exit $rc)"
		return "$rc"
	fi
	if [ ! -e "$VBENCH_BASELINE" ]; then
		[ "$rc" -eq 0 ] || return "$rc"
		mkdir -p "$(dirname "$VBENCH_BASELINE")"
		cp "$OUT/results.json" "$VBENCH_BASELINE"
		say "no baseline at $VBENCH_BASELINE: this run becomes it; nothing compared"
		keep_history
		return 0
	fi
	rc=0
	compare_baseline || rc=$?
	cat "$OUT/compare.txt"
	draw_history
	if [ "$rc" -eq 0 ] && [ "$VBENCH_UPDATE_BASELINE" = 1 ]; then
		cp "$OUT/results.json" "$VBENCH_BASELINE"
		say "baseline $VBENCH_BASELINE updated"
		keep_history
	fi
	return "$rc"
}

[ $# -gt 0 ] || set -- deps build bench
for s in "$@"; do
	case $s in
	deps | build | bench) ;;
	*) say "unknown step '$s' (deps, build, bench)"; exit 2 ;;
	esac
done
for s in "$@"; do
	"step_$s"
done
