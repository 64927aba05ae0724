//! Leaving the process behind when the window closes into the tray (Linux).
//!
//! Once its window has been open, the app keeps memory that destroying the window does not give
//! back: WebKitGTK keeps the GL driver it loaded and its network process for the life of the
//! process (docs/benchmarks.md, "Memory in the tray": 155 MiB in the tray after the window,
//! against 75 MiB for an app started in the tray). So closing the window into the tray replaces
//! the process's image with a fresh one of the same program (`exec`: same process id, same
//! terminal, same place under the session), which starts like an app started at login: tray,
//! no webview. The running relay goes on in it without a gap a caller could see:
//!
//! - the core stops the relay for a hand-over ([`companion::App::hand_over`]): requests in
//!   flight are answered and recorded, the profile's lock is released, the meter's calls
//!   written, and the HTTP relay's listening socket stays open;
//! - the socket and a memory file (`memfd`) holding the rest (the relay's form, the notices
//!   and their episodes under way, the sandbox's port) are inherited by the new image, which
//!   is told the memory file's number by its argument [`ARG`]; callbacks that arrive in between
//!   wait in the socket's queue;
//! - the new image ([`take_inherited`], the first thing `run` does) checks what it inherited
//!   and the core takes over ([`companion::App::take_over_relay`]): same URL, same port, the
//!   long connection dialled again, no notice raised a second time.
//!
//! If the new image cannot be started, the app stays in this process, in the tray as before.
//!
//! Why numbers in an argument and not systemd's `LISTEN_FDS` (the `listenfd` crate): that
//! protocol needs the socket at descriptor 3, and moving it there just before `exec` would
//! close whatever another thread of this process has open at 3. Taking a descriptor by number
//! is the one `unsafe` of the app, in [`inherited`], guarded by what `/proc` says it is.

use std::io::{Read, Seek, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;

use companion::app::handover::{Handover, HandoverState};
use rustix::io::{fcntl_setfd, FdFlags};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};

use crate::{AppState, Inherited};

/// `--handover=N`: N is the memory file the previous image left (never typed by a person).
pub const ARG: &str = "--handover";
/// The memory file's name, as `/proc/self/fd/N` shows it.
const MEMFD_NAME: &str = "lark-companion-handover";
/// A payload larger than this is not ours (200 notices are about 100 kB).
const MAX_PAYLOAD: u64 = 4 << 20;

/// What the memory file holds.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    /// The process that wrote it; `exec` keeps the id, so anything else is refused.
    pid: u32,
    /// When it was written (ms since the Unix epoch), to log how long the hand-over took.
    written_ms: u64,
    state: HandoverState,
    /// The HTTP relay's listening socket: its descriptor number and address.
    socket: Option<Socket>,
    /// The sandbox's simulated tenant listened here; the new one listens there again, so the
    /// Sandbox profile's platform address stays the same.
    sandbox_port: Option<u16>,
}

#[derive(Serialize, Deserialize)]
struct Socket {
    fd: i32,
    addr: String,
}

/// Hands the running relay over to a fresh image of this program and becomes it. Returns only
/// when that could not be done: the relay is then started again here and the app stays in the
/// tray in this process.
pub async fn leave<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let handover = state.app.hand_over().await;
    let sandbox_port = state.sandbox_port();
    let error = match exec(&handover, sandbox_port) {
        Ok(never) => match never {},
        Err(e) => e,
    };
    tracing::warn!(error = %error, "could not hand over to a fresh process; staying in this one");
    match state.app.take_over_relay(handover).await {
        Ok(Some(started)) => crate::tray::forward(app, started),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "the relay did not start again"),
    }
    crate::tray::changed(app);
}

/// Writes the payload, lets the socket and the memory file live through `exec`, and replaces
/// this image; returns only on failure, with the socket closed on `exec` again (a program the
/// app starts later must not inherit it).
fn exec(
    handover: &Handover,
    sandbox_port: Option<u16>,
) -> std::io::Result<std::convert::Infallible> {
    let error = replace_image(handover, sandbox_port);
    if let Some(listener) = &handover.listener {
        let _ = fcntl_setfd(listener, FdFlags::CLOEXEC);
    }
    error
}

