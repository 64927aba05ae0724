-- The quota ledger: every Open API call the app makes, keyed by App ID (stable across profile
-- renames, and the same for a profile and for LARK_APP_ID credentials; the ceilings are per app).

-- One row per HTTP exchange, as the client's call observer reported it. Pruned after the
-- configured retention; the rollups below outlive it.
CREATE TABLE quota_calls (
    id          INTEGER PRIMARY KEY,
    app_id      TEXT    NOT NULL,
    -- When the request was sent, ms since the Unix epoch (UTC).
    at_ms       INTEGER NOT NULL,
    -- lark_platform Endpoint::name(), e.g. 'im.v1.messages.create'.
    endpoint    TEXT    NOT NULL,
    -- NULL when no answer arrived (network error, timeout).
    http_status INTEGER,
    code        INTEGER,
    latency_us  INTEGER NOT NULL,
    -- 1 when the call used the tenant's monthly quota (a counted API that succeeded).
    counted     INTEGER NOT NULL CHECK (counted IN (0, 1)),
    -- ApiError::kind() of a failure; NULL on success.
    error_kind  TEXT,
    -- 'chat_id:oc_…' / 'open_id:ou_…' for sends, 'message:om_…' for card updates.
    target      TEXT,
    -- x-ogw-ratelimit-limit, x-ogw-ratelimit-reset and Retry-After, verbatim.
    rl_limit    TEXT,
    rl_reset    TEXT,
    retry_after TEXT,
    log_id      TEXT
) STRICT;

-- Time-range scans of one app (peaks, partial rollup buckets, pruning). It carries what the
-- ceiling peaks read, so their scan of the last day never touches the table.
CREATE INDEX quota_calls_by_app_time
    ON quota_calls(app_id, at_ms, endpoint, http_status, target);
-- The rate-limit events list reads only the few rejected calls.
CREATE INDEX quota_calls_limited ON quota_calls(app_id, at_ms)
    WHERE error_kind IN ('rate_limited', 'quota_exhausted');

-- Per 15-minute bucket (every time zone's offset is a multiple of 15 minutes, so local days and
-- months are whole buckets) and endpoint: what month-to-date figures, the daily chart and the
-- endpoint table read, so a month of a million calls is summarised from a few thousand rows.
CREATE TABLE quota_rollup (
    app_id       TEXT    NOT NULL,
    -- Unix seconds / 900.
    bucket       INTEGER NOT NULL,
    endpoint     TEXT    NOT NULL,
    calls        INTEGER NOT NULL,
    counted      INTEGER NOT NULL,
    errors       INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    -- Log-scale latency histogram: (bucket u8, count u32 LE) pairs (see quota::hist).
    latency_hist BLOB    NOT NULL,
    PRIMARY KEY (app_id, bucket, endpoint)
) STRICT, WITHOUT ROWID;

-- Per-app quota settings; no row means the defaults (10,000 calls, Asia/Shanghai, 80/90/100 %).
CREATE TABLE quota_settings (
    app_id         TEXT PRIMARY KEY NOT NULL,
    -- Monthly cap of the tenant's edition; NULL = unlimited (paid editions).
    cap            INTEGER CHECK (cap IS NULL OR cap >= 0),
    -- IANA name of the tenant's time zone: the month turns on the 1st there.
    time_zone      TEXT    NOT NULL,
    -- JSON array of percentages, e.g. [80,90,100].
    thresholds     TEXT    NOT NULL,
    -- JSON of quota::RateLimits (the ceilings the limiter keeps to).
    limits         TEXT    NOT NULL,
    -- The tenant's month-to-date figure read in the admin console, and when (RFC 3339 UTC).
    baseline_calls INTEGER CHECK (baseline_calls IS NULL OR baseline_calls >= 0),
    baseline_at    TEXT,
    updated_at     TEXT    NOT NULL,
    CHECK ((baseline_calls IS NULL) = (baseline_at IS NULL))
) STRICT;

-- Thresholds already raised, so each is raised once per (tenant-local) month.
CREATE TABLE quota_alerts (
    app_id    TEXT    NOT NULL,
    -- 'YYYY-MM' in the tenant's time zone.
    month     TEXT    NOT NULL,
    threshold INTEGER NOT NULL,
    raised_at TEXT    NOT NULL,
    PRIMARY KEY (app_id, month, threshold)
) STRICT, WITHOUT ROWID;
