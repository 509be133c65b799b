# shellcheck shell=sh
# The failover test bed (issue 18): strategy hosts and a 3-member etcd cluster on one machine,
# each in a network namespace of its own on one private bridge, the faults to inject into them
# (each with its undo) and the analysis of the shared registry that the sample strategy
# (registry-strategy.c) writes. Sourced after lib.sh and checks.sh; a suite sets a trap on EXIT
# that runs fo_down.
#
# It addresses only what it creates: the namespaces qsfo-*, their veths (created inside them, so
# nothing is added to the machine's own network namespace), the containers qsfo-h1..3 in
# $CT_BASE, the cgroups /sys/fs/cgroup/*/qsfo-*, and $FO_WORK. Names are fixed so that fo_down
# also cleans up after an earlier run that was killed.
#
# Network (10.77.0.0/24 on bridge br0 in namespace qsfo-br; each other namespace has one veth,
# eth0, whose peer p-NAME is a port of br0):
#   etcd members e1 e2 e3    namespaces qsfo-e1..3   10.77.0.11..13   client :2379, peer :2380
#   strategy hosts h1 h2 h3  namespaces qsfo-h1..3   10.77.0.21..23   container qsfo-hN, hostname qsfo-hN
#
# Set-up and tear-down:
#   fo_up DEB [HOSTS]        fo_down first (leftovers), then the network, the etcd cluster (healthy),
#                            HOSTS (2 or 3, default 2) booted containers with DEB installed, the
#                            sample strategy and etcdctl in them, and the shared registry
#   fo_down                  tear everything down: containers, etcd, delay wires, namespaces (and
#                            their veths), cgroups, $FO_WORK; idempotent, also after a killed run
#   fo_leftovers             print what fo_down should have removed and is still there (empty: clean)
#   fo_enable H NAME [LINE...]  enable strategy NAME on host H (h1..h3) running the sample
#                            strategy, with the env.conf LINEs added (e.g. the failover keys);
#                            its unit may write /srv/registry (drop-in 50-registry.conf)
#
# Addresses and commands:
#   fo_addr NODE             the address of e1..e3 or h1..h3
#   fo_ns NODE               its network namespace (qsfo-NODE)
#   fo_ct H CMD...           run CMD inside host H's container (lib.sh's ct), killed after
#                            FO_CT_TIMEOUT s (default 120)
#   fo_endpoints [NODE...]   the etcd client URLs, comma separated (default e1 e2 e3)
#   fo_etcdctl NODE ARGS...  etcdctl (v3 API) run in NODE's namespace against every member
#   fo_etcd_healthy [TIMEOUT_S]  wait until every member answers `endpoint health` (default 30 s)
#   fo_etcd_quorum           true when the cluster takes a write (a put within 3 s, from e1's namespace)
#
# Faults (each with its undo; each can be repeated):
#   fo_kill_runner H NAME    kill -9 the unit's MainPID (the runner) in H; prints the killed PID
#   fo_power_off H           power loss: SIGKILL of H's PID 1 from the machine (the kernel kills its
#                            whole PID namespace, the strategy included); returns once it is gone;
#                            a paused host (fo_pause) too
#   fo_power_on H            boot H again (the same root, the same network namespace)
#   fo_partition H           drop every packet on H's link (to and from etcd and the other hosts),
#                            both ways, by nftables in H's namespace: silent loss, as a broken
#                            switch; H's established connections hang, they are not reset
#   fo_heal H                remove that table
#   fo_freeze H NAME [WHOM]  SIGSTOP the processes of quant-strategy@NAME in H: WHOM all (default:
#                            the runner and the strategy) or main (the runner only)
#   fo_thaw H NAME           SIGCONT them
#   fo_pause H               the whole host frozen (cgroup freezer: PID 1 and every process, as
#                            a paused VM): not state T; a signal sent to them waits for the resume
#   fo_resume H              thawed
#   fo_unit_pids H NAME      the PIDs (in H) of the unit's processes
#   fo_states H NAME         "PID STATE" of each (STATE from /proc/PID/stat: T when stopped)
#   fo_etcd_stop N [SIGNAL]  stop member eN (default TERM, waits up to 10 s, then KILL); two of
#                            them stopped = quorum lost
#   fo_etcd_start N          start member eN again with its data
#   fo_delay H MS            every frame on H's link delayed MS in each direction (so a round trip
#                            gains 2*MS): delay-wire.c, a userspace netem (why: its comment)
#   fo_undelay H             the link back to the bridge, no delay
#
# The registry (a directory of the machine bind-mounted as /srv/registry in every host):
#   fo_registry              its path on the machine; the sample strategy's lines are in its log
#   fo_registry_reset        empty the log (between trials)
#   fo_now_ns                CLOCK_REALTIME in ns, comparable with the log's times
#   failover_overlaps [LOG]  one line for each overlap (none: no output): two runs on different
#                            hosts alive at once by their lines, or an OVERLAP line (a copy found
#                            the lock held by a live copy; "the holder was frozen, or dying" when no
#                            other run wrote a line after it started: a paused host's strategy is
#                            alive, holds the lock, and writes nothing)
#   failover_margin [LOG]    one line for each change of host, in start order: "HANDOVER OLD_HOST
#                            OLD_PID OLD_EPOCH -> NEW_HOST NEW_PID NEW_EPOCH margin_ms=M
#                            old_end=stop|lost": M = new START - old's last sign of life (its STOP,
#                            or its last BEAT when it was killed: then M is at most 20 ms too large)
#   fo_takeover_ms SINCE_NS [NOT_HOST] [LOG]  "MS HOST": the first START at or after SINCE_NS
#                            (on a host other than NOT_HOST), MS after SINCE_NS; fails if none
#   fo_holder [LOG]          the host of the newest run that holds the lock and has not stopped
#   fo_wait TIMEOUT_S CMD... run CMD every 0.1 s until it succeeds (output dropped); fails after TIMEOUT_S
#   fo_main_pid H NAME       the unit's MainPID (the runner) in H
#   fo_percentiles FILE      "n=N p50=X p99=Y max=Z" of the numbers in FILE, one a line (nearest rank)

