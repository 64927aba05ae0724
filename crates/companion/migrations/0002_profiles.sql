-- Profiles: one Feishu/Lark custom app connected to the integration. Secrets are NOT here: they
-- live in the OS keychain under service "lark-companion", user "<uid>/<secret>". `uid` never
-- changes, so renaming a profile keeps its keychain entries.
CREATE TABLE profiles (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE CHECK (length(uid) = 32),
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
    platform         TEXT NOT NULL CHECK (platform IN ('feishu', 'lark', 'custom')),
    -- Only for platform 'custom' (a private deployment or the simulator).
    base_url         TEXT,
    app_id           TEXT NOT NULL,
    -- The three URLs the integration gives back; empty until the admin pastes them.
    web_config_url   TEXT,
    redirect_url     TEXT,
    card_request_url TEXT,
    -- JSON: {"currentStep": ..., "steps": {"<step id>": "pass" | "fail" | "unknown"}}.
    wizard_progress  TEXT NOT NULL DEFAULT '{}',
    -- RFC 3339, UTC.
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK ((platform = 'custom') = (base_url IS NOT NULL))
) STRICT;

-- Every setup check that ran (wizard or doctor), newest last.
CREATE TABLE check_history (
    id         INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    run_at     TEXT NOT NULL,
    check_id   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'unknown')),
    reason     TEXT
) STRICT;

CREATE INDEX check_history_by_profile ON check_history(profile_id, run_at);
