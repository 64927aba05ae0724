//! Lark Companion's domain, free of any GUI: where the app keeps its data (SQLite, the OS
//! keychain), what it checks, and the errors it shows. The desktop shell (`src-tauri`) and the
//! headless CLI (`companion-cli`) are thin adapters over this crate.

pub mod app;
pub mod appsetup;
pub mod cards;
pub mod checks;
pub mod console;
pub mod db;
pub mod error;
pub mod ids;
pub mod ipc;
pub mod keychain;
pub mod logging;
pub mod notices;
pub mod paths;
pub mod platform_client;
pub mod problem;
pub mod profiles;
pub mod quota;
pub mod redact;
pub mod relay;
pub mod sandbox;
pub mod settings;

pub use app::App;
pub use error::{Error, Result};
pub use problem::{Problem, ProblemCode, ProblemKind};
