#!/usr/bin/env bash
# Installs the .deb that scripts/package.sh made on this machine (as root, with apt-get, so its
# dependencies come from the distribution), starts the installed /usr/bin/lark-companion under
# Xvfb and checks through WebDriver that its window shows the first screen, then removes the
# package again (also when the check fails). Refuses to run when lark-companion is already
# installed: that one is the user's.
# Usage: scripts/deb-smoke.sh target/release/bundle/deb/Lark\ Companion_0.1.0_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "${1:?path of the .deb to try}")
package=$(dpkg-deb --field "$deb" Package)
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  echo "$package is already installed here; not touching it (remove it first to run this)" >&2
  exit 1
fi
remove() { DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get remove -y -qq "$package" >/dev/null; }
trap remove EXIT
echo "==> apt-get install $deb"
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
test -x /usr/bin/lark-companion
ls /usr/share/applications/*.desktop | grep -qi "lark" || { echo "no desktop entry installed" >&2; exit 1; }
echo "==> the installed app under Xvfb"
scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1400x900x24" \
  tests/webdriver/run.sh /usr/bin/lark-companion smoke/installed.test.mjs
trap - EXIT
remove
if [ -e /usr/bin/lark-companion ]; then echo "the package left /usr/bin/lark-companion behind" >&2; exit 1; fi
echo "installed, started and removed $package"
