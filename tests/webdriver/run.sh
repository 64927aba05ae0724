#!/usr/bin/env bash
# Runs the WebDriver specs against the real app: Xvfb display, tauri-driver in front of
# WebKitWebDriver, a throwaway data folder. Everything it creates in /tmp (the data folder
# unless LARK_COMPANION_DATA_DIR was given, the driver log, the opened-URLs file, the stand-in
# browser's folder) is removed when it exits, however it exits.
# Usage: tests/webdriver/run.sh /path/to/lark-companion [specs/one.test.mjs ...] (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?path of the built lark-companion binary}
export LARK_COMPANION_BIN=$(realpath "$bin")
export TAURI_DRIVER_PORT=${TAURI_DRIVER_PORT:-4444}
driver=""
temp_paths=()
cleanup() {
  if [ -n "$driver" ]; then
    kill "$driver" 2>/dev/null || true
    wait "$driver" 2>/dev/null || true
  fi
  if [ ${#temp_paths[@]} -gt 0 ]; then rm -rf -- "${temp_paths[@]}"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -z "${LARK_COMPANION_DATA_DIR:-}" ]; then
  LARK_COMPANION_DATA_DIR=$(mktemp -d /tmp/lc-webdriver.XXXXXX)
  temp_paths+=("$LARK_COMPANION_DATA_DIR")
fi
export LARK_COMPANION_DATA_DIR
driver_log=$(mktemp /tmp/tauri-driver.XXXXXX.log)
temp_paths+=("$driver_log")
# A stand-in browser: the URLs the app opens (console links) are appended to this file instead,
# so the specs can check and follow them. The opener tries xdg-open first.
export LARK_OPENED_URLS=$(mktemp /tmp/lc-opened.XXXXXX)
temp_paths+=("$LARK_OPENED_URLS")
fake_bin=$(mktemp -d /tmp/lc-bin.XXXXXX)
temp_paths+=("$fake_bin")
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> "%s"\n' "$LARK_OPENED_URLS" > "$fake_bin/xdg-open"
chmod +x "$fake_bin/xdg-open"
export PATH="$fake_bin:$PATH"

# The native driver's port follows ours, so two runs on one machine (their own TAURI_DRIVER_PORT)
# do not share a WebKitWebDriver.
tauri-driver --port "$TAURI_DRIVER_PORT" --native-port "$((TAURI_DRIVER_PORT + 1))" \
  --native-driver /usr/bin/WebKitWebDriver >"$driver_log" 2>&1 &
driver=$!
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$TAURI_DRIVER_PORT") 2>/dev/null; then break; fi
  sleep 0.1
done
cd "$here"
status=0
specs=("${@:2}")
[ ${#specs[@]} -eq 0 ] && specs=(specs/)
node --test --test-concurrency=1 "${specs[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- tauri-driver log ---"; tail -50 "$driver_log"
  echo "--- app log ---"; tail -50 "$LARK_COMPANION_DATA_DIR"/logs/* 2>/dev/null || true
fi
exit $status
