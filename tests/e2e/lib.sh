# Shared helpers for the end-to-end tests (sourced, POSIX sh).
# BUILD is the build dir (set by make e2e). Each test runs in its own temp dir.
set -eu
: "${BUILD:?run through make e2e}"
VBENCH="$BUILD/vbench"
export VBENCH_AGENT="$BUILD/vbench-agent"
T=$(mktemp -d /var/tmp/vbench-e2e-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "  ok   $*"; }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }
check() { # check "description" command...
	d=$1; shift
	if "$@" >/dev/null; then ok "$d"; else bad "$d"; fi
}
skip_all() { echo "  skip: $*"; echo "0 passed, 0 failed, 1 skipped"; exit 0; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
# No vbench cgroup, work dir or agent process may outlive a run.
nothing_left() {
	! ls -d /sys/fs/cgroup/unified/vbench-* /sys/fs/cgroup/vbench-* 2>/dev/null | grep -q . &&
		! ls -d /var/tmp/vbench-??????/*.img 2>/dev/null | grep -q . &&
		! pgrep -f "vbench-agent --role" >/dev/null
}
