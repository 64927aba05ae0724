//! The callback relay end to end, over real loopback HTTP: lark-sim sends callbacks exactly as
//! the platform does, an axum upstream in the test verifies what the relay passes on.

mod answers;
mod builtin;
mod captured;
mod cards;
mod common;
mod durability;
mod forms;
mod hostile;
mod inspector;
mod lab;
mod long_connection;
mod masking;
mod one_per_folder;
mod outbox;
mod rejections;
mod replay;
mod retention;
mod sizes;
mod triggers;
mod unverifiable;
