import { describe, expect, it } from "vitest";
import { briefsFor, findingsFor, only } from "./helpers.js";
import type { Case } from "./helpers.js";

const debugCases: Case[] = [
  { name: "DEBUG = True in settings.py", files: { "proj/settings.py": "DEBUG = True\n" }, expected: ["django-debug proj/settings.py:1 failure"] },
  { name: "DEBUG = True in settings/prod.py", files: { "proj/settings/prod.py": "from .base import *\nDEBUG = True\n" }, expected: ["django-debug proj/settings/prod.py:2 failure"] },
  { name: "DEBUG = True in settings/base.py (not a dev name)", files: { "proj/settings/base.py": "DEBUG = True\n" }, expected: ["django-debug proj/settings/base.py:1 failure"] },
  { name: "an env read that falls back to True is a warning", files: { "proj/settings.py": 'DEBUG = env.bool("DEBUG", default=True)\n' }, expected: ["django-debug proj/settings.py:1 warning"] },
  { name: "set inside an if block is a warning", files: { "proj/settings.py": 'DEBUG = False\nif os.environ.get("LOCAL"):\n    DEBUG = True\n' }, expected: ["django-debug proj/settings.py:3 warning"] },
  // Traps.
  ...["dev", "local", "test", "development"].map((word) => ({
    name: `DEBUG = True in settings/${word}.py stays silent`,
    files: { [`proj/settings/${word}.py`]: "DEBUG = True\n" },
    expected: [],
  })),
  { name: "DEBUG = True in local_settings.py stays silent", files: { "proj/local_settings.py": "DEBUG = True\n" }, expected: [] },
  { name: "DEBUG = True in settings_dev.py stays silent", files: { "proj/settings_dev.py": "DEBUG = True\n" }, expected: [] },
  { name: "devSettings is configurable", files: { "proj/settings/staging.py": "DEBUG = True\n", "proj/settings/dev.py": "DEBUG = True\n" }, section: { devSettings: ["staging"] }, expected: ["django-debug proj/settings/dev.py:1 failure"] },
  { name: "DEBUG = False and env reads stay silent", files: { "proj/settings.py": 'DEBUG = False\nDEBUG = env.bool("DEBUG", default=False)\nDEBUG = os.environ.get("DEBUG") == "True"\n' }, expected: [] },
  { name: "a comment and a string stay silent", files: { "proj/settings.py": '# DEBUG = True\nHELP = "set DEBUG = True locally"\n' }, expected: [] },
  { name: "a test settings module under tests/ stays silent", files: { "proj/tests/settings.py": "DEBUG = True\n" }, expected: [] },
  { name: "a module that is not a settings module stays silent", files: { "proj/views.py": "DEBUG = True\n" }, expected: [] },
];

