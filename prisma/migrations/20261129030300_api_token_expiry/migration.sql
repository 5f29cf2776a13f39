-- A token may be given an end: after expires_at it authenticates nothing, and
-- the cleanup job removes it (its history stays in the audit log).
ALTER TABLE `api_tokens` ADD COLUMN `expires_at` DATETIME(3) NULL;
