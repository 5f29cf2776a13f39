-- CreateIndex: one repository's deployments in a time window, whatever the
-- environment (loadDoraInput with a repo filter, rollup builds).
CREATE INDEX `dora_deployments_repo_deployed_idx` ON `dora_deployments`(`repo`, `deployed_at`);
