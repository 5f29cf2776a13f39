// Whether the application's database user could still rewrite the audit
// log. The triggers refuse UPDATE and DELETE, but a user who may drop
// triggers, alter, drop or truncate the table (TRIGGER, ALTER, DROP), or who
// holds UPDATE/DELETE beside them, can undo that. The safe grant on audit_log
// is INSERT and SELECT only (docs/audit.md); `iact-bot migrate` warns
// otherwise. Read from SHOW GRANTS, which works for any user without
// access to the mysql schema.
import mysql from "mysql2/promise";
import { mysqlConnectionOptions } from "./database-url.js";
import type { DatabaseSettings } from "./database-url.js";

const TAMPERING = ["ALL PRIVILEGES", "ALL", "UPDATE", "DELETE", "DROP", "ALTER", "TRIGGER", "SUPER"];

export interface TamperingGrant {
  privileges: string[];
  on: string;
}

/** The grants (lines of SHOW GRANTS) that would let their holder rewrite `database`.audit_log. */
export function auditTamperingGrants(grantLines: readonly string[], database: string): TamperingGrant[] {
  const found: TamperingGrant[] = [];
  for (const line of grantLines) {
    const match = /^GRANT (.+?) ON (\S+) TO /i.exec(line);
    if (!match) continue;
    const privileges = match[1]!.split(",").map((privilege) => privilege.trim().toUpperCase());
    const on = match[2]!;
    if (!coversAuditLog(on, database)) continue;
    const risky = privileges.filter((privilege) => TAMPERING.includes(privilege));
    if (risky.length > 0) found.push({ privileges: risky, on });
  }
  return found;
}

function coversAuditLog(on: string, database: string): boolean {
  if (on === "*.*") return true;
  const match = /^`((?:[^`]|``)+)`\.(\*|`audit_log`)$/.exec(on);
  if (!match) return false;
  return likePattern(match[1]!.replace(/``/g, "`")).test(database);
}

/** A GRANT's database name is a LIKE pattern: % and _ are wildcards, \_ and \% literal. */
function likePattern(pattern: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "\\" && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]!);
    else if (char === "%") source += ".*";
    else if (char === "_") source += ".";
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export async function readAuditTamperingGrants(settings: DatabaseSettings): Promise<TamperingGrant[]> {
  const connection = await mysql.createConnection(mysqlConnectionOptions(settings));
  try {
    const [rows] = await connection.query({ sql: "SHOW GRANTS", rowsAsArray: true });
    return auditTamperingGrants((rows as string[][]).map((row) => row[0]!), settings.database);
  } finally {
    await connection.end();
  }
}
