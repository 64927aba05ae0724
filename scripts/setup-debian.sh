#!/usr/bin/env bash
# Installs what Lark Companion needs on Debian/Ubuntu, skipping what is already there:
# apt packages (WebKitGTK, Xvfb, WebKitWebDriver, gnome-keyring, CJK and colour emoji fonts), Rust, Node.js,
# the UI's npm packages (npm ci from the committed lockfile) and, with --test, tauri-driver,
# the WebDriver specs' packages and the official Python and Node SDKs used as test peers.
# tauri-driver, lark-oapi and @larksuiteoapi/node-sdk (its lockfile) are pinned to the versions
# the tests were last run with.
set -euo pipefail
cd "$(dirname "$0")/.."
tauri_driver_version=2.1.0
lark_oapi_version=1.7.5
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

apt_packages=(
  build-essential pkg-config curl file libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  gnome-keyring dbus dbus-x11 libsecret-tools fonts-noto-cjk fonts-noto-color-emoji
)
$want_test && apt_packages+=(webkit2gtk-driver xvfb xauth python3 python3-pip python3-venv python3-gi strace)
command -v node >/dev/null || apt_packages+=(nodejs npm)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Vite (the UI's build tool) needs Node.js ^20.19 or >=22.12; Debian 12's own nodejs is 18.
node_fits_vite() {
  [[ "$1" =~ ^v([0-9]+)\.([0-9]+)\. ]] || return 1
  local major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; } ||
    { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; } || [ "$major" -ge 23 ]
}
node_version=$(node --version 2>/dev/null || echo "(none)")
if ! node_fits_vite "$node_version"; then
  echo "Node.js $node_version does not fit the UI's build: Vite needs 20.19+ (on 20) or 22.12+." >&2
  echo "Install a newer one, e.g. from NodeSource (https://github.com/nodesource/distributions:" >&2
  echo "Node.js 22 LTS) or with nvm, make sure 'node --version' shows it, and run this again." >&2
  exit 1
fi

if ! command -v cargo >/dev/null; then
  echo "==> installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if $want_test; then
  if [ ! -d tests/webdriver/node_modules ] || [ tests/webdriver/package-lock.json -nt tests/webdriver/node_modules/.package-lock.json ]; then
    echo "==> npm ci (tests/webdriver)"
    (cd tests/webdriver && npm ci --no-audit --no-fund --loglevel=error)
  fi
  node_sdk=crates/lark-sim/tests/sdk/node
  if [ ! -d $node_sdk/node_modules ] || [ $node_sdk/package-lock.json -nt $node_sdk/node_modules/.package-lock.json ]; then
    echo "==> npm ci ($node_sdk: the official Node SDK, an independent peer in tests)"
    (cd $node_sdk && npm ci --no-audit --no-fund --loglevel=error)
  fi
  cargo_installed=$(cargo install --list)
  if ! grep -qx "tauri-driver v$tauri_driver_version:" <<<"$cargo_installed"; then
    echo "==> cargo install tauri-driver $tauri_driver_version"
    cargo install tauri-driver --version "$tauri_driver_version" --locked --quiet
  fi
  installed_oapi=$(python3 -c 'import importlib.metadata as m; print(m.version("lark-oapi"))' 2>/dev/null || true)
  if [ "$installed_oapi" != "$lark_oapi_version" ]; then
    echo "==> pip install lark-oapi==$lark_oapi_version (official SDK, an independent peer in tests)"
    python3 -m pip install --quiet --disable-pip-version-check "lark-oapi==$lark_oapi_version" 2>/dev/null \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "lark-oapi==$lark_oapi_version"
  fi
fi
