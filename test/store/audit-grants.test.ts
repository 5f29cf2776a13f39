// Which grants let a user rewrite the audit log, on SHOW GRANTS lines as
// MariaDB and MySQL print them.
import { describe, expect, it } from "vitest";
import { auditTamperingGrants } from "../../src/store/audit-grants.js";

describe("auditTamperingGrants", () => {
  it("flags ALL, UPDATE, DELETE, DROP, ALTER and TRIGGER on the database, the table or everything", () => {
    const lines = [
      "GRANT USAGE ON *.* TO `iact`@`%` IDENTIFIED BY PASSWORD '*ABC'",
      "GRANT ALL PRIVILEGES ON `iact\\_test%`.* TO `iact`@`%`",
      "GRANT SELECT, INSERT, UPDATE ON `iact`.* TO `iact`@`%`",
      "GRANT SELECT, INSERT ON `iact`.`audit_log` TO `iact`@`%`",
      "GRANT DROP, TRIGGER ON `iact`.`audit_log` TO `iact`@`%`",
      "GRANT SUPER ON *.* TO `iact`@`%`",
    ];
    expect(auditTamperingGrants(lines, "iact")).toEqual([
      { privileges: ["UPDATE"], on: "`iact`.*" },
      { privileges: ["DROP", "TRIGGER"], on: "`iact`.`audit_log`" },
      { privileges: ["SUPER"], on: "*.*" },
    ]);
    expect(auditTamperingGrants(lines, "iact_test_x")).toEqual([
      { privileges: ["ALL PRIVILEGES"], on: "`iact\\_test%`.*" },
      { privileges: ["SUPER"], on: "*.*" },
    ]);
  });

  it("accepts the safe grant: INSERT and SELECT on audit_log, everything on other tables", () => {
    const lines = ["GRANT SELECT, INSERT ON `iact`.`audit_log` TO `app`@`%`", "GRANT ALL PRIVILEGES ON `iact`.`dora_metrics` TO `app`@`%`"];
    expect(auditTamperingGrants(lines, "iact")).toEqual([]);
    // "_" is a wildcard in a grant's database name: iactXtest matches iact_test.
    expect(auditTamperingGrants(["GRANT DELETE ON `iact_test`.* TO `app`@`%`"], "iactXtest")).toEqual([{ privileges: ["DELETE"], on: "`iact_test`.*" }]);
  });
});
