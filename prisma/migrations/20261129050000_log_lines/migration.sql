-- The log store when no Cassandra is configured: one row per log line, kept
-- 90 days (the log-retention job deletes older rows in small batches). The
-- fields a reader filters on are columns; the whole redacted line is kept
-- as written. Pages are read newest first by (logged_at, id).
CREATE TABLE `log_lines` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `logged_at` DATETIME(3) NOT NULL,
    `level` TINYINT UNSIGNED NOT NULL,
    `logger` VARCHAR(255) NULL,
    `message` TEXT NOT NULL,
    `request_id` VARCHAR(128) NULL,
    `installation` BIGINT NULL,
    `repository` VARCHAR(255) NULL,
    `actor` VARCHAR(255) NULL,
    `line` MEDIUMTEXT NOT NULL,
    PRIMARY KEY (`id`),
    INDEX `log_lines_logged_at_idx` (`logged_at`, `id`),
    INDEX `log_lines_request_id_idx` (`request_id`),
    INDEX `log_lines_repository_idx` (`repository`, `logged_at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
