// The webhook route, counted: every delivery that reaches it, and what it was
// answered. Wraps the intake from outside, so the intake itself stays about
// verifying and storing.
import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";
import type { WebhookReceiver } from "./server.js";

export type WebhookAnswer = "stored" | "duplicate" | "refused" | "unavailable";

export interface WebhookObserver {
  received(event: string | undefined): void;
  answered(event: string | undefined, answer: WebhookAnswer): void;
}

export function observedWebhooks(intake: WebhookReceiver, observer: WebhookObserver): WebhookReceiver {
  return {
    async receive(request: IncomingMessage) {
      const header = request.headers["x-github-event"];
      const event = Array.isArray(header) ? header[0] : header;
      observer.received(event);
      try {
        const answer = await intake.receive(request);
        observer.answered(event, answer.status === 202 ? "stored" : "duplicate");
        return answer;
      } catch (error) {
        observer.answered(event, error instanceof HttpError && error.status < 500 ? "refused" : "unavailable");
        throw error;
      }
    },
  };
}
