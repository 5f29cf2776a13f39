-- AlterTable: a token may be restricted to repositories. NULL: every
-- repository (the tokens made before this migration keep their reach).
-- Otherwise {"repos": ["owner/name", ...], "owners": ["org", ...]}: the
-- token reads a repository named in `repos` or owned by one of `owners`.
ALTER TABLE `api_tokens` ADD COLUMN `repo_scope` JSON NULL;
