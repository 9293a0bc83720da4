# End-to-end: host probes count what the workloads really do.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "eBPF probes need root"
[ -r /sys/kernel/btf/vmlinux ] || skip_all "no kernel BTF"

echo "block requests match the bytes io.seqread reads (bare)"
set +e
"$VBENCH" run --backend bare --bench io.seqread --rounds 3 --samples 3 --precision off \
	--param io.seqread.size_mib=64 -o "$T/b.json" >/dev/null 2>"$T/err"; rc=$?
set -e
check "run exits 0" test $rc -eq 0
check "block probe attached" jq -e 'any(.meta.probes[]; .probe == "block" and .status == "ok")' \
	"$T/b.json"
# Each counting pass holds exactly count.iters reads of 1 MiB, in every round
# (calibration and the scratch fill are outside it).
check "read bytes counted = bytes read, within 2%" jq -e '
	[.measurements[] | select(.status == "ok") | .count
	 | (.iters * 1048576) as $want
	 | ([.counters[] | select(.name == "block.read.bytes") | .value][0] // 0) / $want]
	| length == 3 and all(.[]; . > 0.98 and . < 1.02)' "$T/b.json"
check "PMU events say why they are unavailable, or count" jq -e '
	[.measurements[0].count.counters[] | select(.source == "pmu")]
	| length > 0 and all(.[]; (.unavailable | type == "string" and length > 0) or .value >= 0)' \
	"$T/b.json"

echo "trapped device accesses per I/O request: emulated AHCI vs virtio (TCG)"
command -v qemu-system-x86_64 >/dev/null || { echo "  skip: no qemu-system-x86_64"; finish; exit $?; }
set +e
"$VBENCH" run --backend type2,type2-pv --bench io.randread --rounds 2 --samples 2 \
	--precision off --min-sample-ms 50 --param io.randread.size_mib=16 --probes qemu,block \
	-o "$T/q.json" >/dev/null 2>"$T/err"; rc=$?
set -e
check "run exits 0" test $rc -eq 0
# QEMU's device dispatches per block request it issues, in the last round
per_req='def per_req($be): [.measurements[] | select(.backend == $be and .round == 1)
	| .count.counters as $c
	| (([$c[] | select(.name | startswith("qemu.memory_region_dispatch")) | .value] | add) //0)
	  / ([$c[] | select(.name == "block.read.requests") | .value][0] // 1)][0];'
check "type2 traps more device accesses per request than type2-pv" jq -e "$per_req"'
	per_req("type2") > per_req("type2-pv") and per_req("type2-pv") > 0' "$T/q.json"
jq -r "$per_req"'"  type2: \(per_req("type2")) accesses/request, type2-pv: \(per_req("type2-pv"))"' \
	"$T/q.json"
check "nothing left behind" nothing_left
finish
