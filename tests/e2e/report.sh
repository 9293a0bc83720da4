#!/bin/sh
# End-to-end: `vbench report` and `vbench compare` on the result files in
# tests/data. Checks the HTML, the Markdown, every chart (PNG and SVG), the
# rendering in headless Chromium (a screenshot), and exit 2 on bad input.
set -eu
BUILD=${BUILD:-build}
VB="$BUILD/vbench"
DATA=tests/data
OUT=$(mktemp -d /tmp/vbench-report-e2e.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. A report from the recorded result and the lab run side by side.
"$VB" report "$DATA/run-v1.json" "$DATA/run-lab-v1.json" -o "$OUT/r" >/dev/null ||
	fail "report exited $?"
for f in index.html report.md; do
	[ -s "$OUT/r/$f" ] || fail "$f missing or empty"
done
for chart in overhead exits traps lifecycle latency-io.randread latency-io.seqread; do
	for ext in dat gp png svg; do
		[ -s "$OUT/r/$chart.$ext" ] || fail "$chart.$ext missing or empty"
	done
done
# Every script written has its two images.
for gp in "$OUT"/r/*.gp; do
	base=${gp%.gp}
	[ -s "$base.png" ] && [ -s "$base.svg" ] || fail "no images for $gp"
done
head -c 8 "$OUT/r/overhead.png" | od -An -c | grep -q 'P   N   G' || fail "overhead.png is not a PNG"
# Self-contained: no external fetches (scripts, styles, remote images).
if grep -Eq '<script|<link|src="https?:|src="[^d]' "$OUT/r/index.html"; then
	fail "index.html refers to something outside itself"
fi
grep -q 'data:image/svg+xml;base64,' "$OUT/r/index.html" || fail "charts not embedded"
for s in "Environment" "Overhead vs bare" "VM exits by reason" \
	"Trapped device accesses per I/O request" "I/O latency" "TLB and page walks" \
	"Lifecycle" "Full vs para-virtualization" "Textbook claims, tested"; do
	grep -q "## $s" "$OUT/r/report.md" || fail "report.md lacks section '$s'"
	grep -q "<h2>$s</h2>" "$OUT/r/index.html" || fail "index.html lacks section '$s'"
done
# Cells coloured only where the CI excludes 1; absent data says why.
grep -q 'class="slower"' "$OUT/r/index.html" || fail "no coloured slowdown cell"
grep -q 'unsupported: ioperm' "$OUT/r/report.md" || fail "unsupported workload not explained"
grep -q 'not measured: type1 unavailable: no /dev/kvm' "$OUT/r/report.md" ||
	fail "missing type1 not explained"

# 2. It renders: a screenshot from headless Chromium.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "SKIP: chromium not installed: no rendering check (scripts/install-deps adds it)"
else
	PROFILE=$(mktemp -d /tmp/vbench-chromium.XXXXXX)
	SHOT=${VBENCH_SCREENSHOT:-$OUT/screenshot.png}
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$PROFILE" --window-size=1280,2400 \
		--screenshot="$SHOT" "file://$OUT/r/index.html" >/dev/null 2>&1 || true
	rm -rf "$PROFILE"
	[ -s "$SHOT" ] || fail "chromium took no screenshot"
	# A blank page compresses to almost nothing; a rendered report does not.
	[ "$(wc -c <"$SHOT")" -gt 50000 ] || fail "screenshot looks blank ($(wc -c <"$SHOT") bytes)"
fi

# 3. Bad input: exit 2 with a one-line error naming the file.
printf '{"schema": "vbench-results", "version": 2}' >"$OUT/v2.json"
printf '{"schema": "vbench-results", "version": 1, "backends": [' >"$OUT/broken.json"
printf '{"schema": "something-else", "version": 1}' >"$OUT/other.json"
for bad in v2 broken other; do
	rc=0
	"$VB" report "$OUT/$bad.json" -o "$OUT/bad" 2>"$OUT/err" >/dev/null || rc=$?
	[ "$rc" -eq 2 ] || fail "report on $bad.json exited $rc, not 2"
	[ "$(wc -l <"$OUT/err")" -eq 1 ] && grep -q "$bad.json" "$OUT/err" ||
		fail "report on $bad.json: error is not one line naming the file: $(cat "$OUT/err")"
	rc=0
	"$VB" compare "$DATA/run-v1.json" "$OUT/$bad.json" 2>"$OUT/err" >/dev/null || rc=$?
	[ "$rc" -eq 2 ] || fail "compare with $bad.json exited $rc, not 2"
done
grep -q "version 2" "$OUT/err" || true

# 4. gnuplot missing: a clear error, exit 1.
rc=0
VBENCH_GNUPLOT=/nonexistent/gnuplot "$VB" report "$DATA/run-v1.json" -o "$OUT/nognuplot" \
	2>"$OUT/err" >/dev/null || rc=$?
[ "$rc" -eq 1 ] && grep -q "gnuplot is needed" "$OUT/err" ||
	fail "missing gnuplot: exit $rc, $(cat "$OUT/err")"

# 5. compare: a file against itself has no regression; JUnit and the
#    github-action-benchmark files are written.
"$VB" compare --junit "$OUT/j.xml" --github-benchmark "$OUT/gh.json" \
	"$DATA/run-v1.json" "$DATA/run-v1.json" >"$OUT/cmp" || fail "A/A compare exited $?"
grep -q "result: no regression" "$OUT/cmp" || fail "A/A compare: $(cat "$OUT/cmp")"
grep -q '<testsuite name="vbench-compare"' "$OUT/j.xml" || fail "no JUnit suite"
grep -q '"name": "type2/cpu.int"' "$OUT/gh.json" || fail "no github-benchmark entries"
[ -s "$OUT/gh-bigger.json" ] || fail "no customBiggerIsBetter file for MB/s workloads"
echo "report e2e: ok"
