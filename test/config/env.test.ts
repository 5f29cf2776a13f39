import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, envSchema, loadConfig } from "../../src/config/env.js";
import { TEST_PRIVATE_KEY } from "../support/github-app.js";

const base = { DATABASE_URL: "mysql://iact:secret-pass@127.0.0.1:3306/iact" };
const registered = { ...base, APP_ID: "42", PRIVATE_KEY: TEST_PRIVATE_KEY, WEBHOOK_SECRET: "shh-its-a-secret" };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(registered);
    expect(config.env.PORT).toBe(3000);
    expect(config.env.HOST).toBe("localhost");
    expect(config.env.IACT_WORKER_CONCURRENCY).toBe(4);
    expect(config.env.IACT_WORKER_ENABLED).toBe(true);
    expect(config.env.IACT_WORKER_BATCH_SIZE).toBe(250);
    expect(config.env.IACT_CHECKS_ENABLED).toBe(true);
    expect(config.githubBaseUrl).toBeUndefined();
    expect(config.github).toEqual({ appId: "42", privateKey: TEST_PRIVATE_KEY, webhookSecret: "shh-its-a-secret" });
  });

  it("lists every problem in one error", () => {
    const problems = problemsOf({ APP_ID: "abc", PORT: "99999", GHE_HOST: "https://ghe.example.com/", LOG_LEVEL: "loud" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^APP_ID: must be the numeric App ID/),
        expect.stringMatching(/^PORT:/),
        expect.stringMatching(/^GHE_HOST: must be a host name/),
        expect.stringMatching(/^LOG_LEVEL:/),
        expect.stringMatching(/^DATABASE_URL: is required/),
      ]),
    );
  });

  it("requires the webhook secret and the key once an App ID is set", () => {
    const problems = problemsOf({ ...base, APP_ID: "42" });
    expect(problems).toContain("PRIVATE_KEY or PRIVATE_KEY_PATH: is required when APP_ID is set");
    expect(problems).toContain("WEBHOOK_SECRET: is required: unsigned webhooks are refused");
  });

  it("rejects a private key that is not PEM and an unreadable key file", () => {
    expect(problemsOf({ ...registered, PRIVATE_KEY: "not a key" })).toContain(
      "PRIVATE_KEY: is not a PEM private key (expected -----BEGIN RSA PRIVATE KEY-----)",
    );
    const { PRIVATE_KEY: _unused, ...withoutKey } = registered;
    expect(problemsOf({ ...withoutKey, PRIVATE_KEY_PATH: "/nonexistent/key.pem" })[0]).toMatch(/^PRIVATE_KEY_PATH: cannot read \/nonexistent\/key\.pem \(ENOENT\)/);
  });

  it("treats empty variables as unset (a copied .env.example starts the setup flow)", () => {
    const config = loadConfig({ ...base, APP_ID: "", PRIVATE_KEY: "", WEBHOOK_SECRET: "", IACT_INSTANCE_ID: "" });
    expect(config.github).toBeUndefined();
    expect(config.env.IACT_INSTANCE_ID).not.toBe("");
  });

  it("refuses a Cassandra CA file it cannot read at start, when Cassandra is the log store", () => {
    const tls = { CASSANDRA_TLS: "true", CASSANDRA_TLS_CA_FILE: "/nonexistent/ca.pem" };
    expect(problemsOf({ ...registered, ...tls, CASSANDRA_CONTACT_POINTS: "cass-a" })).toEqual(["CASSANDRA_TLS_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)"]);
    expect(problemsOf({ ...registered, ...tls })).toEqual([]);
  });

  it("refuses to run unregistered in production", () => {
    expect(problemsOf({ ...base, NODE_ENV: "production" })[0]).toMatch(/required in production/);
  });

  it("points every GitHub call at GitHub Enterprise Server when GHE_HOST is set", () => {
    expect(loadConfig({ ...registered, GHE_HOST: "ghe.example.com" }).githubBaseUrl).toBe("https://ghe.example.com/api/v3");
    expect(loadConfig({ ...registered, GHE_HOST: "ghe.local:8443", GHE_PROTOCOL: "http" }).githubBaseUrl).toBe("http://ghe.local:8443/api/v3");
  });

  it("collects the secret values so logs can scrub them", () => {
    const config = loadConfig(registered);
    expect(config.secrets).toEqual(expect.arrayContaining([TEST_PRIVATE_KEY, "shh-its-a-secret", "secret-pass"]));
  });

  it("does not scrub short values such as the development password 'iact' from every line", () => {
    const config = loadConfig({ ...registered, DATABASE_URL: "mysql://iact:iact@127.0.0.1:3306/iact" });
    expect(config.secrets).not.toContain("iact");
  });
});

describe("documentation of the environment", () => {
  const variables = Object.keys(envSchema.shape);
  const example = readFileSync(".env.example", "utf8");
  const readme = readFileSync("README.md", "utf8");

  it.each(variables)("%s is in .env.example and in the README", (name) => {
    expect(example).toMatch(new RegExp(`^${name}=`, "m"));
    expect(readme).toContain(`\`${name}\``);
  });
});

describe("metrics settings", () => {
  it("serves /metrics on PORT without a token unless told otherwise", () => {
    const { env } = loadConfig(registered);
    expect(env.METRICS_PORT).toBeUndefined();
    expect(env.METRICS_TOKEN).toBeUndefined();
  });

  it("refuses a short token and a METRICS_PORT equal to PORT, and keeps the token out of the logs", () => {
    expect(problemsOf({ ...registered, METRICS_TOKEN: "short" })).toContain("METRICS_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 32)");
    expect(problemsOf({ ...registered, PORT: "3000", METRICS_PORT: "3000" })).toContain("METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on PORT)");
    expect(problemsOf({ ...registered, METRICS_PORT: "70000" })[0]).toMatch(/^METRICS_PORT:/);
    const config = loadConfig({ ...registered, METRICS_TOKEN: "a-long-enough-metrics-token", METRICS_PORT: "9464" });
    expect(config.env.METRICS_PORT).toBe(9464);
    expect(config.secrets).toContain("a-long-enough-metrics-token");
  });
});
