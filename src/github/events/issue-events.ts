// issues webhooks and REST issues -> IssueObservation, and what makes one an incident.
import type { IssuesEvent } from "@octokit/webhooks-types";
import type { DoraConfig } from "../../config/dora-config.js";
import { parseRootCause } from "../../dora/index.js";
import { dateOf, labelNames } from "./payload-fields.js";
import type { IssueObservation } from "../../store/capture-facts.js";


interface IssueShape {
  number: number;
  title: string;
  body?: string | null;
  labels?: ReadonlyArray<string | { name?: string | null }>;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export function issueObservation(repo: string, installationId: number | undefined, issue: IssueShape): IssueObservation {
  const closedAt = dateOf(issue.closed_at);
  return {
    repo,
    ...(installationId === undefined ? {} : { installationId }),
    number: issue.number,
    title: issue.title,
    ...(issue.body ? { body: issue.body } : {}),
    labels: labelNames(issue.labels),
    openedAt: dateOf(issue.created_at),
    ...(closedAt ? { closedAt } : {}),
    updatedAt: dateOf(issue.updated_at),
  };
}

/** opened, edited, closed, reopened, labeled, unlabeled: the issue as it is now. Other actions: undefined. */
export function fromIssuesEvent(payload: IssuesEvent): IssueObservation | undefined {
  if (!["opened", "edited", "closed", "reopened", "labeled", "unlabeled"].includes(payload.action)) return undefined;
  const observation = issueObservation(payload.repository.full_name, payload.installation?.id, payload.issue);
  return payload.action === "unlabeled" && payload.label ? { ...observation, removedLabel: payload.label.name } : observation;
}

/** Pull requests come back from the issues API too: those are not incidents. */
export function fromRestIssue(repo: string, installationId: number | undefined, issue: IssueShape & { pull_request?: unknown }): IssueObservation | undefined {
  if (issue.pull_request) return undefined;
  return issueObservation(repo, installationId, issue);
}

/** Any configured incident label, case-insensitively. */
export function isIncident(issue: IssueObservation, config: DoraConfig): boolean {
  const wanted = new Set(config.incidents.labels.map((label) => label.toLowerCase()));
  return issue.labels.some((label) => wanted.has(label.toLowerCase()));
}

/** An unlabeled event that took an incident label away (the row must exist, marked not an incident). */
export function lostIncidentLabel(issue: IssueObservation, config: DoraConfig): boolean {
  const removed = issue.removedLabel?.toLowerCase();
  return removed !== undefined && config.incidents.labels.some((label) => label.toLowerCase() === removed);
}

export function rootCauseOf(issue: IssueObservation): string | undefined {
  return issue.body ? parseRootCause(issue.body) : undefined;
}
