import { describe, expect, it } from "vitest";
import { briefsFor, findingsFor, only } from "./helpers.js";

const config = only("no-redis-dependency");

interface Case {
  name: string;
  files: Record<string, string>;
  expected: string[];
}

const requirementsCases: Case[] = [
  { name: "plain redis", files: { "requirements.txt": "Django==5.0\nredis==5.0.1\n" }, expected: ["no-redis-dependency requirements.txt:2 failure"] },
  { name: "no redis at all", files: { "requirements.txt": "Django==5.0\ncelery==5.3\nhuey==2.5\n" }, expected: [] },
  { name: "a '# redis' comment line", files: { "requirements.txt": "# redis\nDjango==5.0\n" }, expected: [] },
  { name: "a commented-out requirement", files: { "requirements.txt": "Django==5.0\n# redis==5.0\n#django-redis\n" }, expected: [] },
  { name: "an inline comment mentioning redis", files: { "requirements.txt": "Django==5.0  # no redis here, RNF-002\n" }, expected: [] },
  {
    name: "case and separator variants (PEP 503)",
    files: { "requirements.txt": "Redis\nREDIS>=4\nredis_py-Cluster\nDjango.Redis\nChannels_Redis==4\n" },
    expected: [1, 2, 3, 4, 5].map((line) => `no-redis-dependency requirements.txt:${line} failure`),
  },
  {
    name: "packages whose name merely contains redis are not Redis clients",
    files: { "requirements.txt": "redistimeseries-docs-theme\nmy-redisplay\n" },
    expected: [],
  },
  {
    name: "extras that pull redis",
    files: { "requirements.txt": "celery[redis]==5.3\nkombu[Redis,sqs]\ndjango-celery-results[redis]\ncelery[sqs]\nhuey[redis]\n" },
    expected: [1, 2, 3, 5].map((line) => `no-redis-dependency requirements.txt:${line} failure`),
  },
  {
    name: "markers and hashes",
    files: {
      "requirements.txt":
        'redis>=4 ; python_version >= "3.8"\nDjango==5.0 --hash=sha256:abc --hash=sha256:def\nrq==1.15 \\\n    --hash=sha256:0123\n',
    },
    expected: ["no-redis-dependency requirements.txt:1 failure", "no-redis-dependency requirements.txt:3 failure"],
  },
  {
    name: "backslash continuation is reported at its first line",
    files: { "requirements.txt": "Django==5.0\ndjango-redis\\\n==5.4\n" },
    expected: ["no-redis-dependency requirements.txt:2 failure"],
  },
  {
    name: "name @ url",
    files: { "requirements.txt": "redis @ https://github.com/redis/redis-py/archive/v5.0.1.zip\nmylib @ https://example.com/redis.zip\n" },
    expected: ["no-redis-dependency requirements.txt:1 failure"],
  },
  {
    name: "VCS URL with #egg=, editable or not",
    files: {
      "requirements.txt":
        "git+https://github.com/redis/redis-py.git@v5.0.1#egg=redis\n-e git+https://github.com/jazzband/django-redis.git#egg=django-redis\n-e .\ngit+https://github.com/x/redis-tools.git#egg=tools\n",
    },
    expected: ["no-redis-dependency requirements.txt:1 failure", "no-redis-dependency requirements.txt:2 failure"],
  },
  {
    name: "a wheel file names its project",
    files: { "requirements.txt": "./wheels/hiredis-2.3.2-cp312-cp312-manylinux_x86_64.whl\n" },
    expected: ["no-redis-dependency requirements.txt:1 failure"],
  },
  {
    name: "-r include relative to the including file",
    files: {
      "requirements/prod.txt": "-r base.txt\ngunicorn\n",
      "requirements/base.txt": "Django==5.0\n--requirement=../deps/cache.txt\n",
      "deps/cache.txt": "django-redis==5.4\n",
    },
    expected: ["no-redis-dependency deps/cache.txt:1 failure"],
  },
  {
    name: "-r include cycle terminates and still reports once",
    files: {
      "requirements.txt": "-r requirements-dev.txt\nredis\n",
      "requirements-dev.txt": "-r requirements.txt\npytest\n",
    },
    expected: ["no-redis-dependency requirements.txt:2 failure"],
  },
  {
    name: "a -c constraints file installs nothing",
    files: { "requirements.txt": "-c constraints.txt\nDjango\n", "constraints.txt": "redis==5.0\n" },
    expected: [],
  },
  {
    name: "pip options are not requirements",
    files: { "requirements.txt": "--index-url https://pypi.org/simple\n-i https://x\n--extra-index-url https://y\n--pre\nDjango\n" },
    expected: [],
  },
  {
    name: "pip-tools .in files and requirements/ folders are read",
    files: { "requirements.in": "rq\n", "app/requirements/dev.txt": "fakeredis\n" },
    expected: ["no-redis-dependency app/requirements/dev.txt:1 failure", "no-redis-dependency requirements.in:1 failure"],
  },
  {
    name: "requirements files named with a prefix: base_requirements.txt, dev-requirements.txt",
    files: { "base_requirements.txt": "redis\n", "dev-requirements.txt": "fakeredis\n", "ci/test_requirements.in": "rq\n" },
    expected: [
      "no-redis-dependency base_requirements.txt:1 failure",
      "no-redis-dependency ci/test_requirements.in:1 failure",
      "no-redis-dependency dev-requirements.txt:1 failure",
    ],
  },
  {
    name: "pip-tools .in files and deeper folders under requirements/",
    files: { "requirements/base.in": "redis\n", "requirements/prod/web.txt": "hiredis\n" },
    expected: ["no-redis-dependency requirements/base.in:1 failure", "no-redis-dependency requirements/prod/web.txt:1 failure"],
  },
  {
    name: "other .txt files and a requirements.md are not manifests",
    files: { "docs/redis.txt": "redis\n", "requirements.md": "redis\n", "requirements/README.md": "redis\n", "notes/requirements.txt.bak": "redis\n" },
    expected: [],
  },
  {
    name: "vendored manifests are ignored",
    files: { "node_modules/x/requirements.txt": "redis\n", ".venv/lib/requirements.txt": "redis\n" },
    expected: [],
  },
];

