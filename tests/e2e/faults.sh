# End-to-end fault injection: a hostile agent, a guest killed under a run, a
# results directory that refuses writes, signals mid-run and a run killed
# hard. Each case checks what survived, what was said, the exit code, and that
# nothing is left (processes, cgroups, mounts, files, BPF links).
#
# Exit codes asserted: 0 when something was measured ok, whatever else
# failed; 1 when nothing could be measured or the results could not be
# written; 130 on SIGINT, and on SIGTERM too: vbench takes every stop signal
# (INT, TERM, HUP) as the same interruption, winds down the same way and
# marks the file "interrupted".
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (mounts, cgroups)"
command -v jq >/dev/null || skip_all "needs jq"

# the runs this script started and has not waited for yet, then our mounts
cleanup() {
	jobs -p >"$T/jobs"
	for p in $(cat "$T/jobs"); do kill -KILL "$p" 2>/dev/null || true; done
	for m in $(awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/mounts); do
		umount "$m" || true
	done
	rm -rf "$T"
}
trap cleanup EXIT

export FAULT_REAL_AGENT="$VBENCH_AGENT"
${CC:-cc} -O2 -Wall -Wextra -Werror -o "$T/fault-agent" "$(dirname "$0")/fault-agent.c" \
	-ljansson -pthread

bpf_links() { bpftool link list 2>/dev/null | grep -c '^[0-9]*:' || true; }
links0=$(bpf_links)
cgroot=/sys/fs/cgroup
[ "$(stat -fc %T $cgroot)" = cgroup2fs ] || cgroot=/sys/fs/cgroup/unified
# the cgroup of the run of vbench PID, named vbench-PID or vbench-PID-START
run_cgroup() { ls -d "$cgroot/vbench-$1" "$cgroot/vbench-$1"-* 2>/dev/null | head -1; }

# Nothing of this test's runs is left: lib.sh's checks, and no vbench, fault
# agent or QEMU of ours, no mount under $T, no more BPF links than before.
gone_now() {
	nothing_left && ! pgrep -f "vbench run .*$T" >/dev/null &&
		! pgrep -f "$T/fault-agent" >/dev/null &&
		! pgrep -f "qemu-system-x86_64.*$T" >/dev/null &&
		! awk -v t="$T/" 'index($2, t) == 1 { f = 1 } END { exit !f }' /proc/mounts &&
		[ "$(bpf_links)" -le "$links0" ]
}
all_gone() { eventually gone_now; }
# wait_for FILE JQ: the results file, as written so far, satisfies JQ (60 s at most)
wait_for() {
	n=0
	until jq -e "$2" "$1" >/dev/null 2>&1; do
		n=$((n + 1)); [ $n -lt 300 ] || return 1
		sleep 0.2
	done
}
measured='(.measurements | length) >= 1'
# Only printable ASCII and newlines: nothing from the agent reached the terminal raw.
printable() {
	for f; do [ "$(LC_ALL=C tr -d '\n -~' <"$f" | wc -c)" -eq 0 ] || return 1; done
}

# faulty MODE BENCH: bare and bare@f, the fault agent spoiling bare@f's
# first request for BENCH; sets rc and secs, leaves $T/MODE.{json,out,err}.
faulty() {
	set +e
	t0=$(date +%s)
	FAULT=$1 FAULT_BENCH=$2 FAULT_INSTANCE=bare@f VBENCH_AGENT="$T/fault-agent" \
		"$VBENCH" run --backend bare,bare@f --bench cpu.syscall,cpu.callret --quick \
		--timeout 15 -o "$T/$1.json" >"$T/$1.out" 2>"$T/$1.err"
	rc=$?
	secs=$(($(date +%s) - t0))
	set -e
}
# the faulty request's measurement: bare@f, BENCH, round 0
spoiled() { echo ".measurements[] | select(.backend == \"bare@f\" and .bench == \"$1\" and .round == 0)"; }
bare_survived() {
	jq -e '[.measurements[] | select(.backend == "bare")]
		| length == 4 and all(.[]; .status == "ok")' "$1"
}

