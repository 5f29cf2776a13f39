-- CreateTable
CREATE TABLE `webhook_deliveries` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `delivery_id` VARCHAR(64) NOT NULL,
    `event` VARCHAR(64) NOT NULL,
    `action` VARCHAR(64) NULL,
    `installation_id` BIGINT NULL,
    `repository` VARCHAR(255) NULL,
    `payload` JSON NOT NULL,
    `received_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `status` VARCHAR(16) NOT NULL DEFAULT 'pending',
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `last_error` TEXT NULL,
    `next_attempt_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `locked_by` VARCHAR(128) NULL,
    `locked_at` DATETIME(3) NULL,
    `processed_at` DATETIME(3) NULL,

    UNIQUE INDEX `webhook_deliveries_delivery_id_key`(`delivery_id`),
    INDEX `webhook_deliveries_status_next_idx`(`status`, `next_attempt_at`),
    INDEX `webhook_deliveries_installation_idx`(`installation_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