const parseErrorCases: Case[] = [
  {
    name: "an unparseable requirement line is a warning with its line; the rest is still checked",
    files: { "requirements.txt": "Django==5.0\nredis>=>4\n!!!\ndjango-redis\n" },
    expected: [
      "manifest-parse-error requirements.txt:2 warning",
      "manifest-parse-error requirements.txt:3 warning",
      "no-redis-dependency requirements.txt:4 failure",
    ],
  },
  {
    name: "an -r include that does not exist",
    files: { "requirements.txt": "Django\n-r missing.txt\n" },
    expected: ["manifest-parse-error requirements.txt:2 warning"],
  },
  {
    name: "an unknown pip option",
    files: { "requirements.txt": "--frobnicate\nDjango\n" },
    expected: ["manifest-parse-error requirements.txt:1 warning"],
  },
  {
    name: "a URL that does not say which package it installs",
    files: { "requirements.txt": "git+https://github.com/x/y.git\n" },
    expected: ["manifest-parse-error requirements.txt:1 warning"],
  },
  {
    name: "invalid TOML is a warning at the error line, and the lines around it are still checked",
    files: { "pyproject.toml": '[project]\nname = "x"\ndependencies = [\n  "redis",\n  ,,\n]\n' },
    expected: ["no-redis-dependency pyproject.toml:4 failure", "manifest-parse-error pyproject.toml:5 warning"],
  },
  {
    name: "a redis>=4 three lines above a TOML syntax error is reported",
    files: { "pyproject.toml": '[project]\ndependencies = [\n  "redis>=4",\n]\n\n[tool.black]\nline-length = = 88\n' },
    expected: ["no-redis-dependency pyproject.toml:3 failure", "manifest-parse-error pyproject.toml:7 warning"],
  },
  {
    name: "a dependency below a broken line is reported too (Pipfile)",
    files: { Pipfile: '[packages]\ndjango = "*"\nbroken line\nredis = "*"\n' },
    expected: ["manifest-parse-error Pipfile:3 warning", "no-redis-dependency Pipfile:4 failure"],
  },
  {
    name: "a missing comma between two requirements skips that line only",
    files: { "pyproject.toml": '[project]\ndependencies = [\n  "django" "celery",\n  "hiredis",\n]\n' },
    expected: ["manifest-parse-error pyproject.toml:3 warning", "no-redis-dependency pyproject.toml:4 failure"],
  },
  {
    name: "an unterminated array at the end of the file: the file is not checked, and says so",
    files: { "pyproject.toml": '[project]\ndependencies = [\n  "redis",\n' },
    expected: ["manifest-parse-error pyproject.toml:4 warning"],
  },
  {
    name: "invalid JSON is a warning at the error line, and a redis above the error is still reported",
    files: { "package.json": '{\n  "dependencies": {\n    "redis": "^4",\n  }\n}\n' },
    expected: ["no-redis-dependency package.json:3 failure", "manifest-parse-error package.json:4 warning"],
  },
  {
    name: "invalid JSON in a section after the dependencies: every dependency is checked",
    files: { "package.json": '{\n  "dependencies": { "ioredis": "^5" },\n  "scripts": { "test": "vitest" "x" }\n}\n' },
    expected: ["no-redis-dependency package.json:2 failure", "manifest-parse-error package.json:3 warning"],
  },
  {
    name: "invalid JSON before the dependencies: nothing below the error is read",
    files: { "package.json": '{\n  "name": "x",,\n  "dependencies": { "redis": "^4" }\n}\n' },
    expected: ["manifest-parse-error package.json:2 warning"],
  },
  {
    name: "text after the JSON value: the whole value was read and checked",
    files: { "package.json": '{ "dependencies": { "redis": "^4" } }\n}\n' },
    expected: ["no-redis-dependency package.json:1 failure", "manifest-parse-error package.json:2 warning"],
  },
  {
    name: "JSON nested deeper than any manifest is a located warning, not a crash",
    files: { "package.json": `{"dependencies": {"redis": "^4"}, "x": ${"[".repeat(5_000)}` },
    expected: ["no-redis-dependency package.json:1 failure", "manifest-parse-error package.json:1 warning"],
  },
];

