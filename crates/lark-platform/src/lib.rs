//! The Feishu/Lark Open Platform as seen from a custom app: callback crypto and signatures,
//! envelope parsing, the Open API client with its error taxonomy and rate-limit headers, the card
//! model and its validation, and the long-connection frame codec.
//!
//! No storage and no GUI live here: this crate only speaks the platform's wire format, so that
//! both the product (`companion`) and the simulator (`lark-sim`) share one definition of it.
//!
//! Modules:
//! - [`card`]: card JSON validation (1.0 and 2.0 schemas, the 30 KB size rule, markdown limits).
//! - [`client`]: the Open API client (tenant token, bot info, chats, card send/update), its
//!   error taxonomy and the call observer that feeds the quota ledger.
//! - [`crypto`]: AES-256-CBC callback encryption and the SHA-256 / SHA-1 signature schemes.
//! - [`envelope`]: callback bodies parsed into one enum, and `verify` (decrypt, signature, token).
//! - [`frame`]: the long connection's protobuf `pbbp2.Frame`.
//! - [`ws_client`]: the long-connection client (discovery, ping/pong, reassembly, answers,
//!   reconnects, connection state).
//! - [`ws_types`]: long-connection JSON (endpoint discovery, client config, response payload)
//!   and fragment reassembly.
//! - [`registration`]: app registration by QR scan (device authorization grant) and its link.
//! - [`secret`]: a redacting wrapper for secret values.

pub mod card;
pub mod client;
pub mod crypto;
pub mod envelope;
pub mod frame;
pub mod registration;
pub mod secret;
pub mod ws_client;
pub mod ws_types;
