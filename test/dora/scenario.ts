// The hand-computed scenario of the DORA tests (report, evidence): one repo
// over two ISO weeks with every kind of fact. Each figure derived from it is
// worked out by hand in the test that asserts it.
import type { DoraInput } from "../../src/dora/index.js";
import { at, attempt, change, deployment, incident, pullRequest, sha } from "./builders.js";

// One repo, acme/shop, over two ISO weeks: window [Mon 4 Mar 2024, Mon 18 Mar 2024) = 14 days,
// W10 = 4-10 Mar, W11 = 11-17 Mar. Production environments: "production" and "prod-eu"; plus "staging".
//
// production: P0 26 Feb 10:00 (before the window)  b0 "Initial"                         (Feb 25 10:00)
//             P1  4 Mar 10:00  PR#1 squash s1 + PR#2 (c2a, c2b, merge m2) + direct push d3 "Bump version" (4 Mar 09:45)
//             P2  6 Mar 12:00  PR#4 "Refactor checkout" (merge e2)
//             P3  7 Mar 10:00  direct push e3 "Tweak copy" (7 Mar 09:00)
//             P4  7 Mar 14:00  direct push f4 'Revert "Refactor checkout"' + "This reverts commit e2..." (13:30)
//             P5 12 Mar 10:00  PR#6 "Add wishlist" (merge a5)
//             P6 12 Mar 11:00  redeploys f4 (deployed by P4 before P5): a ROLLBACK from P5; no changes
//             P7 14 Mar 16:00  PR#8 "Fix payment rounding" from branch hotfix/payment-rounding (merge a7)
// prod-eu:    E1  5 Mar 10:00  FIRST deploy of prod-eu: every change up to d3, b0 included
//             E2 14 Mar 13:00  e2, e3, f4, a5, a7 (the revert f4 ships WITH e2: not a failure of E2)
// staging:    S1  4 Mar 09:54  first deploy: s1, c2a, c2b, m2, d3
//             S2 12 Mar 09:30  e2, e3, f4, a5
// Incidents:  I0 27 Feb 09:00-10:00 (before the window: not reported)
//             I1  7 Mar 12:00-15:00 "Root cause: <e2, 7 chars>": P2, although P3 deployed later (3 h)
//             I2 15 Mar 10:00-12:00 no root cause: latest production deploy P7 18 h before -> window (2 h)
//             I3 17 Mar 20:00-23:00 latest production deploy P7 76 h before > 48 h: unattributed (3 h)
//             I4 10 Mar 09:00, closed 20 Mar (after `to`, so open), root cause 0123abc matches nothing,
//                latest production deploy P4 67 h before: unattributed and open
// Attempts:   A0 1 Mar production (before), A1 6 Mar production, A2 5 Mar staging, A3 9 Mar prod-eu
export const PRS = [
  pullRequest(
    1,
    "Add cart",
    { firstCommit: "2024-03-01 09:00", opened: "2024-03-01 12:00", firstReview: "2024-03-01 14:00", merged: "2024-03-04 08:00" },
    { mergeCommitSha: sha("51") },
  ),
  pullRequest(
    2,
    "Add search",
    { firstCommit: "2024-03-03 10:00", opened: "2024-03-03 16:00", firstReview: "2024-03-04 09:00", merged: "2024-03-04 09:30" },
    { mergeCommitSha: sha("d2") },
  ),
  pullRequest(
    4,
    "Refactor checkout",
    { firstCommit: "2024-03-05 12:00", opened: "2024-03-05 13:00", firstReview: "2024-03-05 15:00", merged: "2024-03-06 11:00" },
    { mergeCommitSha: sha("e2") },
  ),
  pullRequest(6, "Add wishlist", { firstCommit: "2024-03-11 10:00", opened: "2024-03-11 11:00", merged: "2024-03-12 09:00" }, {
    mergeCommitSha: sha("a5"),
  }),
  pullRequest(
    8,
    "Fix payment rounding",
    { firstCommit: "2024-03-14 10:00", opened: "2024-03-14 10:30", firstReview: "2024-03-14 11:00", merged: "2024-03-14 11:30" },
    { mergeCommitSha: sha("a7"), headRef: "hotfix/payment-rounding" },
  ),
];

