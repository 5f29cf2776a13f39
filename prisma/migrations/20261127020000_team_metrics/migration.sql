-- The team's own metric records (TASK-005 of the execution plan: Django's
-- DORAMetric, db_table 'dora_metrics'), written by POST /api/dora/metrics
-- and `iact-bot import`.
-- CreateTable
CREATE TABLE `dora_metrics` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `cycle_id` VARCHAR(50) NOT NULL,
    `feature_id` VARCHAR(50) NOT NULL,
    `phase_name` VARCHAR(50) NOT NULL,
    `decision` VARCHAR(20) NOT NULL,
    `duration_seconds` DECIMAL(10, 2) NOT NULL,
    `metadata` JSON NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `dora_metrics_cycle_id_key`(`cycle_id`),
    INDEX `dora_metrics_phase_name_idx`(`phase_name`),
    INDEX `dora_metrics_feature_id_idx`(`feature_id`),
    INDEX `dora_metrics_created_at_idx`(`created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
