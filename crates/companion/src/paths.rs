//! Where the app keeps its files. The same rules serve the desktop app and the CLI, so both
//! open the same database.

use std::path::PathBuf;

/// The bundle identifier from tauri.conf.json; Tauri names its app folders after it.
pub const APP_IDENTIFIER: &str = "dev.larkcompanion.app";

/// Overrides the data folder (tests, portable installs, several isolated setups).
pub const DATA_DIR_ENV: &str = "LARK_COMPANION_DATA_DIR";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// `explicit` (a `--data-dir` flag) wins, then `LARK_COMPANION_DATA_DIR`, then the
    /// platform's app-data folder (the same one Tauri's `app_data_dir` gives).
    pub fn resolve(explicit: Option<PathBuf>) -> Self {
        let overridden = explicit.or_else(|| {
            std::env::var_os(DATA_DIR_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        match overridden {
            Some(dir) => Self::under(dir),
            None => {
                let data_dir = dirs::data_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join(APP_IDENTIFIER);
                let log_dir = dirs::data_local_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join(APP_IDENTIFIER)
                    .join("logs");
                Self { data_dir, log_dir }
            }
        }
    }

    /// Everything under one folder, logs included.
    pub fn under(dir: PathBuf) -> Self {
        Self {
            log_dir: dir.join("logs"),
            data_dir: dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_folder_holds_data_and_logs() {
        let p = AppPaths::resolve(Some(PathBuf::from("/tmp/lc-x")));
        assert_eq!(p.data_dir, PathBuf::from("/tmp/lc-x"));
        assert_eq!(p.log_dir, PathBuf::from("/tmp/lc-x/logs"));
    }
}
