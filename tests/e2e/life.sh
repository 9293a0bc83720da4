# End-to-end: the lifecycle and isolation experiments (life.*, iso.*) on small
# settings, on every backend that runs here; bad input; Ctrl-C; nothing left.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "the experiments start containers and VMs and set limits: root"

# The backends that run here, as vbench list says.
avail=$("$VBENCH" list --json | jq -r '[.backends[] | select(.available) | .name
	| select(. == "bare" or . == "container" or . == "type2" or . == "type2-pv")]
	| join(",")')
echo "backends here: $avail"
# What no run may leave: lib.sh's checks, and no QEMU or container of ours.
gone_now() {
	nothing_left && ! pgrep -f "qemu-system-x86_64.*$T" >/dev/null &&
		! ls -d /run/crun/vbench-* 2>/dev/null | grep -q .
}
# exp NAME BACKEND: the entry's jq path
exp() { echo ".experiments[] | select(.name == \"$1\" and .backend == \"$2\")"; }

echo "bad input"
set +e
"$VBENCH" run --bench life.start --budget 2Q -o "$T/x.json" >/dev/null 2>"$T/bad.err"
rc=$?
set -e
check "--budget 2Q: exit 2" test $rc -eq 2
check "... saying what a budget is" grep -q "K, M, G or T" "$T/bad.err"
check "... and writing nothing" test ! -e "$T/x.json"
set +e
"$VBENCH" run --bench life.nosuch -o "$T/x.json" >/dev/null 2>"$T/bad2.err"
rc=$?
set -e
check "an unknown experiment: exit 2, naming the experiments" \
	sh -c "[ $rc -eq 2 ] && grep -q 'experiments: life.start' '$T/bad2.err'"

echo "every experiment on $avail"
set +e
"$VBENCH" run --backend "$avail" --bench 'life.*,iso.*' --quick --life-reps 2 \
	--budget 600M --density-max 3 -o "$T/r.json" >"$T/out" 2>"$T/err"
rc=$?
set -e
check "exit 0" test $rc -eq 0
for b in $(echo "$avail" | tr , ' '); do
	check "$b: the four experiments ok" jq -e --arg b "$b" '
		[.experiments[] | select(.backend == $b and .status == "ok") | .name] | sort
		== ["iso.neighbour", "life.density", "life.footprint", "life.start"]' "$T/r.json"
	check "$b: start: 2 launches and a floor to compare with" jq -e "$(exp life.start "$b")
		| .launches == 2 and .start_ms.median > 0 and .start_ms.p95 >= .start_ms.median
		and .floor.ms.median > 0 and .floor.ratio > 0 and (.floor.what | length) > 0
		and (.phases | length) >= 2 and all(.phases[]; .ms.median >= 0)" "$T/r.json"
	check "$b: footprint: PSS and image" jq -e "$(exp life.footprint "$b")
		| .memory.pss_bytes > 0 and .memory.main_rss_bytes > 0 and .disk.total_bytes > 0" \
		"$T/r.json"
	check "$b: density: up to the cap or the budget, each start timed" jq -e \
		"$(exp life.density "$b") | .started >= 1 and .started <= 3 and .fit <= .started
		and (.ended_by | test(\"^(cap|budget)\")) and .start_ms.n == .started
		and (.pss_bytes | length) == .started and .stop_all_ms >= 0" "$T/r.json"
	check "$b: neighbour: three hogs, alone and beside it, and a fault survived" jq -e \
		"$(exp iso.neighbour "$b") | (.hogs | length) == 3
		and all(.hogs[]; .rounds == 2 and .slowdown.median > 0 and .alone.median > 0)
		and .fault.victim.goes_on == true and .fault.neighbour.ended == \"yes\"" "$T/r.json"
done
case ",$avail," in *,container,*)
	check "container: phases of the runtime" jq -e "$(exp life.start container)
		| [.phases[].name] | index(\"runtime run\") and index(\"cgroup join\")" \
		"$T/r.json"
	check "container: limits applied, and the neighbour killed for memory" jq -e \
		"$(exp iso.neighbour container) | (.hogs[0].limits.cpu | test(\"^50000 \"))
		and .fault.crash == \"out of memory\" and .fault.oom_kills >= 1" "$T/r.json"
esac
case ",$avail," in *,type2,*)
	check "type2: the guest's own phases, module by module" jq -e "$(exp life.start type2)
		| [.phases[].name] | index(\"kernel\") and index(\"init: module ahci\")
		and index(\"agent to hello\") and index(\"QEMU to QMP\")" "$T/r.json"
	check "type2: image on disk: kernel and initramfs" jq -e "$(exp life.footprint type2)
		| .disk.kernel.bytes > 1000000 and .disk.initramfs.bytes > 100000" "$T/r.json"
	check "type2: the neighbour's kernel panicked, the victim went on" jq -e \
		"$(exp iso.neighbour type2) | .fault.crash == \"kernel panic\"
		and .fault.kernel_panic == true and .fault.victim.goes_on == true" "$T/r.json"
esac
check "one summary line per experiment and backend" test \
	"$(grep -cE '^[a-z0-9@-]+ +(life|iso)\.' "$T/out")" -eq "$(jq '.experiments | length' "$T/r.json")"
check "the plan records the experiments and their settings" jq -e '.meta.plan
	| .experiments == ["life.start", "life.footprint", "life.density", "iso.neighbour"]
	and .life_reps == 2 and .budget_bytes == 629145600 and .density_max == 3' "$T/r.json"
check "nothing left" eventually gone_now

echo "Ctrl-C while life.density fills the budget"
set +e
"$VBENCH" run --backend bare --bench life.density --budget 4G --density-max 5000 \
	-o "$T/c.json" >/dev/null 2>"$T/c.err" &
pid=$!
n=0
until grep -q "life.density bare: 20 up" "$T/c.err" 2>/dev/null || [ $n -ge 300 ]; do
	sleep 0.1; n=$((n + 1))
done
kill -INT $pid
wait $pid; rc=$?
set -e
check "exit 130" test $rc -eq 130
check "the entry says interrupted, with what was up" jq -e "$(exp life.density bare)
	| .status == \"interrupted\" and .started >= 20" "$T/c.json"
check "every instance stopped: nothing left" eventually gone_now
finish
