-- Rollup days as 'YYYY-MM-DD' text: a UTC calendar day is a label, not an
-- instant; text compares and sorts the same and never meets a time zone or
-- a driver's idea of midnight. Existing DATE values convert as they are.
-- AlterTable
ALTER TABLE `dora_daily_rollups` MODIFY `day` CHAR(10) NOT NULL;

-- AlterTable
ALTER TABLE `dora_rollup_state` MODIFY `covered_from` CHAR(10) NOT NULL;
