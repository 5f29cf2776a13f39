-- Redeliveries the webhook repair job asked GitHub for: one row per delivery
-- guid, written before the request, so each missed delivery is asked for at
-- most once whatever replicas or re-runs happen.
CREATE TABLE `webhook_redeliveries` (
    `guid` VARCHAR(64) NOT NULL,
    `hook_delivery_id` BIGINT NOT NULL,
    `event` VARCHAR(64) NOT NULL,
    `failed_status_code` INTEGER NOT NULL,
    `requested_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`guid`),
    INDEX `webhook_redeliveries_requested_at_idx` (`requested_at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
