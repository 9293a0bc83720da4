# End-to-end: the bare backend, bad input, interruption, a broken agent.
. "$(dirname "$0")/lib.sh"

echo "bare backend"
"$VBENCH" run --backend bare --quick -o "$T/r.json" >"$T/out" 2>"$T/err"
check "run --backend bare --quick exits 0" test $? -eq 0
check "result file has the schema and is complete" \
	jq -e '.schema == "vbench-results" and .version == 1 and .complete == true' "$T/r.json"
check "every workload measured or said why not" jq -e '
	[.workloads[].name] as $w
	| [.measurements[] | select(.backend == "bare")] as $m
	| all($w[]; . as $n | any($m[]; .bench == $n and
		((.status == "ok" and (.samples | length) == 3) or
		 (.status == "unsupported" and (.reason | length) > 0))))' "$T/r.json"
check "metadata: host virtualization evidence, topology, command line" jq -e '
	(.meta.host.virt.evidence | length) > 0 and .meta.host.topology.pus >= 1
	and .meta.command_line[0] != null and (.meta.source_tree | test("^[0-9a-f]{12}$"))' "$T/r.json"
check "bare instance recorded with pid, PUs and start time" \
	jq -e '.backends[0].status == "ok" and .backends[0].host.pid > 0
		and (.backends[0].host.pus | length) == 1 and .backends[0].start_ms > 0' "$T/r.json"
check "bare recorded with its traits: the host, the baseline of the others" \
	jq -e '.backends[0] | .backend == "bare" and .traits.kind == "host"
		and .traits.accel == "none" and .traits.baseline == null' "$T/r.json"
check "each timed pass has a counting pass over its own operations" jq -e '
	.meta.plan.count == true
	and all(.measurements[] | select(.status == "ok");
		.count.status == "ok" and .count.iters == ((.iters + 1) / 2 | floor)
		and .count.elapsed_ns > 0
		and any(.count.counters[]; .source == "agent"))
	and ([.measurements[] | .counters] | all(. == null))
	and .backends[0].count_floor.status == "ok" and .backends[0].count_floor.iters == 0' \
	"$T/r.json"
