import { describe, expect, it } from "vitest";
import { briefsFor, findingsFor, only } from "./helpers.js";

interface Case {
  name: string;
  files: Record<string, string>;
  expected: string[];
}

const redisSettingsCases: Case[] = [
  {
    name: "django-redis cache backend",
    files: { "proj/settings.py": 'CACHES = {\n    "default": {\n        "BACKEND": "django_redis.cache.RedisCache",\n        "LOCATION": "redis://cache:6379/1",\n    }\n}\n' },
    expected: ["no-redis-settings proj/settings.py:3 failure"],
  },
  {
    name: "Django's own Redis cache backend",
    files: { "proj/settings.py": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache'}}\n" },
    expected: ["no-redis-settings proj/settings.py:1 failure"],
  },
  {
    name: "database cache passes",
    files: { "proj/settings.py": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'cache_table'}}\n" },
    expected: [],
  },
  {
    name: "channels_redis layer, Celery broker and result backend URLs",
    files: {
      "proj/settings.py": [
        "CHANNEL_LAYERS = {'default': {'BACKEND': 'channels_redis.core.RedisChannelLayer'}}",
        "CELERY_BROKER_URL = 'rediss://broker:6380/0'",
        "BROKER_URL = f'redis://{HOST}:6379'",
        "CELERY_RESULT_BACKEND = 'django-db'",
        "HUEY = {'huey_class': 'huey.RedisHuey'}",
      ].join("\n"),
    },
    expected: [
      "no-redis-settings proj/settings.py:1 failure",
      "no-redis-settings proj/settings.py:2 failure",
      "no-redis-settings proj/settings.py:3 failure",
      "no-redis-settings proj/settings.py:5 failure",
    ],
  },
  {
    name: "Redis settings names and imports",
    files: { "proj/settings/base.py": "import redis\nREDIS_URL = env('CACHE_URL')\n" },
    expected: ["no-redis-settings proj/settings/base.py:1 failure", "no-redis-settings proj/settings/base.py:2 failure"],
  },
  {
    name: "comments, commented-out settings and prose strings do not count",
    files: {
      "proj/settings.py": [
        "# We used redis before RNF-002.",
        "# CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache'}}",
        '"""Settings. No Redis: sessions and cache live in MySQL."""',
        "HELP = 'redis is not allowed here'",
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache'}}  # not redis",
      ].join("\n"),
    },
    expected: [],
  },
  {
    name: "only settings modules are read by this rule",
    files: { "proj/cache.py": "BACKEND = 'django_redis.cache.RedisCache'\n" },
    expected: [],
  },
];

const sessionCases: Case[] = [
  { name: "absent means Django's default, the database", files: { "proj/settings.py": "DEBUG = False\n" }, expected: [] },
  {
    name: "the database backend passes, in any quoting",
    files: { "proj/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nSESSION_ENGINE = (\n    \"django.contrib.sessions\"\n    \".backends.db\"\n)\n" },
    expected: [],
  },
  ...["cached_db", "cache", "signed_cookies", "file"].map((backend) => ({
    name: `${backend} fails`,
    files: { "proj/settings.py": `DEBUG = False\nSESSION_ENGINE = "django.contrib.sessions.backends.${backend}"\n` },
    expected: ["session-engine-db proj/settings.py:2 failure"],
  })),
  {
    name: "a Redis session engine fails",
    files: { "proj/settings.py": "SESSION_ENGINE: str = 'redis_sessions.session'\n" },
    expected: ["session-engine-db proj/settings.py:1 failure"],
  },
  {
    name: "a commented-out setting does not count",
    files: { "proj/settings.py": "# SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n" },
    expected: [],
  },
  {
    name: "split settings: the override in prod.py is reported at its line",
    files: {
      "proj/settings/base.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
      "proj/settings/prod.py": "from .base import *  # noqa\n\nDEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n",
    },
    expected: ["session-engine-db proj/settings/prod.py:4 failure"],
  },
  {
    name: "split settings: a correct override passes, a wrong base still fails where it is written",
    files: {
      "proj/settings/base.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
      "proj/settings/prod.py": "from .base import *\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
    },
    expected: ["session-engine-db proj/settings/base.py:1 failure"],
  },
  {
    name: "set inside an if block counts",
    files: { "proj/settings.py": "if DEBUG:\n    SESSION_ENGINE = 'django.contrib.sessions.backends.file'\nelse: SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n" },
    expected: ["session-engine-db proj/settings.py:2 failure", "session-engine-db proj/settings.py:3 failure"],
  },
  {
    name: "a non-literal value is a warning: it cannot be verified statically",
    files: { "proj/settings.py": "import os\nSESSION_ENGINE = os.environ.get('SESSION_ENGINE', 'django.contrib.sessions.backends.db')\n" },
    expected: ["session-engine-db proj/settings.py:2 warning"],
  },
  {
    name: "a non-literal value that can fall back to another backend fails",
    files: { "proj/settings.py": "SESSION_ENGINE = env('SESSION_ENGINE', default='django.contrib.sessions.backends.cache')\n" },
    expected: ["session-engine-db proj/settings.py:1 failure"],
  },
  {
    name: "comparisons are not assignments",
    files: { "proj/settings.py": "assert SESSION_ENGINE == 'django.contrib.sessions.backends.cache'\n" },
    expected: [],
  },
];

