-- One rollup refresh at a time across replicas: a lease on the state row,
-- taken by a conditional UPDATE (src/store/dora-rollups.ts). The refresh
-- deletes and re-inserts day rows per repository; two at once waste the work
-- and can deadlock. A refresher that dies leaves a lease that lapses at
-- refreshing_until. Before the first build the row exists only to carry the
-- lease: settings_hash '' means "no rollups yet".
--
-- stale_from: a backfill wrote facts from this UTC day on; the next refresh
-- rebuilds from there. stale_marked_at tells a refresh whether a backfill
-- marked the rollups again while it ran (then the mark stays).
-- AlterTable
ALTER TABLE `dora_rollup_state`
    ADD COLUMN `refreshing_by` VARCHAR(255) NULL,
    ADD COLUMN `refreshing_until` DATETIME(3) NULL,
    ADD COLUMN `stale_from` CHAR(10) NULL,
    ADD COLUMN `stale_marked_at` DATETIME(3) NULL;
