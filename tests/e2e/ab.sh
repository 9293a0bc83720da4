# End-to-end: A/B in one run, two instances of bare, one with its own --set.
. "$(dirname "$0")/lib.sh"

echo "A/B in one run"
"$VBENCH" run --backend bare,bare@b --set bare@b.param.cpu.int.n=8192 --bench cpu.int \
	--quick -o "$T/ab.json" >"$T/out" 2>"$T/err"
check "run --backend bare,bare@b --set ... exits 0" test $? -eq 0
check "both instances ok, bare@b with its settings and bare with none" jq -e '
	[.backends[] | {(.name): .}] | add
	| .bare.status == "ok" and .bare.settings == {}
	  and .["bare@b"].status == "ok"
	  and .["bare@b"].settings == {"param.cpu.int.n": 8192}' "$T/ab.json"
check "the plan records the --set list" \
	jq -e '.meta.plan.set == ["bare@b.param.cpu.int.n=8192"]' "$T/ab.json"
check "bare@b ran n=8192 in every round, bare the workload's default" jq -e '
	[.measurements[] | select(.bench == "cpu.int")] as $m
	| ($m | length) == 4 and all($m[]; .status == "ok")
	  and all($m[] | select(.backend == "bare@b"); .params.n == 8192)
	  and all($m[] | select(.backend == "bare"); .params == null)' "$T/ab.json"

echo "--set refused at parse time"
for bad in "bare@c.param.cpu.int.n=8192" "bare@b.qemu=/bin/true" "bare@b.param.cpu.int.n=1" \
	"bare@b.nosuch=1"; do
	set +e
	"$VBENCH" run --backend bare,bare@b --set "$bad" --bench cpu.int --quick \
		-o "$T/bad.json" >/dev/null 2>"$T/err"
	rc=$?
	set -e
	check "--set $bad: exit 2 with the setting named" \
		sh -c "test $rc -eq 2 && grep -qF -- '$bad' '$T/err' && test ! -e '$T/bad.json'"
done
check "nothing left behind" nothing_left
finish
