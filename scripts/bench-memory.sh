#!/usr/bin/env bash
# Memory of the app with its window open, in the tray only, and in the tray after its window was
# open: the proportional set size (PSS, /proc/PID/smaps_rollup) of the app and every process
# under it (WebKit's web and network processes), summed, 15 s after the state settled; the
# median of 5 launches of each, each on a fresh data folder (the sandbox on).
#   window: started normally, measured 15 s after the first screen is painted (the log line).
#   tray:   started as at login (--autostart): no window and no webview, only the tray; measured
#           15 s after the sandbox is up (the log line).
#   closed: started normally, the Sandbox relay started and the window closed into the tray
#           ("Keep running in the tray": the window is destroyed and a fresh image of the app
#           takes the relay over, src-tauri/src/handover.rs); measured 15 s after the take-over.
#           Driven through the WebDriver harness (tests/webdriver/bench/tray-after-window.mjs),
#           so it needs tauri-driver.
# Run it on a display with a keychain, e.g.:
#   scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1400x900x24" scripts/bench-memory.sh target/release/lark-companion
set -euo pipefail
bin=$(realpath "${1:-target/release/lark-companion}")
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
settle=${SETTLE_SECS:-15}

descendants() {
  local pid=$1 child
  echo "$pid"
  for child in $(pgrep -P "$pid" || true); do descendants "$child"; done
}

pss_kb() {
  local total=0 pid kb
  for pid in $(descendants "$1"); do
    kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

wait_for_log() {
  local dir=$1 pattern=$2
  for _ in $(seq 1 300); do
    if grep -qs "$pattern" "$dir"/logs/*; then return 0; fi
    sleep 0.1
  done
  echo "no '$pattern' in the log within 30 s" >&2
  return 1
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() {
  local mode=$1 data pid args=() pattern
  data=$(mktemp -d /tmp/lc-bench-mem.XXXXXX)
  if [ "$mode" = tray ]; then args=(--autostart); pattern="sandbox tenant running"
  else pattern="first screen painted"; fi
  LARK_COMPANION_DATA_DIR=$data LARK_COMPANION_SANDBOX=1 "$bin" "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  wait_for_log "$data" "$pattern"
  sleep "$settle"
  pss_kb "$pid"
  echo "  $mode: $(pgrep -P "$pid" -l | awk '{print $2}' | sort | uniq -c | tr -s ' \n' ' ')" >&2
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

measure_closed() {
  local out
  out=$(TAURI_DRIVER_PORT=${TAURI_DRIVER_PORT:-4591} SETTLE_SECS=$settle \
    "$root/tests/webdriver/run.sh" "$bin" bench/tray-after-window.mjs 2>&1) || {
    echo "$out" | tail -30 >&2; return 1; }
  echo "  closed: $(echo "$out" | grep -o 'closed-window PSS: .*')" >&2
  echo "$out" | sed -n 's/.*closed-window PSS: \([0-9]*\) kB.*/\1/p'
}

for mode in window tray closed; do
  values=()
  for i in $(seq 1 "$runs"); do
    if [ "$mode" = closed ]; then kb=$(measure_closed); else kb=$(measure "$mode"); fi
    echo "$mode run $i: $((kb / 1024)) MiB PSS" >&2
    values+=("$kb")
  done
  med=$(printf '%s\n' "${values[@]}" | median)
  echo "$mode: median $((med / 1024)) MiB PSS over $runs launches ($(printf '%s ' "${values[@]}")kB)"
done
