# End-to-end: the container backend (crun, runc, podman) beside bare, its memory limit, clean-up.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "the container backend needs root"
command -v crun >/dev/null || skip_all "crun is not installed"

# Nothing of the run with vbench pid $1 outlives it: container state,
# cgroups (v2 and every v1 controller), bundle and scratch image.
run_left() {
	! ls -d /run/crun/vbench-"$1"-*-container 2>/dev/null | grep -q . &&
		! ls -d /sys/fs/cgroup/vbench-"$1"-* /sys/fs/cgroup/*/vbench-"$1"-* 2>/dev/null |
			grep -q . &&
		! ls "$T"/w/vbench-*/ 2>/dev/null | grep -q .
}

echo "container beside bare"
set +e
"$VBENCH" run --backend bare,container --bench 'cpu.*,mem.*,io.*' --quick --samples 2 \
	--workdir "$T/w" -o "$T/r.json" >"$T/out" 2>"$T/err" &
pid=$!
wait $pid; rc=$?
set -e
check "run --backend bare,container exits 0" test $rc -eq 0
check "container started by crun, in its own v2 cgroup under vbench's" jq -e --arg p "$pid" '
	.backends[] | select(.name == "container") | .status == "ok"
	and (.info.runtime | test("crun")) and .hello.role == "container"
	and .hello.env.virt.container == "oci" and .hello.env.pid == 1
	and (.host.cgroup | test("/vbench-" + $p + "-[0-9]+/container$")) and .host.cgroup_id > 0
	and (.info.cgroups_path | test("^/vbench-" + $p + "-[0-9]+/container$"))
	and any(.counters[]; .source == "cgroup" and .name == "cpu.nr_throttled" and .value >= 0)
	and any(.counters[]; .name == "memory.peak" and .value > 0)' "$T/r.json"
check "every cpu/mem/io workload measured ok on both backends" jq -e '
	. as $d | [.workloads[].name] as $w
	| all("bare", "container"; . as $b | all($w[]; . as $n
		| any($d.measurements[]; .backend == $b and .bench == $n and
			((.status == "ok" and (.samples | length) > 0) or
			 (.status == "unsupported" and (.reason | length) > 0)))))
	and any(.measurements[]; .backend == "container" and .bench == "io.seqread"
		and .status == "ok")' "$T/r.json"
check "container/bare slowdowns in the summary" jq -e \
	'any(.summary[]; .backend == "container" and (.slowdown | type) == "object")' "$T/r.json"
check "nothing left behind (crun state, cgroups, bundle)" run_left "$pid"

echo "--memory applies: a workload over the limit is OOM-killed, the run goes on"
set +e
"$VBENCH" run --backend bare,container --bench 'cpu.int,mem.stream' --quick --memory 64 \
	--workdir "$T/w" -o "$T/oom.json" >"$T/out" 2>"$T/err" &
pid=$!
wait $pid; rc=$?
set -e
check "run exits 0" test $rc -eq 0
check "mem.stream (3 x 64 MiB) in the container: error, killed by the OOM killer" jq -e '
	any(.measurements[]; .backend == "container" and .bench == "mem.stream"
		and .status == "error" and (.reason | test("OOM killer")))' "$T/oom.json"
check "bare measured everything: the run went on" jq -e '
	[.measurements[] | select(.backend == "bare")] | length > 0 and all(.status == "ok")' \
	"$T/oom.json"
check "nothing left behind after the OOM kill" run_left "$pid"

echo "Ctrl-C stops the container and cleans up"
"$VBENCH" run --backend container --bench 'cpu.*' --rounds 50 --samples 3 --min-sample-ms 50 \
	--workdir "$T/w" -o "$T/int.json" >/dev/null 2>"$T/err" &
pid=$!
n=0
until [ -s "$T/int.json" ] && jq -e '(.measurements | length) >= 1' "$T/int.json" >/dev/null 2>&1; do
	sleep 0.2; n=$((n + 1)); [ $n -lt 100 ] || break
done
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
check "interrupted run exits 130 with its measurements" sh -c "test $rc -eq 130 &&
	jq -e '.interrupted == true and (.measurements | length) >= 1' '$T/int.json'"
check "nothing left behind after Ctrl-C" run_left "$pid"