const pyprojectCases: Case[] = [
  {
    name: "PEP 621 dependencies and optional-dependencies",
    files: {
      "pyproject.toml": [
        "[project]",
        'name = "demo"',
        'description = "Works without redis"',
        "dependencies = [",
        '  "Django>=5",',
        '  "django-redis>=5",  # cache',
        "]",
        "",
        "[project.optional-dependencies]",
        'queue = ["rq"]',
        'ok = ["celery[sqs]"]',
      ].join("\n"),
    },
    expected: ["no-redis-dependency pyproject.toml:6 failure", "no-redis-dependency pyproject.toml:10 failure"],
  },
  {
    name: "PEP 735 dependency-groups and build-system.requires",
    files: {
      "pyproject.toml": '[build-system]\nrequires = ["setuptools", "hiredis"]\n\n[dependency-groups]\ntest = ["pytest", {include-group = "lint"}, "fakeredis"]\nlint = ["ruff"]\n',
    },
    expected: ["no-redis-dependency pyproject.toml:2 failure", "no-redis-dependency pyproject.toml:5 failure"],
  },
  {
    name: "Poetry dependencies, dev-dependencies and groups",
    files: {
      "pyproject.toml": [
        "[tool.poetry.dependencies]",
        'python = "^3.12"',
        'Django = "^5"',
        'celery = { version = "^5", extras = ["redis"] }',
        "",
        "[tool.poetry.dev-dependencies]",
        'Redis = "*"',
        "",
        "[tool.poetry.group.test.dependencies]",
        'pytest = "*"',
        "",
        "[tool.poetry.group.test.dependencies.channels_redis]",
        'version = "^4"',
      ].join("\n"),
    },
    expected: [
      "no-redis-dependency pyproject.toml:4 failure",
      "no-redis-dependency pyproject.toml:7 failure",
      "no-redis-dependency pyproject.toml:12 failure",
    ],
  },
  {
    name: "setuptools dynamic dependencies from a requirements file",
    files: {
      "pyproject.toml": '[project]\nname = "x"\ndynamic = ["dependencies"]\n\n[tool.setuptools.dynamic]\ndependencies = { file = ["requirements.in"] }\n',
      "requirements.in": "walrus\n",
    },
    expected: ["no-redis-dependency requirements.in:1 failure"],
  },
  {
    name: "an invalid PEP 508 string inside pyproject",
    files: { "pyproject.toml": '[project]\ndependencies = [\n  "Django>=5",\n  "redis >>= 4",\n]\n' },
    expected: ["manifest-parse-error pyproject.toml:4 warning"],
  },
];

