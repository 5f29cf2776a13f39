// The Dockerfile and compose.yaml hold the app to what it really is: no image
// can be built or pulled on the machines the suite runs on, so these checks
// read both files and compare them with the code. The start command is a
// command of the CLI, the exposed port and host are the settings' names and
// the default port, the health check asks a route the server has, and every
// variable compose sets is one the app reads.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { envSchema } from "../../src/config/env.js";
import { healthRoutes } from "../../src/http/health-routes.js";
import { MAX_WEBHOOK_BYTES } from "../../src/http/webhook-intake.js";
import { cassandraSettingsFromEnv } from "../../src/logs/cassandra-client.js";
import { defaultMigrationsDir } from "../../src/store/migrations.js";
import { CLI_TEST_TIMEOUT_MS, runCli } from "../support/cli.js";

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped, split into stages at FROM. */
function dockerfileStages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, " ");
  const instructions = joined
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
  const stages: Instruction[][] = [[]];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") stages.push([]);
    stages.at(-1)!.push(instruction);
  }
  return stages;
}

/** `KEY=value KEY2=value` (ENV, ARG) as an object. */
function assignments(args: string): Record<string, string> {
  return Object.fromEntries([...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, key, value]) => [key!, value!.replace(/^"|"$/g, "")]));
}

function jsonArray(args: string): string[] {
  return JSON.parse(args) as string[];
}

const dockerfile = readFileSync("Dockerfile", "utf8");
const [preamble, ...stages] = dockerfileStages(dockerfile);
const runtime = stages.at(-1)!;
const runtimeArgs = (keyword: string) => runtime.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
const globalArgs = Object.assign({}, ...preamble!.filter((instruction) => instruction.keyword === "ARG").map((instruction) => assignments(instruction.args))) as Record<string, string>;
const imageOf = (stage: Instruction[]) => stage[0]!.args.split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_match, name: string) => globalArgs[name] ?? "");
const settings = new Set(Object.keys(envSchema.shape));
const defaultPort = envSchema.parse({ DATABASE_URL: "mysql://u:p@h:3306/d" }).PORT;

