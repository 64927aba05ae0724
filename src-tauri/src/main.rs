#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    lark_companion_app::run()
}
