#!/usr/bin/env bash
# Installs what Lark Companion needs on Debian/Ubuntu, skipping what is already there:
# apt packages (WebKitGTK, Xvfb, WebKitWebDriver, gnome-keyring, CJK fonts), Rust, Node.js,
# the UI's npm packages (npm ci from the committed lockfile) and, with --test, tauri-driver,
# the WebDriver specs' packages and the official Python SDK used as a test peer.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

apt_packages=(
  build-essential pkg-config curl file libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  gnome-keyring dbus dbus-x11 libsecret-tools fonts-noto-cjk
)
$want_test && apt_packages+=(webkit2gtk-driver xvfb xauth python3 python3-pip python3-venv)
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
  if ! command -v tauri-driver >/dev/null; then
    echo "==> cargo install tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
  if ! python3 -c 'import lark_oapi' 2>/dev/null; then
    echo "==> pip install lark-oapi (official SDK, an independent peer in tests)"
    python3 -m pip install --quiet --disable-pip-version-check lark-oapi 2>/dev/null \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages lark-oapi
  fi
fi
