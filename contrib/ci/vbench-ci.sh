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
#          github-benchmark.json (+ github-benchmark-bigger.json)
#
# Environment:
#   VBENCH_PLAN       arguments of vbench run (default: --backend bare,container --quick)
#   VBENCH_BASELINE   the stored baseline result file (default: vbench-baseline.json).
#                     When it does not exist, this run becomes it: no comparison,
#                     exit 0, and a line saying so.
#   VBENCH_UPDATE_BASELINE=1  after a passing comparison, this run replaces the
#                     baseline (set it on the main branch only)
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

compare_baseline() {
	say "vbench compare $VBENCH_BASELINE $OUT/results.json"
	# shellcheck disable=SC2086
	"$VBENCH" compare $VBENCH_COMPARE_ARGS --json "$OUT/compare.json" \
		--junit "$OUT/junit.xml" --github-benchmark "$OUT/github-benchmark.json" \
		"$VBENCH_BASELINE" "$OUT/results.json" >"$OUT/compare.txt" || return $?
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
		return 0
	fi
	rc=0
	compare_baseline || rc=$?
	cat "$OUT/compare.txt"
	if [ "$rc" -eq 0 ] && [ "$VBENCH_UPDATE_BASELINE" = 1 ]; then
		cp "$OUT/results.json" "$VBENCH_BASELINE"
		say "baseline $VBENCH_BASELINE updated"
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