const byContentCases: Case[] = [
  {
    name: "a requirements file under another name is recognised by its content",
    files: { "deps/prod.txt": "Django==4.2\nredis>=4\n", "pip/base.in": "-r common.in\ncelery\n", "pip/common.in": "django-redis\n" },
    expected: ["no-redis-dependency deps/prod.txt:2 failure", "no-redis-dependency pip/common.in:1 failure"],
  },
  {
    name: "traps: a word list, prose, a list under docs/ or tests/ are not requirements files",
    files: {
      "wordlist.txt": "Redis\nDjango\ncelery\n",
      "notes.txt": "We removed redis==4 from the stack last year.\n",
      "docs/examples/requirements-example.rst": "redis==4\n",
      "docs/pins.txt": "redis==4\n",
      "tests/data/pins.txt": "redis==4\n",
      "LICENSE.txt": "redis==4\n",
    },
    expected: [],
  },
];

const setupPyCases: Case[] = [
  {
    name: "install_requires, extras_require, setup_requires and tests_require literals",
    files: {
      "setup.py":
        'from setuptools import setup\n\nsetup(\n    name="app",\n    install_requires=[\n        "Django>=4.2",\n        "redis>=4",\n    ],\n    extras_require={"cache": ["django-redis"], "sqs": ["kombu[sqs]"]},\n    setup_requires=("setuptools_scm",),\n    tests_require=["fakeredis"],\n)\n',
    },
    expected: ["no-redis-dependency setup.py:7 failure", "no-redis-dependency setup.py:9 failure", "no-redis-dependency setup.py:11 failure"],
  },
  {
    name: "a top-level list named by install_requires",
    files: { "setup.py": 'from setuptools import setup\nREQUIRES = [\n    "celery[redis]",\n    "Django",\n]\nsetup(name="app", install_requires=REQUIRES)\n' },
    expected: ["no-redis-dependency setup.py:3 failure"],
  },
  {
    name: "traps: redis in a comment, a docstring, a variable that is not passed, a call that is not a keyword",
    files: {
      "setup.py":
        '"""Install with redis? No: RNF-002."""\nfrom setuptools import setup\n# install_requires=["redis"]\nUNUSED = ["redis"]\ninstall_requires = ["redis"]\nsetup(name="app", install_requires=["Django"])\n',
    },
    expected: [],
  },
  {
    name: "a value that is not a literal list is a warning saying it was not checked",
    files: { "setup.py": 'from setuptools import setup\nsetup(name="app", install_requires=read_requirements("requirements.txt"))\n' },
    expected: ["manifest-parse-error setup.py:2 warning"],
  },
  {
    name: "an unparseable requirement string is a warning at its line",
    files: { "setup.py": 'from setuptools import setup\nsetup(\n    install_requires=["redis>=>4", "hiredis"],\n)\n' },
    expected: ["manifest-parse-error setup.py:3 warning", "no-redis-dependency setup.py:3 failure"],
  },
];

const otherManifestCases: Case[] = [
  {
    name: "Pipfile packages and dev-packages",
    files: {
      Pipfile: '[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\ndjango = "*"\ndjango-redis = "*"\ncelery = {extras = ["redis"], version = "*"}\n\n[dev-packages]\n"fakeredis" = "*"\n\n[requires]\npython_version = "3.12"\n',
    },
    expected: [
      "no-redis-dependency Pipfile:6 failure",
      "no-redis-dependency Pipfile:7 failure",
      "no-redis-dependency Pipfile:10 failure",
    ],
  },
  {
    name: "setup.cfg install_requires and extras_require",
    files: {
      "setup.cfg": [
        "[metadata]",
        "description = a redis-free project",
        "",
        "[options]",
        "install_requires =",
        "    Django>=5",
        "    # redis",
        "    aioredis",
        "",
        "[options.extras_require]",
        "queue = rq; celery",
        "cache =",
        "    django-redis",
      ].join("\n"),
    },
    expected: [
      "no-redis-dependency setup.cfg:8 failure",
      "no-redis-dependency setup.cfg:11 failure",
      "no-redis-dependency setup.cfg:13 failure",
    ],
  },
  {
    name: "package.json sections, npm: alias and @redis scope",
    files: {
      "package.json": JSON.stringify(
        {
          name: "front",
          description: "no redis, no cry",
          dependencies: { express: "^4", cache: "npm:redis@4" },
          devDependencies: { "@redis/client": "^1.5" },
          optionalDependencies: { ioredis: "^5" },
          peerDependencies: { bullmq: "^5" },
          bundleDependencies: ["connect-redis"],
          scripts: { redis: "redis-server" },
        },
        null,
        2,
      ),
    },
    expected: [
      "no-redis-dependency package.json:6 failure",
      "no-redis-dependency package.json:9 failure",
      "no-redis-dependency package.json:12 failure",
      "no-redis-dependency package.json:15 failure",
      "no-redis-dependency package.json:18 failure",
    ],
  },
  {
    name: "an npm alias of something else is judged by what it installs",
    files: { "package.json": '{"dependencies": {"redis": "npm:keyv@4", "kv": "npm:@keyv/redis@2"}}' },
    expected: ["no-redis-dependency package.json:1 failure"],
  },
];

