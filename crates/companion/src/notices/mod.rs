//! Notices: what the app tells the admin while nobody watches a screen. Watchers in the core
//! (`watch`: quota thresholds, relay health) decide that something is wrong; each episode raises
//! one notice (one native notification from the window's shell, one entry in the in-app list)
//! and clears it when things recover, so a flapping upstream does not notify every five seconds.
//! The headless relay logs the same episodes as warning lines.
//!
//! Wording lives in the catalogue like every other sentence: `notices.kinds.<kind>.title` and
//! `.body` (what to do) in `ui/src/i18n/*.json`, with the notice's `params`.

pub mod watch;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};
use tokio::sync::broadcast;
use ts_rs::TS;

/// What a notice is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NoticeKind {
    /// 80 / 90 / 100 % of the monthly cap used (`threshold`, `used`, `cap`).
    QuotaThreshold,
    /// The platform refused calls for the month's quota (99991403).
    QuotaExhausted,
    /// Rejected requests above a rate (`count` in the last `minutes`).
    RelayRejections,
    /// The upstream has failed with no success in between (`seconds`).
    RelayUpstreamFailing,
    /// Answers past the platform's deadline (`count` in the last `minutes`).
    RelayDeadlineMissed,
    /// Events piling up or aging in the outbox (`depth`, `minutes`).
    RelayOutboxBacklog,
    /// The long connection has been down for more than a minute (`seconds`).
    LongConnectionLost,
    /// The relay could not listen: the port is taken (`addr`).
    RelayPortTaken,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// About the monthly quota (the others are about a relay).
    pub fn is_quota(self) -> bool {
        matches!(self, Self::QuotaThreshold | Self::QuotaExhausted)
    }

    /// The values its sentences use.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Self::QuotaThreshold => &["threshold", "used", "cap"],
            Self::QuotaExhausted => &[],
            Self::RelayRejections | Self::RelayDeadlineMissed => &["count", "minutes"],
            Self::RelayUpstreamFailing | Self::LongConnectionLost => &["seconds"],
            Self::RelayOutboxBacklog => &["depth", "minutes"],
            Self::RelayPortTaken => &["addr"],
        }
    }
}

/// One episode: raised, and cleared once it recovered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    #[ts(type = "number")]
    pub id: u64,
    /// The profile it is about (its name).
    pub profile: String,
    pub kind: NoticeKind,
    pub params: BTreeMap<String, String>,
    /// RFC 3339, UTC.
    pub raised_at: String,
    /// When it recovered; `None` while it lasts.
    pub cleared_at: Option<String>,
}

impl Notice {
    /// Title and what to do in `language` (a native notification).
    pub fn text(&self, language: crate::ipc::Language) -> (String, String) {
        let kind = self.kind.as_str();
        let part = |p| {
            crate::problem::catalogue_text_in(
                language,
                &["notices", "kinds", kind, p],
                &self.params,
            )
        };
        (part("title"), part("body"))
    }

    /// Whether it still lasts.
    pub fn is_ongoing(&self) -> bool {
        self.cleared_at.is_none()
    }

    /// Title and what to do, in the catalogue's English (the headless relay's log lines).
    pub fn english(&self) -> String {
        let kind = self.kind.as_str();
        let part = |p| crate::problem::catalogue_text(&["notices", "kinds", kind, p], &self.params);
        format!("{}: {}", part("title"), part("body"))
    }
}

/// A change of the list, for the window (and its native notification).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum NoticeEvent {
    Raised { notice: Notice },
    Cleared { notice: Notice },
}

/// Which kinds notify (all by default): `Settings > Notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoticeSetting {
    pub kind: NoticeKind,
    pub enabled: bool,
}

/// The last [`NoticeBoard::KEEP`] notices and the episodes under way.
pub struct NoticeBoard {
    state: Mutex<Board>,
    events: broadcast::Sender<NoticeEvent>,
}

#[derive(Default)]
struct Board {
    /// Newest last.
    list: VecDeque<Notice>,
    active: HashMap<(String, NoticeKind), u64>,
    next_id: u64,
    off: HashSet<NoticeKind>,
}

/// The board as it stands, for the app's next image to go on from ([`NoticeBoard::snapshot`],
/// [`NoticeBoard::restore`]): the list, the episodes under way and the next id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoticeSnapshot {
    /// Oldest first.
    list: Vec<Notice>,
    next_id: u64,
}

