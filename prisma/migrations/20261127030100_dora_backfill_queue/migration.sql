-- dora_backfill_jobs becomes a queue drained by src/jobs/backfill-runner.ts
-- (docs/capture.md, "Backfill"): status gains 'queued'; a job is claimed with
-- a lease renewed while it runs, and retried with backoff.
ALTER TABLE `dora_backfill_jobs`
    ADD COLUMN `attempts` INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN `run_after` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    ADD COLUMN `locked_by` VARCHAR(128) NULL,
    ADD COLUMN `locked_until` DATETIME(3) NULL,
    ADD INDEX `dora_backfill_jobs_status_run_after_idx`(`status`, `run_after`);
