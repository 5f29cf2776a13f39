// fast-check arbitraries of hostile webhook deliveries: GitHub's published
// example payloads with one to three mutations each (a field deleted, or
// replaced by a value of the wrong type, a number no column can hold, a long
// string, deep nesting, an own "__proto__" key), as a correctly signed sender
// could still send them. Each delivery is JSON text: what is signed and sent.
import fc from "fast-check";
import { exampleFor } from "../support/webhook-examples.js";

/** The events iact-bot handles, with the action its handlers read. */
const EXAMPLES: ReadonlyArray<readonly [string, string | undefined]> = [
  ["push", undefined],
  ["pull_request", "opened"],
  ["pull_request", "synchronize"],
  ["pull_request", "closed"],
  ["deployment", "created"],
  ["deployment_status", "created"],
  ["issues", "opened"],
  ["issues", "labeled"],
  ["issues", "assigned"],
  ["release", "published"],
  ["workflow_run", "completed"],
  ["check_suite", "rerequested"],
  ["check_run", "rerequested"],
  ["installation", "created"],
  ["installation_repositories", "added"],
];

export interface HostileDelivery {
  event: string;
  /** The JSON text sent and signed. */
  body: string;
  /** What was done to the example, for the failure report. */
  mutations: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

function nested(depth: number): Json {
  let value: Json = "bottom";
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? { deeper: value } : [value];
  return value;
}

/** An object with an own "__proto__" key, which only JSON.parse can make. */
function withOwnProto(): Json {
  return JSON.parse('{"__proto__": {"polluted": true}, "login": "proto"}') as Json;
}

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(-1e20, 1e20, 2 ** 63, -(2 ** 63), 1.5, -1, 0, Number.MAX_SAFE_INTEGER + 2, 1e308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.tuple(fc.constantFrom(65, 256, 70_000), fc.string({ minLength: 1, maxLength: 2 })).map(([times, text]) => text.repeat(times)),
  fc.constantFrom(31, 32, 100, 3_000).map(nested),
  fc.constantFrom<Json>([], {}, ["a", 1, null]),
  fc.constant(null).map(withOwnProto),
);

type Mutation = { kind: "delete" } | { kind: "replace"; value: Json } | { kind: "proto" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: "delete" }),
  hostileValue.map((value): Mutation => ({ kind: "replace", value })),
  fc.constant<Mutation>({ kind: "proto" }),
);

/** Every path of the payload down to `maxDepth`, the first two items of each array included. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = [], maxDepth = 6): Path[] {
  if (prefix.length >= maxDepth || value === null || typeof value !== "object") return out;
  const keys: Array<string | number> = Array.isArray(value) ? value.slice(0, 2).map((_item, index) => index) : Object.keys(value);
  for (const key of keys) {
    const path = [...prefix, key];
    out.push(path);
    pathsOf((value as Record<string | number, Json>)[key]!, path, out, maxDepth);
  }
  return out;
}

function apply(payload: Json, path: Path, change: Mutation): string {
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, payload) as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  const where = path.join(".");
  if (change.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return `deleted ${where}`;
  }
  if (change.kind === "replace") {
    parent[key] = change.value;
    return `replaced ${where} with ${describe(change.value)}`;
  }
  Object.defineProperty(parent, "__proto__", { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
  return `added an own __proto__ key beside ${where}`;
}

function describe(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}… (${text.length} chars)` : text;
}

export const hostileDelivery: fc.Arbitrary<HostileDelivery> = fc
  .record({
    example: fc.constantFrom(...EXAMPLES),
    changes: fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }),
  })
  .map(({ example: [event, action], changes }) => {
    const payload = exampleFor(event as never, action) as unknown as Json;
    const mutations: string[] = [];
    for (const [pick, change] of changes) {
      const paths = pathsOf(payload);
      if (paths.length === 0) break;
      mutations.push(apply(payload, paths[pick % paths.length]!, change));
    }
    return { event, body: JSON.stringify(payload), mutations };
  });