impl Default for NoticeBoard {
    fn default() -> Self {
        Self {
            state: Mutex::new(Board::default()),
            events: broadcast::channel(64).0,
        }
    }
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl NoticeBoard {
    /// Entries kept in the list.
    pub const KEEP: usize = 200;

    fn board(&self) -> MutexGuard<'_, Board> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts an episode of `kind` for `profile`: a new notice, unless one is under way or the
    /// kind is turned off (then `None`).
    pub fn raise(
        &self,
        profile: &str,
        kind: NoticeKind,
        params: BTreeMap<String, String>,
        now: DateTime<Utc>,
    ) -> Option<Notice> {
        let mut board = self.board();
        let key = (profile.to_owned(), kind);
        if board.off.contains(&kind) || board.active.contains_key(&key) {
            return None;
        }
        board.next_id += 1;
        let notice = Notice {
            id: board.next_id,
            profile: profile.to_owned(),
            kind,
            params,
            raised_at: stamp(now),
            cleared_at: None,
        };
        board.active.insert(key, notice.id);
        board.list.push_back(notice.clone());
        while board.list.len() > Self::KEEP {
            board.list.pop_front();
        }
        drop(board);
        let _ = self.events.send(NoticeEvent::Raised {
            notice: notice.clone(),
        });
        Some(notice)
    }

    /// Ends the episode of `kind` for `profile`, if one is under way.
    pub fn clear(&self, profile: &str, kind: NoticeKind, now: DateTime<Utc>) -> Option<Notice> {
        let mut board = self.board();
        let id = board.active.remove(&(profile.to_owned(), kind))?;
        let notice = board.list.iter_mut().find(|n| n.id == id).map(|n| {
            n.cleared_at = Some(stamp(now));
            n.clone()
        })?;
        drop(board);
        let _ = self.events.send(NoticeEvent::Cleared {
            notice: notice.clone(),
        });
        Some(notice)
    }

    /// Raises or clears, as the watcher found it.
    pub fn set(
        &self,
        profile: &str,
        kind: NoticeKind,
        finding: Option<BTreeMap<String, String>>,
        now: DateTime<Utc>,
    ) -> Option<NoticeEvent> {
        match finding {
            Some(params) => self
                .raise(profile, kind, params, now)
                .map(|notice| NoticeEvent::Raised { notice }),
            None => self
                .clear(profile, kind, now)
                .map(|notice| NoticeEvent::Cleared { notice }),
        }
    }

    /// Newest first.
    pub fn list(&self) -> Vec<Notice> {
        self.board().list.iter().rev().cloned().collect()
    }

    /// The list and the episodes under way, to hand over.
    pub fn snapshot(&self) -> NoticeSnapshot {
        let board = self.board();
        NoticeSnapshot {
            list: board.list.iter().cloned().collect(),
            next_id: board.next_id,
        }
    }

    /// Goes on from `snapshot` (the previous image's board): its notices are listed again and
    /// its episodes under way stay under way, so a problem that lasts through the hand-over is
    /// not notified a second time. Nothing is sent to subscribers. Kinds turned off stay off.
    pub fn restore(&self, snapshot: NoticeSnapshot) {
        let mut board = self.board();
        let mut list: VecDeque<Notice> = snapshot.list.into();
        while list.len() > Self::KEEP {
            list.pop_front();
        }
        board.active = list
            .iter()
            .filter(|n| n.is_ongoing() && !board.off.contains(&n.kind))
            .map(|n| ((n.profile.clone(), n.kind), n.id))
            .collect();
        board.next_id = snapshot
            .next_id
            .max(list.iter().map(|n| n.id).max().unwrap_or(0));
        board.list = list;
    }

    pub fn subscribe(&self) -> broadcast::Receiver<NoticeEvent> {
        self.events.subscribe()
    }

    pub fn settings(&self) -> Vec<NoticeSetting> {
        let board = self.board();
        NoticeKind::iter()
            .map(|kind| NoticeSetting {
                kind,
                enabled: !board.off.contains(&kind),
            })
            .collect()
    }

    /// Turns a kind on or off; off also ends its episodes under way (silently).
    pub fn set_enabled(&self, kind: NoticeKind, enabled: bool) {
        let mut board = self.board();
        if enabled {
            board.off.remove(&kind);
        } else {
            board.off.insert(kind);
            board.active.retain(|(_, k), _| *k != kind);
        }
    }

    /// The kinds turned off.
    pub fn off(&self) -> Vec<NoticeKind> {
        let mut off: Vec<NoticeKind> = self.board().off.iter().copied().collect();
        off.sort_by_key(|k| k.as_str());
        off
    }
}

const OFF_KEY: &str = "noticesOff";

/// The types of this module for TypeScript.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        ("Notice.ts", Notice::export_to_string().unwrap_or_default()),
        (
            "NoticeKind.ts",
            NoticeKind::export_to_string().unwrap_or_default(),
        ),
        (
            "NoticeEvent.ts",
            NoticeEvent::export_to_string().unwrap_or_default(),
        ),
        (
            "NoticeSetting.ts",
            NoticeSetting::export_to_string().unwrap_or_default(),
        ),
    ]
}

/// The kinds turned off, as saved.
pub fn load_off(db: &crate::db::Database) -> crate::Result<Vec<NoticeKind>> {
    Ok(crate::settings::get(db, OFF_KEY)?.unwrap_or_default())
}

pub fn save_off(db: &crate::db::Database, off: &[NoticeKind]) -> crate::Result<()> {
    crate::settings::put(db, OFF_KEY, &off)
}

