// The layers of src/, as rules `npm run lint` enforces (depcruise), and
// test/architecture/layers.test.ts proves on small fixtures. Floors, top to
// bottom; an arrow may point to its own room or to a lower floor, never up:
//   5 edges        src/cli/, src/http/ (routes, auth, server, webhook intake), bench/
//   4 wiring       src/service.ts, src/app.ts: build the object graph, no logic
//   3 application  src/inbox/, src/github/, src/metrics/, src/reports/, src/jobs/
//   2 adapters     src/store/, src/logs/, src/observability/ (Prometheus metrics)
//   1 settings     src/config/: pure parsing
//   0 pure         src/dora/, src/checks/: engines, no I/O; src/lib/: tiny
//                  helpers every floor may use (a limiter, an error's status)
// The wiring is the composition root: it builds the HTTP server and its routes,
// so it may import src/http/; nothing it builds may import it back (no-circular
// and http-not-cli-or-wiring), and only the CLI and the benchmarks start it.
// Paths are relative to the folder depcruise runs in (the repository root).

const APPLICATION = "^src/(inbox|github|metrics|reports|jobs)/";
const WIRING = "^src/(service|app)\\.ts$";
const EDGES = "^(src/(cli|http)/|bench/)";
/** Packages that talk to GitHub, a database, a log sink or a clock. */
const IO_CLIENTS = "^(probot|@octokit/(rest|core)|@prisma/|mysql2|cassandra-driver|pino|node-cron|smee-client)(/|$)";

export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle has no bottom floor: one of its arrows points up. Move the shared part into a leaf module both import.",
      from: {},
      to: { circular: true },
    },
    {
      name: "pure-rooms-stand-alone",
      severity: "error",
      comment: "src/dora/ and src/checks/ are the pure engines: they import nothing of ours outside their own room, except the helpers of src/lib/.",
      from: { path: "^src/(dora|checks)/" },
      to: { path: "^src/", pathNot: "^src/($1|lib)/" },
    },
    {
      name: "lib-is-a-leaf",
      severity: "error",
      comment: "src/lib/ holds helpers every floor may import, so it imports nothing of ours and does no I/O.",
      from: { path: "^src/lib/" },
      to: { path: ["^src/(?!lib/)", IO_CLIENTS] },
    },
    {
      name: "pure-rooms-no-io",
      severity: "error",
      comment: "The pure engines do no I/O: no file system, processes, network, database, GitHub or logging.",
      from: { path: "^src/(dora|checks)/" },
      to: {
        path: [
          "^(node:)?(fs|child_process|net|http|https|http2|dgram|dns|tls|cluster|worker_threads)(/|$)",
          IO_CLIENTS,
        ],
      },
    },
    {
      name: "settings-only-pure",
      severity: "error",
      comment: "src/config/ parses settings; it may use the pure engines' schemas and constants, nothing above them.",
      from: { path: "^src/config/" },
      to: { path: "^src/", pathNot: "^src/(config|dora|checks|lib)/" },
    },
    {
      name: "settings-no-io-clients",
      severity: "error",
      comment: "src/config/ parses; whatever reads settings from GitHub or a database (e.g. src/github/repo-config-cache.ts) lives above it. (env.ts may read the private key file it is pointed at.)",
      from: { path: "^src/config/" },
      to: { path: IO_CLIENTS },
    },
    {
      name: "adapters-only-settings-and-pure",
      severity: "error",
      comment: "src/store/, src/logs/ and src/observability/ are adapters: they see settings and the pure core, not each other or anything above. The types the store accepts live in the store (e.g. capture-facts.ts).",
      from: { path: "^src/(store|logs|observability)/" },
      to: { path: "^src/", pathNot: "^src/($1|config|dora|checks|lib)/" },
    },
    {
      name: "application-not-edges-or-wiring",
      severity: "error",
      comment: "Application code (inbox, github, metrics, reports, jobs) is called by the wiring and the edges, never the other way round.",
      from: { path: APPLICATION },
      to: { path: [EDGES, WIRING] },
    },
    {
      name: "wiring-not-entry-points",
      severity: "error",
      comment: "The wiring is started by the CLI and the benchmarks; it does not import them.",
      from: { path: WIRING },
      to: { path: "^(src/cli/|bench/)" },
    },
    {
      name: "http-not-cli-or-wiring",
      severity: "error",
      comment: "HTTP routes and the server are built by the wiring (src/service.ts); they import neither it nor the CLI.",
      from: { path: "^src/http/" },
      to: { path: ["^src/cli/", WIRING] },
    },
    {
      name: "src-not-tests-or-bench",
      severity: "error",
      comment: "Shipped code never imports the tests or the benchmarks.",
      from: { path: "^src/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    // Type-only imports count: a cycle of types is still a cycle of concepts.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/store/generated/" },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