# Every process started here to outlive the call (etcd, the containers' nspawn, delay-wire) gets
# its descriptors 3-9 closed: it must not inherit a lock of the caller's, such as the flock on
# /tmp/heavy.lock that the suites run under, and hold it after the suite is gone.

FO_WORK=${FO_WORK:-/var/tmp/quant-supervision-failover}
FO_NET=10.77.0
FO_MEMBERS="e1 e2 e3"
FO_HOST_NAMES="h1 h2 h3"
FO_HERE=${FO_HERE:-$(cd "$(dirname "$0")" && pwd)}

fo_ns() {
    printf 'qsfo-%s\n' "$1"
}

fo_addr() {
    case "$1" in
        e[123]) printf '%s.1%s\n' "$FO_NET" "${1#e}" ;;
        h[123]) printf '%s.2%s\n' "$FO_NET" "${1#h}" ;;
        *) echo "fo_addr: no node $1" >&2; return 1 ;;
    esac
}

fo_ct_name() {
    printf 'qsfo-%s\n' "$1"
}

# Bounded: a command in a paused or wedged host would wait for ever (FO_CT_TIMEOUT, default 120 s).
fo_ct() {
    fo_ct_host=$1
    shift
    ct "$(fo_ct_name "$fo_ct_host")" timeout "${FO_CT_TIMEOUT:-120}" "$@"
}

fo_registry() {
    printf '%s/registry\n' "$FO_WORK"
}

fo_now_ns() {
    date +%s%N
}

