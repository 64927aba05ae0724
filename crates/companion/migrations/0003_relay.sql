-- The callback relay: every request it received (the inspector's record) and the event outbox.
-- No secret value is stored here: bodies and headers are redacted before they are written, and
-- the outbox keeps the original bytes with the Verification Token replaced by a per-row marker
-- that is swapped back (from the keychain value in memory) only when the event is delivered.

CREATE TABLE relay_requests (
    id                  INTEGER PRIMARY KEY,
    -- Milliseconds since the Unix epoch, UTC.
    received_ms         INTEGER NOT NULL,
    -- The profile's path slug (/callback/<profile>).
    profile             TEXT NOT NULL,
    -- 'callback' (from the listener) or 'replay'.
    source              TEXT NOT NULL CHECK (source IN ('callback', 'replay')),
    kind                TEXT NOT NULL,
    event_type          TEXT,
    event_id            TEXT,
    verdict             TEXT NOT NULL CHECK (verdict IN ('accepted', 'duplicate', 'rejected')),
    reject_code         TEXT,
    -- Names the check and the secret involved, never a secret's value.
    reject_reason       TEXT,
    reject_fix          TEXT,
    -- JSON array of the checks that ran, in order.
    checks              TEXT NOT NULL DEFAULT '[]',
    duplicate_of        INTEGER,
    path                TEXT NOT NULL,
    -- JSON array of [name, value]; credential headers are masked.
    headers             TEXT NOT NULL,
    -- The body as received (secret values masked), cut at 64 KiB.
    body                TEXT NOT NULL,
    body_bytes          INTEGER NOT NULL,
    -- The decrypted JSON with secret-looking values masked; NULL when it could not be read.
    plaintext           TEXT,
    -- What the relay answered.
    http_status         INTEGER NOT NULL,
    answer              TEXT,
    answered_by         TEXT NOT NULL,
    -- Microseconds from receipt to the answer (excluding this row's own write).
    answer_us           INTEGER NOT NULL,
    deadline_ms         INTEGER,
    deadline_missed     INTEGER NOT NULL DEFAULT 0 CHECK (deadline_missed IN (0, 1)),
    -- The upstream's side, filled when it answers (possibly after the relay answered).
    upstream_url        TEXT,
    forward_mode        TEXT,
    upstream_status     INTEGER,
    upstream_answer     TEXT,
    upstream_latency_ms INTEGER,
    upstream_error      TEXT,
    -- Events only: 'pending', 'delivered', 'failed'; NULL when nothing is to be delivered.
    outbox_state        TEXT,
    attempts            INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX relay_requests_by_event ON relay_requests(profile, event_id);
CREATE INDEX relay_requests_by_kind ON relay_requests(kind, id);

-- Events waiting for (or done with) delivery to the upstream. One row per (profile, event id):
-- the unique key is what delivers a redelivered event once.
CREATE TABLE relay_outbox (
    id              INTEGER PRIMARY KEY,
    request_id      INTEGER REFERENCES relay_requests(id) ON DELETE SET NULL,
    profile         TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    upstream_url    TEXT NOT NULL,
    forward_mode    TEXT NOT NULL CHECK (forward_mode IN ('transparent', 'resign')),
    -- JSON array of [name, value] to send in transparent mode (no credential headers).
    headers         TEXT NOT NULL,
    -- The original bytes, with every occurrence of the Verification Token replaced by
    -- `secret_marker` (NULL when there was none).
    body            BLOB NOT NULL,
    secret_marker   TEXT,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error      TEXT,
    created_ms      INTEGER NOT NULL,
    done_ms         INTEGER,
    UNIQUE (profile, event_id)
) STRICT;

CREATE INDEX relay_outbox_due ON relay_outbox(state, next_attempt_ms);
