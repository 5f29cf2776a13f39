// `issues` opened, edited, closed, reopened, labeled, unlabeled: DORA capture
// stores the issue as it is now and decides from its labels whether it is an
// incident. Other actions read nothing from the payload but the repository.
import { z } from "zod";
import { installationReference, label, repository, timestamp, title } from "./fields.js";

export const ISSUE_ACTIONS_READ = ["opened", "edited", "closed", "reopened", "labeled", "unlabeled"] as const;

export const issuesPayload = z.looseObject({
  action: z.enum(ISSUE_ACTIONS_READ),
  installation: installationReference,
  repository,
  issue: z.looseObject({
    number: z.number().int().positive(),
    title,
    // Optional: without it there is no root cause to read.
    body: z.string().nullish(),
    // Required, though GitHub's types call it optional (it always sends it): the
    // labels make an issue an incident, and storing "no labels" would overwrite one.
    labels: z.array(label),
    created_at: timestamp,
    // Required: the newest copy of an issue wins by updated_at.
    updated_at: timestamp,
    // Required but null while open: absent would reopen a closed incident.
    closed_at: timestamp.nullable(),
  }),
  // Optional: on `unlabeled`, the label removed; without it a late `labeled` could revive an incident.
  label: label.optional(),
});