# its setup fills the scratch file with 512 writes of 1 MiB: none may be in the window
check "io.randread's counting pass holds its reads and nothing of its setup" jq -e '
	[.measurements[] | select(.bench == "io.randread" and .status == "ok") | .count
	 | {n: .iters, r: (.counters[] | select(.name == "block.read.requests") | .value),
	    w: ([.counters[] | select(.name == "block.write.requests") | .value] | add // 0)}]
	| length > 0 and all(.[]; .r >= .n and .r <= 2 * .n and .w < 16)' "$T/r.json"
check "summary table printed" grep -q 'cpu.syscall' "$T/out"
check "nothing left behind" nothing_left

echo "measure, then count"
# The agent opens its perf events only after saying "ready": the timed
# samples before it run with nothing attached, here as in any environment.
if command -v strace >/dev/null; then
	{ echo '{"op":"run","id":1,"bench":"cpu.ctxsw","samples":2,"warmup":0,"min_sample_ms":20,"count":true}'
	  until grep -q '"ready"' "$T/agent.out" 2>/dev/null; do sleep 0.05; done
	  echo '{"op":"go","id":1}'
	  until grep -q '"result"' "$T/agent.out" 2>/dev/null; do sleep 0.05; done
	  echo '{"op":"bye"}'; } |
		strace -f -qq -e trace=perf_event_open,write -o "$T/strace" \
			"$VBENCH_AGENT" >"$T/agent.out"
	check "the agent's counting pass has counters" jq -se \
		'.[] | select(.op == "result") | .count.status == "ok"
		 and any(.count.counters[]; .name == "rusage.nvcsw" and .value > 0)' "$T/agent.out"
	ready=$(grep -n 'write(.*\\"op\\":\\"ready' "$T/strace" | head -1 | cut -d: -f1)
	first=$(grep -n 'perf_event_open(' "$T/strace" | head -1 | cut -d: -f1)
	check "no perf event opened before the timed samples are done" \
		test -n "$ready" -a -n "$first" -a "${first:-0}" -gt "${ready:-0}"
else
	echo "  skip: strace is not installed"
fi
"$VBENCH" run --backend bare --bench 'cpu.ctxsw,io.randread' --quick --no-count \
	-o "$T/nc.json" >/dev/null 2>&1
check "--no-count: the plan says so, no counting pass, no probes" jq -e '
	.meta.plan.count == false and .meta.probes == null
	and all(.measurements[]; .count.status == "off")' "$T/nc.json"
"$VBENCH" report -o "$T/nc-report" "$T/nc.json" >/dev/null 2>&1
check "... and its report still builds" test -s "$T/nc-report/report.md"

echo "bad input"
set +e
"$VBENCH" run --backend nosuch 2>"$T/err"; rc=$?
check "unknown backend exits 2" test $rc -eq 2
check "... with one line naming the valid choices" \
	sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -q 'valid: bare' '$T/err'"
"$VBENCH" run --bench nosuch 2>"$T/err"; rc=$?
check "unknown workload exits 2 naming the choices" \
	sh -c "test $rc -eq 2 && grep -q 'cpu.syscall' '$T/err' && test \$(wc -l <'$T/err') -eq 1"
"$VBENCH" frobnicate 2>/dev/null; rc=$?
check "unknown command exits 2" test $rc -eq 2
set -e

echo "Ctrl-C keeps completed measurements and cleans up"
"$VBENCH" run --backend bare --bench 'cpu.*' --rounds 50 --samples 3 --min-sample-ms 50 \
	-o "$T/int.json" >/dev/null 2>"$T/err" &
pid=$!
n=0
until [ -s "$T/int.json" ] && jq -e '(.measurements | length) >= 1' "$T/int.json" >/dev/null 2>&1; do
	sleep 0.2; n=$((n + 1)); [ $n -lt 100 ] || break
done
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
check "interrupted run exits 130" test $rc -eq 130
# the measurement cut off by Ctrl-C is dropped, never recorded as an error
check "its result file says interrupted and keeps measurements" jq -e \
	'.interrupted == true and .complete == false and (.measurements | length) >= 1
	 and all(.measurements[]; .status == "ok" or .status == "unsupported")' "$T/int.json"
check "nothing left behind after Ctrl-C" nothing_left

echo "an agent that sends garbage and hangs"
cat >"$T/bad-agent" <<'SH'
#!/bin/sh
echo $$ >"${0%/*}/bad-agent.pid"
echo 'garbage from a broken agent'
printf '\001\002\003 binary\n'
exec sleep 60
SH
chmod +x "$T/bad-agent"
set +e
VBENCH_AGENT="$T/bad-agent" "$VBENCH" run --backend bare --bench cpu.syscall --quick \
	--hello-timeout 2 -o "$T/bad.json" >/dev/null 2>"$T/err"; rc=$?
set -e
check "run ends with exit 1: nothing was measured, stderr says so" \
	sh -c "test $rc -eq 1 && grep -q 'nothing measured: no backend ran' '$T/err'"
check "backend recorded as failed with the reason" jq -e \
	'.backends[0].status == "failed" and (.backends[0].reason | test("hello"))' "$T/bad.json"
check "no hung agent left" sh -c "! kill -0 \$(cat '$T/bad-agent.pid') 2>/dev/null"

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	echo "not root"
	chmod 755 "$T"
	mkdir "$T/u" && chmod 777 "$T/u"
	set +e
	setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$T/u" \
		"$VBENCH" run --backend bare --bench 'cpu.syscall,io.seqread' --quick \
		-o "$T/u/user.json" >/dev/null 2>"$T/err"; rc=$?
	set -e
	check "bare runs as an ordinary user" test $rc -eq 0
	check "... and says the cgroup needs root" jq -e \
		'.backends[0].host.cgroup | test("needs root")' "$T/u/user.json"
else
	echo "  skip: not-root test needs root (to become nobody) and setpriv"
fi
finish
