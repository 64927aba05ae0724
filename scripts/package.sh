#!/usr/bin/env bash
# Builds the release app and its Linux packages with Tauri's bundler: a .deb and an .rpm under
# target/release/bundle/{deb,rpm}/. No AppImage: the bundler downloads its AppImage tools
# (linuxdeploy and its plugins) from outside the package registries, which this project's build
# machines cannot reach. Installs what is missing first (scripts/setup-debian.sh).
# Usage: scripts/package.sh            (prints the paths of the packages it made)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export PATH="$HOME/.cargo/bin:$PATH"
# The Tauri CLI is the UI's dev dependency (ui/node_modules/.bin/tauri, pinned by its lockfile);
# it runs `npm run build` in ui/ first (tauri.conf.json's beforeBuildCommand), then
# `cargo build --release` with the custom-protocol feature, then bundles.
export CARGO_INCREMENTAL=0
ui/node_modules/.bin/tauri build --ci --bundles deb,rpm
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' tauri.conf.json)
ls -1 target/release/bundle/deb/*_"$version"_*.deb target/release/bundle/rpm/*-"$version"-*.rpm
