# End-to-end: contrib/ci/vbench-ci.sh, the steps the GitHub and GitLab jobs
# run, with a tiny plan: the first run becomes the baseline, the second is
# compared with it (JSON, JUnit, github-benchmark written and parsable), a
# third that lost a workload fails with exit 1, a fourth is compared with
# the 3 results of VBENCH_HISTORY_DIR and joins them.
. "$(dirname "$0")/lib.sh"
set +e
export OUT="$T/out" VBENCH="$VBENCH" VBENCH_BASELINE="$T/store/baseline.json"
export VBENCH_PLAN="--backend bare --bench cpu.int,cpu.syscall --quick --no-probes"
CI=contrib/ci/vbench-ci.sh

echo "first run: no baseline yet"
"$CI" bench >"$T/out1" 2>&1; rc=$?
check "exits 0" test $rc -eq 0
check "the run became the baseline" jq -e '.measurements | length > 0' "$VBENCH_BASELINE"
check "and says so" grep -q "this run becomes it" "$T/out1"
check "nothing compared" test ! -e "$OUT/junit.xml"

echo "second run: compared with the baseline"
"$CI" bench >"$T/out2" 2>&1; rc=$?
check "exits 0 or 1, as compare decided" test $rc -le 1
check "table kept" grep -q '^result: ' "$OUT/compare.txt"
check "compare.json: a row per workload with CI, p, verdict and reason" jq -e '
	.schema == "vbench-compare" and (.rows | length == 2) and
	all(.rows[]; has("ci95") and has("p") and (.verdict | type == "string") and
		(.reason | length > 0)) and (.outcome.fails | type == "boolean")' "$OUT/compare.json"
check "compare.json agrees with the exit status" \
	jq -e ".outcome.fails == $([ $rc -eq 1 ] && echo true || echo false)" "$OUT/compare.json"
if command -v xmllint >/dev/null; then
	check "junit.xml is well-formed" xmllint --noout "$OUT/junit.xml"
fi
check "junit.xml has time, timestamp and hostname" \
	grep -Eq '<testsuite [^>]* time="[0-9]+" timestamp="[0-9T:-]+" hostname="[^"]+"' \
	"$OUT/junit.xml"
check "github-benchmark.json: 2 values, 4 significant digits at most" jq -e '
	length == 2 and all(.[]; (.value | tostring | gsub("[-.]"; "") | ltrimstr("0") |
		sub("0+$"; "") | length) <= 4)' "$OUT/github-benchmark.json"

echo "third run lost a workload: MISSING fails the job"
VBENCH_PLAN="--backend bare --bench cpu.int --quick --no-probes" "$CI" bench >"$T/out3" 2>&1
rc=$?
check "exits 1" test $rc -eq 1
check "says what is missing" grep -q 'missing in NEW: cpu.syscall' "$OUT/compare.txt"
check "the baseline is kept" jq -e '[.measurements[].bench] | index("cpu.syscall")' \
	"$VBENCH_BASELINE"

echo "fourth run with VBENCH_HISTORY_DIR: compared with --history, then kept"
H="$T/store/history"
mkdir -p "$H"
# the baseline as 3 earlier results, its samples x0.5, x2 and x1 (the newest):
# a spread of 300%, logs with standard deviation ln 2 = 0.693, a noise bound of
# exp(9.925 * 1.41421 * 0.693) - 1, far beyond any change a quick run shows
i=0
for f in 0.5 2 1; do
	i=$((i + 1))
	jq --argjson f "$f" --arg d "2026-01-0${i}T00:00:00Z" '.meta.started = $d
		| (.measurements[] | select(.samples) | .samples) |= map(. * $f)' "$VBENCH_BASELINE" \
		>"$H/2026010${i}T000000Z-1.json"
done
VBENCH_HISTORY_DIR="$H" VBENCH_HISTORY_KEEP=3 VBENCH_UPDATE_BASELINE=1 "$CI" bench \
	>"$T/out4" 2>&1
rc=$?
check "exits 0: within the noise history has shown" test $rc -eq 0
check "compared with the history, BASE its newest" sh -c "grep -q '^thresholds from the \
noise of 3 history files' '$OUT/compare.txt' && grep -q '^vbench compare: BASE \
$H/20260103T000000Z-1.json' '$OUT/compare.txt'"
if command -v gnuplot >/dev/null; then
	check "the history page kept with the outputs" test -s "$OUT/history/index.html"
fi
check "this run joined the history and the oldest left it (3 kept)" sh -c \
	"test \$(ls '$H' | wc -l) -eq 3 && test ! -e '$H/20260101T000000Z-1.json' &&
	cmp -s '$OUT/results.json' \"\$(ls '$H'/*.json | sort | tail -n 1)\""

check "a bad step is bad usage" sh -c "'$CI' nosuch 2>/dev/null; test \$? -eq 2"
check "nothing left behind" nothing_left
finish
