// A throwaway GitHub App identity for tests: a real RSA key (Probot signs
// JWTs with it), a webhook secret, and a signer for deliveries.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";

export const TEST_APP_ID = "123456";
export const TEST_WEBHOOK_SECRET = "iact-test-webhook-secret";

export const TEST_PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export interface SendOptions {
  deliveryId?: string;
  secret?: string | null;
  /** Send this exact body instead of JSON.stringify(payload). */
  rawBody?: string;
}

/** POSTs a delivery signed like GitHub does; returns the response and the delivery id used. */
export async function sendWebhook(
  baseUrl: string,
  event: string,
  payload: unknown,
  options: SendOptions = {},
): Promise<{ response: Response; deliveryId: string; body: unknown }> {
  const deliveryId = options.deliveryId ?? randomUUID();
  const body = options.rawBody ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/test",
    "x-github-event": event,
    "x-github-delivery": deliveryId,
  };
  const secret = options.secret === undefined ? TEST_WEBHOOK_SECRET : options.secret;
  if (secret !== null) headers["x-hub-signature-256"] = await sign(secret, body);
  const response = await fetch(`${baseUrl}/api/github/webhooks`, { method: "POST", headers, body });
  const text = await response.text();
  return { response, deliveryId, body: text ? JSON.parse(text) : undefined };
}
