// release.published: a deployment when the repository's `dora.deployments`
// settings count releases.
import type { ReleaseEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import { fromReleaseEvent } from "../events/deployment-events.js";
import { payloadAs, withDoraSettings } from "./capture-settings.js";
import type { HandlerDependencies } from "./dependencies.js";

export function onRelease(context: Context<"release.published">, dependencies: HandlerDependencies): Promise<void> {
  return withDoraSettings(context, dependencies, async (capture, config) => {
    const release = fromReleaseEvent(payloadAs<ReleaseEvent>(context), config);
    if (release) await capture.writer.release(context.octokit, release);
  });
}
