-- CreateTable
CREATE TABLE `dora_deployments` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `installation_id` BIGINT NULL,
    `source_key` VARCHAR(64) NOT NULL,
    `source` VARCHAR(16) NOT NULL,
    `environment` VARCHAR(255) NOT NULL,
    `sha` VARCHAR(40) NOT NULL,
    `ref` VARCHAR(255) NULL,
    `created_at` DATETIME(3) NOT NULL,
    `state` VARCHAR(16) NOT NULL DEFAULT 'pending',
    `state_at` DATETIME(3) NULL,
    `deployed_at` DATETIME(3) NULL,
    `failed_at` DATETIME(3) NULL,
    `changes_base_sha` VARCHAR(40) NULL,
    `changes_computed_at` DATETIME(3) NULL,
    `changes_truncated` BOOLEAN NOT NULL DEFAULT false,

    UNIQUE INDEX `dora_deployments_repo_source_key_key`(`repo`, `source_key`),
    INDEX `dora_deployments_repo_env_deployed_idx`(`repo`, `environment`, `deployed_at`),
    INDEX `dora_deployments_installation_deployed_idx`(`installation_id`, `deployed_at`),
    INDEX `dora_deployments_repo_failed_idx`(`repo`, `failed_at`),
    INDEX `dora_deployments_installation_failed_idx`(`installation_id`, `failed_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_deployment_statuses` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `deployment_id` BIGINT NOT NULL,
    `status_key` VARCHAR(64) NOT NULL,
    `state` VARCHAR(16) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `dora_deployment_statuses_deployment_status_key`(`deployment_id`, `status_key`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_changes` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `deployment_id` BIGINT NOT NULL,
    `sha` VARCHAR(40) NOT NULL,
    `authored_at` DATETIME(3) NOT NULL,
    `committed_at` DATETIME(3) NULL,
    `message` TEXT NOT NULL,
    `pr_repo` VARCHAR(255) NULL,
    `pr_number` INTEGER NULL,

    UNIQUE INDEX `dora_changes_deployment_sha_key`(`deployment_id`, `sha`),
    INDEX `dora_changes_pr_idx`(`pr_repo`, `pr_number`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_pull_requests` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `number` INTEGER NOT NULL,
    `installation_id` BIGINT NULL,
    `title` VARCHAR(1024) NOT NULL,
    `body` MEDIUMTEXT NULL,
    `state` VARCHAR(16) NOT NULL,
    `head_ref` VARCHAR(255) NOT NULL,
    `head_sha` VARCHAR(40) NULL,
    `base_ref` VARCHAR(255) NOT NULL,
    `labels` JSON NOT NULL,
    `opened_at` DATETIME(3) NOT NULL,
    `closed_at` DATETIME(3) NULL,
    `merged_at` DATETIME(3) NULL,
    `merge_commit_sha` VARCHAR(40) NULL,
    `first_commit_at` DATETIME(3) NULL,
    `first_review_at` DATETIME(3) NULL,
    `github_updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `dora_pull_requests_repo_number_key`(`repo`, `number`),
    INDEX `dora_pull_requests_merge_commit_idx`(`repo`, `merge_commit_sha`),
    INDEX `dora_pull_requests_repo_merged_idx`(`repo`, `merged_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_incidents` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `number` INTEGER NOT NULL,
    `installation_id` BIGINT NULL,
    `title` VARCHAR(1024) NOT NULL,
    `body` MEDIUMTEXT NULL,
    `labels` JSON NOT NULL,
    `is_incident` BOOLEAN NOT NULL,
    `opened_at` DATETIME(3) NOT NULL,
    `closed_at` DATETIME(3) NULL,
    `root_cause_sha` VARCHAR(40) NULL,
    `environment` VARCHAR(255) NULL,
    `github_updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `dora_incidents_repo_number_key`(`repo`, `number`),
    INDEX `dora_incidents_repo_opened_idx`(`repo`, `opened_at`),
    INDEX `dora_incidents_installation_opened_idx`(`installation_id`, `opened_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_commits` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `sha` VARCHAR(40) NOT NULL,
    `authored_at` DATETIME(3) NULL,
    `committed_at` DATETIME(3) NULL,
    `message` TEXT NULL,
    `pr_looked_up_at` DATETIME(3) NULL,
    `pr_number` INTEGER NULL,

    UNIQUE INDEX `dora_commits_repo_sha_key`(`repo`, `sha`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_backfill_jobs` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `installation_id` BIGINT NOT NULL,
    `days` INTEGER NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `trigger` VARCHAR(128) NOT NULL,
    `started_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `finished_at` DATETIME(3) NULL,
    `counts` JSON NULL,
    `error` TEXT NULL,

    UNIQUE INDEX `dora_backfill_jobs_repo_trigger_key`(`repo`, `trigger`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
