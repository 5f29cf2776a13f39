-- First review times of pull requests (docs/capture.md, "First review").
-- first_review_at exists since 20261127010000_dora_records but was never
-- filled; reviews_listed_at records that a merged PR's reviews were listed,
-- so a PR without a qualifying review is not listed again at each delivery.
ALTER TABLE `dora_pull_requests` ADD COLUMN `reviews_listed_at` DATETIME(3) NULL;
