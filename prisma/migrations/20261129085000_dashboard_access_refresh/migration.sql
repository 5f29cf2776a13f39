-- Dashboard sessions re-read the user's access from GitHub while they last
-- (src/store/dashboard-sessions.ts), so a repository taken away on GitHub
-- disappears within minutes, not at the next sign-in. That needs the user's
-- GitHub token: it is stored sealed (AES-256-GCM) under a key derived from
-- the session id, which only the user's cookie holds, so the table alone
-- cannot give the token away.
ALTER TABLE `dashboard_sessions`
    ADD COLUMN `user_token_sealed` VARBINARY(1024) NULL,
    ADD COLUMN `repositories_read_at` DATETIME(3) NULL;
