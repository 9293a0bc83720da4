# End-to-end: rounds until precise (--precision, --time-budget, --max-rounds).
. "$(dirname "$0")/lib.sh"

quick="--bench cpu.callret,cpu.int --rounds 3 --samples 3 --min-sample-ms 10 --no-probes"

echo "a target within reach: the planned rounds are enough"
# 99%: the widest target there is, so that a noisy round on a busy host (the
# paired t interval of 3 rounds has t = 4.3) does not make it out of reach
# shellcheck disable=SC2086 # $quick is a list of options
"$VBENCH" run --backend bare,bare@a $quick --precision 99% -o "$T/p.json" >"$T/out" 2>"$T/err"
check "run --precision 99% exits 0" test $? -eq 0
check "the plan records the precision, the cap and no budget of its own" jq -e '
	.meta.plan.precision == 0.99 and .meta.plan.max_rounds == 30
	and .meta.plan.time_budget_s == null' "$T/p.json"
check "stopped: reached, after the 3 planned rounds" jq -e '
	.precision.stopped == "reached" and .precision.rounds_run == 3
	and ([.measurements[].round] | max) == 2' "$T/p.json"
check "bare@a is measured by its ratio to bare, which has no target of its own" jq -e '
	(.precision.pairs | length) == 2
	and all(.precision.pairs[]; .backend == "bare@a" and .against == "bare"
		and .rounds == 3 and .reached and .half_width <= 0.99)' "$T/p.json"
check "the summary shows each pair's CI and the precision line" sh -c "
	grep -Eq '^bare@a +cpu.int .*±[0-9.]+%' '$T/out' &&
	grep -q '^precision: 2 of 2 comparisons reached a 95% CI of ±99%' '$T/out'"

echo "a target out of reach: the round cap, then the time budget, stop it"
# shellcheck disable=SC2086
"$VBENCH" run --backend bare $quick --precision 0.001% --max-rounds 5 -o "$T/cap.json" \
	>"$T/out" 2>"$T/err"
check "run exits 0 with what it reached" test $? -eq 0
check "5 rounds of both workloads, stopped: max rounds" jq -e '
	.precision.stopped == "max rounds" and .precision.rounds_run == 5
	and ([.measurements[] | select(.round == 4)] | length) == 2' "$T/cap.json"
check "bare alone is measured by its own round medians" jq -e '
	all(.precision.pairs[]; .against == null and .reached == false and .rounds == 5)' \
	"$T/cap.json"
check "the extra rounds say what they are for" grep -q 'round 4 (extra, for +-0.001%)' "$T/err"
check "the summary names what did not reach the target" \
	grep -q '^  not reached: bare cpu.callret ±[0-9.]*% over 5 rounds (of its own round medians)$' \
	"$T/out"
# shellcheck disable=SC2086
"$VBENCH" run --backend bare $quick --precision 0.001% --time-budget 1 -o "$T/budget.json" \
	>/dev/null 2>&1
check "a time budget spent stops after the planned rounds" jq -e '
	.precision.stopped == "time budget" and .precision.rounds_run == 3
	and .precision.time_budget_s == 1' "$T/budget.json"

echo "off, and bad values"
# shellcheck disable=SC2086
"$VBENCH" run --backend bare $quick --precision off -o "$T/off.json" >"$T/out" 2>/dev/null
check "--precision off: the planned rounds and no precision in the file" jq -e '
	.precision == null and ([.measurements[].round] | max) == 2' "$T/off.json"
check "... nor in the summary" sh -c "! grep -q '^precision:' '$T/out'"
for bad in "--precision 120%" "--time-budget 5x" "--max-rounds 2"; do
	set +e
	# shellcheck disable=SC2086
	"$VBENCH" run --backend bare $quick $bad -o "$T/bad.json" >/dev/null 2>"$T/err"
	rc=$?
	set -e
	check "$bad: exit 2 naming the option, no file" sh -c \
		"test $rc -eq 2 && grep -q -- '${bad%% *}' '$T/err' && test ! -e '$T/bad.json'"
done
check "nothing left behind" nothing_left
finish
