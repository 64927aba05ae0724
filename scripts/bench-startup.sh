#!/usr/bin/env bash
# Start-up benchmark: how long until the first screen is painted, read from the app's own log
# line ("first screen painted ms=N", logged once the first screen's title is on screen and two
# frames have passed; N counts from the start of main). Five launches each:
#   first  - a fresh data folder (the sandbox profile and its keychain entries are created)
#   again  - the same folder started again (the sandbox already there)
# Run on the release build, under a display and a Secret Service:
#   cargo build --release --features custom-protocol --bin lark-companion
#   scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1400x900x24" scripts/bench-startup.sh
# Prints each launch and the medians. Method and baseline: docs/benchmarks.md.
set -euo pipefail
bin=${1:-target/release/lark-companion}
runs=${RUNS:-5}

launch() { # data folder -> prints the painted ms
  local data=$1 pid ms=""
  LARK_COMPANION_DATA_DIR=$data "$bin" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    ms=$(grep -ho 'first screen painted ms=[0-9]*' "$data"/logs/* 2>/dev/null | tail -1 | sed 's/.*ms=//') || true
    [ -n "$ms" ] && break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -n "$ms" ] || { echo "no first-paint line within 30 s" >&2; exit 1; }
  echo "$ms"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

first=() again=()
for i in $(seq 1 "$runs"); do
  data=$(mktemp -d /tmp/lc-bench.XXXXXX)
  f=$(launch "$data"); rm -f "$data"/logs/*
  a=$(launch "$data")
  rm -rf "$data"
  echo "launch $i: first start ${f} ms, again ${a} ms"
  first+=("$f") again+=("$a")
done
echo "median first start: $(printf '%s\n' "${first[@]}" | median) ms"
echo "median again:       $(printf '%s\n' "${again[@]}" | median) ms"