fn replace_image(
    handover: &Handover,
    sandbox_port: Option<u16>,
) -> std::io::Result<std::convert::Infallible> {
    let socket = match &handover.listener {
        Some(listener) => {
            fcntl_setfd(listener, FdFlags::empty())?;
            Some(Socket {
                fd: listener.as_raw_fd(),
                addr: listener.local_addr()?.to_string(),
            })
        }
        None => None,
    };
    let payload = Payload {
        pid: std::process::id(),
        written_ms: crate::now_ms(),
        state: handover.state.clone(),
        socket,
        sandbox_port,
    };
    let memfd = rustix::fs::memfd_create(MEMFD_NAME, rustix::fs::MemfdFlags::CLOEXEC)?;
    let mut file = std::fs::File::from(memfd);
    file.write_all(&serde_json::to_vec(&payload).map_err(std::io::Error::other)?)?;
    file.rewind()?;
    fcntl_setfd(&file, FdFlags::empty())?;

    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_else(|| "lark-companion".into());
    let kept = args.filter(|a| {
        let a = a.to_string_lossy();
        a != crate::autostart::ARG && !a.starts_with(ARG)
    });
    tracing::info!(
        relay = payload.state.relay.as_ref().map(|r| r.profile.as_str()),
        "handing over to a fresh process without a window"
    );
    let error = std::process::Command::new(program())
        .arg0(argv0)
        .args(kept)
        .arg(format!("{ARG}={}", file.as_raw_fd()))
        .exec();
    // Still here: the memory file is closed as `file` drops.
    Err(error)
}

/// The program to start again: this one, by its path, so the process keeps its name
/// (`lark-companion` in `ps` and system monitors, where `/proc/self/exe` would show `exe`);
/// `/proc/self/exe` only when the file is gone (replaced by an upgrade while the app ran).
fn program() -> std::path::PathBuf {
    std::env::current_exe()
        .ok()
        .filter(|path| path.is_file())
        .unwrap_or_else(|| "/proc/self/exe".into())
}

/// The hand-over this image was started with (`--handover=N`), if any. Call first thing, once,
/// before any other thread runs. Anything that does not check out is logged and dropped: the
/// app then starts in the tray with nothing handed over.
pub fn take_inherited() -> Option<Inherited> {
    let arg =
        std::env::args().find_map(|a| a.strip_prefix(ARG)?.strip_prefix('=').map(str::to_owned))?;
    match read(&arg) {
        Ok(inherited) => Some(inherited),
        Err(why) => {
            tracing::warn!(%why, "nothing was handed over");
            Some(Inherited {
                handover: Handover::default(),
                sandbox_port: None,
                written_ms: None,
            })
        }
    }
}

fn read(arg: &str) -> Result<Inherited, String> {
    let fd: i32 = arg
        .parse()
        .map_err(|_| format!("not a descriptor: {arg}"))?;
    let memfd = inherited(fd, |target| {
        target.starts_with(&format!("/memfd:{MEMFD_NAME}"))
    })?;
    let mut text = String::new();
    std::fs::File::from(memfd)
        .take(MAX_PAYLOAD)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    let payload: Payload = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if payload.pid != std::process::id() {
        return Err(format!("written by process {}, not this one", payload.pid));
    }
    let listener = match payload.socket {
        Some(socket) => {
            let owned = inherited(socket.fd, |target| target.starts_with("socket:["))?;
            fcntl_setfd(&owned, FdFlags::CLOEXEC).map_err(|e| e.to_string())?;
            let listener = std::net::TcpListener::from(owned);
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            if addr.to_string() != socket.addr {
                return Err(format!("the socket is {addr}, not {}", socket.addr));
            }
            Some(listener)
        }
        None => None,
    };
    Ok(Inherited {
        handover: Handover {
            state: payload.state,
            listener,
        },
        sandbox_port: payload.sandbox_port,
        written_ms: Some(payload.written_ms),
    })
}

/// Takes descriptor `fd`, inherited from the previous image, if `/proc` shows it open and
/// `is_ours` accepts what it is.
#[allow(unsafe_code)]
fn inherited(fd: i32, is_ours: impl Fn(&str) -> bool) -> Result<OwnedFd, String> {
    if fd <= 2 {
        return Err(format!("descriptor {fd} is a standard stream"));
    }
    let target = std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .map_err(|e| format!("descriptor {fd}: {e}"))?;
    let target = target.to_string_lossy();
    if !is_ours(&target) {
        return Err(format!("descriptor {fd} is {target}"));
    }
    // SAFETY: descriptor `fd` is open (`/proc` has it) and is what the previous image of this
    // process left for this one: its kind checked just above, its number from the argument the
    // previous image wrote. Nothing in this image opened it or holds it: it is taken once, by
    // `take_inherited`, before the app starts any thread, and owned from here on.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The old image's WebKit processes were this process's children and end when their
/// connection to it closes; they are reaped here so no zombie is left behind. Call before the
/// app starts any child of its own.
pub fn reap_old_children() {
    let me = std::process::id();
    let pids: Vec<i32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (comm) state ppid ...`: the name may hold spaces and parentheses.
            let ppid: u32 = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == me).then_some(pid)
        })
        .collect();
    if pids.is_empty() {
        return;
    }
    tracing::info!(
        count = pids.len(),
        "waiting for the previous window's processes to end"
    );
    let _ = std::thread::Builder::new()
        .name("reap-old-children".into())
        .spawn(move || {
            for pid in pids.into_iter().filter_map(rustix::process::Pid::from_raw) {
                let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
            }
        });
}
