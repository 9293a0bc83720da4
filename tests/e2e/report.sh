# End-to-end: `vbench report` and `vbench compare` on the result files in
# tests/data: the HTML, the Markdown, every chart (PNG and SVG), rendering
# in headless Chromium (a screenshot), and exit 2 on bad result files.
. "$(dirname "$0")/lib.sh"
DATA=tests/data
R="$T/report"
set +e

echo "report from recorded results, side by side"
"$VBENCH" report "$DATA/run-v1.json" "$DATA/run-lab-v1.json" -o "$R" >"$T/out" 2>"$T/err"
check "report exits 0" test $? -eq 0
check "index.html and report.md written" test -s "$R/index.html" -a -s "$R/report.md"
missing=""
for chart in overhead-cpu overhead-mem overhead-io exits traps lifecycle \
	latency-io.randread latency-io.seqread; do
	for ext in dat gp png svg; do
		[ -s "$R/$chart.$ext" ] || missing="$missing $chart.$ext"
	done
done
check "every chart has data, script, PNG and SVG${missing:+ (missing:$missing)}" test -z "$missing"
missing=""
for gp in "$R"/*.gp; do
	[ -s "${gp%.gp}.png" ] && [ -s "${gp%.gp}.svg" ] || missing="$missing $gp"
done
check "every script written has its images" test -z "$missing"
check "the PNGs are PNGs" sh -c "head -c 4 '$R/overhead-cpu.png' | grep -q PNG"
check "self-contained: no script, stylesheet link or remote source" \
	sh -c "! grep -Eq '<script|<link|src=\"https?:|src=\"[^d]' '$R/index.html'"
check "charts embedded as data: URIs" grep -q 'data:image/svg+xml;base64,' "$R/index.html"
missing=""
for s in "Findings" "Contents" "Environment" "Overhead vs bare" "VM exits by reason" \
	"Absolute results" "I/O: latency per request" "I/O: device accesses per request" \
	"TLB and page walks" "Lifecycle: start" "Lifecycle: memory and density" \
	"Isolation: noisy neighbours" "Full vs para-virtualization" \
	"Textbook claims, tested" "For coursework" "Glossary"; do
	grep -q "^## $s" "$R/report.md" && grep -q "<h2[^>]*>$s</h2>" "$R/index.html" ||
		missing="$missing '$s'"
done
check "every section in both formats${missing:+ (missing:$missing)}" test -z "$missing"
check "significant cells coloured" grep -q 'class="slower"' "$R/index.html"
check "absent data says why" grep -q 'not measured: type1 unavailable: no /dev/kvm' "$R/report.md"

echo "rendering"
# Measured in the page, in headless Chromium at a 1280 px wide window: a
# copy of index.html with this script, whose findings --dump-dom returns
# in <pre id="probe">, a line each: FAIL ..., or a chart's smallest text.
cat >"$T/probe.js" <<'EOF'
<script>
window.addEventListener('load', function () {
	var out = [], page = document.documentElement.clientWidth, charts = 0, wide = 0;
	function fail(s) { out.push('FAIL ' + s); }
	/* any scheme but data:, or a protocol-relative //host */
	function remote(v) { return /^\s*(\/\/|[a-z][a-z0-9+.-]*:)/i.test(v) && !/^\s*data:/i.test(v); }
	document.querySelectorAll('[src], [href]').forEach(function (e) {
		['src', 'href'].forEach(function (a) {
			var v = e.getAttribute(a);
			if (v !== null && remote(v))
				fail('external URL: <' + e.tagName + ' ' + a + '="' + v.slice(0, 60) + '">');
		});
	});
	document.querySelectorAll('img').forEach(function (e) {
		if (!/^data:/.test(e.getAttribute('src') || ''))
			fail('image not a data: URI: ' + (e.getAttribute('src') || '').slice(0, 60));
	});
	if (document.documentElement.scrollWidth > page)
		fail('page wider than the window: ' + document.documentElement.scrollWidth + ' > ' +
		     page + ' px');
	document.body.querySelectorAll('*').forEach(function (e) {
		var r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > page + 0.5 && wide++ < 5)
			fail('wider than the page: <' + e.tagName + '> ends at ' + Math.round(r.right) +
			     ' > ' + page + ' px: ' +
			     (e.textContent || e.getAttribute('alt') || '').trim().slice(0, 50));
	});
	/* gnuplot puts font-size on <g> or <text>: the nearest one up from a text counts */
	function size(t) {
		for (var e = t; e && e.getAttribute; e = e.parentNode) {
			var s = e.getAttribute('font-size') ||
				(/font-size:\s*([0-9.]+)/.exec(e.getAttribute('style') || '') || [])[1];
			if (s) return parseFloat(s);
		}
		return 16; /* SVG's default */
	}
	document.querySelectorAll('img').forEach(function (img) {
		var m = /^data:image\/svg\+xml;base64,(.*)$/.exec(img.getAttribute('src') || '');
		if (!m) return;
		var svg = new DOMParser().parseFromString(atob(m[1]), 'image/svg+xml').documentElement;
		var vb = (svg.getAttribute('viewBox') || '').trim().split(/[\s,]+/);
		var w = vb.length === 4 ? parseFloat(vb[2]) : parseFloat(svg.getAttribute('width'));
		var shown = img.clientWidth, min = Infinity, px; /* without its border */
		var name = (img.getAttribute('alt') || '?').slice(0, 50);
		charts++;
		svg.querySelectorAll('text, tspan').forEach(function (t) {
			if (t.textContent.trim()) min = Math.min(min, size(t));
		});
		px = min * shown / w;
		if (!(px >= 11))
			fail('chart "' + name + '": text ' + px.toFixed(1) + ' px in the page (' + min +
			     ' in an SVG ' + w + ' px wide, shown ' + Math.round(shown) + ' px wide)');
		out.push('chart "' + name + '": ' + w + ' px wide, smallest text ' + px.toFixed(1) +
			 ' px');
	});
	out.push('PROBE DONE: ' + charts + ' charts');
	var pre = document.createElement('pre');
	pre.id = 'probe';
	pre.textContent = '\n' + out.join('\n') + '\n';
	document.body.appendChild(pre);
});
</script>
EOF
# probe DIR NAME: the report in DIR measured in Chromium, its lines in $T/probe-NAME.
probe() {
	awk -v js="$T/probe.js" '/<\/body>/ { while ((getline l < js) > 0) print l } { print }' \
		"$1/index.html" >"$T/probe-$2.html"
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$PROFILE" --window-size=1280,2400 \
		--dump-dom "file://$T/probe-$2.html" 2>>"$T/chromium.log" |
		sed -n '/<pre id="probe">/,/<\/pre>/p' >"$T/probe-$2"
	sed -n 's/^FAIL /    /p' "$T/probe-$2" | sed 's/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g'
	check "$2: measured in Chromium" grep -q '^PROBE DONE: [1-9][0-9]* charts' "$T/probe-$2"
	check "$2: no external URL, every image a data: URI" \
		sh -c "! grep -Eq '^FAIL (external|image)' '$T/probe-$2'"
	check "$2: nothing wider than the page" sh -c "! grep -q '^FAIL .*wider' '$T/probe-$2'"
	check "$2: every chart's text at least 11 px in the page" \
		sh -c "! grep -q '^FAIL chart' '$T/probe-$2'"
	missing=""
	for f in $(grep -o 'href="[^"#][^"]*"' "$1/index.html" | sed 's/^href="//; s/"$//'); do
		[ -f "$1/$f" ] || missing="$missing $f"
	done
	check "$2: every link an #anchor or a file of the report${missing:+ (missing:$missing)}" \
		test -z "$missing"
}
CHROMIUM=$(command -v chromium || command -v chromium-browser)
if [ -z "$CHROMIUM" ]; then
	echo "  skip: chromium is not installed (scripts/install-deps adds it)"
