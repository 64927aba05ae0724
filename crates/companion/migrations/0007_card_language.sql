-- The language of a profile's alert cards (the card templates and the relay's built-in answer
-- card): 'en' or 'zh-CN'; NULL follows the app's language.
ALTER TABLE profiles ADD COLUMN card_language TEXT CHECK (card_language IN ('en', 'zh-CN'));

-- The values of a rejection's sentence (JSON object: secret and scheme names, the token's path,
-- header names, sizes), so the inspector says it in the UI's language by reject_code; NULL for
-- accepted requests and for rows from before.
ALTER TABLE relay_requests ADD COLUMN reject_params TEXT;

-- check_history.status also takes 'skipped' (a check that could not run: network, rate limit,
-- quota, an earlier check failed). SQLite cannot change a CHECK constraint in place, so db.rs
-- rebuilds the table after this file, keeping every column and row.
