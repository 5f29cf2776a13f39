// A body over the size limit on a keep-alive connection, through the real
// service and a raw socket (node:net), so nothing in a client library hides
// what the server does with the connection: after the 413 the next request
// on the same connection must be answered, or the server must have said
// `Connection: close` and closed the socket. A hang fails the test at its
// deadline (a correctness bound: the answer never comes, however long one waits).
import net from "node:net";
import { describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { MAX_WEBHOOK_BYTES } from "../../src/http/webhook-intake.js";
import { serviceForAllTests } from "../support/service.js";
import { tokenFor } from "./api-client.js";

const API_LIMIT = 4096;
const ANSWER_DEADLINE_MS = 10_000;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One keep-alive connection: write raw bytes, read one HTTP answer at a time, notice the server closing. */
class RawConnection {
  private buffered = Buffer.alloc(0);
  private closed = false;
  private wake: (() => void) | undefined;
  readonly socket: net.Socket;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake?.();
    });
    const close = () => {
      this.closed = true;
      this.wake?.();
    };
    socket.on("end", close);
    socket.on("close", close);
    // A reset while the client is still sending the oversized body is one way of closing.
    socket.on("error", close);
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** Writes, resolving once the bytes are handed to the kernel (or the server has closed). */
  async write(data: string | Buffer): Promise<void> {
    if (this.closed || this.socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const flushed = this.socket.write(data, () => resolve());
      if (!flushed) this.socket.once("close", () => resolve());
    });
  }

  /** The next answer, or "closed" when the server closed the connection first; throws after the deadline. */
  async nextAnswer(): Promise<RawAnswer | "closed"> {
    const deadline = Date.now() + ANSWER_DEADLINE_MS;
    for (;;) {
      const answer = this.takeAnswer();
      if (answer) return answer;
      if (this.closed) return "closed";
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer and no close within ${ANSWER_DEADLINE_MS} ms: the connection hangs`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private takeAnswer(): RawAnswer | undefined {
    const headEnd = this.buffered.indexOf("\r\n\r\n");
    if (headEnd < 0) return undefined;
    const [statusLine, ...headerLines] = this.buffered.subarray(0, headEnd).toString("latin1").split("\r\n");
    const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
    const length = Number(headers["content-length"] ?? 0);
    if (this.buffered.length < headEnd + 4 + length) return undefined;
    const body = this.buffered.subarray(headEnd + 4, headEnd + 4 + length).toString("utf8");
    this.buffered = this.buffered.subarray(headEnd + 4 + length);
    return { status: Number(statusLine!.split(" ")[1]), headers, body };
  }

  end(): void {
    this.socket.destroy();
  }
}

function chunked(size: number): Buffer {
  const chunk = Buffer.alloc(64 * 1024, "a");
  const parts: Buffer[] = [];
  for (let sent = 0; sent < size; sent += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

const FOLLOW_UP = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

type Framing = "chunked" | "content-length";

function oversizedRequest(path: string, headers: Record<string, string>, bytes: number, framing: Framing): Buffer {
  const head = [`POST ${path} HTTP/1.1`, "Host: test", "Connection: keep-alive", "Content-Type: application/json", ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  if (framing === "chunked") return Buffer.concat([Buffer.from([...head, "Transfer-Encoding: chunked", "", ""].join("\r\n")), chunked(bytes)]);
  return Buffer.concat([Buffer.from([...head, `Content-Length: ${bytes}`, "", ""].join("\r\n")), Buffer.alloc(bytes, "a")]);
}

/**
 * Sends the oversized request and then a follow-up on the same connection;
 * returns the 413 and what became of the follow-up.
 */
async function overLimitThenFollowUp(service: RunningService, request: Buffer): Promise<{ first: RawAnswer | "closed"; second: RawAnswer | "closed" }> {
  const connection = await RawConnection.open(service.url);
  try {
    await connection.write(request);
    const first = await connection.nextAnswer();
    await connection.write(FOLLOW_UP);
    const second = await connection.nextAnswer();
    return { first, second };
  } finally {
    connection.end();
  }
}

function expectUsableOrClosedCleanly(outcome: { first: RawAnswer | "closed"; second: RawAnswer | "closed" }, limitPattern: RegExp): void {
  expect(outcome.first).not.toBe("closed");
  const first = outcome.first as RawAnswer;
  expect(first.status).toBe(413);
  expect((JSON.parse(first.body) as { error: string }).error).toMatch(limitPattern);
  if (outcome.second === "closed") expect(first.headers.connection).toBe("close");
  else expect(outcome.second.status).toBe(200);
}

describe("a body over the limit on a keep-alive connection", () => {
  let service: RunningService;
  let writeToken: string;
  serviceForAllTests((running) => (service = running), { env: { IACT_API_MAX_BODY_BYTES: String(API_LIMIT), IACT_WORKER_ENABLED: "false" } });

  const webhookHeaders = { "X-GitHub-Event": "push", "X-GitHub-Delivery": "keep-alive-413", "X-Hub-Signature-256": `sha256=${"0".repeat(64)}` };

  for (const framing of ["chunked", "content-length"] as const) {
    it(`API route, ${framing} body: answers 413 naming the limit, then answers the next request or closes cleanly`, async () => {
      writeToken = await tokenFor(service.prisma, "write");
      const outcome = await overLimitThenFollowUp(service, oversizedRequest("/api/dora/metrics", { Authorization: `Bearer ${writeToken}` }, API_LIMIT * 4, framing));
      expectUsableOrClosedCleanly(outcome, new RegExp(`limit (is|of) ${API_LIMIT} bytes`));
    });

    it(`webhook route, ${framing} body: answers 413 naming the limit, then answers the next request or closes cleanly`, async () => {
      const outcome = await overLimitThenFollowUp(service, oversizedRequest("/api/github/webhooks", webhookHeaders, MAX_WEBHOOK_BYTES + 1024 * 1024, framing));
      expectUsableOrClosedCleanly(outcome, new RegExp(`limit (is|of) ${MAX_WEBHOOK_BYTES} bytes`));
    });
  }

  it("keeps the connection usable after a body within the limit", async () => {
    writeToken = await tokenFor(service.prisma, "write");
    const connection = await RawConnection.open(service.url);
    try {
      const body = JSON.stringify({ cycle_id: "keep-alive-1", feature_id: "F", phase_name: "deployment", decision: "go", duration_seconds: 1 });
      await connection.write(`POST /api/dora/metrics HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${writeToken}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      expect(await connection.nextAnswer()).toMatchObject({ status: 201 });
      await connection.write(FOLLOW_UP);
      expect(await connection.nextAnswer()).toMatchObject({ status: 200 });
    } finally {
      connection.end();
    }
  });
});
