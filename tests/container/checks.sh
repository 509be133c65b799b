# shellcheck shell=sh
# PASS/FAIL/XFAIL lines for the container tests, and the tally at the end.
#
#   check DESCRIPTION CMD...          PASS if CMD succeeds, else FAIL
#   xcheck REASON DESCRIPTION CMD...  expected to fail until REASON is done: XFAIL when CMD fails,
#                                     and FAIL ("XPASS") when it succeeds, so the mark is removed
#                                     as soon as the feature lands instead of hiding it
#   note TEXT                         a figure or remark, printed as "     TEXT"
#
# Stop at the first FAIL (off unless a suite sets it after sourcing this file):
#
#   CHECK_FAIL_FAST=CMD               at the first FAIL (an XPASS too): print the check's own
#                                     output, run CMD DESCRIPTION (the suite's dump of the
#                                     evidence), print the tally and exit 1, which runs the suite's
#                                     EXIT trap (its containers' cleanup)
#
# Why opt-in rather than for every suite: only tests/container/lifecycle sets it. Its scenarios are
# sequences (install, then reinstall, remove, purge on what the install left), so after a failed
# step the rest of the scenario fails for the same reason and the later scenarios add minutes and
# no information, while the journal and console that would explain the failure are deleted with
# the container. The other suites check mostly independent properties of one installed container
# (security's attacks, faults' scenarios, health's verdicts), where the full list of what fails
# is the useful result and a stop would hide it; they can opt in the same way if that changes.
# Not read from the environment, so that one suite's setting cannot leak into another's run.

CHECKS_PASSED=0
CHECKS_FAILED=0
CHECKS_XFAILED=0
CHECK_LOG=${CHECK_LOG:-/dev/null}
CHECK_FAIL_FAST=

# The size of $CHECK_LOG, where the next check's output will start (0 when it is not a file).
check_log_offset() {
    if [ -n "$CHECK_FAIL_FAST" ] && [ -f "$CHECK_LOG" ]; then
        wc -c <"$CHECK_LOG"
    else
        echo 0
    fi
}

# check_failed DESCRIPTION OFFSET: count a FAIL; with CHECK_FAIL_FAST, dump and exit 1. OFFSET is
# where the failed check's output starts in $CHECK_LOG. Every line printed after the FAIL line is
# indented or starts with "----", so that no line of a journal or console reads as a FAIL line to
# what greps the output (tests/container/mutations).
check_failed() {
    CHECKS_FAILED=$((CHECKS_FAILED + 1))
    [ -n "$CHECK_FAIL_FAST" ] || return 0
    printf -- '---- stopping at the first failed check: %s\n' "$1"
    if [ -f "$CHECK_LOG" ]; then
        printf -- "---- its output (the last 50 lines; every check's is in %s):\n" "$CHECK_LOG"
        if [ "$(wc -c <"$CHECK_LOG")" -gt "$2" ]; then
            tail -c +"$(($2 + 1))" "$CHECK_LOG" | tail -n 50 | sed 's/^/    /'
        else
            echo "    (none)"
        fi
    fi
    # In an || list, so that set -e cannot cut the dump short at its first failing command.
    "$CHECK_FAIL_FAST" "$1" || printf -- '---- %s exited %s\n' "$CHECK_FAIL_FAST" "$?"
    printf -- '---- stopped at the first FAIL: no later check runs; exit 1 (the EXIT trap runs now)\n'
    checks_summary || true
    exit 1
}

check() {
    description=$1
    shift
    check_start=$(check_log_offset)
    if "$@" >>"$CHECK_LOG" 2>&1; then
        printf 'PASS  %s\n' "$description"
        CHECKS_PASSED=$((CHECKS_PASSED + 1))
    else
        printf 'FAIL  %s\n' "$description"
        check_failed "$description" "$check_start"
    fi
}

xcheck() {
    reason=$1
    description=$2
    shift 2
    check_start=$(check_log_offset)
    if "$@" >>"$CHECK_LOG" 2>&1; then
        printf 'FAIL  %s (XPASS: expected to fail until %s; remove the mark)\n' "$description" "$reason"
        check_failed "$description" "$check_start"
    else
        printf 'XFAIL %s (until %s)\n' "$description" "$reason"
        CHECKS_XFAILED=$((CHECKS_XFAILED + 1))
    fi
}

note() {
    printf '      %s\n' "$*"
}

checks_summary() {
    printf '%s passed, %s failed, %s expected failures\n' "$CHECKS_PASSED" "$CHECKS_FAILED" "$CHECKS_XFAILED"
    [ "$CHECKS_FAILED" -eq 0 ]
}