const REVERT_MESSAGE = `Revert "Refactor checkout"\n\nThis reverts commit ${sha("e2")}.`;
const upToD3 = (deploymentId: string) => [
  change(deploymentId, "51", "2024-03-04 08:00", "Add cart (#1)", 1),
  change(deploymentId, "c2a", "2024-03-03 10:00", "Search index", 2),
  change(deploymentId, "c2b", "2024-03-03 15:00", "Search box", 2),
  change(deploymentId, "d2", "2024-03-04 09:30", "Merge pull request #2", 2),
  change(deploymentId, "d3", "2024-03-04 09:45", "Bump version"),
];
const e2ToA5 = (deploymentId: string) => [
  change(deploymentId, "e2", "2024-03-06 11:00", "Merge pull request #4", 4),
  change(deploymentId, "e3", "2024-03-07 09:00", "Tweak copy"),
  change(deploymentId, "f4", "2024-03-07 13:30", REVERT_MESSAGE),
  change(deploymentId, "a5", "2024-03-12 09:00", "Merge pull request #6", 6),
];

export const INPUT: DoraInput = {
  deployments: [
    deployment("P0", "production", "b0", "2024-02-26 10:00"),
    deployment("P1", "production", "d3", "2024-03-04 10:00"),
    deployment("P2", "production", "e2", "2024-03-06 12:00"),
    deployment("P3", "production", "e3", "2024-03-07 10:00"),
    deployment("P4", "production", "f4", "2024-03-07 14:00"),
    deployment("P5", "production", "a5", "2024-03-12 10:00"),
    deployment("P6", "production", "f4", "2024-03-12 11:00"),
    deployment("P7", "production", "a7", "2024-03-14 16:00"),
    deployment("E1", "prod-eu", "d3", "2024-03-05 10:00"),
    deployment("E2", "prod-eu", "a7", "2024-03-14 13:00"),
    deployment("S1", "staging", "d3", "2024-03-04 09:54"),
    deployment("S2", "staging", "a5", "2024-03-12 09:30"),
  ],
  attempts: [
    attempt("A0", "production", "2024-03-01 10:00"),
    attempt("A1", "production", "2024-03-06 11:00"),
    attempt("A2", "staging", "2024-03-05 10:00"),
    attempt("A3", "prod-eu", "2024-03-09 10:00"),
  ],
  changes: [
    change("P0", "b0", "2024-02-25 10:00", "Initial"),
    ...upToD3("P1"),
    change("P2", "e2", "2024-03-06 11:00", "Merge pull request #4", 4),
    change("P3", "e3", "2024-03-07 09:00", "Tweak copy"),
    change("P4", "f4", "2024-03-07 13:30", REVERT_MESSAGE),
    change("P5", "a5", "2024-03-12 09:00", "Merge pull request #6", 6),
    change("P7", "a7", "2024-03-14 11:30", "Merge pull request #8", 8),
    change("E1", "b0", "2024-02-25 10:00", "Initial"),
    ...upToD3("E1"),
    ...e2ToA5("E2"),
    change("E2", "a7", "2024-03-14 11:30", "Merge pull request #8", 8),
    ...upToD3("S1"),
    ...e2ToA5("S2"),
  ],
  pullRequests: PRS,
  incidents: [
    incident("I0", "2024-02-27 09:00", "2024-02-27 10:00"),
    incident("I1", "2024-03-07 12:00", "2024-03-07 15:00", { rootCauseSha: sha("e2").slice(0, 7) }),
    incident("I2", "2024-03-15 10:00", "2024-03-15 12:00"),
    incident("I3", "2024-03-17 20:00", "2024-03-17 23:00"),
    incident("I4", "2024-03-10 09:00", "2024-03-20 09:00", { rootCauseSha: "0123abc" }),
  ],
};
// The default production pattern /^prod(uction)?$/i would leave prod-eu out: configure both as production.
export const WINDOW = {
  from: at("2024-03-04 00:00"),
  to: at("2024-03-18 00:00"),
  productionPatterns: [/^prod(uction)?$/i, /^prod-[a-z]+$/i],
};

