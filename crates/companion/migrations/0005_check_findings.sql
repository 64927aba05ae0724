-- Check history keeps the finding's stable key and params next to the English reason, so
-- earlier runs read in the UI's language. Rows from before stay reason-only (finding NULL).
ALTER TABLE check_history ADD COLUMN finding TEXT;
ALTER TABLE check_history ADD COLUMN params TEXT;
