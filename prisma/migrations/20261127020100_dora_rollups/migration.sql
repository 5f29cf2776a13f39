-- Daily rollups of the DORA facts, so GET /api/dora/metrics reads a few
-- hundred small rows instead of every deployment and change of the window.
-- Built from dora_deployments/dora_changes/dora_incidents by
-- src/store/dora-rollups.ts with the pure core's rules; see docs/api.md.
-- repo '*' holds the sum over every repository.
-- CreateTable
CREATE TABLE `dora_daily_rollups` (
    `repo` VARCHAR(255) NOT NULL,
    `environment` VARCHAR(255) NOT NULL,
    `day` DATE NOT NULL,
    `deployments` INTEGER NOT NULL DEFAULT 0,
    `failed_deployments` INTEGER NOT NULL DEFAULT 0,
    `rework_deployments` INTEGER NOT NULL DEFAULT 0,
    `failed_attempts` INTEGER NOT NULL DEFAULT 0,
    `lead_time_count` INTEGER NOT NULL DEFAULT 0,
    `lead_time_histograms` JSON NOT NULL,
    `recovery_hours` JSON NOT NULL,
    `restore_hours` JSON NOT NULL,
    `computed_at` DATETIME(3) NOT NULL,

    INDEX `dora_daily_rollups_day_idx`(`day`),
    PRIMARY KEY (`repo`, `environment`, `day`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_rollup_state` (
    `id` INTEGER NOT NULL,
    `covered_from` DATE NOT NULL,
    `refreshed_at` DATETIME(3) NOT NULL,
    `settings_hash` CHAR(64) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
