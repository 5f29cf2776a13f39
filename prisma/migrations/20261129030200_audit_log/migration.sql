-- The audit log (ISO 27001): every state-changing action, append-only.
-- Each entry carries the SHA-256 of its content and the hash of the entry
-- before it, so a changed, removed or inserted entry breaks the chain
-- (`iact-bot audit verify`). The triggers make the database itself refuse
-- UPDATE and DELETE; the application's user should also be granted only
-- INSERT and SELECT on this table (docs/audit.md).
CREATE TABLE `audit_log` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `at` DATETIME(3) NOT NULL,
    `actor` VARCHAR(255) NOT NULL,
    `action` VARCHAR(64) NOT NULL,
    `target` VARCHAR(512) NOT NULL,
    `request_id` VARCHAR(128) NULL,
    `details` JSON NOT NULL,
    `content_hash` CHAR(64) NOT NULL,
    `previous_hash` CHAR(64) NOT NULL,
    `entry_hash` CHAR(64) NOT NULL,
    PRIMARY KEY (`id`),
    INDEX `audit_log_action_at_idx` (`action`, `at`),
    INDEX `audit_log_actor_at_idx` (`actor`, `at`),
    INDEX `audit_log_at_idx` (`at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The end of the chain: one row, locked by each append so that appends from
-- any number of replicas form one chain.
CREATE TABLE `audit_chain_head` (
    `id` INTEGER NOT NULL,
    `last_id` BIGINT NOT NULL,
    `last_hash` CHAR(64) NOT NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO `audit_chain_head` (`id`, `last_id`, `last_hash`) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only: UPDATE refused';

CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only: DELETE refused';
