-- Dashboard sign-in sessions (src/store/dashboard-sessions.ts). The session
-- id itself lives only in the user's cookie: the table keeps its SHA-256, so
-- a read of the table cannot be replayed as a cookie. The repositories the
-- user may see are read from GitHub at sign-in and kept with the session; the
-- user's GitHub token is not stored.
CREATE TABLE `dashboard_sessions` (
    `id_hash` CHAR(64) NOT NULL,
    `user_login` VARCHAR(255) NOT NULL,
    `user_id` BIGINT NOT NULL,
    `csrf_token` CHAR(64) NOT NULL,
    `repositories` JSON NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `expires_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`id_hash`),
    INDEX `dashboard_sessions_expires_at_idx` (`expires_at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