else
	PROFILE="$T/chromium-profile"
	SHOT=${VBENCH_SCREENSHOT:-$T/screenshot.png}
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$PROFILE" --window-size=1280,2400 \
		--screenshot="$SHOT" "file://$(cd "$R" && pwd)/index.html" >"$T/chromium.log" 2>&1
	check "chromium took a screenshot" test -s "$SHOT"
	# A blank page compresses to a few kB; the rendered report is far larger.
	check "the screenshot is not blank" test "$(wc -c <"$SHOT")" -gt 50000
	probe "$R" side-by-side
	"$VBENCH" report "$DATA/real-tcg-quick-v1.json" -o "$T/render-tcg" >/dev/null 2>&1
	probe "$T/render-tcg" real-tcg-quick
fi

echo "a fleet's worth of files"
# a fleet's report has a file per host: 20 here, past the old limit of 16
set --
for i in $(seq 1 20); do set -- "$@" "$DATA/real-bare-a-v1.json"; done
"$VBENCH" report "$@" -o "$T/fleet" >/dev/null 2>"$T/err"
check "20 result files make a report (exit 0)" test $? -eq 0
check "... whose tables name R20" grep -q 'R20 ' "$T/fleet/report.md"
check "... and whose Environment table says it holds the first 9" \
	grep -q 'Only the first 9 runs fit in this table' "$T/fleet/report.md"

