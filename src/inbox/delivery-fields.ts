// The few fields of a delivery the inbox keeps in columns of their own
// (action, installation, repository: for logs, claims and operators), read
// from whatever GitHub signed. The payload itself is stored as its bytes and
// judged later by the worker, so nothing here may refuse a delivery: a field
// of the wrong type, an id no BIGINT column can hold, a name longer than its
// column is left out (null) with a note saying why, never converted blindly.

/** Column sizes of webhook_deliveries (prisma/schema.prisma). */
const ACTION_CHARS = 64;
const REPOSITORY_CHARS = 255;

export interface DeliveryFields {
  action: string | null;
  installationId: bigint | null;
  repository: string | null;
  /** One line per field left out or shortened, for the intake's log. */
  notes: string[];
}

export function deliveryFields(payload: Readonly<Record<string, unknown>>): DeliveryFields {
  const notes: string[] = [];
  return {
    action: readAction(ownField(payload, "action"), notes),
    installationId: readInstallationId(ownField(ownObject(payload, "installation"), "id"), notes),
    repository: readRepository(ownField(ownObject(payload, "repository"), "full_name"), notes),
    notes,
  };
}

function readAction(value: unknown, notes: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    notes.push(`action is ${describe(value)}, not a string: stored as null`);
    return null;
  }
  // Safe to shorten: the column only labels the row; the payload keeps the whole action.
  if (value.length > ACTION_CHARS) {
    notes.push(`action is ${value.length} characters long: stored shortened to ${ACTION_CHARS}`);
    return [...value].slice(0, ACTION_CHARS).join("");
  }
  return value;
}

function readInstallationId(value: unknown, notes: string[]): bigint | null {
  if (value === undefined || value === null) return null;
  // GitHub's ids are positive integers; JSON numbers past 2^53 have already lost digits.
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    notes.push(`installation.id is ${describe(value)}, not a positive integer up to 2^53: stored as null`);
    return null;
  }
  return BigInt(value);
}

function readRepository(value: unknown, notes: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    notes.push(`repository.full_name is ${describe(value)}, not a string: stored as null`);
    return null;
  }
  // Not shortened: the column names the repository, and a prefix would name another one.
  if ([...value].length > REPOSITORY_CHARS) {
    notes.push(`repository.full_name is longer than ${REPOSITORY_CHARS} characters: stored as null`);
    return null;
  }
  return value;
}

/** Own properties only: a payload's "__proto__" key is data, and inherited ones are not GitHub's. */
function ownField(object: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

function ownObject(object: Readonly<Record<string, unknown>>, key: string): Readonly<Record<string, unknown>> | undefined {
  const value = ownField(object, key);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `a string of ${value.length} characters`;
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
