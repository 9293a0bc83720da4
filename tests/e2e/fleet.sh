# End-to-end: a lab of three hosts driven by the Ansible role
# (contrib/ansible), for real: each host is a network namespace with a veth
# link to this one, its own hostname (a UTS namespace) and an sshd; ansible
# connects to them over SSH as it would to a lab's machines. They share this
# machine's files, so each gets its own prefix, results and temp directories.
# FLEET_KEEP=DIR keeps what the controller got (lab/) and the plays' output.
#
# Play A: no baselines yet. h1 installs from `make dist` (built there), h2 and
# h3 from the built tree; each runs a short plan; the report has a column per
# host and says they are one machine; each run becomes its host's baseline.
# Play B: h2 is made slower (its sshd, and so its vbench, in a cgroup with a
# 40% CPU quota) and h3's plan overrides a workload's parameter: the play
# fails naming h2 (REGRESSED) and h3 (INCOMPARABLE), against their baselines;
# h1, compared with its history instead (three copies of its first run), passes
# and its run joins that history. A host that cannot be reached, first in the
# inventory, fails, named, and does not stop the others.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

echo "fleet: the Ansible role against three namespace hosts"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, sshd)"
command -v ansible-playbook >/dev/null ||
	skip_all "no ansible-playbook (scripts/install-deps installs ansible-core)"
[ -x /usr/sbin/sshd ] || skip_all "no /usr/sbin/sshd (scripts/install-deps installs openssh-server)"

