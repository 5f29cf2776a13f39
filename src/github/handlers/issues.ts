// issues: incidents (issues with an incident label) for time to restore and
// change failure attribution.
import type { IssuesEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import { fromIssuesEvent } from "../events/issue-events.js";
import { payloadAs, withDoraSettings } from "./capture-settings.js";
import type { HandlerDependencies } from "./dependencies.js";

export function onIssues(context: Context<"issues">, dependencies: HandlerDependencies): Promise<void> {
  return withDoraSettings(context, dependencies, async (capture, config) => {
    const issue = fromIssuesEvent(payloadAs<IssuesEvent>(context));
    if (issue) await capture.writer.issue(issue, config);
  });
}
