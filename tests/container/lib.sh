# shellcheck shell=sh
# Booted Debian containers for the package tests: systemd-nspawn with systemd as PID 1.
# Sourced by the test scripts; what each function relies on of nspawn and systemd is in its comment.
#
#   ct_create NAME TARBALL   unpack a rootfs (tests/container/rootfs) into $CT_BASE/NAME
#   ct_boot NAME             boot it in the background and wait until systemd is running;
#                            a `systemctl reboot` inside boots it again (nspawn exits 133)
#   ct NAME CMD...           run CMD inside (nsenter into every namespace of its PID 1)
#   ct_reboot NAME           reboot and wait for the new boot
#   ct_destroy NAME          power off and delete
#   ct_root NAME             the rootfs directory on the host
#   ct_dump NAME             print its journal, failed units, quant-* units and console (bounded)

CT_BASE=${CT_BASE:-/var/tmp/quant-supervision-ct}

ct_root() {
    printf '%s/%s\n' "$CT_BASE" "$1"
}

ct_create() {
    ct_destroy "$1"
    mkdir -p "$(ct_root "$1")"
    tar -xf "$2" -C "$(ct_root "$1")"
}

# The PID (on the host) of the container's systemd, empty when it is not (yet) booted.
ct_pid() {
    for nspawn in $(pgrep -f "^systemd-nspawn .* -M $1\$" || true); do
        pgrep -P "$nspawn" -x systemd || true
    done | head -n 1
}

ct_boot() {
    name=$1
    root=$(ct_root "$name")
    # --register=no and --keep-unit: there is no systemd on the host to register with.
    # The loop is what systemd-nspawn@.service does with RestartForceExitStatus=133: reboot.
    (
        while :; do
            rc=0
            systemd-nspawn -q -D "$root" -b --register=no --keep-unit --private-network \
                -M "$name" </dev/null >>"$root.console" 2>&1 || rc=$?
            [ "$rc" -eq 133 ] || break
        done
    ) &
    echo $! >"$root.loop"
    ct_wait_running "$name"
}

ct_wait_running() {
    i=0
    while [ -z "$(ct_pid "$1")" ]; do
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then
            echo "container $1 did not boot; console:" >&2
            tail -n 30 "$(ct_root "$1").console" >&2
            return 1
        fi
        sleep 0.1
    done
    # Wait for the end of boot. `is-system-running --wait` alone returns at once while PID 1
    # is too young to answer, so poll; "degraded" counts as booted (a unit may fail in a container).
    i=0
    while :; do
        state=$(ct "$1" systemctl is-system-running --wait 2>/dev/null || true)
        case "$state" in
            running|degraded) return 0 ;;
        esac
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then
            echo "container $1 did not finish booting (state: $state)" >&2
            return 1
        fi
        sleep 0.1
    done
}

ct() {
    name=$1
    shift
    pid=$(ct_pid "$name")
    [ -n "$pid" ] || { echo "container $name is not running" >&2; return 1; }
    nsenter -t "$pid" -a -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

ct_reboot() {
    old=$(ct_pid "$1")
    ct "$1" systemctl reboot || true
    i=0
    while [ "$(ct_pid "$1")" = "$old" ] || [ -z "$(ct_pid "$1")" ]; do
        i=$((i + 1))
        [ "$i" -lt 600 ] || { echo "container $1 did not reboot" >&2; return 1; }
        sleep 0.05
    done
    ct_wait_running "$1"
}

ct_destroy() {
    root=$(ct_root "$1")
    if [ -n "$(ct_pid "$1")" ]; then
        ct "$1" systemctl poweroff >/dev/null 2>&1 || true
        i=0
        while [ -n "$(ct_pid "$1")" ] && [ "$i" -lt 100 ]; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
    for nspawn in $(pgrep -f "^systemd-nspawn .* -M $1\$" || true); do
        kill -9 "$nspawn" 2>/dev/null || true
    done
    if [ -f "$root.loop" ]; then
        kill "$(cat "$root.loop")" 2>/dev/null || true
        rm -f "$root.loop"
    fi
    rm -rf "$root" "$root.console"
}

# ct_dump NAME: the evidence for a failure in the container, bounded and indented by 4 spaces:
# the last 200 lines of its journal, `systemctl --failed`, `systemctl status` of the quant-* units
# (loaded ones, 20 journal lines each, at most 200 lines), and the last 100 lines of its console
# ($CT_BASE/NAME.console: the output of systemd-nspawn, hence of the container's PID 1, across
# reboots). Read-only. The journal and units are asked inside the container when it runs (timeout
# in case PID 1 is wedged); when it does not, the journal is read from its rootfs (Debian's journal
# is persistent: /var/log/journal). Its own variables are dump_*: ct and ct_pid set name, pid, nspawn.
ct_dump() {
    dump_root=$(ct_root "$1")
    if [ -n "$(ct_pid "$1")" ]; then
        echo "---- $1: journalctl -n 200 (in the container)"
        ct "$1" timeout 30 journalctl --no-pager -n 200 2>&1 | sed 's/^/    /'
        echo "---- $1: systemctl --failed"
        ct "$1" timeout 30 systemctl --failed --no-pager 2>&1 | sed 's/^/    /'
        echo "---- $1: systemctl status 'quant-*'"
        ct "$1" timeout 30 systemctl status --no-pager --full --lines=20 'quant-*' 2>&1 \
            | head -n 200 | sed 's/^/    /'
    elif [ -d "$dump_root/var/log/journal" ]; then
        echo "---- $1 is not running: journalctl -n 200 -D $dump_root/var/log/journal"
        timeout 30 journalctl --no-pager -n 200 -D "$dump_root/var/log/journal" 2>&1 | sed 's/^/    /'
    else
        echo "---- $1 is not running and $dump_root/var/log/journal does not exist: no journal"
    fi
    if [ -f "$dump_root.console" ]; then
        echo "---- $1: console, the last 100 lines of $dump_root.console"
        tail -n 100 "$dump_root.console" | sed 's/^/    /'
    else
        echo "---- $1: no console output ($dump_root.console does not exist: not booted by ct_boot)"
    fi
}