tag=vbt$$
HOSTS="1 2 3"
made_run_sshd=
throttle=
cleanup() {
	set +e
	# ansible's SSH connections persist a while (ControlPersist): ended here
	pkill -f "$T/ansible/cp" 2>/dev/null
	for i in $HOSTS; do
		# the sshd and its sessions: every process in the host's namespace
		pids=$(ip netns pids "$tag-h$i" 2>/dev/null)
		[ -z "$pids" ] || kill $pids 2>/dev/null
		ip netns del "$tag-h$i" 2>/dev/null
	done
	if [ -n "$throttle" ] && [ -d "$throttle" ]; then
		# what is still in it (sshd's sessions) goes back to the root group first
		for p in $(cat "$throttle/cgroup.procs" 2>/dev/null); do
			echo "$p" > "${throttle%/*}/cgroup.procs" 2>/dev/null
		done
		eventually rmdir "$throttle"
	fi
	[ -z "$made_run_sshd" ] || rmdir /run/sshd 2>/dev/null
	# FLEET_KEEP=DIR (a new directory) keeps the controller's lab files and the plays' output
	if [ -n "${FLEET_KEEP:-}" ] && mkdir "$FLEET_KEEP"; then
		cp -r "$T/lab" "$T"/*.out "$T"/*.yml "$FLEET_KEEP"/
	fi
	rm -rf "$T"
	set -e
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$tag-probe" 2>/dev/null || skip_all "ip netns add fails here"
ip netns del "$tag-probe"
# sshd's privilege separation directory; made (and removed) here if missing
if [ ! -d /run/sshd ]; then mkdir -m 0755 /run/sshd && made_run_sshd=1; fi

ssh-keygen -q -t ed25519 -N '' -C vbench-fleet-test -f "$T/id"
: > "$T/known_hosts"
for i in $HOSTS; do
	d=$T/h$i
	mkdir -p "$d/opt" "$d/results" "$d/tmp" "$d/async" "$d/w"
	ip netns add "$tag-h$i"
	ip link add "${tag}h${i}a" type veth peer name "${tag}h${i}b"
	ip link set "${tag}h${i}b" netns "$tag-h$i"
	ip addr add "10.197.$i.1/30" dev "${tag}h${i}a"
	ip link set "${tag}h${i}a" up
	ip netns exec "$tag-h$i" sh -c "ip addr add 10.197.$i.2/30 dev ${tag}h${i}b &&
		ip link set ${tag}h${i}b up && ip link set lo up"
	ssh-keygen -q -t ed25519 -N '' -C "vbt-h$i" -f "$d/hostkey"
	echo "10.197.$i.2 $(cut -d' ' -f1,2 "$d/hostkey.pub")" >> "$T/known_hosts"
	# StrictModes no: the key lives in this test's own 0700 directory, under
	# /var/tmp (world-writable, which StrictModes refuses on the path)
	cat > "$d/sshd_config" <<-EOF
	ListenAddress 10.197.$i.2
	HostKey $d/hostkey
	AuthorizedKeysFile $T/id.pub
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	PidFile $d/sshd.pid
	Subsystem sftp /usr/lib/openssh/sftp-server
	EOF
	# nsenter, not ip netns exec: that remounts /sys, hiding the cgroups
	nsenter --net="/run/netns/$tag-h$i" unshare --uts sh -c \
		"hostname vbt-h$i && exec /usr/sbin/sshd -D -e -f $d/sshd_config" \
		> "$d/sshd.log" 2>&1 &
	echo $! > "$d/sshd.pid"
done
listening() { grep -q 'Server listening' "$T/h$1/sshd.log"; }
for i in $HOSTS; do
	eventually listening "$i" || { cat "$T/h$i/sshd.log"; bad "sshd of h$i listens"; finish; }
done
ok "three hosts: network namespaces, veth links, sshd in each"

# An inventory as a lab writes one (README.md, "Running a lab"); $1, $3: a
# host variable of h1, of h3, beside their paths; $4: a host named "gone"
# first, with no SSH server behind its address.
inventory() {
	cat <<-EOF
	all:
	  vars:
	    vbench_src: $SRC
	    vbench_build: $BUILD
	    vbench_lab_dir: $T/lab
	    # runs minutes apart on a shared machine: only a clear change counts
	    vbench_compare_args: [--min-effect, 30%]
	  children:
	    vbench:
	      vars:
	        ansible_user: root
	        ansible_ssh_private_key_file: $T/id
	        ansible_ssh_common_args: >-
	          -o UserKnownHostsFile=$T/known_hosts -o GlobalKnownHostsFile=/dev/null
	          -o StrictHostKeyChecking=yes
	        ansible_python_interpreter: /usr/bin/python3
	        vbench_backends: [bare]
	        vbench_benches: [cpu.int, cpu.syscall, mem.stream]
	        vbench_quick: true
	        vbench_install_from: tree
	      hosts:
	EOF
	[ -z "${4:-}" ] || cat <<-EOF
	        gone:
	          ansible_host: 10.197.9.2
	          ansible_ssh_common_args: -o ConnectTimeout=3 -o UserKnownHostsFile=$T/known_hosts
	EOF
	for i in $HOSTS; do
		cat <<-EOF
		        h$i:
		          ansible_host: 10.197.$i.2
		          ansible_remote_tmp: $T/h$i/tmp
		          ansible_async_dir: $T/h$i/async
		          vbench_prefix: $T/h$i/opt
		          vbench_results_dir: $T/h$i/results
		          vbench_run_args: [--workdir, $T/h$i/w]
		EOF
		[ "$i" != 1 ] || echo "          vbench_install_from: dist"
		[ "$i" != 1 ] || [ -z "${1:-}" ] || echo "          $1"
		[ "$i" != 3 ] || [ -z "${3:-}" ] || echo "          $3"
	done
}
# The controller's ansible keeps its files in $T too.
export ANSIBLE_HOME="$T/ansible" ANSIBLE_LOCAL_TEMP="$T/ansible/tmp" \
	ANSIBLE_SSH_CONTROL_PATH_DIR="$T/ansible/cp" ANSIBLE_NOCOLOR=1 \
	ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_CONFIG="$T/ansible.cfg"
: > "$T/ansible.cfg"
play() { # play NAME [H1-VAR H3-VAR GONE]: its output in $T/NAME.out, its status in $T/NAME.rc
	inventory "${2:-}" "" "${3:-}" "${4:-}" > "$T/$1.yml"
	start=$(date +%s)
	set +e
	ansible-playbook -i "$T/$1.yml" "$SRC/contrib/ansible/vbench.yml" > "$T/$1.out" 2>&1
	echo $? > "$T/$1.rc"
	set -e
	echo "  play $1: exit $(cat "$T/$1.rc") in $(($(date +%s) - start)) s"
}
last_run() { ls -d "$T"/lab/runs/* | sort | tail -1; }
host_field() { jq -r ".meta.host.$2" "$(last_run)/results/h$1.json"; }

# --- play A: first run, baselines made -------------------------------------
play A
if [ "$(cat "$T/A.rc")" -ne 0 ]; then tail -60 "$T/A.out"; fi
check "play A passes" test "$(cat "$T/A.rc")" -eq 0
A=$(last_run)
for i in $HOSTS; do
	check "h$i: result fetched, from host vbt-h$i" test "$(host_field "$i" hostname)" = "vbt-h$i"
	check "h$i: its run became its baseline" cmp -s "$A/results/h$i.json" "$T/lab/baselines/h$i.json"
	check "h$i: its vbench names the controller's source tree" \
		sh -c "'$T/h$i/opt/bin/vbench' --version | grep -qF \"source tree \$('$SRC/scripts/source-id')\""
done
check "h1 built vbench from the make dist tarball" test -x "$T/h1/opt/src/$("$SRC/scripts/source-id")/vbench-0.1.0/build/vbench"
check "h2 installed the built tree (nothing built there)" test ! -d "$T/h2/opt/src/$("$SRC/scripts/source-id")/vbench-0.1.0"
mid=$(host_field 1 machine_id)
check "the result files record one machine id (one machine): $mid" \
	sh -c "[ '$mid' = '$(host_field 2 machine_id)' ] && [ '$mid' = '$(host_field 3 machine_id)' ] &&
		echo '$mid' | grep -Eq '^[0-9a-f]{32}$'"
md=$A/report/report.md
check "one report over all hosts" test -s "$A/report/index.html"
check "the report has a column per host" \
	grep -q '| workload | unit | R1 vbt-h1 bare | R2 vbt-h2 bare | R3 vbt-h3 bare |' "$md"
check "the report says the three files come from the same machine" grep -q "same machine" "$md"
check "no comparison on a first run" sh -c "! ls '$A/compare' | grep -q ."

# --- play B: h2 slower, h3 with a parameter override ------------------------
throttle=
for g in /sys/fs/cgroup/cpu /sys/fs/cgroup/cpu,cpuacct; do
	[ -f "$g/cpu.cfs_quota_us" ] && { throttle=$g/$tag-h2; break; }
done
if [ -n "$throttle" ]; then
	mkdir "$throttle"
	# 4 ms of each 10: every sample (20 ms at least) waits out its throttling
	echo 10000 > "$throttle/cpu.cfs_period_us"
	echo 4000 > "$throttle/cpu.cfs_quota_us"
	# sshd's sessions, and what they run, start in its group
	cat "$T/h2/sshd.pid" > "$throttle/cgroup.procs"
fi
mkdir -p "$T/lab/history/h1" "$T/h1/opt/src/0123456789ab/vbench-0.1.0"
for k in 1 2 3; do cp "$A/results/h1.json" "$T/lab/history/h1/$k.json"; done
play B 'vbench_compare: history' 'vbench_params: {cpu.int.n: 8192}' gone
B=$(last_run)
grep '^fatal: ' "$T/B.out" | cut -c1-400 | sed 's/^/  | /'
check "play B fails" test "$(cat "$T/B.rc")" -ne 0
check "the unreachable host fails, named, after the others ran" \
	grep -q 'gone: unreachable' "$T/B.out"
check "h1 passes (recap: failed=0)" sh -c "recap() { grep -E \"^h1 +:\" '$T/B.out'; }; recap | grep -q 'failed=0'"
check "h3 fails, named, as incomparable" grep -Eq 'h3: vbench compare failed.*INCOMPARABLE' "$T/B.out"
check "h3's verdict: cpu.int incomparable (params n 4096 vs 8192)" \
	sh -c "jq -e '.rows[] | select(.workload == \"cpu.int\") | .verdict == \"INCOMPARABLE\"' '$B/compare/h3.json' | grep -qx true"
if [ -n "$throttle" ]; then
	check "h2 fails, named, as regressed" grep -Eq 'h2: vbench compare failed.*REGRESSED' "$T/B.out"
	check "h2's verdicts: regressed rows" \
		sh -c "jq -e '[.rows[] | select(.verdict == \"REGRESSED\")] | length > 0' '$B/compare/h2.json' | grep -qx true"
	check "h2's cpu.int: over 1.5x slower" \
		sh -c "jq -e '.rows[] | select(.workload == \"cpu.int\") | .change > 0.5' '$B/compare/h2.json' | grep -qx true"
else
	echo "  skip: no cgroup v1 cpu controller to slow h2 with (vbench's own groups are v2)"
fi
check "h1's sources of an earlier install are gone" test ! -e "$T/h1/opt/src/0123456789ab"
check "h1's verdicts: no regression" sh -c "grep -q '^result: no regression' '$B/compare/h1.txt'"
check "h1 was compared with its history" grep -q 'history' "$B/compare/h1.txt"
check "h1's run joined its history" test -f "$T/lab/history/h1/$(basename "$B").json"
for i in $HOSTS; do
	check "h$i's verdicts as JUnit" grep -q '<testsuite' "$B/compare/h$i.junit.xml"
done
check "the second report has a column per host" \
	grep -q '| workload | unit | R1 vbt-h1 bare | R2 vbt-h2 bare | R3 vbt-h3 bare |' "$B/report/report.md"
check "the play printed its recap" grep -q 'PLAY RECAP' "$T/B.out"

# --- nothing left behind ------------------------------------------------------
cleanup
trap - EXIT
check "the namespaces are gone" sh -c "! ip netns list | grep -q '$tag'"
gone() { ! pgrep -f "$T/" >/dev/null; }
check "no sshd or SSH connection of the test is left" eventually gone
finish
