#!/usr/bin/env bash
# Installs what is missing, builds the UI and starts Lark Companion.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
(cd ui && npm run build --silent)
exec cargo run --features custom-protocol --bin lark-companion -- "$@"