echo "an agent that cannot run in the container"
printf '#!/bin/sh\nexec sleep 60\n' >"$T/script-agent"
chmod +x "$T/script-agent"
set +e
VBENCH_AGENT="$T/script-agent" "$VBENCH" run --backend container --bench cpu.int --quick \
	--hello-timeout 5 --workdir "$T/w" -o "$T/bad.json" >/dev/null 2>"$T/err" &
pid=$!
wait $pid
set -e
check "container failed, the runtime's error in the reason" jq -e '
	.backends[0].status == "failed" and (.backends[0].reason | test("log tail: .*vbench-agent"))' \
	"$T/bad.json"
check "nothing left behind after a failed start" run_left "$pid"

if command -v runc >/dev/null; then
	echo "runc, on the same bundle"
	set +e
	"$VBENCH" run --backend container --container-runtime runc --bench 'cpu.syscall,io.*' \
		--quick --workdir "$T/w" -o "$T/runc.json" >/dev/null 2>"$T/err" &
	pid=$!
	wait $pid; rc=$?
	set -e
	check "runc runs the agent: ok measurements" sh -c "test $rc -eq 0 && jq -e '
		(.backends[0].info.runtime | test(\"runc\")) and
		all(.measurements[]; .status == \"ok\")' '$T/runc.json'"
	check "nothing left behind by runc" sh -c "! ls -d /run/runc/vbench-$pid-*-container \
		/sys/fs/cgroup/*/vbench-$pid-* 2>/dev/null | grep -q ."
else
	echo "  skip: runc is not installed (optional runtime)"
fi

if podman info >/dev/null 2>&1; then
	echo "podman beside bare"
	set +e
	"$VBENCH" run --backend bare,container --container-runtime podman \
		--bench 'cpu.int,io.randread' --quick --memory 256 --workdir "$T/w" \
		-o "$T/pod.json" >/dev/null 2>"$T/err" &
	pid=$!
	wait $pid; rc=$?
	set -e
	check "podman runs the agent in its v2 group: ok measurements" sh -c "test $rc -eq 0 &&
		jq -e --arg p $pid '
		(.backends[] | select(.name == \"container\") | .status == \"ok\"
			and (.info.runtime | test(\"podman\"))
			and (.info.image | startswith(\"localhost/vbench-agent:\"))
			and .hello.env.pid == 1 and .host.cgroup_id > 0
			and (.host.cgroup | test(\"/vbench-\" + \$p + \"-[0-9]+/container$\"))
			and any(.counters[]; .name == \"memory.peak\" and .value > 0))
		and ([.measurements[] | select(.backend == \"container\")] | length > 0
			and all(.status == \"ok\"))' '$T/pod.json'"
	check "nothing left behind by podman (container, cgroups, workdir)" sh -c "
		! podman ps -a --format '{{.Names}}' | grep -q '^vbench-$pid-' &&
		! ls -d /sys/fs/cgroup/vbench-$pid-* /sys/fs/cgroup/*/vbench-$pid-* 2>/dev/null |
			grep -q . && ! ls '$T'/w/vbench-*/ 2>/dev/null | grep -q ."
else
	echo "a runtime that does not run here"
	set +e
	"$VBENCH" run --backend container --container-runtime podman --bench cpu.int --quick \
		--workdir "$T/w" -o "$T/pod.json" >/dev/null 2>"$T/err"
	set -e
	check "podman: container unavailable, with the reason" jq -e '
		.backends[0].status == "unavailable" and (.backends[0].reason | test("podman"))' \
		"$T/pod.json"
fi
if ! docker info >/dev/null 2>&1; then
	set +e
	"$VBENCH" run --backend container --container-runtime docker --bench cpu.int --quick \
		--workdir "$T/w" -o "$T/dock.json" >/dev/null 2>"$T/err"
	set -e
	check "docker without a daemon: container unavailable, with the reason" jq -e '
		.backends[0].status == "unavailable" and (.backends[0].reason | test("docker"))' \
		"$T/dock.json"
fi
set +e
"$VBENCH" run --backend container --container-runtime nosuch -o "$T/x.json" 2>"$T/err"; rc=$?
set -e
check "an unknown runtime is a usage error (exit 2, naming the choices)" \
	sh -c "test $rc -eq 2 && grep -q 'crun, runc' '$T/err'"
finish
