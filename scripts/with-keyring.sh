#!/usr/bin/env bash
# Usage: scripts/with-keyring.sh CMD [ARGS...]
#
# Runs CMD with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus session bus,
# so that keychain tests exercise the same code path as a desktop login without a desktop:
#
#   scripts/with-keyring.sh cargo test -p companion --test keychain
#
# Why each step:
# - dbus-run-session gives CMD its own session bus, torn down when CMD exits; nothing leaks
#   into (or reads from) the caller's real keyring.
# - gnome-keyring-daemon --unlock reads a test password on stdin; in an empty keyrings folder it
#   creates the "login" collection with that password, unlocked, and uses it as the default
#   collection, so keyring writes succeed without any prompt (there is no display to show one).
# - The keyrings live in a fresh temporary folder per run, so a leftover or differently locked
#   keyring can never make a run fail, and runs are repeatable.
# - Before CMD runs, a probe item is stored, read back and cleared with secret-tool: if the
#   Secret Service is not usable, the script says so and fails instead of letting tests skip.
#
# Nesting is fine: inside an existing run the script just runs CMD. Exits with CMD's status.
# Needs: dbus (dbus-run-session, dbus-send), gnome-keyring, libsecret-tools (secret-tool).

set -euo pipefail

if [ "$#" -eq 0 ]; then
    sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

if [ -n "${LARK_WITH_KEYRING_ACTIVE:-}" ]; then
    exec "$@"
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring: '$tool' is missing; install the apt packages dbus, dbus-x11," \
            "gnome-keyring and libsecret-tools." >&2
        exit 127
    fi
done

if [ -z "${LARK_WITH_KEYRING_INNER:-}" ]; then
    # Re-enter this script as the only child of a private session bus.
    exec dbus-run-session -- env LARK_WITH_KEYRING_INNER=1 bash "$0" "$@"
fi
unset LARK_WITH_KEYRING_INNER

work="$(mktemp -d "${TMPDIR:-/tmp}/lark-keyring.XXXXXX")"
daemon_pid=""
cleanup() {
    if [ -n "$daemon_pid" ]; then
        # Under strace (a slowed daemon) the daemon is strace's child, and strace does not end
        # while it runs: stop the daemon first.
        pkill -TERM -P "$daemon_pid" 2>/dev/null || true
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

password="${LARK_TEST_KEYRING_PASSWORD:-lark-companion-test}"
mkdir -p "$work/data" "$work/runtime"
chmod 700 "$work/runtime"

# LARK_KEYRING_FSYNC_DELAY_MS slows the daemon down the way a busy disk does: every fsync and
# fdatasync it makes waits that long first (strace's fault injection), so a write takes over
# twice that. For tests of a keychain that is slow to answer.
slow=()
if [ -n "${LARK_KEYRING_FSYNC_DELAY_MS:-}" ]; then
    command -v strace >/dev/null || { echo "with-keyring: install strace to slow the daemon" >&2; exit 127; }
    slow=(strace -f -qq -o /dev/null -e trace=fsync,fdatasync
        -e "inject=fsync,fdatasync:delay_enter=$((LARK_KEYRING_FSYNC_DELAY_MS * 1000))")
fi

# Only the daemon sees the temporary folders; CMD keeps the caller's HOME and XDG folders.
printf '%s' "$password" |
    XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime" \
        "${slow[@]}" gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$work/daemon.out" 2>"$work/daemon.err" &
daemon_pid=$!

# Wait until our daemon owns the Secret Service name. Without this a client could D-Bus-activate
# a second daemon whose login keyring is locked.
owned=""
for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true'; then
        owned=1
        break
    fi
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [ -z "$owned" ]; then
    echo "with-keyring: gnome-keyring-daemon did not start the Secret Service:" >&2
    cat "$work/daemon.err" >&2 || true
    exit 1
fi

probe() {
    printf 'probe-value' | timeout 60 secret-tool store --label='lark-companion probe' \
        service lark-companion-probe user probe &&
        [ "$(timeout 20 secret-tool lookup service lark-companion-probe user probe)" = probe-value ] &&
        timeout 20 secret-tool clear service lark-companion-probe user probe
}

if ! probe; then
    # No default collection yet (a daemon that did not create "login" on unlock): unlocking once
    # more with the same password makes it create and unlock the login collection.
    printf '%s' "$password" |
        XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime" \
            timeout 20 gnome-keyring-daemon --unlock --components=secrets \
            >>"$work/daemon.out" 2>>"$work/daemon.err" || true
    if ! probe; then
        echo "with-keyring: the Secret Service is running but a test item could not be stored" \
            "(no unlocked default collection):" >&2
        ls -la "$work/data/keyrings" >&2 || true
        cat "$work/daemon.err" >&2 || true
        exit 1
    fi
fi

export LARK_WITH_KEYRING_ACTIVE=1
status=0
"$@" || status=$?
exit "$status"
