#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, lints, the Rust workspace tests
# (inside a real Secret Service), the UI's type check, lint and unit tests, and the WebDriver
# specs that drive the real app window under Xvfb; then the release build's Linux packages, the
# .deb installed on this machine, started and removed again.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/setup-debian.sh --test
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export PATH="$HOME/.cargo/bin:$PATH"
# Tests that need the real parts fail rather than skip when these are set.
export LARK_INTEROP_REQUIRED=1 LARK_KEYCHAIN_REQUIRED=1
features=(--features custom-protocol)
# A clean checkout gains nothing from incremental caches; they doubled target/ (CI ran out of disk).
export CARGO_INCREMENTAL=0

step() { echo; echo "==> $*"; }

step "ui: build (the app embeds ui/dist)"
(cd ui && npm run build --silent)

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets "${features[@]}" -- -D warnings

step "companion must not depend on tauri"
if cargo tree -p companion -e normal --prefix none | grep -q '^tauri '; then
  echo "crates/companion depends on tauri: domain logic must stay GUI-free"; exit 1
fi

step "companion's modules form a DAG (no import cycle)"
python3 scripts/check-module-cycles.py

step "cargo test (workspace, inside a real Secret Service)"
scripts/with-keyring.sh cargo test --workspace "${features[@]}"

step "ui: type check, lint, component size rule, unit tests"
(cd ui && npm run typecheck && npm run lint && node ../scripts/check-component-size.mjs && npm test)

step "webdriver: the real app window under Xvfb, with the real Secret Service"
cargo build --bin lark-companion "${features[@]}"
cargo build -p companion-cli  # the specs start lark-sim with it
scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1400x900x24" \
  tests/webdriver/run.sh target/debug/lark-companion

step "webdriver: the real window with a slow keychain daemon (every fsync delayed 2.5 s)"
LARK_KEYRING_FSYNC_DELAY_MS=2500 scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1400x900x24" \
  tests/webdriver/run.sh target/debug/lark-companion specs-slow-keychain/

step "webdriver: native notifications, seen by a stand-in notification service on the session bus"
LARK_COMPANION_WATCH_MS=300 scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1400x900x24" \
  tests/webdriver/run.sh target/debug/lark-companion specs-notices/

step "packages: the release app (built once), its .deb and .rpm (scripts/package.sh)"
scripts/package.sh
step "packages: the .deb installed here, started under Xvfb to its first screen, removed again"
scripts/deb-smoke.sh "$(ls -t target/release/bundle/deb/*.deb | head -1)"

echo
echo "target/ holds $(du -sh target | cut -f1)"
echo "all tests passed in $(( $(date +%s) - started )) s"
