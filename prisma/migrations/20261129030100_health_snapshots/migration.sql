-- One row per health snapshot (every 5 minutes, kept 30 days): each
-- dependency's state as /ready reports it, plus the inbox backlog, recent job
-- failures and GitHub's reachability.
CREATE TABLE `health_snapshots` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `taken_at` DATETIME(3) NOT NULL,
    `instance` VARCHAR(255) NOT NULL,
    `ok` BOOLEAN NOT NULL,
    `components` JSON NOT NULL,
    PRIMARY KEY (`id`),
    INDEX `health_snapshots_taken_at_idx` (`taken_at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