# fo_wait TIMEOUT_S CMD...: run CMD every 0.1 s until it succeeds; fail after TIMEOUT_S.
fo_wait() {
    fo_wait_deadline=$(($(date +%s) + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$fo_wait_deadline" ] || return 1
        sleep 0.1
    done
}

# ---- network

fo_net_up() {
    ip netns add qsfo-br
    ip -n qsfo-br link set lo up
    ip -n qsfo-br link add br0 type bridge
    # No STP, no forwarding delay: a port forwards as soon as it is up (also a re-added one).
    ip -n qsfo-br link set br0 type bridge stp_state 0 forward_delay 0
    ip -n qsfo-br link set br0 up
    for fo_node in $FO_MEMBERS $FO_HOST_NAMES; do
        fo_node_ns=$(fo_ns "$fo_node")
        ip netns add "$fo_node_ns"
        ip -n "$fo_node_ns" link set lo up
        # Created inside the bridge's namespace with its peer moved straight into the node's: the
        # machine's own namespace never holds either end.
        ip -n qsfo-br link add "p-$fo_node" type veth peer name eth0 netns "$fo_node_ns"
        ip -n qsfo-br link set "p-$fo_node" master br0 up
        ip -n "$fo_node_ns" addr add "$(fo_addr "$fo_node")/24" dev eth0
        ip -n "$fo_node_ns" link set eth0 up
    done
    # IPv6 off everywhere: no link-local chatter, only the test's own traffic on the links.
    for fo_node_ns in qsfo-br $(for n in $FO_MEMBERS $FO_HOST_NAMES; do fo_ns "$n"; done); do
        ip netns exec "$fo_node_ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
}

# ---- etcd (the machine's etcd 3.4 binary, plain HTTP, data in $FO_WORK/etcd/eN)

fo_endpoints() {
    # shellcheck disable=SC2086 # a list of names
    [ "$#" -gt 0 ] || set -- $FO_MEMBERS
    fo_endpoints_list=
    for fo_m in "$@"; do
        fo_endpoints_list=${fo_endpoints_list:+$fo_endpoints_list,}http://$(fo_addr "$fo_m"):2379
    done
    printf '%s\n' "$fo_endpoints_list"
}

fo_etcdctl() {
    fo_etcdctl_node=$1
    shift
    ETCDCTL_API=3 ip netns exec "$(fo_ns "$fo_etcdctl_node")" \
        etcdctl --endpoints="$(fo_endpoints)" --dial-timeout=2s --command-timeout=3s "$@"
}

fo_etcd_start() {
    fo_m=e$1
    fo_cluster=
    for fo_peer in $FO_MEMBERS; do
        fo_cluster=${fo_cluster:+$fo_cluster,}$fo_peer=http://$(fo_addr "$fo_peer"):2380
    done
    mkdir -p "$FO_WORK/etcd"
    # The initial-cluster flags count only at the first start; later starts read the data dir.
    ip netns exec "$(fo_ns "$fo_m")" etcd --name "$fo_m" --data-dir "$FO_WORK/etcd/$fo_m" \
        --listen-peer-urls "http://$(fo_addr "$fo_m"):2380" \
        --initial-advertise-peer-urls "http://$(fo_addr "$fo_m"):2380" \
        --listen-client-urls "http://$(fo_addr "$fo_m"):2379" \
        --advertise-client-urls "http://$(fo_addr "$fo_m"):2379" \
        --initial-cluster "$fo_cluster" --initial-cluster-token qsfo --initial-cluster-state new \
        </dev/null >>"$FO_WORK/etcd/$fo_m.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    echo $! >"$FO_WORK/etcd/$fo_m.pid"
}

fo_etcd_stop() {
    fo_pidfile=$FO_WORK/etcd/e$1.pid
    [ -f "$fo_pidfile" ] || return 0
    fo_pid=$(cat "$fo_pidfile")
    kill -"${2:-TERM}" "$fo_pid" 2>/dev/null || true
    if ! fo_wait 10 fo_gone "$fo_pid"; then
        kill -KILL "$fo_pid" 2>/dev/null || true
        fo_wait 5 fo_gone "$fo_pid" || { echo "etcd member e$1 (pid $fo_pid) does not die" >&2; return 1; }
    fi
    rm -f "$fo_pidfile"
}

# fo_gone PID: PID is not a live process (a zombie counts as gone: it waits for our shell).
fo_gone() {
    [ ! -e "/proc/$1" ] || [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" = Z ]
}

fo_etcd_healthy() {
    fo_wait "${1:-30}" fo_etcdctl e1 endpoint health
}

fo_etcd_quorum() {
    fo_etcdctl e1 put qsfo-quorum-probe "$(date +%s%N)" >/dev/null 2>&1
}

# ---- containers

# fo_cgroups NAME: NAME's cgroup in each hierarchy it is made in: v1's name=systemd and freezer
# and the unified one of a hybrid machine (this one), or the one of a cgroup2 machine.
fo_cgroups() {
    for fo_hier in /sys/fs/cgroup/systemd /sys/fs/cgroup/freezer /sys/fs/cgroup/unified /sys/fs/cgroup; do
        [ -f "$fo_hier/cgroup.procs" ] && printf '%s/%s\n' "$fo_hier" "$1"
    done
}

# fo_cgroup_remove NAME: remove NAME's cgroups (and what nspawn made below them), empty ones only.
fo_cgroup_remove() {
    for fo_cg in $(fo_cgroups "$1"); do
        if [ -d "$fo_cg" ]; then
            find "$fo_cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
        fi
    done
}

# fo_boot H: boot host H's container in its own network namespace, with the registry. Like lib.sh's
# ct_boot (the reboot loop, the same "-M NAME" last so that ct_pid finds it), and from a cgroup of
# its own: nspawn without a host systemd makes /payload and /supervisor below its current cgroup,
# which would collide between containers (platform.md).
fo_boot() {
    fo_name=$(fo_ct_name "$1")
    fo_root=$(ct_root "$fo_name")
    fo_cgroup_remove "$fo_name"
    fo_cg_list=
    for fo_cg in $(fo_cgroups "$fo_name"); do
        mkdir -p "$fo_cg"
        fo_cg_list="$fo_cg_list $fo_cg"
    done
    # shellcheck disable=SC2016 # the loop's own script
    sh -c 'for cg in $0; do echo $$ >"$cg/cgroup.procs"; done
        while :; do
            rc=0
            systemd-nspawn "$@" </dev/null || rc=$?
            [ "$rc" -eq 133 ] || break
        done' "$fo_cg_list" -q -D "$fo_root" -b --register=no --keep-unit \
        --network-namespace-path="/run/netns/$(fo_ns "$1")" \
        --bind="$(fo_registry):/srv/registry" -M "$fo_name" \
        >>"$fo_root.console" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    echo $! >"$fo_root.loop"
    fo_wait_running "$1"
}

# fo_wait_running H: H's systemd is up and its boot done (running or degraded), within 60 s. Not
# lib.sh's ct_wait_running: each question here is bounded, so that a host that hangs in its boot
# fails the wait instead of holding it for ever.
fo_wait_running() {
    fo_wait 30 fo_has_pid1 "$1" || { echo "host $1 did not boot; console:" >&2; tail -n 30 "$(ct_root "$(fo_ct_name "$1")").console" >&2; return 1; }
    fo_wait 60 fo_booted "$1" || { echo "host $1 did not finish booting" >&2; return 1; }
}

fo_has_pid1() {
    [ -n "$(ct_pid "$(fo_ct_name "$1")")" ]
}

fo_booted() {
    case "$(FO_CT_TIMEOUT=5 fo_ct "$1" systemctl is-system-running --wait 2>/dev/null)" in
        running|degraded) return 0 ;;
    esac
    return 1
}

fo_power_off() {
    fo_name=$(fo_ct_name "$1")
    fo_pid1=$(ct_pid "$fo_name")
    [ -n "$fo_pid1" ] || { echo "host $1 is not running" >&2; return 1; }
    kill -KILL "$fo_pid1"
    # A paused host dies too: under cgroup v1's freezer the kill lands at the thaw, before any of
    # its code runs again.
    fo_resume "$1" >/dev/null 2>&1 || true
    fo_wait 20 fo_power_is_off "$fo_name" || { echo "host $1 is still there after SIGKILL of its PID 1" >&2; return 1; }
}

fo_power_is_off() {
    [ -z "$(ct_pid "$1")" ] && ! pgrep -f "^systemd-nspawn .* -M $1\$" >/dev/null
}

fo_power_on() {
    fo_boot "$1"
}

# fo_host_create DEB H: host H's root from the cached rootfs, with its own machine-id, the sample
# strategy and etcdctl; booted; DEB installed.
fo_host_create() {
    fo_name=$(fo_ct_name "$2")
    ct_create "$fo_name" "$FO_ROOTFS"
    fo_root=$(ct_root "$fo_name")
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$fo_root/etc/machine-id"
    echo >>"$fo_root/etc/machine-id"
    # The runner's identity. nspawn's -M is only the default: the container's systemd sets the
    # hostname from /etc/hostname, which the cached rootfs has from the machine that built it.
    echo "$fo_name" >"$fo_root/etc/hostname"
    cp "$1" "$fo_root/root/pkg.deb"
    install -m 0755 "$FO_WORK/bin/registry-strategy" "$fo_root/usr/local/bin/registry-strategy"
    install -m 0755 "$(command -v etcdctl)" "$fo_root/usr/local/bin/etcdctl"
    install -m 0755 "$FO_HERE/guest" "$fo_root/usr/local/sbin/qs-guest"
    mkdir -p "$fo_root/srv/registry"
    fo_boot "$2"
    fo_ct "$2" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/pkg.deb >>"$FO_WORK/install-$2.log" 2>&1
}

fo_build() {
    mkdir -p "$FO_WORK/bin"
    cc -O2 -Wall -Wextra -Werror -static -o "$FO_WORK/bin/registry-strategy" "$FO_HERE/registry-strategy.c"
    cc -O2 -Wall -Wextra -Werror -static -o "$FO_WORK/bin/delay-wire" "$FO_HERE/delay-wire.c"
}

fo_up() {
    fo_down
    FO_HOSTS=${2:-2}
    case "$FO_HOSTS" in
        2) FO_HOST_NAMES="h1 h2" ;;
        3) FO_HOST_NAMES="h1 h2 h3" ;;
        *) echo "fo_up: 2 or 3 hosts, not $FO_HOSTS" >&2; return 1 ;;
    esac
    mkdir -p "$FO_WORK"
    fo_build
    FO_ROOTFS=$("$FO_HERE/rootfs" bookworm)
    # The registry: every host's strategies append to one log and flock one lock file. World
    # writable (not sticky, so the files of one host's account are no obstacle to another's), the
    # files made in advance: the strategy's UMask=0027 would keep them from the other hosts.
    mkdir -p "$(fo_registry)"
    chmod 0777 "$(fo_registry)"
    : >"$(fo_registry)/log"
    : >"$(fo_registry)/lock"
    chmod 0666 "$(fo_registry)/log" "$(fo_registry)/lock"
    fo_net_up
    for fo_m in $FO_MEMBERS; do
        fo_etcd_start "${fo_m#e}"
    done
    fo_etcd_healthy 60 || { echo "the etcd cluster did not become healthy" >&2; tail -n 20 "$FO_WORK"/etcd/*.log >&2; return 1; }
    for fo_h in $FO_HOST_NAMES; do
        fo_host_create "$1" "$fo_h"
    done
}

fo_enable() {
    fo_h=$1
    fo_sname=$2
    shift 2
    fo_root=$(ct_root "$(fo_ct_name "$fo_h")")
    mkdir -p "$fo_root/etc/strategies/$fo_sname" "$fo_root/opt/strategies/$fo_sname" \
        "$fo_root/etc/systemd/system/quant-strategy@$fo_sname.service.d"
    {
        echo "# the failover harness's sample strategy (tests/container/registry-strategy.c)"
        echo "STRATEGY_COMMAND=/usr/local/bin/registry-strategy /srv/registry"
        echo "START_GRACE=200ms"
        echo "STOP_TIMEOUT=5s"
        for fo_line in "$@"; do
            printf '%s\n' "$fo_line"
        done
    } >"$fo_root/etc/strategies/$fo_sname/env.conf"
    # The unit's sandbox (ProtectSystem=strict) keeps /srv read-only: the registry is the test's.
    printf '[Service]\nReadWritePaths=/srv/registry\n' \
        >"$fo_root/etc/systemd/system/quant-strategy@$fo_sname.service.d/50-registry.conf"
    fo_ct "$fo_h" systemctl daemon-reload
    fo_ct "$fo_h" timeout 120 quant-supervision enable "$fo_sname"
}

# ---- faults

fo_main_pid() {
    fo_ct "$1" systemctl show -p MainPID --value "quant-strategy@$2.service"
}

fo_kill_runner() {
    fo_pid=$(fo_main_pid "$1" "$2")
    if [ -z "$fo_pid" ] || [ "$fo_pid" -eq 0 ]; then
        echo "no runner for $2 on $1" >&2
        return 1
    fi
    fo_ct "$1" kill -KILL "$fo_pid"
    echo "$fo_pid"
}

fo_unit_pids() {
    # shellcheck disable=SC2016 # run in the container
    fo_ct "$1" sh -c 'cg=$(systemctl show -p ControlGroup --value "quant-strategy@$1.service")
        [ -n "$cg" ] || exit 0
        for h in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do
            [ -f "$h$cg/cgroup.procs" ] && { cat "$h$cg/cgroup.procs"; exit 0; }
        done' sh "$2"
}

fo_states() {
    for fo_pid in $(fo_unit_pids "$1" "$2"); do
        # shellcheck disable=SC2016 # run in the container
        fo_ct "$1" sh -c '[ -r /proc/$1/stat ] && printf "%s %s\n" "$1" "$(sed "s/.*) //" /proc/$1/stat | cut -c1)"' sh "$fo_pid" || true
    done
}

fo_freeze() {
    fo_ct "$1" systemctl kill --kill-whom="${3:-all}" --signal=SIGSTOP "quant-strategy@$2.service"
}

fo_thaw() {
    fo_ct "$1" systemctl kill --kill-whom=all --signal=SIGCONT "quant-strategy@$2.service"
}

# fo_pause H / fo_resume H: the whole host frozen by its cgroup's freezer, its systemd too (as a VM
# paused, or a machine stalled): no process of it runs, none sees a signal; its sockets stay open.
fo_pause() {
    fo_freezer "$1" FROZEN 1
}

fo_resume() {
    fo_freezer "$1" THAWED 0
}

fo_freezer() {
    for fo_cg in $(fo_cgroups "$(fo_ct_name "$1")"); do
        if [ -f "$fo_cg/freezer.state" ]; then
            echo "$2" >"$fo_cg/freezer.state"
            fo_wait 10 grep -qx "$2" "$fo_cg/freezer.state" || { echo "freezer of $1: $(cat "$fo_cg/freezer.state"), not $2" >&2; return 1; }
            return 0
        elif [ -f "$fo_cg/cgroup.freeze" ]; then
            echo "$3" >"$fo_cg/cgroup.freeze"
            fo_wait 10 grep -q "^frozen $3\$" "$fo_cg/cgroup.events" || { echo "cgroup.freeze of $1 did not take" >&2; return 1; }
            return 0
        fi
    done
    echo "no freezer for $1" >&2
    return 1
}

fo_partition() {
    # eth0 is the namespace's only link: everything but loopback. Ahead of conntrack (-300).
    ip netns exec "$(fo_ns "$1")" nft -f - <<'NFT'
table inet qsfo_partition {
    chain input { type filter hook input priority -300; policy accept; iifname "eth0" drop; }
    chain output { type filter hook output priority -300; policy accept; oifname "eth0" drop; }
}
NFT
}

fo_heal() {
    ip netns exec "$(fo_ns "$1")" nft delete table inet qsfo_partition
}

# fo_delay H MS: put delay-wire between H's veth end (p-H) and the bridge: p-H leaves br0, the
# wire's tap t-H joins it. The offloads of both veth ends go off so that frames are whole.
fo_delay() {
    fo_undelay "$1"
    ip netns exec "$(fo_ns "$1")" "$FO_WORK/bin/delay-wire" offload off eth0
    ip netns exec qsfo-br "$FO_WORK/bin/delay-wire" offload off "p-$1"
    mkdir -p "$FO_WORK/wire"
    rm -f "$FO_WORK/wire/$1.out"
    ip netns exec qsfo-br "$FO_WORK/bin/delay-wire" run "p-$1" "t-$1" "$2" \
        </dev/null >"$FO_WORK/wire/$1.out" 2>"$FO_WORK/wire/$1.err" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    echo $! >"$FO_WORK/wire/$1.pid"
    fo_wait 5 grep -qx ready "$FO_WORK/wire/$1.out" || { echo "delay-wire did not start:" >&2; cat "$FO_WORK/wire/$1.err" >&2; return 1; }
    ip -n qsfo-br link set "p-$1" nomaster
    ip -n qsfo-br link set "t-$1" master br0 up
}

fo_undelay() {
    fo_pidfile=$FO_WORK/wire/$1.pid
    [ -f "$fo_pidfile" ] || return 0
    fo_pid=$(cat "$fo_pidfile")
    kill "$fo_pid" 2>/dev/null || true
    fo_wait 5 fo_gone "$fo_pid" || kill -KILL "$fo_pid" 2>/dev/null || true
    rm -f "$fo_pidfile"
    # The tap went with the wire; the veth end goes back on the bridge.
    ip -n qsfo-br link set "p-$1" master br0 up
    ip netns exec qsfo-br "$FO_WORK/bin/delay-wire" offload on "p-$1" || true
    ip netns exec "$(fo_ns "$1")" "$FO_WORK/bin/delay-wire" offload on eth0 || true
}

# ---- the registry

fo_registry_reset() {
    : >"$(fo_registry)/log"
}

# The log's lines in time order. O_APPEND keeps each line whole, but a line stamped earlier may be
# written a little later by another host; stable, so that one process's lines with the same stamp
# keep the order it wrote them in (START before OVERLAP).
fo_log_sorted() {
    sort -s -n -k1,1 "${1:-$(fo_registry)/log}"
}

# Runs, one line each, in start order: "START_NS LAST_NS HOST PID EPOCH END OVERLAP": LAST_NS is
# the run's last line (its STOP, else its last BEAT or LOCK), END stop|lost, OVERLAP the number of
# its OVERLAP lines. A START of a HOST PID seen before begins a new run (PIDs repeat after a boot).
fo_runs() {
    fo_log_sorted "${1:-}" | awk '
        function key() { return $2 " " $3 }
        $5 == "START" { n++; run[key()] = n; start[n] = $1; host[n] = $2; pid[n] = $3; epoch[n] = $4;
                        last[n] = $1; end[n] = "lost"; over[n] = 0; next }
        !(key() in run) { next }   # the log was reset while this run was alive
        { r = run[key()]; last[r] = $1 }
        $5 == "STOP" { end[r] = "stop" }
        $5 == "OVERLAP" { over[r]++ }
        END { for (i = 1; i <= n; i++) print start[i], last[i], host[i], pid[i], epoch[i], end[i], over[i] }'
}

failover_overlaps() {
    fo_runs "${1:-}" | awk '
        { s[NR] = $1; l[NR] = $2; h[NR] = $3; p[NR] = $4; o[NR] = $7 }
        END {
            for (i = 1; i <= NR; i++) {
                if (o[i] > 0) {
                    active = 0
                    for (j = 1; j <= NR; j++)
                        if (j != i && s[j] <= s[i] && l[j] >= s[i])
                            active = 1
                    printf "overlap: %s/%s found the lock held by a live copy (%d OVERLAP line(s)), started %.3f ms after the first run%s\n", h[i], p[i], o[i], (s[i] - s[1]) / 1e6, active ? "" : "; no other run wrote a line after its start: the holder was frozen, or dying"
                }
                for (j = i + 1; j <= NR; j++)
                    if (h[i] != h[j] && s[j] <= l[i])
                        printf "overlap: %s/%s ran until %.3f ms after %s/%s started\n", h[i], p[i], (l[i] - s[j]) / 1e6, h[j], p[j]
            }
        }'
}

failover_margin() {
    fo_runs "${1:-}" | awk '
        NR > 1 && $3 != host {
            printf "HANDOVER %s %s %s -> %s %s %s margin_ms=%.3f old_end=%s\n", host, pid, epoch, $3, $4, $5, ($1 - last) / 1e6, end
        }
        { host = $3; pid = $4; epoch = $5; last = $2; end = $6 }'
}

fo_takeover_ms() {
    fo_log_sorted "${3:-}" | awk -v since="$1" -v not="${2:-}" '
        $5 == "START" && $1 >= since && $2 != not { printf "%.3f %s\n", ($1 - since) / 1e6, $2; found = 1; exit }
        END { exit found ? 0 : 1 }'
}

fo_holder() {
    fo_log_sorted "${1:-}" | awk '
        $5 == "LOCK" { holder[$2 " " $3] = $2; order[$2 " " $3] = NR }
        $5 == "STOP" { delete holder[$2 " " $3] }
        END { best = 0; for (k in holder) if (order[k] > best) { best = order[k]; h = holder[k] } if (best) print h; else exit 1 }'
}

fo_percentiles() {
    sort -n "$1" | awk '
        { v[NR] = $1 }
        function rank(p,  r) { r = int(p * NR / 100 + 0.999999); if (r < 1) r = 1; return v[r] }
        END { if (NR == 0) { print "n=0"; exit 1 } printf "n=%d p50=%s p99=%s max=%s\n", NR, rank(50), rank(99), v[NR] }'
}

# ---- tear-down

fo_down() {
    for fo_h in h1 h2 h3; do
        fo_name=$(fo_ct_name "$fo_h")
        # A frozen host, strategy or runner would hold up the poweroff.
        fo_resume "$fo_h" >/dev/null 2>&1 || true
        fo_ct "$fo_h" systemctl kill --kill-whom=all --signal=SIGCONT 'quant-strategy@*' >/dev/null 2>&1 || true
        ct_destroy "$fo_name"
        fo_cgroup_remove "$fo_name"
        rm -rf "/run/systemd/nspawn/propagate/$fo_name" "/run/systemd/nspawn/unix-export/$fo_name"
    done
    # etcd members, delay wires: by their pid files, then whatever still runs in our namespaces
    # (a run killed before it wrote a pid file).
    for fo_pidfile in "$FO_WORK"/etcd/*.pid "$FO_WORK"/wire/*.pid; do
        if [ -f "$fo_pidfile" ]; then
            kill -KILL "$(cat "$fo_pidfile")" 2>/dev/null || true
        fi
    done
    for fo_node_ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^qsfo-/ { print $1 }'); do
        for fo_pid in $(ip netns pids "$fo_node_ns" 2>/dev/null); do
            kill -KILL "$fo_pid" 2>/dev/null || true
        done
        fo_wait 10 fo_ns_empty "$fo_node_ns" || echo "processes left in $fo_node_ns: $(ip netns pids "$fo_node_ns" | tr '\n' ' ')" >&2
        # Deleting the namespace deletes its veths (and so their peers in the other namespaces).
        ip netns del "$fo_node_ns"
    done
    rm -rf "$FO_WORK"
}

fo_ns_empty() {
    [ -z "$(ip netns pids "$1" 2>/dev/null)" ]
}

fo_leftovers() {
    ip netns list 2>/dev/null | awk '$1 ~ /^qsfo-/ { print "namespace " $1 }'
    ip -o link show 2>/dev/null | awk -F': ' '$2 ~ /^(p-|t-)[eh][123]|^br0/ { print "link in the machine'"'"'s namespace: " $2 }'
    grep -E 'qsfo|quant-supervision-failover' /proc/self/mountinfo | awk '{ print "mount " $5 }'
    for fo_h in h1 h2 h3; do
        for fo_cg in $(fo_cgroups "$(fo_ct_name "$fo_h")"); do
            [ ! -d "$fo_cg" ] || echo "cgroup $fo_cg"
        done
        [ ! -e "$(ct_root "$(fo_ct_name "$fo_h")")" ] || echo "container root $(ct_root "$(fo_ct_name "$fo_h")")"
    done
    pgrep -a -f "^systemd-nspawn .* -M qsfo-|^etcd --name e[123] --data-dir $FO_WORK|$FO_WORK/bin/delay-wire" | sed 's/^/process /'
    [ ! -e "$FO_WORK" ] || echo "work directory $FO_WORK"
}
