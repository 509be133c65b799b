# shellcheck shell=sh
# Shared by the bench/ scripts (sourced): where the launcher is, and how a figure is recorded.
#
# BENCH_LAUNCHER  the quant-supervision launcher to measure (bench/run sets it: a copy of the
#                 built image with its AOT cache, as postinst makes it); else the build's staged
#                 image, else /usr/bin/quant-supervision
# BENCH_JSON      when set, every figure is appended to it as one JSON object per line
# BENCH_QUICK     when 1, fewer repetitions: a smoke run that proves the scripts still work

bench_top=$(cd "$(dirname "$0")/.." && pwd)
launcher=${BENCH_LAUNCHER:-$bench_top/maven/dist/target/stage/usr/lib/quant-supervision/bin/quant-supervision}
[ -x "$launcher" ] || launcher=/usr/bin/quant-supervision
# shellcheck disable=SC2034 # read by the scripts that source this file
quick=${BENCH_QUICK:-0}

# record FIGURE UNIT OURS OURS_MIN OURS_MAX PEER_NAME PEER PEER_MIN PEER_MAX GOAL
#   PEER_NAME "" when the figure has no peer; GOAL "ratio<=X" (ours/peer), "<=X" (in UNIT) or "".
record() {
    [ -n "${BENCH_JSON:-}" ] || return 0
    python3 - "$@" >>"$BENCH_JSON" <<'PY'
import json, sys
figure, unit, ours, omin, omax, peer, pv, pmin, pmax, goal = sys.argv[1:11]
num = lambda s: float(s) if s not in ("", None) else None
print(json.dumps({"figure": figure, "unit": unit, "ours": num(ours), "ours_min": num(omin), "ours_max": num(omax),
                  "peer": peer or None, "peer_value": num(pv), "peer_min": num(pmin), "peer_max": num(pmax),
                  "goal": goal or None}))
PY
}

# median_min_max: of the numbers on stdin, one per line, prints "MEDIAN MIN MAX".
median_min_max() {
    sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}