describe("Dockerfile", () => {
  it("builds in stages on Node 24 and runs as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(imageOf(stage)).toMatch(/^node:24(-|$)/);
    const user = runtimeArgs("USER").at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("generates the Prisma client at build time and ships only production dependencies", () => {
    const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(packageJson.scripts.build).toMatch(/npm run generate/);
    const buildStage = stages.find((stage) => stage.some((instruction) => instruction.keyword === "RUN" && /npm run build/.test(instruction.args)));
    expect(buildStage).toBeDefined();
    // The runtime's node_modules come from a stage that installed without dev dependencies.
    const copiedModules = runtimeArgs("COPY").find((args) => /node_modules/.test(args));
    const fromStage = /--from=(\S+)/.exec(copiedModules ?? "")?.[1];
    const dependencies = stages.find((stage) => stage[0]!.args.endsWith(` AS ${fromStage}`));
    expect(dependencies?.some((instruction) => instruction.keyword === "RUN" && /npm ci\b.*--omit=dev/.test(instruction.args))).toBe(true);
    // The compiled app comes from the build stage, the migrations from the repository, where the code looks for them.
    expect(runtimeArgs("COPY")).toContain(`--from=${buildStage![0]!.args.split(/\s+AS\s+/)[1]} /app/dist ./dist`);
    // dist/ sits where src/ does, so the code finds them at the same place relative to the app's root.
    const migrations = path.relative(process.cwd(), defaultMigrationsDir());
    expect(runtimeArgs("COPY")).toContain(`${migrations} ./${migrations}`);
    for (const args of [...runtimeArgs("COPY"), ...stages.flatMap((stage) => stage.filter((instruction) => instruction.keyword === "COPY").map((instruction) => instruction.args))]) {
      if (args.startsWith("--from")) continue;
      for (const source of args.split(/\s+/).slice(0, -1)) expect(existsSync(source), `COPY source ${source}`).toBe(true);
    }
  });

  it("exposes the port the app listens on, on every interface, and sets only settings the app reads", () => {
    const env = Object.assign({}, ...runtimeArgs("ENV").map(assignments)) as Record<string, string>;
    for (const name of Object.keys(env)) expect(settings, name).toContain(name);
    expect(env.HOST).toBe("0.0.0.0");
    expect(Number(env.PORT)).toBe(defaultPort);
    expect(runtimeArgs("EXPOSE")).toEqual([String(defaultPort)]);
  });

  it("checks the health on /health, a route the server answers without a token", () => {
    const healthcheck = runtimeArgs("HEALTHCHECK")[0] ?? "";
    const command = jsonArray(healthcheck.slice(healthcheck.indexOf("CMD") + 3).trim());
    expect(command[0]).toBe("node");
    const url = /fetch\(`http:\/\/127\.0\.0\.1:\$\{process\.env\.PORT \|\| (\d+)\}(\/\S*?)`\)/.exec(command.join(" "));
    expect(url?.[1]).toBe(String(defaultPort));
    const route = healthRoutes({}).find((candidate) => candidate.path === url?.[2]);
    expect(route).toMatchObject({ method: "GET", path: "/health", scope: null });
  });

  it(
    "starts the CLI's serve command, and the entry point is the CLI the package builds",
    async () => {
      const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as { bin: Record<string, string> };
      const entrypoint = jsonArray(runtimeArgs("ENTRYPOINT")[0]!);
      expect(entrypoint).toEqual(["node", packageJson.bin["iact-bot"]]);
      expect(jsonArray(runtimeArgs("CMD")[0]!)).toEqual(["serve"]);
      const help = await runCli(["--help"]);
      expect(help.stdout).toMatch(/^\s+serve\b/m);
      expect(help.stdout).toMatch(/^\s+migrate\b/m);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  restart?: string;
}

describe("compose.yaml", () => {
  const compose = parseYaml(readFileSync("compose.yaml", "utf8")) as { services: Record<string, ComposeService> };
  const { mysql, cassandra, migrate, app } = compose.services;

  it("starts MySQL 8 with a packet size that fits the largest webhook, and Cassandra 5.0", () => {
    expect(mysql?.image).toMatch(/^mysql:8(\.|$)/);
    const packet = (mysql?.command ?? []).map((argument) => /^--max[-_]allowed[-_]packet=(\d+)M$/.exec(argument)?.[1]).find(Boolean);
    expect(Number(packet) * 1024 * 1024).toBeGreaterThan(MAX_WEBHOOK_BYTES * 2);
    expect(cassandra?.image).toMatch(/^cassandra:5\.0(\.|$)/);
  });

  it("runs the migrations once, and two replicas of the app from the same image after them", () => {
    expect(migrate?.command).toEqual(["migrate"]);
    expect(migrate?.restart).toBe("no");
    expect(migrate?.build).toBe(".");
    expect(app?.image).toBe(migrate?.image);
    expect(app?.command).toEqual(["serve"]);
    expect(app?.deploy?.replicas).toBe(2);
    expect(app?.depends_on?.migrate).toEqual({ condition: "service_completed_successfully" });
    for (const service of [migrate, app]) {
      expect(service?.env_file).toEqual([".env"]);
      expect(service?.environment?.DATABASE_URL).toMatch(/^mysql:\/\/[^@]+@mysql:3306\/iact$/);
    }
    // Each replica names itself from its container (IACT_INSTANCE_ID's default, hostname-pid); a fixed one would collide.
    expect(app?.environment?.IACT_INSTANCE_ID).toBeUndefined();
  });

  it("sets only variables the app reads, publishes PORT and exposes METRICS_PORT", () => {
    const read = new Set(settings);
    // The Cassandra variables are read by the log store's client, outside the settings schema: record which.
    const probe = new Proxy({ CASSANDRA_CONTACT_POINTS: "cassandra:9042" } as NodeJS.ProcessEnv, {
      get(target, name) {
        if (typeof name === "string") read.add(name);
        return target[name as string];
      },
    });
    cassandraSettingsFromEnv(probe);
    for (const service of [migrate, app]) {
      for (const name of Object.keys(service?.environment ?? {})) expect(read, name).toContain(name);
    }
    const environment = app?.environment ?? {};
    expect(cassandraSettingsFromEnv({ ...environment })).toMatchObject({ contactPoints: ["cassandra:9042"], localDataCenter: "datacenter1" });
    const config = envSchema.parse({ ...environment, DATABASE_URL: environment.DATABASE_URL?.replace("${MYSQL_PASSWORD}", "secret") });
    expect(app?.ports?.map((mapping) => mapping.split(":").at(-1))).toEqual([String(config.PORT)]);
    expect(config.HOST).toBe("0.0.0.0");
    expect(app?.expose).toEqual([String(config.METRICS_PORT)]);
  });
});