const secretKeyCases: Case[] = [
  { name: "a literal SECRET_KEY", files: { "proj/settings.py": "SECRET_KEY = 'django-insecure-0a9s8d7f6g5h4j3k2l1'\n" }, expected: ["django-secret-key proj/settings.py:1 failure"] },
  { name: "a literal split over lines", files: { "proj/settings/prod.py": 'SECRET_KEY = (\n    "abc"\n    "def"\n)\n' }, expected: ["django-secret-key proj/settings/prod.py:1 failure"] },
  { name: "a literal fallback of os.environ.get is a warning", files: { "proj/settings.py": 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-fallback")\n' }, expected: ["django-secret-key proj/settings.py:1 warning"] },
  { name: "a literal fallback of env(default=) is a warning", files: { "proj/settings.py": 'SECRET_KEY = env("SECRET_KEY", default="not-secret")\n' }, expected: ["django-secret-key proj/settings.py:1 warning"] },
  { name: "a literal after `or` is a warning", files: { "proj/settings.py": 'SECRET_KEY = os.getenv("SECRET_KEY") or "fallback"\n' }, expected: ["django-secret-key proj/settings.py:1 warning"] },
  // Traps.
  {
    name: "environment reads stay silent",
    files: {
      "proj/settings.py": [
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
        'SECRET_KEY = env("DJANGO_SECRET_KEY")',
        'SECRET_KEY = config("SECRET_KEY")',
        'SECRET_KEY = os.getenv("SECRET_KEY")',
        'SECRET_KEY = os.environ.get("SECRET_KEY", get_random_secret_key())',
        'SECRET_KEY = env.str("SECRET_KEY", default="")',
        "",
      ].join("\n"),
    },
    expected: [],
  },
  { name: "an empty literal stays silent (Django refuses to start)", files: { "proj/settings.py": 'SECRET_KEY = ""\n' }, expected: [] },
  { name: "a literal in dev settings stays silent", files: { "proj/settings/local.py": "SECRET_KEY = 'dev-only'\n" }, expected: [] },
  { name: "a commented-out literal stays silent", files: { "proj/settings.py": "# SECRET_KEY = 'abc'\nSECRET_KEY = os.environ['K']\n" }, expected: [] },
];

const allowedHostsCases: Case[] = [
  { name: 'ALLOWED_HOSTS = ["*"]', files: { "proj/settings.py": 'ALLOWED_HOSTS = ["*"]\n' }, expected: ["django-allowed-hosts proj/settings.py:1 failure"] },
  { name: "a list containing *", files: { "proj/settings/prod.py": "ALLOWED_HOSTS = (\n    'app.example.com',\n    '*',\n)\n" }, expected: ["django-allowed-hosts proj/settings/prod.py:3 failure"] },
  { name: "an env list falling back to * is a warning", files: { "proj/settings.py": 'ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])\n' }, expected: ["django-allowed-hosts proj/settings.py:1 warning"] },
  // Traps.
  { name: "host names and subdomain wildcards stay silent", files: { "proj/settings.py": 'ALLOWED_HOSTS = ["app.example.com", ".example.com"]\n' }, expected: [] },
  { name: "* in dev settings stays silent", files: { "proj/settings/dev.py": 'ALLOWED_HOSTS = ["*"]\n' }, expected: [] },
  { name: "* in a comment stays silent", files: { "proj/settings.py": 'ALLOWED_HOSTS = []  # never ["*"]\n' }, expected: [] },
];

const cookieCases: Case[] = [
  {
    name: "both cookies False",
    files: { "proj/settings/prod.py": "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n" },
    expected: ["django-insecure-cookies proj/settings/prod.py:1 failure", "django-insecure-cookies proj/settings/prod.py:2 failure"],
  },
  {
    name: "missing in the project's single settings.py",
    files: { "proj/settings.py": "DEBUG = False\nSESSION_COOKIE_SECURE = True\n" },
    expected: ["django-insecure-cookies proj/settings.py:1 failure"],
  },
  { name: "missing in settings/production.py and its base", files: { "proj/settings/production.py": "from .base import *\n", "proj/settings/base.py": "DEBUG = False\n" }, expected: ["django-insecure-cookies proj/settings/production.py:1 failure", "django-insecure-cookies proj/settings/production.py:1 failure"] },
  { name: "a fallback to False is a warning", files: { "proj/settings.py": 'SESSION_COOKIE_SECURE = env.bool("S", default=False)\nCSRF_COOKIE_SECURE = True\n' }, expected: ["django-insecure-cookies proj/settings.py:1 warning"] },
  // Traps.
  { name: "both True stays silent", files: { "proj/settings.py": "SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n" }, expected: [] },
  {
    name: "set in the base a production module star-imports stays silent",
    files: { "proj/settings/prod.py": "from .base import *\nDEBUG = False\n", "proj/settings/base.py": "SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n" },
    expected: [],
  },
  {
    name: "set in a base imported by its dotted name stays silent",
    files: { "src/proj/settings/prod.py": "from proj.settings.common import *\n", "src/proj/settings/common.py": "SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n" },
    expected: [],
  },
  { name: "missing in base.py is not reported (the module importing it decides)", files: { "proj/settings/base.py": "DEBUG = False\n" }, expected: [] },
  { name: "False in dev settings stays silent", files: { "proj/settings/dev.py": "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n" }, expected: [] },
  { name: "missing in a local_settings.py stays silent", files: { "proj/local_settings.py": "DEBUG = True\n" }, expected: [] },
];

describe("Django production settings", () => {
  describe("django-debug", () => {
    it.each(debugCases)("$name", async ({ files, expected, section }) => {
      expect(await briefsFor(files, { ...only("django-debug"), ...section })).toEqual(expected);
    });
  });
  describe("django-secret-key", () => {
    it.each(secretKeyCases)("$name", async ({ files, expected, section }) => {
      expect(await briefsFor(files, { ...only("django-secret-key"), ...section })).toEqual(expected);
    });
  });
  describe("django-allowed-hosts", () => {
    it.each(allowedHostsCases)("$name", async ({ files, expected, section }) => {
      expect(await briefsFor(files, { ...only("django-allowed-hosts"), ...section })).toEqual(expected);
    });
  });
  describe("django-insecure-cookies", () => {
    it.each(cookieCases)("$name", async ({ files, expected, section }) => {
      expect(await briefsFor(files, { ...only("django-insecure-cookies"), ...section })).toEqual(expected);
    });
  });

  it("never shows the value of a hard-coded SECRET_KEY", async () => {
    const findings = await findingsFor(
      { "proj/settings.py": 'SECRET_KEY = "django-insecure-q8w7e6r5t4"\nOTHER = 1\n', "proj/settings/prod.py": 'SECRET_KEY = os.environ.get("K", "fallback-q8w7e6r5t4")\n' },
      only("django-secret-key"),
    );
    expect(findings).toHaveLength(2);
    for (const finding of findings) expect(finding.message).not.toContain("q8w7e6r5t4");
    expect(findings.find((finding) => finding.path === "proj/settings.py")?.message).toContain("SECRET_KEY is a string literal (26 characters, not shown)");
  });

  it("names the setting and the fix in each message", async () => {
    const findings = await findingsFor({ "proj/settings.py": 'DEBUG = True\nSECRET_KEY = os.environ["K"]\nALLOWED_HOSTS = ["*"]\nSESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = True\n' });
    expect(findings.map((finding) => [finding.ruleId, finding.startLine, finding.startColumn])).toEqual([
      ["django-debug", 1, undefined],
      ["django-allowed-hosts", 3, 18],
      ["django-insecure-cookies", 4, undefined],
    ]);
    expect(findings[0]!.message).toContain("Set DEBUG = False");
    expect(findings[1]!.message).toContain("List the host names");
    expect(findings[2]!.message).toContain("Set SESSION_COOKIE_SECURE = True");
  });

  it("reads the settings globs and their test exclusions as the restrictions check does", async () => {
    const files = {
      "netbox/configuration.py": "DEBUG = True\n",
      "app/tests/settings/test_debug.py": "DEBUG = True\n",
      "app/settings/conftest.py": "DEBUG = True\n",
    };
    expect(await briefsFor(files, only("django-debug"))).toEqual(["django-debug netbox/configuration.py:1 failure"]);
  });

  it("reports a settings module the lexer cannot finish as python-parse-error", async () => {
    expect(await briefsFor({ "proj/settings.py": 'DEBUG = False\nNAME = "unterminated\n' }, only("django-debug"))).toEqual(["python-parse-error proj/settings.py:2 warning"]);
  });
});