describe("no-redis-settings", () => {
  it.each(redisSettingsCases)("$name", async ({ files, expected }) => {
    expect(await briefsFor(files, only("no-redis-settings"))).toEqual(expected);
  });

  it("names the setting and the value", async () => {
    const [finding] = await findingsFor({ "a/settings.py": "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache'}}\n" }, only("no-redis-settings"));
    expect(finding?.message).toContain('CACHES uses Redis ("django_redis.cache.RedisCache")');
    expect(finding).toMatchObject({ startColumn: 34, endColumn: 65 });
  });

  it("reads settings where djangoSettings says", async () => {
    const files = { "config/base_conf.py": "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache'}}\n" };
    expect(await briefsFor(files, only("no-redis-settings"))).toEqual([]);
    expect(await briefsFor(files, only("no-redis-settings", { djangoSettings: ["config/*_conf.py"] }))).toEqual([
      "no-redis-settings config/base_conf.py:1 failure",
    ]);
  });
});

describe("session-engine-db", () => {
  it.each(sessionCases)("$name", async ({ files, expected }) => {
    expect(await briefsFor(files, only("session-engine-db"))).toEqual(expected);
  });

  it("a warning stays a warning even when the rule's level is notice", async () => {
    const section = only("session-engine-db");
    (section["rules"] as Record<string, string>)["session-engine-db"] = "notice";
    expect(await briefsFor({ "settings.py": "SESSION_ENGINE = get()\n" }, section)).toEqual(["session-engine-db settings.py:1 notice"]);
  });
});

describe("settings globs do not catch tests", () => {
  const settings = 'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\n';
  const both = (path: string) => [`no-redis-settings ${path}:1 failure`, `session-engine-db ${path}:2 failure`];
  const cases: Array<{ name: string; path: string; section?: Record<string, unknown>; expected: string[] }> = [
    { name: "pytest file under tests/settings/", path: "src/app/tests/settings/test_cache.py", expected: [] },
    { name: "tests folder inside a settings package", path: "proj/settings/tests/test_prod.py", expected: [] },
    { name: "test_*.py inside settings/", path: "proj/settings/test_redis.py", expected: [] },
    { name: "*_test.py inside settings/", path: "proj/settings/redis_test.py", expected: [] },
    { name: "conftest.py inside settings/", path: "proj/settings/conftest.py", expected: [] },
    { name: "a settings module named test.py is still a settings module", path: "proj/settings/test.py", expected: both("proj/settings/test.py") },
    { name: "settings_testing.py is still a settings module", path: "proj/settings_testing.py", expected: both("proj/settings_testing.py") },
    { name: "production settings are still read", path: "proj/settings/production.py", expected: both("proj/settings/production.py") },
    {
      name: "djangoSettingsIgnore: [] brings tests back",
      path: "src/app/tests/settings/test_cache.py",
      section: { djangoSettingsIgnore: [] },
      expected: both("src/app/tests/settings/test_cache.py"),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const section = { rules: { "no-redis-dependency": "off", "no-email-sending": "off" }, ...c.section };
      expect(await briefsFor({ [c.path]: settings }, section)).toEqual(c.expected);
    });
  }
});

describe("settings modules by another name", () => {
  const settings = 'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}\n';
  const cases: Array<{ path: string; expected: string[] }> = [
    { path: "netbox/netbox/configuration.py", expected: ["no-redis-settings netbox/netbox/configuration.py:1 failure"] },
    { path: "netbox/netbox/configuration_example.py", expected: ["no-redis-settings netbox/netbox/configuration_example.py:1 failure"] },
    { path: "netbox/netbox/tests/configuration_testing.py", expected: [] },
    { path: "app/reconfiguration.py", expected: [] },
    { path: "app/configuration.pyc", expected: [] },
  ];
  for (const c of cases) {
    it(c.path, async () => {
      expect(await briefsFor({ [c.path]: settings }, only("no-redis-settings"))).toEqual(c.expected);
    });
  }
});

describe("no-redis-settings: one finding per construct", () => {
  const redisBlock = [
    "REDIS = {",
    ...Array.from({ length: 60 }, (_, k) => `    "node${k}": "redis://cache${k}:6379/0",`),
    "}",
  ].join("\n");
  const cases: Array<{ name: string; source: string; expected: Array<[number, number]>; message?: RegExp }> = [
    { name: "a 62-line REDIS dictionary is one finding with its line range", source: `${redisBlock}\n`, expected: [[1, 61]], message: /^REDIS uses Redis \(REDIS, "redis:\/\/cache0:6379\/0", "redis:\/\/cache1:6379\/0" and 58 more\) on lines 1-61\./ },
    { name: "a multi-line CACHES block", source: 'CACHES = {\n  "default": {\n    "BACKEND": "django_redis.cache.RedisCache",\n    "LOCATION": "redis://c:6379",\n  }\n}\n', expected: [[3, 4]], message: /^CACHES uses Redis .* on lines 3-4\./ },
    { name: "two statements, two findings", source: 'A_URL = "redis://a"\nB_URL = "redis://b"\n', expected: [[1, 1], [2, 2]] },
    { name: "a one-line statement keeps its columns", source: 'CELERY_BROKER_URL = "redis://b:6379"\n', expected: [[1, 1]] },
    { name: "prose strings inside a block stay silent", source: 'HELP = {\n  "a": "we do not use redis here",\n}\n', expected: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const findings = await findingsFor({ "proj/settings.py": c.source }, only("no-redis-settings"));
      expect(findings.map((f) => [f.startLine, f.endLine])).toEqual(c.expected);
      if (c.message) expect(findings[0]?.message).toMatch(c.message);
      for (const f of findings) if (f.startLine !== f.endLine) expect(f.startColumn).toBeUndefined();
    });
  }
});
