# End-to-end: vbench compare --history and vbench history on crafted result
# files (bare's cpu.int and mem.stream, 5 rounds each, run medians chosen)
# and the real ones of tests/data; no run, so nothing is measured here.
. "$(dirname "$0")/lib.sh"
set +e
DATA=$(cd "$(dirname "$0")/../data" && pwd)

# gen OUT DAY CPU MEM: a result file started on day DAY of November 2026,
# run medians CPU (us/op, lower is better) and MEM (MB/s, higher is better),
# its 25 samples each within +-0.3%: 5 rounds against 5 separate completely
# wherever two medians differ by 1%.
gen() {
	jq -n --arg day "$2" --argjson c "$3" --argjson m "$4" '
	def s(x; r): [range(5) as $k | x * (1 + 0.001 * (((r * 5 + $k) % 7) - 3))];
	{schema: "vbench-results", version: 1, complete: true,
	 meta: {started: "2026-11-\($day)T10:00:00Z", finished: "2026-11-\($day)T10:05:00Z"},
	 backends: [{name: "bare", status: "ok"}],
	 workloads: [{name: "cpu.int", unit: "us/op", direction: "lower"},
		     {name: "mem.stream", unit: "MB/s", direction: "higher"}],
	 measurements: [range(5) as $r |
		{backend: "bare", bench: "cpu.int", round: $r, status: "ok", unit: "us/op",
		 iters: 100, samples: s($c; $r)},
		{backend: "bare", bench: "mem.stream", round: $r, status: "ok", unit: "MB/s",
		 iters: 10, samples: s($m; $r)}]}' >"$1"
}
# cpu.int moved by up to 10% in history (100..110), mem.stream by 0.4%. Their
# noise bounds, exp(t(0.995, 3) * sqrt(2) * s) - 1 with s the standard deviation
# of the medians' logs (python: statistics.stdev):
#   cpu.int     s = 0.0410680, exp(5.841 * 1.41421 * 0.0410680) - 1 = 40.4%
#   mem.stream  s = 0.0016330, exp(5.841 * 1.41421 * 0.0016330) - 1 =  1.4% (< 5%)
gen "$T/h1.json" 01 100 20000
gen "$T/h2.json" 02 104 19960
gen "$T/h3.json" 03 110 20040
gen "$T/h4.json" 04 102 20000
# NEW: cpu.int 8% over BASE (h4), mem.stream the same
gen "$T/new8.json" 05 110.16 20000
# and cpu.int 50% over it
gen "$T/new50.json" 05 153 20000
HIST="$T/h2.json $T/h4.json $T/h1.json $T/h3.json" # BASE is h4 by date, not the last given

echo "compare --history"
"$VBENCH" compare "$T/h4.json" "$T/new8.json" >"$T/plain.txt" 2>&1
check "8% over BASE without history: REGRESSED, exit 1" \
	sh -c "test $? -eq 1 && grep -q 'cpu.int .* REGRESSED' '$T/plain.txt'"
# shellcheck disable=SC2086
"$VBENCH" compare --json "$T/c.json" --history $HIST "$T/new8.json" >"$T/hist.txt" 2>&1
rc=$?
check "the same with 4 history files (cpu.int noise bound 40.4%): exit 0" test $rc -eq 0
check "BASE is the newest history file by meta.started" \
	grep -q "^vbench compare: BASE $T/h4.json, NEW $T/new8.json" "$T/hist.txt"
check "says where its thresholds come from" grep -q '^thresholds from the noise of 4 history files (2026-11-01 10:00\.\.2026-11-04 10:00)' "$T/hist.txt"
check "the table's thresh column: 40.4%h for cpu.int, 5.0% for mem.stream" \
	sh -c "grep -q 'cpu.int .* 40.4%h .* same' '$T/hist.txt' &&
		grep -q 'mem.stream .*  5.0% .* same' '$T/hist.txt'"
check "--json rows carry the threshold" jq -e '
	(.rows[] | select(.workload == "cpu.int") | .threshold
	 | .from == "history" and .runs == 4 and .left_out == 0 and .spread == 0.1
	   and .noise == 0.403878 and .value == .noise)
	and (.history | length == 4) and .base == "'"$T/h4.json"'"' "$T/c.json"
# shellcheck disable=SC2086
"$VBENCH" compare --junit "$T/j.xml" --history $HIST "$T/new50.json" >"$T/hist50.txt" 2>&1
check "50% over BASE, beyond the noise bound: REGRESSED, exit 1" \
	sh -c "test $? -eq 1 && grep -q 'cpu.int .* 40.4%h .* REGRESSED' '$T/hist50.txt'"
check "JUnit says the threshold came from history" \
	grep -q 'threshold 40.4% (history: 4 runs, spread 10.0%, noise bound 40.4%)' "$T/j.xml"
"$VBENCH" compare --history "$T/h1.json" "$T/h2.json" "$T/new8.json" 2>"$T/err"
check "fewer than 3 history files: exit 2, said" \
	sh -c "test $? -eq 2 && grep -q 'needs at least 3 history files before NEW, got 2' '$T/err'"
"$VBENCH" compare --history --base a --new b "$T/h1.json" 2>"$T/err"
check "--history with --base/--new: exit 2" test $? -eq 2
check "--help documents --history" sh -c "'$VBENCH' compare --help | grep -q -- '--history'"

