# Shared helpers for the end-to-end tests (sourced, POSIX sh).
# BUILD is the build dir (set by make e2e). Each test runs in its own temp dir.
set -eu
: "${BUILD:?run through make e2e}"
VBENCH="$BUILD/vbench"
export VBENCH_AGENT="$BUILD/vbench-agent"
T=$(mktemp -d /var/tmp/vbench-e2e-XXXXXX)
trap 'rm -rf "$T"' EXIT
# Runs keep their work dirs here, so "nothing left behind" looks at this
# test's runs only, even while other vbench runs share the machine.
export VBENCH_WORKDIR="$T/w"
mkdir -p "$VBENCH_WORKDIR" && chmod 1777 "$VBENCH_WORKDIR"
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
# A vbench-<pid>-<start> cgroup whose vbench is gone is a leftover; live ones are other runs.
nothing_left() {
	for g in /sys/fs/cgroup/unified/vbench-* /sys/fs/cgroup/vbench-* \
		/sys/fs/cgroup/*/vbench-*; do
		[ -d "$g" ] || continue
		g=${g##*/vbench-}
		kill -0 "${g%%-*}" 2>/dev/null || return 1
	done
	! ls "$VBENCH_WORKDIR" | grep -q . && ! pgrep -f "vbench-agent .*$T" >/dev/null
}
# "$@" becomes true within 10 s (a process takes a moment to go after SIGKILL,
# a container's runtime to delete it)
eventually() {
	n=0
	until "$@"; do
		n=$((n + 1)); [ $n -lt 50 ] || return 1
		sleep 0.2
	done
}