echo "the agent sends a 10 MB line for a result"
faulty longline cpu.syscall
check "exit 0: the rest was measured" test $rc -eq 0
check "the request failed at once, not after --timeout 15 ($secs s)" test $secs -lt 8
check "... recorded with a reason that says the line is too long" \
	jq -e "$(spoiled cpu.syscall) | .status == \"error\"
		and (.reason | test(\"long|over [0-9]+ bytes\"))" \
	"$T/longline.json"
small() { [ "$(stat -c %s "$1")" -lt "$2" ]; }
check "nothing of the line stored" small "$T/longline.json" 1000000
check "... or printed" small "$T/longline.err" 10000
check "bare's measurements survived" bare_survived "$T/longline.json"
check "nothing left" all_gone

echo "the agent sends invalid UTF-8 and terminal escapes"
faulty badutf8 cpu.syscall
check "exit 0" test $rc -eq 0
check "the bad lines cost themselves only: the real result is kept" \
	jq -e "$(spoiled cpu.syscall) | .status == \"ok\"" "$T/badutf8.json"
check "a warning names the bad line" grep -q "bare@f: .*bad line" "$T/badutf8.err"
check "no escape or non-ASCII byte reached the terminal" \
	printable "$T/badutf8.err" "$T/badutf8.out"
check "bare's measurements survived" bare_survived "$T/badutf8.json"
check "nothing left" all_gone

echo "the agent sends a result for an id never asked"
faulty unknownid cpu.syscall
check "exit 0" test $rc -eq 0
check "the stray result is dropped, the asked one kept" jq -e "
	($(spoiled cpu.syscall) | .status == \"ok\")
	and all(.measurements[]; .bench == \"cpu.syscall\" or .bench == \"cpu.callret\")
	and (.measurements | length) == 8" "$T/unknownid.json"
check "bare's measurements survived" bare_survived "$T/unknownid.json"
check "nothing left" all_gone

echo "the agent answers a request with a result for another workload"
faulty otherbench cpu.syscall
check "exit 0" test $rc -eq 0
check "the measurement failed, the reason naming the workload asked for" \
	jq -e "$(spoiled cpu.syscall) | .status == \"error\" and (.reason | test(\"bench is not cpu.syscall\"))" \
	"$T/otherbench.json"
check "bare's measurements survived" bare_survived "$T/otherbench.json"
check "nothing left" all_gone

echo "the agent forges a host counter (source ebpf, scope host, kvm.exit.*)"
faulty forged cpu.syscall
check "exit 0" test $rc -eq 0
check "the counter is kept as what it is: source agent, scope guest" jq -e "
	[.. | objects | select(.value? == 424242)]
	| length == 1 and all(.[]; .source == \"agent\" and .scope == \"guest\")" \
	"$T/forged.json"
"$VBENCH" report -o "$T/forged-report" "$T/forged.json" >/dev/null 2>&1 || true
check "the report shows no VM exit counted on the host for it" \
	sh -c "test -s '$T/forged-report/report.md' && ! grep -q 'svm.npf' '$T/forged-report/report.md'"
check "bare's measurements survived" bare_survived "$T/forged.json"
check "nothing left" all_gone

echo "the agent exits in the middle of a sample"
faulty exit cpu.syscall
check "exit 0: bare was measured" test $rc -eq 0
check "the measurement cut off is an error with the reason" \
	jq -e "$(spoiled cpu.syscall) | .status == \"error\" and (.reason | length) > 0" \
	"$T/exit.json"
check "... and the instance failed with it" jq -e '.backends[] | select(.name == "bare@f")
	| .status == "failed" and (.reason | length) > 0' "$T/exit.json"
check "bare's measurements survived" bare_survived "$T/exit.json"
check "nothing left (the agent's own child included)" all_gone
set +e
FAULT=exit FAULT_BENCH=cpu.syscall VBENCH_AGENT="$T/fault-agent" "$VBENCH" run \
	--backend bare --bench cpu.syscall --quick -o "$T/exit1.json" >/dev/null 2>&1; rc=$?
set -e
check "the same with nothing else to measure: exit 1" test $rc -eq 1
check "... the file still says what happened" jq -e '.backends[0].status == "failed"
	and .measurements[0].status == "error"' "$T/exit1.json"
check "nothing left" all_gone

echo "SIGINT while waiting for hello"
FAULT=nohello FAULT_INSTANCE=bare@f VBENCH_AGENT="$T/fault-agent" \
	"$VBENCH" run --backend bare,bare@f --bench cpu.syscall --quick -o "$T/nh.json" \
	>/dev/null 2>"$T/nh.err" &
pid=$!
n=0
until grep -qs 'starting bare@f' "$T/nh.err" || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
sleep 0.5
kill -INT $pid 2>/dev/null || true
set +e; wait $pid; rc=$?; set -e
check "exit 130" test $rc -eq 130
check "the file says interrupted" jq -e '.interrupted == true and .complete == false' "$T/nh.json"
check "no instance failed with 'Interrupted system call'" sh -c \
	"! grep -q 'Interrupted system call' '$T/nh.err' '$T/nh.json'"
check "nothing left" all_gone

# interrupt SIG NAME: a long bare run, SIG once a measurement is in, its exit code in rc
interrupt() {
	"$VBENCH" run --backend bare --bench 'cpu.syscall,io.randread' --rounds 50 --quick \
		-o "$T/$2.json" >/dev/null 2>"$T/$2.err" &
	pid=$!
	wait_for "$T/$2.json" "$measured" || true
	kill -"$1" $pid 2>/dev/null || true
	set +e; wait $pid; rc=$?; set -e
}
for sig in INT TERM; do
	echo "SIG$sig mid-run"
	interrupt $sig sig$sig
	check "exit 130" test $rc -eq 130
	check "completed measurements kept, the file says interrupted" jq -e '
		.interrupted == true and .complete == false and (.measurements | length) >= 1
		and all(.measurements[]; .status == "ok")' "$T/sig$sig.json"
	check "nothing left (BPF links included)" all_gone
done

echo "SIGKILL, then a new run sweeps the debris"
# a live run beside it, started first (its own sweep must not find the
# victim): its cgroup and work dir are not debris
"$VBENCH" run --backend bare --bench cpu.syscall --rounds 1000 --quick -o "$T/live.json" \
	>/dev/null 2>&1 &
live=$!
wait_for "$T/live.json" "$measured" || true
lwd=$(ls -d "$VBENCH_WORKDIR"/vbench-* 2>/dev/null || true)
backs=bare
command -v qemu-system-x86_64 >/dev/null && backs=bare,type2
"$VBENCH" run --backend $backs --bench cpu.syscall --rounds 1000 --quick -o "$T/k.json" \
	>/dev/null 2>"$T/k.err" &
pid=$!
# every instance has measured: QEMU runs, the scratch images exist
nbacks=$(echo $backs | tr ',' ' ' | wc -w)
wait_for "$T/k.json" "[.measurements[].backend] | unique | length == $nbacks" || true
kill -KILL $pid 2>/dev/null || true
set +e; { wait $pid; } 2>/dev/null; set -e
wd=$(ls -d "$VBENCH_WORKDIR"/vbench-* 2>/dev/null | grep -vx "$lwd" || true)
cg=$(run_cgroup $pid)
check "the killed run left its cgroup and work dir" test -n "$cg" -a -n "$wd"
died_with_it() {
	! pgrep -f "vbench-agent .*${wd:-$T/none}" >/dev/null &&
		! pgrep -f "qemu-system-x86_64.*${wd:-$T/none}" >/dev/null
}
check "its agent and QEMU died with it" eventually died_with_it
set +e
"$VBENCH" run --backend bare --bench cpu.syscall --quick -o "$T/k2.json" >/dev/null \
	2>"$T/k2.err"; rc=$?
set -e
check "the new run exits 0" test $rc -eq 0
check "... saying it swept the dead run's debris" \
	grep -Eq "(swept|removed|debris).*[^0-9]$pid([^0-9]|\$)" "$T/k2.err"
check "the dead run's cgroup and work dir are gone" test -z "$(run_cgroup $pid)" -a ! -e "$wd"
check "the live run's cgroup and work dir were left alone" \
	test -n "$(run_cgroup $live)" -a -d "$lwd"
kill -INT $live 2>/dev/null || true
set +e; wait $live; rc=$?; set -e
check "... and the live run finished as interrupted runs do" test $rc -eq 130
check "nothing of any run is left" all_gone
# what no sweep removed must not fail the cases after this one
[ ! -d "$cg" ] || find "$cg" -depth -type d -exec rmdir {} + || true
rm -rf "$wd"

if command -v qemu-system-x86_64 >/dev/null; then
	echo "QEMU killed mid-sample"
	"$VBENCH" run --backend bare,type2 --bench cpu.int,mem.latency --quick \
		-o "$T/q.json" >/dev/null 2>"$T/q.err" &
	pid=$!
	n=0 # a type2 request in flight (progress lines name it), then its QEMU is killed
	until grep -qs '\] type2 ' "$T/q.err" || [ $n -ge 600 ]; do sleep 0.1; n=$((n + 1)); done
	qemu=$(pgrep -f "qemu-system-x86_64.*$T" || true)
	check "a type2 QEMU ran" test -n "$qemu"
	[ -z "$qemu" ] || kill -KILL $qemu 2>/dev/null || true
	set +e; wait $pid; rc=$?; set -e
	check "exit 0: bare was measured" test $rc -eq 0
	check "type2 recorded failed with a reason" jq -e '.backends[] | select(.name == "type2")
		| .status == "failed" and (.reason | length) > 0' "$T/q.json"
	check "... its cut-off measurement too" jq -e 'any(.measurements[];
		.backend == "type2" and .status == "error" and (.reason | length) > 0)' "$T/q.json"
	check "bare's measurements kept" jq -e '[.measurements[] | select(.backend == "bare")]
		| length == 4 and all(.[]; .status == "ok")' "$T/q.json"
	check "nothing left (no QEMU)" all_gone
else
	echo "  skip: QEMU killed mid-sample: no qemu-system-x86_64"
fi

echo "results directory read-only or full"
mkdir "$T/ro" "$T/full" "$T/small"
mount -t tmpfs -o ro,size=64k vbench-e2e "$T/ro"
mount -t tmpfs -o size=16k vbench-e2e "$T/full"
dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null || true
mount -t tmpfs -o size=64k vbench-e2e "$T/small"
# norun DIR ERROR: run -o DIR/r.json fails before measuring, saying ERROR about the file
norun() {
	set +e
	"$VBENCH" run --backend bare --bench cpu.syscall --quick -o "$1/r.json" >/dev/null \
		2>"$T/norun.err"; rc=$?
	set -e
	check "exit 1" test $rc -eq 1
	check "... before measuring, saying '$2' about $1/r.json" sh -c "grep -q '$2' '$T/norun.err' \
		&& grep -q '$1/r.json' '$T/norun.err' && ! grep -q 'starting' '$T/norun.err'"
}
norun "$T/ro" "Read-only file system"
norun "$T/full" "No space left on device"
# 64 KiB hold the file and its next version for a few measurements, not for 40
set +e
"$VBENCH" run --backend bare --bench cpu.syscall,cpu.callret --rounds 20 --quick \
	-o "$T/small/r.json" >/dev/null 2>"$T/small.err"; rc=$?
set -e
check "the disk filling mid-run: exit 1" test $rc -eq 1
check "... saying so" grep -q 'No space left on device' "$T/small.err"
check "... keeping the last complete file, with measurements" jq -e '
	.schema == "vbench-results" and .complete == false and (.measurements | length) >= 1
	and all(.measurements[]; .status == "ok")' "$T/small/r.json"
check "... and no temporary file beside it" test "$(ls -A "$T/small")" = r.json
umount "$T/ro" "$T/full" "$T/small"
check "nothing left" all_gone

finish
