import { describe, expect, it } from "vitest";
import { briefsFor, findingsFor, only } from "./helpers.js";

interface Case {
  name: string;
  files: Record<string, string>;
  models?: string[];
  expected: string[];
}

const IMMUTABLE_METHODS = [
  "    def save(self, *args, **kwargs):",
  "        if not self._state.adding:",
  '            raise PermissionError("audit entries cannot be changed")',
  "        super().save(*args, **kwargs)",
  "",
  "    def delete(self, *args, **kwargs):",
  '        raise PermissionError("audit entries cannot be deleted")',
];

const immutable = (name: string, base = "models.Model") => [`class ${name}(${base}):`, "    action = models.CharField(max_length=64)", "", ...IMMUTABLE_METHODS, ""].join("\n");

const cases: Case[] = [
  {
    name: "a plain model can be updated and deleted",
    files: { "audit/models.py": "from django.db import models\n\nclass AuditLog(models.Model):\n    action = models.CharField(max_length=64)\n" },
    expected: ["audit-model-mutable audit/models.py:3 failure"],
  },
  {
    name: "save() that refuses updates but no delete()",
    files: { "audit/models.py": immutable("AuditLog").split("\n    def delete")[0]! },
    expected: ["audit-model-mutable audit/models.py:1 failure"],
  },
  {
    name: "save() that does not refuse updates",
    files: { "audit/models.py": ["class AuditLog(models.Model):", "    def save(self, *args, **kwargs):", "        self.action = self.action.lower()", "        super().save(*args, **kwargs)", "    def delete(self):", "        raise PermissionError()", ""].join("\n") },
    expected: ["audit-model-mutable audit/models.py:1 failure"],
  },
  {
    name: "a save() that raises on something else (validation) does not refuse updates",
    files: { "audit/models.py": ["class AuditLog(models.Model):", "    def save(self, *args, **kwargs):", "        if not self.action:", "            raise ValueError('action')", "        super().save(*args, **kwargs)", "    def delete(self):", "        raise PermissionError()", ""].join("\n") },
    expected: ["audit-model-mutable audit/models.py:1 failure"],
  },
  {
    name: "a dotted name finds only its module",
    files: { "audit/models.py": "class AuditEntry(models.Model):\n    pass\n", "legacy/models.py": "class AuditEntry(models.Model):\n    pass\n" },
    models: ["audit.models.AuditEntry"],
    expected: ["audit-model-mutable audit/models.py:1 failure"],
  },
  {
    name: "a base outside the repository cannot be verified: a warning",
    files: { "audit/models.py": "from immutable_models import ImmutableModel\n\nclass AuditLog(ImmutableModel):\n    pass\n" },
    expected: ["audit-model-mutable audit/models.py:3 warning"],
  },
  {
    name: "a model named in config but defined nowhere is a warning on the config file",
    files: { "app/models.py": "class Other(models.Model):\n    pass\n" },
    expected: ["audit-model-mutable .github/iact.yml:1 warning"],
  },
  // Traps.
  { name: "a model whose save refuses updates and whose delete raises", files: { "audit/models.py": immutable("AuditLog") }, expected: [] },
  {
    name: "save() that refuses on self.pk and raises unconditionally in delete()",
    files: { "audit/models.py": ["class AuditLog(models.Model):", "    def save(self, *args, **kwargs):", "        if self.pk is not None:", "            raise ValueError('append-only')", "        return super().save(*args, **kwargs)", "    def delete(self, using=None, keep_parents=False):", "        raise ValueError('append-only')", ""].join("\n") },
    expected: [],
  },
  {
    name: "inheriting a same-repository base that refuses",
    files: { "core/immutable.py": immutable("AppendOnlyModel"), "audit/models.py": "from core.immutable import AppendOnlyModel\n\nclass AuditLog(AppendOnlyModel):\n    action = models.CharField(max_length=64)\n" },
    expected: [],
  },
  {
    name: "a mixin in the same file, listed before models.Model",
    files: { "audit/models.py": `${immutable("AppendOnlyMixin", "object")}\n\nclass AuditLog(AppendOnlyMixin, models.Model):\n    pass\n` },
    expected: [],
  },
  {
    name: "the name in a comment, a string and an unrelated class attribute",
    files: {
      "audit/models.py": immutable("AuditLog"),
      "app/notes.py": '# class AuditLog(models.Model): the old one\nDOC = "class AuditLog(models.Model): pass"\nclass Report(models.Model):\n    AuditLog = None\n',
    },
    expected: [],
  },
  { name: "a test double of the same name under tests/ is not read", files: { "audit/models.py": immutable("AuditLog"), "audit/tests/test_models.py": "class AuditLog(models.Model):\n    pass\n" }, expected: [] },
  { name: "no audit models configured: nothing read, nothing found", files: { "audit/models.py": "class AuditLog(models.Model):\n    pass\n" }, models: [], expected: [] },
];

describe("audit-model-mutable", () => {
  it.each(cases)("$name", async ({ files, models, expected }) => {
    expect(await briefsFor(files, only("audit-model-mutable", { auditModels: models ?? ["AuditLog"] }))).toEqual(expected);
  });

  it("says which method lets rows change and where it comes from", async () => {
    const findings = await findingsFor(
      {
        "core/base.py": "class Timestamped(models.Model):\n    def save(self, *args, **kwargs):\n        super().save(*args, **kwargs)\n",
        "audit/models.py": "class AuditLog(Timestamped):\n    pass\n",
      },
      only("audit-model-mutable", { auditModels: ["AuditLog"] }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain("save() (inherited from Timestamped in core/base.py) does not refuse updates");
    expect(findings[0]!.message).toContain("delete() is Django's, which deletes the row");
  });

  it("stops at a cycle of bases", async () => {
    const files = { "audit/models.py": "class A(B):\n    pass\n\nclass B(A):\n    pass\n\nclass AuditLog(A):\n    pass\n" };
    expect(await briefsFor(files, only("audit-model-mutable", { auditModels: ["AuditLog"] }))).toEqual(["audit-model-mutable audit/models.py:7 failure"]);
  });
});
