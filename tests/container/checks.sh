# shellcheck shell=sh
# PASS/FAIL/XFAIL lines for the container tests, and the tally at the end.
#
#   check DESCRIPTION CMD...          PASS if CMD succeeds, else FAIL
#   xcheck REASON DESCRIPTION CMD...  expected to fail until REASON is done: XFAIL when CMD fails,
#                                     and FAIL ("XPASS") when it succeeds, so the mark is removed
#                                     as soon as the feature lands instead of hiding it
#   note TEXT                         a figure or remark, printed as "     TEXT"

CHECKS_PASSED=0
CHECKS_FAILED=0
CHECKS_XFAILED=0
CHECK_LOG=${CHECK_LOG:-/dev/null}

check() {
    description=$1
    shift
    if "$@" >>"$CHECK_LOG" 2>&1; then
        printf 'PASS  %s\n' "$description"
        CHECKS_PASSED=$((CHECKS_PASSED + 1))
    else
        printf 'FAIL  %s\n' "$description"
        CHECKS_FAILED=$((CHECKS_FAILED + 1))
    fi
}

xcheck() {
    reason=$1
    description=$2
    shift 2
    if "$@" >>"$CHECK_LOG" 2>&1; then
        printf 'FAIL  %s (XPASS: expected to fail until %s; remove the mark)\n' "$description" "$reason"
        CHECKS_FAILED=$((CHECKS_FAILED + 1))
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
