-- App-wide preferences as key/value pairs (language, theme, ...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
