-- Monthly DORA report issues (src/jobs/report-issues-job.ts).
-- dora_report_issues: the issue published for each repository and period
-- (YYYY-MM), so a period is published once and a re-run updates the same
-- issue; the issue's hidden marker finds it again if this row is lost.
-- dora_report_baselines: the team's baseline, the figures of a repository's
-- first report, kept so that every later report compares against it.
-- CreateTable
CREATE TABLE `dora_report_issues` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `repo` VARCHAR(255) NOT NULL,
    `period` CHAR(7) NOT NULL,
    `issue_number` INTEGER NOT NULL,
    `issue_url` VARCHAR(1024) NOT NULL,
    `published_at` DATETIME(3) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `dora_report_issues_repo_period_key`(`repo`, `period`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `dora_report_baselines` (
    `repo` VARCHAR(255) NOT NULL,
    `period` CHAR(7) NOT NULL,
    `figures` JSON NOT NULL,
    `created_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`repo`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
