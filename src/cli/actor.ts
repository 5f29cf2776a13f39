// Who runs a command, for the audit log: the operating-system user.
import os from "node:os";

export function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    // No passwd entry (some containers): the uid still says who.
    return `cli:uid-${process.getuid?.() ?? "unknown"}`;
  }
}
