//! lark-sim over real loopback HTTP: every endpoint, code, ceiling, the quota, callbacks checked
//! with `lark_platform::crypto`, the long connection with a protobuf client, and the official
//! Python SDK as an independent peer.

mod application;
mod callbacks;
mod challenges;
mod client;
mod common;
mod console;
mod limits;
mod open_api;
mod registration;
mod sdk;
mod sdk_app;
mod sdk_node;
mod ws;
mod ws_client;
