-- CreateTable: each repository's effective DORA settings (the validated `dora`
-- section of its .github/iact.yml), recorded by capture when they change, so
-- that GET /api/dora/metrics?repo= measures the repository with them
-- (src/store/dora-repo-settings.ts, docs/api.md "Settings").
CREATE TABLE `dora_repo_settings` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `settings` JSON NOT NULL,
    `settings_hash` CHAR(64) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `dora_repo_settings_repo_key`(`repo`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