echo "compare R.json --base A --new B --json: the instances named"
jq '.backends += [{name: "bare@b", backend: "bare", status: "ok"}]
	| .measurements += [.measurements[] | .backend = "bare@b"]' "$T/h1.json" >"$T/ab.json"
"$VBENCH" compare "$T/ab.json" --base bare --new bare@b --json "$T/ab-c.json" >/dev/null 2>&1
check "base and new are the instances, file the result file" jq -e \
	'.base == "bare" and .new == "bare@b" and .file == "'"$T/ab.json"'"' "$T/ab-c.json"

echo "vbench history"
if ! command -v gnuplot >/dev/null; then
	skip_all "gnuplot is not installed"
fi
gen "$T/h5.json" 05 153 20000 # the planted regression: +50% on h4
gen "$T/h6.json" 06 152 20020
# shellcheck disable=SC2086
"$VBENCH" history $HIST "$T/h6.json" "$T/h5.json" -o "$T/page" >"$T/out" 2>&1
check "exits 0 and says what it flagged" \
	sh -c "test $? -eq 0 && grep -q 'wrote $T/page/index.html: 6 files, 2 points flagged' '$T/out'"
check "index.html, report.md and a chart per metric" sh -c "cd '$T/page' &&
	test -s index.html && test -s report.md && for n in history0-bare-cpu.int history1-bare-mem.stream;
	do for e in dat gp png svg; do test -s \$n.\$e || exit 1; done; done"
check "the planted point is flagged, with its threshold" grep -q \
	"| $T/h5.json | 2026-11-05 10:00 | bare | cpu.int | \*\*+50.0%\*\* | 0.0079 | 40.4% (history: 4 runs, spread 10.0%, noise bound 40.4%) | \*\*REGRESSED\*\* |" \
	"$T/page/report.md"
# red: the planted point (x 4) and h3's +5.8% on h2 (x 2), judged at min effect
# (under 3 earlier files); h4's -7.3% is within the noise bound of its 3 earlier
# files, exp(9.925 * 1.41421 * 0.0479032) - 1 = 95.9%
# shellcheck disable=SC2016
check "the chart marks them red, and no other point" awk -F'\t' 'NR > 1 && $6 != "?" {
	red = red " " $1 "=" $6 } END { exit red != " 2=110 4=153" }' \
	"$T/page/history0-bare-cpu.int.dat"
check "no work directory left in DIR" sh -c "! ls -a '$T/page' | grep -q vbench-charts"
"$VBENCH" history "$DATA/real-bare-a-v1.json" "$DATA/real-bare-b-v1.json" -o "$T/real" >/dev/null 2>&1
check "the real files of tests/data: one chart per workload" \
	sh -c "test $? -eq 0 && test \$(ls '$T/real'/*.svg | wc -l) -eq 4"

printf '{"schema": "vbench-results", "version": 1, "measurements": [{"samples": "x"}]}' \
	>"$T/bad.json"
"$VBENCH" history "$T/h1.json" "$T/bad.json" -o "$T/none" 2>"$T/err"
check "a malformed file: exit 2, named, nothing written" sh -c \
	"test $? -eq 2 && grep -q '$T/bad.json' '$T/err' && test ! -e '$T/none'"
mkdir "$T/victim"
ln -s "$T/victim" "$T/link"
"$VBENCH" history "$T/h1.json" "$T/h2.json" -o "$T/link" 2>"$T/err"
check "a symlink as -o: refused, nothing written through it" sh -c \
	"test $? -eq 1 && grep -q 'symbolic link' '$T/err' && test -z \"\$(ls -A '$T/victim')\""
"$VBENCH" history "$T/h1.json" 2>/dev/null
check "one file: exit 2" test $? -eq 2
check "--help" sh -c "'$VBENCH' history --help | grep -q 'usage: vbench history'"

echo "scripts/aa-check: the false alarms of A/A runs, counted"
VBENCH="$VBENCH" VBENCH_RUN_OPTS="--quick --bench cpu.callret,cpu.syscall" \
	scripts/aa-check history 3 1 >"$T/aa-h" 2>"$T/aa-h.err"
check "history 3 1: the last run's 2 workloads against the 3 before" \
	grep -Eq '^aa-check: [0-2] of 2 comparisons flagged' "$T/aa-h"
VBENCH="$VBENCH" VBENCH_RUN_OPTS="--quick --bench cpu.callret" \
	scripts/aa-check inrun 1 >"$T/aa-i" 2>"$T/aa-i.err"
check "inrun 1: 3 pairs of instances in one run" \
	grep -Eq '^aa-check: [0-3] of 3 comparisons flagged' "$T/aa-i"
check "a progress line per run" test "$(grep -c '^aa-check: run ' "$T/aa-h.err")" -eq 4
for f in "$T/aa-h" "$T/aa-i"; do
	d=$(sed -n 's/.*; files in //p' "$f")
	case $d in /var/tmp/vbench-aa-*) rm -rf "$d" ;; esac
done
scripts/aa-check inrun x 2>"$T/aa-bad"
check "a bad count: exit 2 with the usage" sh -c "test $? -eq 2 && grep -q 'inrun N' '$T/aa-bad'"
finish
