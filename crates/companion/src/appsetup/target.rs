//! The integration's target state as data, in one place: what the app needs for the reference
//! integration (Flashduty's Feishu/Lark guide, docs/protocol.md "What the integration needs"),
//! each item with whether it blocks the integration and what breaks without it. The checks,
//! the registration link and the plan all read these lists.

/// Scopes the integration cannot work without.
pub const REQUIRED_SCOPES: [&str; 2] = ["im:chat", "im:message"];
/// Scopes some features use.
pub const OPTIONAL_SCOPES: [&str; 2] = ["contact:user.id:readonly", "im:message.group_msg"];
/// What the Message Card Request URL must be subscribed to.
pub const EVENTS: [&str; 2] = ["im.chat.disbanded_v1", "im.message.receive_v1"];
pub const CALLBACKS: [&str; 2] = ["card.action.trigger", "card.action.trigger_v1"];
/// The two scopes that let this tool read and change the app (asked for at registration).
pub const SETUP_SCOPES: [&str; 2] = [
    "application:application:self_manage",
    lark_platform::client::application::PATCH_SCOPE,
];

/// What a new app is asked for when it is created by scan: the integration's scopes, the two
/// setup scopes, its events and callbacks.
pub fn registration_addons() -> lark_platform::registration::Addons {
    let scopes: Vec<&str> = REQUIRED_SCOPES
        .iter()
        .chain(&OPTIONAL_SCOPES)
        .chain(&SETUP_SCOPES)
        .copied()
        .collect();
    lark_platform::registration::Addons::tenant(&scopes, &EVENTS, &CALLBACKS)
}
