# End-to-end: the tests that need this host's facilities (the PMU, eBPF,
# QEMU, /dev/kvm, cgroups), kept out of the hermetic unit tests: tests/host/.
# Each says "skip" with its reason where the host lacks what it needs.
. "$(dirname "$0")/lib.sh"

echo "host tests (tests/host)"
# Check prints its own report; a failing test names itself there.
if "$BUILD/host-tests"; then ok "host-tests pass"; else bad "host-tests pass"; fi
check "nothing left behind" nothing_left
finish
