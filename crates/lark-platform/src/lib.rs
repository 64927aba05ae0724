//! The Feishu/Lark Open Platform as seen from a custom app: callback crypto and signatures,
//! envelope parsing, the Open API client with its error taxonomy and rate-limit headers, the card
//! model and its validation, and the long-connection frame codec.
//!
//! No storage and no GUI live here: this crate only speaks the platform's wire format, so that
//! both the product (`companion`) and the simulator (`lark-sim`) share one definition of it.

pub mod secret;
