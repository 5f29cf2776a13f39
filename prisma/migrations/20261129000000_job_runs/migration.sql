-- Scheduled jobs (src/jobs/scheduler.ts): one row per job and scheduled time.
-- The row is also the run's lease: replicas that fire the same schedule race
-- to insert it and the unique key lets exactly one win; the winner renews
-- lease_until while it runs, and a holder that dies leaves a lease that lapses,
-- after which the run may be taken over (catch-up at start). Manual runs
-- (`iact-bot jobs run`) are rows with trigger 'manual' and the time asked.
-- CreateTable
CREATE TABLE `job_runs` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `job` VARCHAR(64) NOT NULL,
    `scheduled_for` DATETIME(3) NOT NULL,
    `trigger` VARCHAR(16) NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `holder` VARCHAR(255) NOT NULL,
    `lease_until` DATETIME(3) NOT NULL,
    `attempts` INTEGER NOT NULL DEFAULT 1,
    `started_at` DATETIME(3) NOT NULL,
    `finished_at` DATETIME(3) NULL,
    `error` TEXT NULL,
    `counts` JSON NULL,

    UNIQUE INDEX `job_runs_job_scheduled_for_key`(`job`, `scheduled_for`),
    INDEX `job_runs_job_started_at_idx`(`job`, `started_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
