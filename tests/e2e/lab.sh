# End-to-end: type1 and paravirt through the emulated lab (an L1 machine
# under QEMU TCG with AMD SVM, real KVM inside), merged into the host's
# result file, counted by the same probes, and rendered by the report.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64 (TCG)"

echo "type1 and paravirt in the emulated lab"
set +e
# 100 ms samples, not --quick's 20: a counting pass of cpu.portio then has
# about 160 outb, not 32, and the few IO exits by which its channel bytes
# differ from the empty pass's (ids of other lengths; a 16550 exits on each
# byte) move the net per outb by under 0.05, not by up to 0.2 (CI saw 0.875)
"$VBENCH" run --backend type1,paravirt --bench cpu.cpuid,cpu.portio,io.randread --quick \
	--min-sample-ms 100 --lab emulated -o "$T/r.json" >"$T/out" 2>"$T/err"
rc=$?
set -e
check "run exits 0" test $rc -eq 0
check "the lab is announced on stderr with its reason" \
	grep -q 'type1, paravirt in the emulated lab: asked for (--lab emulated)' "$T/err"
check "L1's boot is announced with its time" grep -q 'lab: L1 up in' "$T/err"
check "type1 and paravirt ok, marked as the lab's, against the lab's bare" jq -e '
	[.backends[] | select(.name == "type1" or .name == "paravirt")]
	| length == 2 and all(.[]; .status == "ok" and (.traits.lab | startswith("emulated"))
		and .traits.baseline == "bare@lab" and .traits.accel == "kvm")' "$T/r.json"
check "the lab's bare is L1 itself, a host with no baseline" jq -e '
	.backends[] | select(.name == "bare@lab") | .status == "ok"
	and .traits.kind == "host" and .traits.baseline == null' "$T/r.json"
check "meta.lab: why, L1 boot time, image size, L1's host and probes" jq -e '
	.meta.lab | (.why | test("--lab emulated")) and .l1.boot_ms > 0
	and .l1.image_bytes > 1000000 and (.host.kernel | length > 0)
	and any(.probes[]; .probe == "kvm" and .status == "ok")' "$T/r.json"
check "the summary compares type1 and paravirt with bare@lab" jq -e '
	[.summary[] | select(.backend == "type1" or .backend == "paravirt")
		| select(.slowdown != null) | .baseline]
	| length >= 2 and all(.[]; . == "bare@lab")' "$T/r.json"

# counted exits per operation over every counting pass of (backend, bench); net_per_op
# takes off what the instance's empty pass counted, once per pass: the agent's channel
# (a 16550 for type1: IO exits on every byte of "go" and "counted"), a steady floor for
# IO exits, while its other exits (the guest's own activity) vary too much for that
per_op() { # backend bench jq-filter-on-counter-names [net]
	jq -r --arg b "$1" --arg w "$2" --arg net "${4:-}" "
		([.backends[] | select(.name == \$b) | .count_floor
			| select(.status == \"ok\" and \$net != \"\") | .counters[]
			| select(.name | $3) | .value] | add // 0) as \$floor
		| [.measurements[] | select(.backend == \$b and .bench == \$w and .status == \"ok\"
			and .count.status == \"ok\")] as \$m
		| ([\$m[].count.iters] | add) as \$n
		| (([\$m[].count.counters[] | select(.name | $3) | .value] | add // 0)
			- \$floor * (\$m | length)) / \$n" "$T/r.json"
}
for be in type1 paravirt; do
	r=$(per_op $be cpu.cpuid 'test("^kvm\\.exit\\.(svm|vmx)\\.cpuid$")')
	echo "  $be: $r CPUID exits per cpuid"
	check "$be: 0.95..1.2 CPUID exits per cpuid executed" \
		awk -v r="$r" 'BEGIN { exit !(r >= 0.95 && r <= 1.2) }'
done
for be in type1 paravirt; do
	r=$(per_op $be cpu.portio 'test("^kvm\\.exit\\.(svm|vmx)\\.io$")' net)
	echo "  $be: $r IO exits per outb"
	check "$be: about one IO exit per outb (0.9..1.3)" \
		awk -v r="$r" 'BEGIN { exit !(r >= 0.9 && r <= 1.3) }'
done
t1=$(per_op type1 io.randread 'test("^kvm\\.exits$")')
pv=$(per_op paravirt io.randread 'test("^kvm\\.exits$")')
echo "  exits per io.randread request: type1 $t1, paravirt $pv"
check "paravirt exits less per io.randread request than type1" \
	awk -v a="$pv" -v b="$t1" 'BEGIN { exit !(a > 0 && a < b) }'

echo "the report"
"$VBENCH" report "$T/r.json" -o "$T/rep" >/dev/null 2>"$T/rerr"
check "the report renders the lab's exits by reason" \
	sh -c "grep -q '^## VM exits by reason' '$T/rep/report.md' && grep -q '^| type1' '$T/rep/report.md'"

echo "Ctrl-C in the middle of the lab"
"$VBENCH" run --backend paravirt --bench 'cpu.int,cpu.cpuid,cpu.syscall,mem.tlb' --rounds 3 \
	--lab emulated -o "$T/i.json" >"$T/iout" 2>"$T/ierr" &
pid=$!
n=0
while [ $n -lt 120 ] && ! grep -q 'lab: round 1/3 \[3/8\]' "$T/ierr"; do sleep 2; n=$((n + 1)); done
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
check "the interrupted run exits 130" test $rc -eq 130
check "the nested vbench was told to stop" grep -q 'asking the nested vbench to stop' "$T/ierr"
check "what the lab measured before Ctrl-C is kept, marked interrupted" jq -e '
	.interrupted and .meta.lab.interrupted
	and ([.measurements[] | select(.status == "ok" and (.backend == "bare@lab"
		or .backend == "paravirt"))] | length >= 2)' "$T/i.json"

echo "cleanup"
check "no QEMU left running" sh -c '! pgrep -f "qemu-system-x86_64.*vbench\.channel"'
check "nothing left behind" nothing_left
finish