echo "bad result files"
printf '{"schema": "vbench-results", "version": 2}' >"$T/v2.json"
printf '{"schema": "vbench-results", "version": 1, "backends": [' >"$T/broken.json"
printf '{"schema": "something-else", "version": 1}' >"$T/other.json"
for bad in v2 broken other; do
	"$VBENCH" report "$T/$bad.json" -o "$T/bad" >/dev/null 2>"$T/err"; rc=$?
	check "report on $bad.json exits 2" test $rc -eq 2
	check "... with one line naming the file" \
		sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -q '$bad.json' '$T/err'"
	"$VBENCH" compare "$DATA/run-v1.json" "$T/$bad.json" >/dev/null 2>&1; rc=$?
	check "compare with $bad.json exits 2" test $rc -eq 2
done
check "wrong version named in the error" sh -c \
	"'$VBENCH' report '$T/v2.json' -o '$T/bad' 2>&1 | grep -q 'version 2'"
"$VBENCH" report -o "$T/bad" >/dev/null 2>&1; rc=$?
check "report without a file exits 2" test $rc -eq 2

echo "gnuplot missing"
VBENCH_GNUPLOT=/nonexistent/gnuplot "$VBENCH" report "$DATA/run-v1.json" -o "$T/ng" \
	>/dev/null 2>"$T/err"; rc=$?
check "exits 1" test $rc -eq 1
check "... saying gnuplot is needed" grep -q 'gnuplot is needed' "$T/err"

echo "compare"
"$VBENCH" compare --junit "$T/j.xml" --github-benchmark "$T/gh.json" \
	"$DATA/run-v1.json" "$DATA/run-v1.json" >"$T/cmp" 2>/dev/null; rc=$?
check "a file against itself: exit 0" test $rc -eq 0
check "... and 'no regression'" grep -q 'result: no regression' "$T/cmp"
check "JUnit XML written" grep -q '<testsuite name="vbench-compare"' "$T/j.xml"
check "github-action-benchmark JSON written" grep -q '"name": "type2/cpu.int"' "$T/gh.json"
check "higher-is-better workloads in their own file" grep -q 'mem.stream' "$T/gh-bigger.json"
# Two real default runs of bare on this host (tests/data/real-bare-*): their
# medians differ by 19-48% (the host is shared), and samples are not
# independent within a round; a sample-level test would call all four
# workloads regressed. The round-level test must not.
"$VBENCH" compare "$DATA/real-bare-a-v1.json" "$DATA/real-bare-b-v1.json" >"$T/cmp" 2>&1
check "recorded A/A pair from this host: no regression" test $? -eq 0
"$VBENCH" report "$DATA/real-bare-a-v1.json" "$DATA/real-bare-b-v1.json" -o "$T/real" \
	>/dev/null 2>&1
check "report from real bare-only runs" grep -q 'Nothing to compare: only bare ran' \
	"$T/real/report.md"
"$VBENCH" report "$DATA/real-tcg-quick-v1.json" -o "$T/tcg" >/dev/null 2>&1
check "report from a real TCG run: overhead charts" \
	test -s "$T/tcg/overhead-cpu.png" -a -s "$T/tcg/overhead-io.svg"
check "... TCG guests have no VM exits, said so" grep -q 'type2: runs under TCG' "$T/tcg/report.md"
check "... claim 5 judged from TCG's counters" grep -q 'translation blocks.*| holds |' "$T/tcg/report.md"
# Two files of different vbench versions: cpu.int in ns/op vs us/op, io.randread
# lower-is-better us/op vs higher-is-better ops/s, mem.tlb over other pages.
"$VBENCH" compare --github-benchmark "$T/gh2.json" "$DATA/run-v1.json" \
	"$DATA/real-tcg-quick-v1.json" >"$T/cmp" 2>/dev/null; rc=$?
check "different metrics: exit 1" test $rc -eq 1
check "... refused, saying what differs" grep -q 'INCOMPARABLE (unit ns/op vs us/op' "$T/cmp"
check "... no github value for them" sh -c "! grep -q 'cpu.int' '$T/gh2.json'"
check "... a backend gone from NEW summed up in one line" \
	grep -q '^container: 6 of 6 workloads missing in NEW: ' "$T/cmp"
"$VBENCH" compare --min-effect 200% "$DATA/run-v1.json" "$DATA/run-v1.json" >/dev/null 2>&1
check "bad --min-effect exits 2" test $? -eq 2
finish
