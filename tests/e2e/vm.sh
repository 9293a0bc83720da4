# End-to-end: the VM backends under TCG (type2, type2-pv) next to bare, the
# guest image, KVM variants reported unavailable without /dev/kvm, and a
# guest that does not say hello in time.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
qemu_left() { pgrep -f 'qemu-system-x86_64.*vbench\.channel' >/dev/null; }

echo "guest image"
"$VBENCH" image >"$T/img" 2>"$T/err"
check "vbench image builds or finds kernel and both initramfs flavors" \
	sh -c "grep -q '^vmlinux' '$T/img' && test \$(grep -c '^initrd' '$T/img') -eq 2"
"$VBENCH" image >"$T/img2" 2>&1
check "a second vbench image rebuilds nothing" sh -c "! grep -q ' built' '$T/img2'"

echo "bare, type2, type2-pv"
set +e
"$VBENCH" run --backend bare,type2,type2-pv --bench 'cpu.*,io.randread' --quick -o "$T/r.json" \
	>"$T/out" 2>"$T/err"
rc=$?
set -e
check "run exits 0" test $rc -eq 0
check "both TCG guests started, with boot-to-hello time and the QEMU command line" jq -e '
	[.backends[] | select(.name == "type2" or .name == "type2-pv")]
	| length == 2 and all(.[]; .status == "ok" and .start_ms > 0
		and (.info.qemu_cmdline | test("-accel tcg")))' "$T/r.json"
check "type2 is emulated (AHCI, 16550), type2-pv virtio" jq -e '
	(.backends[] | select(.name == "type2") | .info.qemu_cmdline
		| test("ide-hd") and (test("virtio") | not))
	and (.backends[] | select(.name == "type2-pv") | .info.qemu_cmdline
		| test("virtio-blk-pci") and test("virtserialport"))' "$T/r.json"
check "QMP x-query-jit counters collected" jq -e '
	all(.backends[] | select(.name == "type2" or .name == "type2-pv");
	    any(.counters[]; .source == "qmp" and .name == "tcg.tb_count" and .value > 0))' \
	"$T/r.json"
check "every cpu workload bare can run measured in both guests" jq -e '
	. as $d
	| ([$d.measurements[] | select(.status == "ok" and .backend == "bare") | .bench]
	   | unique) as $b
	| ($b | length) > 5 and all("type2", "type2-pv"; . as $be | all($b[]; . as $n
		| any($d.measurements[]; .backend == $be and .bench == $n and .status == "ok")))' \
	"$T/r.json"
check "type2 has a ratio against bare" jq -e '
	any(.summary[]; .backend == "type2" and .ratio.median > 0)' "$T/r.json"
# Device accesses per block request, from the counting passes (reads only),
# less each backend's empty counting pass once per pass (as the report does):
# {backend: {req, wr, per: accesses/request, kpr: virtio kicks/request}}.
traps='. as $d | [.measurements[] | select(.bench == "io.randread" and .status == "ok"
		and .count.status == "ok")]
	| group_by(.backend) | map(.[0].backend as $be | length as $n
		| ([$d.backends[] | select(.name == $be) | .count_floor.counters[]?]) as $f
		| [.[].count.counters[]] as $c
		| def sum(a; re): [a[] | select(.name | test(re)) | .value] | add // 0;
		def net(re): sum($c; re) - $n * sum($f; re);
		{key: $be, value: ({req: sum($c; "^block[.]read[.]requests$"),
			wr: sum($c; "^block[.]write[.]requests$"),
			acc: net("^qemu[.]memory_region_dispatch_"), kicks: net("^qemu[.]virtio_queue_")}
		| . + {per: (if .req > 0 then .acc / .req else null end),
		       kpr: (if .req > 0 then .kicks / .req else null end)})}) | from_entries'
jq "$traps" "$T/r.json" >"$T/traps.json" 2>/dev/null || echo '{}' >"$T/traps.json"
sed 's/^/    /' "$T/traps.json" | tr -d '\n' | sed 's/  */ /g'; echo
check "io.randread: device accesses per read request for both VM backends" jq -e '
	all(.type2, .["type2-pv"]; .req > 0 and .wr == 0 and .per > 0)' "$T/traps.json"
check "type2-pv's virtio kicks are counted (about one per request)" jq -e '
	.["type2-pv"].kpr > 0.5' "$T/traps.json"
check "emulated AHCI traps more than twice as often per request as virtio" jq -e '
	.type2.per > 2 * .["type2-pv"].per' "$T/traps.json"
check "the timed samples of every backend were unobserved, counted after" jq -e '
	all(.measurements[] | select(.status == "ok"); .count.status == "ok")' "$T/r.json"
check "no QEMU left running" sh -c '! pgrep -f "qemu-system-x86_64.*vbench\.channel"'
check "nothing left behind" nothing_left

echo "KVM variants where this host's KVM cannot run guests, with --lab none"
if "$VBENCH" list --json | jq -e '.kvm.runs_guests' >/dev/null; then
	echo "  skip: this host's KVM runs guests"
else
	"$VBENCH" run --backend bare,type1,paravirt --bench cpu.syscall --quick --lab none \
		-o "$T/k.json" >/dev/null 2>&1 || true
	check "type1 and paravirt unavailable, saying why (no /dev/kvm, or which KVM it is)" jq -e '
		[.backends[] | select(.name == "type1" or .name == "paravirt")]
		| length == 2 and all(.[]; .status == "unavailable"
			and (.reason | test("/dev/kvm")))' "$T/k.json"
	check "--lab none starts no lab" jq -e '.meta.lab == null and .meta.plan.lab == "none"' \
		"$T/k.json"
fi

echo "a guest that does not say hello in time"
"$VBENCH" run --backend bare,type2 --bench cpu.syscall --quick --hello-timeout 1 \
	-o "$T/h.json" >/dev/null 2>&1 || true
check "type2 failed with the reason and its console/QEMU log" jq -e '
	.backends[] | select(.name == "type2") | .status == "failed"
	and (.reason | test("hello")) and (.reason | test("log tail"))' "$T/h.json"
check "the run went on with bare" jq -e \
	'any(.measurements[]; .backend == "bare" and .status == "ok")' "$T/h.json"
check "the guest was killed" sh -c '! pgrep -f "qemu-system-x86_64.*vbench\.channel"'
check "nothing left behind" nothing_left

finish