/// Params from pairs.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn one_notice_per_episode_and_a_recovery_clears_it() {
        let board = NoticeBoard::default();
        let mut events = board.subscribe();
        let p = params([("seconds", "60".into())]);
        assert!(board
            .raise("Prod", NoticeKind::RelayUpstreamFailing, p.clone(), at(0))
            .is_some());
        // Still failing: no second notice.
        assert!(board
            .raise("Prod", NoticeKind::RelayUpstreamFailing, p.clone(), at(5))
            .is_none());
        // Another profile is another episode.
        assert!(board
            .raise("Test", NoticeKind::RelayUpstreamFailing, p.clone(), at(5))
            .is_some());
        let cleared = board
            .clear("Prod", NoticeKind::RelayUpstreamFailing, at(9))
            .unwrap();
        assert_eq!(cleared.cleared_at.as_deref(), Some("2027-01-15T08:00:09Z"));
        assert!(board
            .clear("Prod", NoticeKind::RelayUpstreamFailing, at(10))
            .is_none());
        // Failing again later: a new episode, a new notice.
        assert!(board
            .raise("Prod", NoticeKind::RelayUpstreamFailing, p, at(20))
            .is_some());
        assert_eq!(board.list().len(), 3);
        let mut kinds = Vec::new();
        while let Ok(e) = events.try_recv() {
            kinds.push(matches!(e, NoticeEvent::Raised { .. }));
        }
        assert_eq!(kinds, [true, true, false, true]);
    }

    #[test]
    fn the_list_keeps_the_last_200() {
        let board = NoticeBoard::default();
        for i in 0..250 {
            let profile = format!("p{i}");
            board.raise(&profile, NoticeKind::RelayPortTaken, BTreeMap::new(), at(i));
        }
        let list = board.list();
        assert_eq!(list.len(), NoticeBoard::KEEP);
        assert_eq!(list[0].profile, "p249");
        assert_eq!(list[199].profile, "p50");
    }

    #[test]
    fn a_kind_turned_off_raises_nothing() {
        let board = NoticeBoard::default();
        board.set_enabled(NoticeKind::QuotaThreshold, false);
        assert!(board
            .raise("Prod", NoticeKind::QuotaThreshold, BTreeMap::new(), at(0))
            .is_none());
        assert_eq!(board.off(), [NoticeKind::QuotaThreshold]);
        board.set_enabled(NoticeKind::QuotaThreshold, true);
        assert!(board
            .raise("Prod", NoticeKind::QuotaThreshold, BTreeMap::new(), at(0))
            .is_some());
    }

    #[test]
    fn every_kind_has_a_title_and_what_to_do_in_both_languages() {
        for kind in NoticeKind::iter() {
            for part in ["title", "body"] {
                let key = format!("notices.kinds.{}.{part}", kind.as_str());
                let (en, zh) = crate::problem::testing::catalogues();
                for (lang, catalogue) in [("en", en), ("zh-CN", zh)] {
                    let text = catalogue["notices"]["kinds"][kind.as_str()][part]
                        .as_str()
                        .unwrap_or_else(|| panic!("{lang}: no {key}"));
                    let used = crate::problem::testing::placeholders(text);
                    for p in &used {
                        assert!(kind.params().contains(&p.as_str()), "{lang} {key}: {p}");
                    }
                }
            }
        }
    }

    /// The app's next image goes on from the board: the list is the same, an episode under
    /// way is not raised again (no second notification), a recovered one can be raised anew,
    /// and the ids go on.
    #[test]
    fn a_restored_board_goes_on_without_notifying_again() {
        let board = NoticeBoard::default();
        let p = params([("seconds", "60".into())]);
        let lasting = board
            .raise("Prod", NoticeKind::RelayUpstreamFailing, p.clone(), at(0))
            .unwrap();
        board.raise("Prod", NoticeKind::QuotaExhausted, BTreeMap::new(), at(1));
        board.clear("Prod", NoticeKind::QuotaExhausted, at(2));

        let snapshot: NoticeSnapshot =
            serde_json::from_str(&serde_json::to_string(&board.snapshot()).unwrap()).unwrap();
        let next = NoticeBoard::default();
        let mut events = next.subscribe();
        next.restore(snapshot);
        assert_eq!(next.list(), board.list());
        assert!(events.try_recv().is_err(), "restoring notifies nothing");

        assert!(
            next.raise("Prod", NoticeKind::RelayUpstreamFailing, p, at(10))
                .is_none(),
            "the episode under way goes on"
        );
        let again = next
            .raise("Prod", NoticeKind::QuotaExhausted, BTreeMap::new(), at(11))
            .expect("a recovered episode is raised anew");
        assert!(again.id > lasting.id + 1, "ids go on: {}", again.id);
        let cleared = next
            .clear("Prod", NoticeKind::RelayUpstreamFailing, at(12))
            .expect("the lasting episode clears in the new board");
        assert_eq!(cleared.id, lasting.id);
    }
}
