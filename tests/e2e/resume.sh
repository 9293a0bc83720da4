# End-to-end: a cut-off run resumed, and the debris of a killed one swept.
. "$(dirname "$0")/lib.sh"

BENCHES=cpu.syscall,cpu.callret,cpu.rdtsc
ROUNDS=3
PAIRS=9 # rounds x workloads, all ok on bare

# wait_for FILE N: until FILE holds at least N measurements
wait_for() {
	n=0
	until [ -s "$1" ] && jq -e "(.measurements | length) >= $2" "$1" >/dev/null 2>&1; do
		sleep 0.05; n=$((n + 1)); [ $n -lt 400 ] || break
	done
}
# pairs FILE: the (backend, bench, round) of each measurement, in the file's order
pairs() { jq -c '[.measurements[] | [.backend, .bench, .round]]' "$1"; }

echo "resume after Ctrl-C"
"$VBENCH" run --backend bare --bench "$BENCHES" --rounds $ROUNDS --quick --seed 7 \
	-o "$T/r.json" >/dev/null 2>"$T/err" &
pid=$!
wait_for "$T/r.json" 3
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
check "the cut-off run exits 130" test $rc -eq 130
cp "$T/r.json" "$T/cut.json"
kept=$(jq '.measurements | length' "$T/cut.json")
check "it holds some measurements, not all" test "$kept" -ge 3 -a "$kept" -lt $PAIRS
set +e
"$VBENCH" run --resume "$T/r.json" >"$T/out" 2>"$T/err"; rc=$?
set -e
check "the resumed run exits 0" test $rc -eq 0
check "it says what it kept" grep -q "resuming $T/r.json: $kept measurements kept" "$T/err"
check "the file is complete, every pair measured once and ok" jq -e --argjson n $PAIRS '
	.complete == true and .interrupted == false and (.measurements | length) == $n
	and all(.measurements[]; .status == "ok")
	and ([.measurements[] | [.backend, .bench, .round]] | unique | length) == $n' "$T/r.json"
check "every earlier measurement is byte-identical" sh -c "
	jq '.measurements[:$kept]' '$T/cut.json' >'$T/a' &&
	jq '.measurements[:$kept]' '$T/r.json' >'$T/b' && cmp -s '$T/a' '$T/b'"
check "meta says it was resumed, when, with what it kept" jq -e --argjson k "$kept" '
	.meta.resumed | length == 1 and .[0].kept == $k and .[0].done == $k
	and (.[0].at | test("Z$")) and (.[0].backends | length) == 1' "$T/r.json"
check "the plan, seed included, is the original's" \
	test "$(jq -c .meta.plan "$T/cut.json")" = "$(jq -c .meta.plan "$T/r.json")"
# the same seed uncut gives the same order: the resumed run kept to it
"$VBENCH" run --backend bare --bench "$BENCHES" --rounds $ROUNDS --quick --seed 7 \
	-o "$T/whole.json" >/dev/null 2>&1
check "the pairs ran in the original run's order" \
	test "$(pairs "$T/r.json")" = "$(pairs "$T/whole.json")"
check "nothing left behind" nothing_left

echo "what --resume refuses"
cp "$T/r.json" "$T/before.json"
set +e
"$VBENCH" run --resume "$T/r.json" >/dev/null 2>"$T/err"; rc=$?
set -e
check "a complete file: exit 2, said why" sh -c \
	"[ $rc -eq 2 ] && grep -q 'is a complete run: nothing to resume' '$T/err'"
check "and the file is untouched" cmp -s "$T/before.json" "$T/r.json"
set +e
"$VBENCH" run --resume "$T/cut.json" --rounds 5 >/dev/null 2>"$T/err"; rc=$?
set -e
check "an option of the plan beside --resume: exit 2" sh -c \
	"[ $rc -eq 2 ] && grep -q -- '--rounds cannot be given with it' '$T/err'"

echo "SIGKILL, then resume: the dead run's debris is swept"
"$VBENCH" run --backend bare --bench cpu.syscall,cpu.callret --rounds 6 --quick \
	-o "$T/k.json" >/dev/null 2>&1 &
pid=$!
wait_for "$T/k.json" 2
kill -KILL $pid
set +e; wait $pid 2>/dev/null; set -e
check "the killed run left its work directory" sh -c "ls '$VBENCH_WORKDIR' | grep -q ."
if [ "$(id -u)" -eq 0 ]; then
	check "and its cgroup" sh -c "ls -d /sys/fs/cgroup/unified/vbench-$pid-* \
		/sys/fs/cgroup/vbench-$pid-* 2>/dev/null | grep -q ."
fi
# its agent dies with it (the death signal is on its way: give it a moment)
agent_gone() { ! pgrep -f "vbench-agent .*$T" >/dev/null; }
n=0
until agent_gone || [ $n -ge 40 ]; do sleep 0.05; n=$((n + 1)); done
check "its agent did not outlive it" agent_gone
kept=$(jq '.measurements | length' "$T/k.json")
set +e
"$VBENCH" run --resume "$T/k.json" >/dev/null 2>"$T/err"; rc=$?
set -e
check "the resumed run exits 0" test $rc -eq 0
check "it swept the dead run's debris, saying so" \
	grep -q "swept debris of run $pid (dead): $VBENCH_WORKDIR/vbench-" "$T/err"
check "it completed the run" jq -e --argjson k "$kept" '
	.complete == true and (.measurements | length) == 12 and .meta.resumed[0].kept == $k' \
	"$T/k.json"
check "nothing left behind" nothing_left

finish