describe("no-redis-dependency", () => {
  for (const [group, cases] of [
    ["requirements files", requirementsCases],
    ["parse errors", parseErrorCases],
    ["pyproject.toml", pyprojectCases],
    ["setup.py", setupPyCases],
    ["requirements files by content", byContentCases],
    ["Pipfile, setup.cfg, package.json", otherManifestCases],
  ] as const) {
    describe(group, () => {
      it.each(cases)("$name", async ({ files, expected }) => {
        expect(await briefsFor(files, config)).toEqual(expected);
      });
    });
  }

  it("says honestly what a manifest parse error left unchecked", async () => {
    const messages = async (files: Record<string, string>) => (await findingsFor(files, config)).filter((f) => f.ruleId === "manifest-parse-error").map((f) => f.message);
    expect(await messages({ "pyproject.toml": '[project]\ndependencies = ["redis"]\nx = = 1\n' })).toEqual([
      expect.stringMatching(/^invalid TOML: .*\. The line was skipped; the rest of the file was checked for forbidden dependencies\.$/),
    ]);
    expect(await messages({ "pyproject.toml": '[project]\ndependencies = [\n  "redis",\n' })).toEqual([
      expect.stringMatching(/The file could not be parsed, so none of it was checked for forbidden dependencies\.$/),
    ]);
    expect(await messages({ "package.json": '{\n  "dependencies": {\n    "redis": "^4",\n  }\n}\n' })).toEqual([
      expect.stringMatching(/^invalid JSON: .*\. The file could not be parsed past line 4: the dependencies above that point were checked, the rest of the file was not\.$/),
    ]);
    expect(await messages({ "package.json": '[\n  "not an object",,\n]\n' })).toEqual([
      expect.stringMatching(/^invalid JSON: .*\. The file could not be parsed, so none of it was checked for forbidden dependencies\.$/),
    ]);
    expect(await messages({ "requirements.txt": "redis>=>4\n" })).toEqual([expect.stringMatching(/The line was not checked for forbidden dependencies\.$/)]);
  });

  it("reports the column of the name and says why", async () => {
    const [finding] = await findingsFor({ "requirements.txt": "Django\n  channels-redis==4\n" }, config);
    expect(finding).toMatchObject({ startLine: 2, startColumn: 3, endColumn: 17 });
    expect(finding?.message).toContain("Django Channels layer on Redis");
  });

  it("names the npm alias in the message", async () => {
    const [finding] = await findingsFor({ "package.json": '{"dependencies": {"cache": "npm:redis@4"}}' }, config);
    expect(finding?.message).toContain('"cache" (an npm alias of "redis")');
  });

  it("adds forbiddenDependencies to the list (PEP 503 for Python, @scope/* for npm)", async () => {
    const files = {
      "requirements.txt": "Django\nMy_Redis.Wrapper\n",
      "package.json": '{\n"dependencies": {\n"@acme/cache-redis": "1",\n"@acme/ui": "1"\n}\n}',
    };
    expect(await briefsFor(files, only("no-redis-dependency", { forbiddenDependencies: ["my-redis-wrapper"] }))).toEqual([
      "no-redis-dependency requirements.txt:2 failure",
    ]);
    expect(await briefsFor(files, only("no-redis-dependency", { forbiddenDependencies: ["@acme/*"] }))).toEqual([
      "no-redis-dependency package.json:3 failure",
      "no-redis-dependency package.json:4 failure",
    ]);
  });

  it("uses the configured level and per-rule ignore", async () => {
    const files = { "requirements.txt": "redis\n", "legacy/requirements.txt": "redis\n" };
    const section = only("no-redis-dependency");
    (section["rules"] as Record<string, unknown>)["no-redis-dependency"] = { level: "warning", ignore: ["legacy/**"] };
    expect(await briefsFor(files, section)).toEqual(["no-redis-dependency requirements.txt:1 warning"]);
  });
});
