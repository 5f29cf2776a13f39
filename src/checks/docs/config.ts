// The `checks.docs` section of .github/iact.yml. One zod schema validates it,
// gives the defaults and types the engine (STYLE.md: configuration as a schema).
import { z } from "zod";

import { DOCS_RULE_IDS } from "./rules.js";

const ruleLevelSchema = z.enum(["failure", "warning", "off"]);

/** Repository-relative folder: no leading "./" or "/", one trailing "/", "" for the whole repository. */
function normaliseFolder(folder: string): string {
  const trimmed = folder.trim().replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
  return trimmed === "" || trimmed === "." ? "" : `${trimmed}/`;
}

function normaliseFile(file: string): string {
  return file.trim().replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

const noParentSegments = (value: string) => !value.split("/").includes("..");

const folderSchema = z
  .string()
  .refine(noParentSegments, { message: 'must be a repository path without ".." segments' })
  .transform(normaliseFolder);

const retiredFolderSchema = folderSchema.refine((folder) => folder !== "", {
  message: "a retired folder cannot be the repository root",
});

const rulesSchema = z.strictObject(
  Object.fromEntries(DOCS_RULE_IDS.map((id) => [id, ruleLevelSchema.optional()])) as Record<
    (typeof DOCS_RULE_IDS)[number],
    z.ZodOptional<typeof ruleLevelSchema>
  >,
);

export const docsConfigSchema = z
  .strictObject({
    /** Run the docs checks at all. */
    enabled: z.boolean().default(true),
    /** Folder whose Markdown files are checked. */
    root: folderSchema.default("docs/"),
    /** Index file whose entries must exist. */
    index: z
      .string()
      .min(1)
      .refine(noParentSegments, { message: 'must be a repository path without ".." segments' })
      .transform(normaliseFile)
      .default("docs/INDICE.md"),
    /** Retired folder(s) nothing may link to or mention. */
    retired: z
      .union([retiredFolderSchema, z.array(retiredFolderSchema)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .default(["docs_legacy/"]),
    /** Globs (repository-relative) selecting the files under `root` that are parsed as Markdown. */
    include: z
      .array(z.string().min(1))
      .default(["**/*.md", "**/*.markdown", "**/*.mdown", "**/*.mkdn", "**/*.mkd", "**/*.mdwn"]),
    /** Globs (repository-relative) of files under `root` to skip. */
    exclude: z.array(z.string().min(1)).default([]),
    /** Per-rule level: "failure", "warning" or "off". */
    rules: rulesSchema.default({}),
  })
  .prefault({});

export type DocsConfig = z.output<typeof docsConfigSchema>;
export type DocsRuleLevel = z.output<typeof ruleLevelSchema>;

export const defaultDocsConfig: DocsConfig = docsConfigSchema.parse(undefined);
