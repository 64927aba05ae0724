//! The link the person scans: the server's `verification_uri_complete` plus who asks (`from`,
//! `tp`, `source`), the creation page's pre-fill (`name`, `desc`, 1-6 `avatar` URLs), what to
//! add (`addons`), `createOnly=true` (no picking an existing app) and `clientID` (re-confirm an
//! existing app to grant it more). The parameters are the ones both official SDKs append.

use url::Url;

use super::addons::{Addons, AddonsError};

/// Who asks, as the `source` parameter says it.
pub const SOURCE: &str = "lark-companion";
const AVATAR_MAX: usize = 6;

/// What the link asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkOptions {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Icon URLs (1 to 6) offered on the creation page.
    pub avatars: Vec<String>,
    pub addons: Option<Addons>,
    /// Only create a new app: the page offers no existing one.
    pub create_only: bool,
    /// Re-confirm this existing app (to grant it what `addons` asks).
    pub client_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the registration service gave a link that is not a URL")]
    BadBase,
    #[error("at most {AVATAR_MAX} icon URLs can be offered, got {0}")]
    TooManyAvatars(usize),
    #[error("an icon URL is empty")]
    EmptyAvatar,
    #[error("the App ID to re-confirm is empty")]
    EmptyClientId,
    #[error(transparent)]
    Addons(#[from] AddonsError),
}

pub(super) fn build(base: &str, options: &LinkOptions) -> Result<String, LinkError> {
    let mut url = Url::parse(base).map_err(|_| LinkError::BadBase)?;
    if options.avatars.len() > AVATAR_MAX {
        return Err(LinkError::TooManyAvatars(options.avatars.len()));
    }
    if options.avatars.iter().any(|a| a.trim().is_empty()) {
        return Err(LinkError::EmptyAvatar);
    }
    if options
        .client_id
        .as_deref()
        .is_some_and(|id| id.trim().is_empty())
    {
        return Err(LinkError::EmptyClientId);
    }
    let addons = options.addons.as_ref().map(Addons::encode).transpose()?;
    const OURS: [&str; 9] = [
        "from",
        "tp",
        "source",
        "name",
        "desc",
        "avatar",
        "addons",
        "createOnly",
        "clientID",
    ];
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| !OURS.contains(&key.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut query = url.query_pairs_mut();
        query.clear();
        query.extend_pairs(kept);
        query.append_pair("from", "sdk");
        query.append_pair("tp", "sdk");
        query.append_pair("source", SOURCE);
        if let Some(name) = &options.name {
            query.append_pair("name", name);
        }
        if let Some(desc) = &options.description {
            query.append_pair("desc", desc);
        }
        for avatar in &options.avatars {
            query.append_pair("avatar", avatar);
        }
        if let Some(addons) = &addons {
            query.append_pair("addons", addons);
        }
        if options.create_only {
            query.append_pair("createOnly", "true");
        }
        if let Some(id) = &options.client_id {
            query.append_pair("clientID", id.trim());
        }
    }
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(link: &str) -> Vec<(String, String)> {
        Url::parse(link)
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn keeps_the_servers_code_and_adds_ours() {
        let addons = Addons::tenant(&["im:chat"], &[], &[]);
        let link = build(
            "https://accounts.feishu.cn/app/scan?user_code=AB-CD&source=old",
            &LinkOptions {
                name: Some("Flashduty Alerts & Co".into()),
                description: Some("告警".into()),
                avatars: vec!["https://x/icon.png".into()],
                addons: Some(addons.clone()),
                create_only: true,
                client_id: None,
            },
        )
        .unwrap();
        let q = query(&link);
        let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("user_code"), Some("AB-CD"));
        assert_eq!(get("source"), Some(SOURCE));
        assert_eq!(q.iter().filter(|(k, _)| k == "source").count(), 1);
        assert_eq!(get("name"), Some("Flashduty Alerts & Co"));
        assert_eq!(get("desc"), Some("告警"));
        assert_eq!(get("avatar"), Some("https://x/icon.png"));
        assert_eq!(get("createOnly"), Some("true"));
        assert_eq!(get("clientID"), None);
        assert_eq!(Addons::decode(get("addons").unwrap()).unwrap(), addons);
    }

    #[test]
    fn refuses_bad_options() {
        let base = "https://accounts.feishu.cn/app/scan?user_code=A";
        let too_many = LinkOptions {
            avatars: vec!["https://x".into(); 7],
            ..LinkOptions::default()
        };
        assert_eq!(build(base, &too_many), Err(LinkError::TooManyAvatars(7)));
        let empty_id = LinkOptions {
            client_id: Some(" ".into()),
            ..LinkOptions::default()
        };
        assert_eq!(build(base, &empty_id), Err(LinkError::EmptyClientId));
        assert_eq!(
            build("not a url", &LinkOptions::default()),
            Err(LinkError::BadBase)
        );
        let reconfirm = LinkOptions {
            client_id: Some("cli_0123456789abcdef".into()),
            ..LinkOptions::default()
        };
        let link = build(base, &reconfirm).unwrap();
        assert!(link.contains("clientID=cli_0123456789abcdef"));
    }
}
