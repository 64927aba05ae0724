-- Which secrets the keychain holds for the profile, as a JSON array of secret kinds
-- (["appSecret", ...]). Kept in step with every keychain write of the app, so listing profiles
-- asks the keychain nothing. NULL: not known yet (a profile from before); read once, then kept.
ALTER TABLE profiles ADD COLUMN secret_presence TEXT;

-- Whether a check ran as part of a full Doctor run ('full') or from one wizard step ('step').
-- NULL on rows from before: the history tells them apart by how many checks the run holds.
ALTER TABLE check_history ADD COLUMN scope TEXT CHECK (scope IN ('full', 'step'));

-- What each profile's relay was last started with (the Relay screen's form), and the callback
-- URL the admin last copied, so a changed URL can be pointed out. An upstream URL with a query
-- or credentials is never stored here (integrations put keys there).
CREATE TABLE relay_saved (
    profile_id      INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
    -- JSON: RelaySettings.
    settings        TEXT NOT NULL,
    bind            TEXT,
    last_copied_url TEXT
) STRICT;
