// The dashboard at /dashboard: server-rendered pages behind sign-in with
// GitHub. One boundary per request, like the JSON API's: an HttpError
// becomes an HTML page with its status, anything else a 500 page and a log
// line. Every answer carries a strict CSP (no script at all, styles from
// the served stylesheet only) and is never cached.
//
// Access: a page needs a live session (else a redirect to sign-in); a POST
// needs the session's CSRF token (else 403); a repository the session does
// not list is 404, exactly as one that does not exist, so names do not leak.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import { EVIDENCE_FIGURES, MS_PER_DAY } from "../../dora/index.js";
import type { EvidenceFigure } from "../../dora/index.js";
import { readInboxBacklog } from "../../inbox/inbox-backlog.js";
import type { JobStatus } from "../../jobs/scheduler.js";
import type { DoraMeasurer, MeasureQuery } from "../../metrics/measure.js";
import { listAudit } from "../../store/audit-log.js";
import { repositoriesOfInstallation } from "../../store/dora-records.js";
import { pageHealthSnapshots } from "../../store/health-snapshots.js";
import { DashboardSessions, randomToken } from "../../store/dashboard-sessions.js";
import type { DashboardSession, PermittedRepository } from "../../store/dashboard-sessions.js";
import type { PrismaClient } from "../../store/prisma.js";
import { readTeamRecordPage } from "../../store/team-metric-pages.js";
import { TEAM_DECISIONS, TEAM_PHASES } from "../../store/team-metrics.js";
import { readBody } from "../body.js";
import { HttpError } from "../http-error.js";
import { doraQuerySchema } from "../routes/dora-query.js";
import { validate } from "../validation.js";
import { cameOverTls, cookieHeader, CSRF_COOKIE, LANGUAGE_COOKIE, readCookies, SESSION_COOKIE, STATE_COOKIE } from "./cookies.js";
import { csrfAccepted, sameToken } from "./csrf.js";
import { authorizeUrl, exchangeCode, OAuthError, readSignedInUser } from "./github-oauth.js";
import type { OAuthSettings } from "./github-oauth.js";
import { html } from "./html.js";
import type { Html } from "./html.js";
import { isLanguage, languageFromAcceptLanguage, MESSAGES } from "./i18n.js";
import type { Language } from "./i18n.js";
import { CSS_PATH, errorPage, page } from "./layout.js";
import type { PageContext } from "./layout.js";
import { operationsPage, summariseHealth } from "./operations-page.js";
import { evidencePage, installationPath, overviewPage, repoPath } from "./overview-page.js";
import type { OverviewSubject } from "./overview-page.js";
import { recordsPage } from "./records-page.js";
import { STYLESHEET } from "./stylesheet.js";

export const DASHBOARD_PATH = "/dashboard";
const SIGN_IN_PATH = "/dashboard/sign-in";
const CALLBACK_PATH = "/dashboard/oauth/callback";
/** The overview's period when the query names none. */
export const DEFAULT_DASHBOARD_DAYS = 90;
const RECORDS_PAGE_SIZE = 25;
/** A day of snapshots every 5 minutes is 288 per replica: room for several. */
const HEALTH_SNAPSHOTS_READ = 2_000;
const STATE_MAX_AGE_SECONDS = 600;
const FORM_BODY_LIMIT = 4_096;

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface DashboardSettings {
  /** The app's OAuth credentials and GitHub's hosts; without them the dashboard is off (503). */
  oauth?: OAuthSettings;
  /** Where users reach the service (IACT_PUBLIC_URL); the OAuth callback is built on it. Default: the request's Host. */
  publicUrl?: string;
  /** Believe X-Forwarded-Proto (IACT_TRUST_PROXY): a TLS-terminating proxy in front. */
  trustProxy: boolean;
  sessionHours: number;
  /** Minutes after which a session's repositories are read again from GitHub with the user's token; 0: on every page. */
  accessRefreshMinutes: number;
}

export interface DashboardDependencies {
  prisma: PrismaClient;
  measurer: DoraMeasurer;
  jobs: { list(): Promise<JobStatus[]> };
  settings: DashboardSettings;
  log: Logger;
  now?: () => Date;
}

interface Answer {
  status: number;
  body?: Html | string;
  contentType?: string;
  location?: string;
  cookies?: string[];
}

interface DashboardRequest {
  raw: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  cookies: Map<string, string>;
  context: PageContext;
  secure: boolean;
  /** Set on every route but the public ones. */
  session?: DashboardSession;
  sessionId?: string;
}

const daysQuerySchema = doraQuerySchema.pick({ days: true });

const recordsQuerySchema = z.object({
  phase: z.union([z.enum(TEAM_PHASES), z.literal("")]).default(""),
  decision: z.union([z.enum(TEAM_DECISIONS), z.literal("")]).default(""),
  from: z.union([z.iso.date("must be a date such as 2026-11-01"), z.literal("")]).default(""),
  to: z.union([z.iso.date("must be a date such as 2026-11-30"), z.literal("")]).default(""),
  q: z.string().max(50, "must be at most 50 characters").default(""),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
});

export class Dashboard {
  private readonly sessions: DashboardSessions;
  private readonly now: () => Date;

  constructor(private readonly dependencies: DashboardDependencies) {
    this.sessions = new DashboardSessions(dependencies.prisma, dependencies.settings.sessionHours * 3_600_000);
    this.now = dependencies.now ?? (() => new Date());
  }

  async serve(raw: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const cookies = readCookies(raw);
    const chosen = url.searchParams.get("lang");
    const language: Language = isLanguage(chosen) ? chosen : (() => {
      const remembered = cookies.get(LANGUAGE_COOKIE);
      return isLanguage(remembered) ? remembered : (languageFromAcceptLanguage(raw.headers["accept-language"]) ?? "en");
    })();
    const secure = cameOverTls(raw, this.dependencies.settings.trustProxy);
    const query = new URLSearchParams(url.searchParams);
    query.delete("lang");
    const request: DashboardRequest = {
      raw,
      method: raw.method ?? "GET",
      path: url.pathname.replace(/\/+$/, "") || "/",
      query,
      cookies,
      secure,
      context: { language, t: MESSAGES[language], path: url.pathname, query },
    };
    let answer: Answer;
    try {
      answer = await this.route(request);
    } catch (error) {
      answer = this.failure(request, error);
    }
    if (isLanguage(chosen)) {
      (answer.cookies ??= []).push(cookieHeader(LANGUAGE_COOKIE, chosen, { secure, maxAgeSeconds: 365 * 86_400, httpOnly: false }));
    }
    write(response, request.method, answer);
  }

  private failure(request: DashboardRequest, error: unknown): Answer {
    const { t } = request.context;
    if (error instanceof HttpError) {
      const title = error.status === 404 ? t.notFound : error.status === 403 ? t.forbidden : error.status >= 500 ? "Error" : t.badRequest;
      const details = Array.isArray(error.details) ? (error.details as Array<{ field: string; message: string }>).map((detail) => `${detail.field} ${detail.message}`).join("; ") : "";
      return { status: error.status, body: errorPage(request.context, title, details ? `${error.message}: ${details}` : error.message) };
    }
    this.dependencies.log.error({ err: error, path: request.path }, "dashboard page failed");
    return { status: 500, body: errorPage(request.context, "Error", "The page could not be built; the details are in the server log.") };
  }

  private async route(request: DashboardRequest): Promise<Answer> {
    const { path, method } = request;
    if (path === CSS_PATH) return { status: 200, body: STYLESHEET, contentType: "text/css; charset=utf-8" };
    const oauth = this.dependencies.settings.oauth;
    if (!oauth) {
      throw new HttpError(503, "The dashboard is off: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (the GitHub App's OAuth credentials) to turn it on.");
    }
    if (method !== "GET" && method !== "HEAD" && method !== "POST") throw new HttpError(405, `Method ${method} is not allowed on the dashboard`);
    if (path === SIGN_IN_PATH) return this.signInPage(request);
    if (path === "/dashboard/oauth/start") return this.startSignIn(request, oauth);
    if (path === CALLBACK_PATH) return this.finishSignIn(request, oauth);

    const sessionId = request.cookies.get(SESSION_COOKIE);
    const found = sessionId ? await this.sessions.find(sessionId, this.now()) : undefined;
    const session = found && sessionId ? await this.withCurrentAccess(sessionId, found, oauth) : undefined;
    if (!session || !sessionId) return { status: 303, location: SIGN_IN_PATH };
    request.session = session;
    request.sessionId = sessionId;
    request.context.session = session;

    if (method === "POST") {
      const form = new URLSearchParams((await readBody(request.raw, FORM_BODY_LIMIT)).toString("utf8"));
      if (!csrfAccepted(form.get("csrf") ?? undefined, request.cookies.get(CSRF_COOKIE), session.csrfToken)) {
        throw new HttpError(403, "The form's security token is missing or does not match your session; reload the page and try again.");
      }
      if (path === "/dashboard/sign-out") return this.signOut(request);
      throw new HttpError(404, `No dashboard page ${path}`);
    }
    if (path === DASHBOARD_PATH) return { status: 200, body: this.repositoriesPage(request, session) };
    if (path === "/dashboard/records") return this.records(request);
    if (path === "/dashboard/operations") return this.operations(request, session);
    const repoMatch = /^\/dashboard\/repos\/([^/]+)\/([^/]+)(?:\/evidence\/([^/]+))?$/.exec(path);
    if (repoMatch) {
      const repository = permitted(session, decode(repoMatch[1]!), decode(repoMatch[2]!));
      const figure = repoMatch[3] === undefined ? undefined : decode(repoMatch[3]);
      const subject = { repo: repository.fullName, installationId: repository.installationId };
      return figure === undefined ? this.overview(request, subject) : this.evidence(request, subject, figure);
    }
    const installationMatch = /^\/dashboard\/installations\/(\d{1,15})(?:\/evidence\/([^/]+))?$/.exec(path);
    if (installationMatch) {
      const subject = await this.permittedInstallation(request, session, Number(installationMatch[1]));
      const figure = installationMatch[2] === undefined ? undefined : decode(installationMatch[2]);
      return figure === undefined ? this.overview(request, subject) : this.evidence(request, subject, figure);
    }
    throw new HttpError(404, `No dashboard page ${path}`);
  }

  /**
   * The session with the user's repositories as GitHub lists them now, read
   * again once `accessRefreshMinutes` have passed: a repository taken away
   * on GitHub stops showing within that time. A token GitHub refuses ends
   * the session (undefined: sign in again). GitHub unreachable keeps the
   * last list and tries again on the next page, saying so in the log.
   */
  private async withCurrentAccess(sessionId: string, session: DashboardSession, oauth: OAuthSettings): Promise<DashboardSession | undefined> {
    const now = this.now();
    const { accessRefreshMinutes } = this.dependencies.settings;
    if (!session.userToken || now.getTime() - session.repositoriesReadAt.getTime() < accessRefreshMinutes * 60_000) return session;
    try {
      const user = await readSignedInUser(oauth, session.userToken);
      if (user.id !== session.userId) throw new OAuthError("the token now belongs to another user", 401);
      await this.sessions.updateRepositories(sessionId, user.repositories, now);
      return { ...session, repositories: user.repositories, repositoriesReadAt: now };
    } catch (error) {
      if (error instanceof OAuthError && error.tokenRefused) {
        this.dependencies.log.info({ actor: `github:${session.userLogin}` }, "dashboard session ended: GitHub refused the user's token");
        await this.sessions.delete(sessionId);
        return undefined;
      }
      this.dependencies.log.warn({ err: error, actor: `github:${session.userLogin}` }, "could not re-read the dashboard user's repositories from GitHub; keeping the last list");
      return session;
    }
  }

  private signInPage(request: DashboardRequest): Answer {
    const { t } = request.context;
    return { status: 200, body: page(request.context, t.signIn, html`<p>${t.signInIntro}</p><p><a class="button" href="/dashboard/oauth/start">${t.signIn}</a></p>`) };
  }

  private callbackUrl(request: DashboardRequest): string {
    const { publicUrl } = this.dependencies.settings;
    if (publicUrl) return `${publicUrl}${CALLBACK_PATH}`;
    // GitHub accepts only a redirect_uri under the app's registered callback URL, so a forged Host cannot send the code elsewhere.
    const host = request.raw.headers.host ?? "";
    if (!/^[\w.-]+(:\d+)?$/.test(host)) throw new HttpError(400, "The request has no valid Host header; set IACT_PUBLIC_URL");
    return `${request.secure ? "https" : "http"}://${host}${CALLBACK_PATH}`;
  }

  private startSignIn(request: DashboardRequest, oauth: OAuthSettings): Answer {
    const state = randomToken();
    return {
      status: 303,
      location: authorizeUrl(oauth, state, this.callbackUrl(request)),
      cookies: [cookieHeader(STATE_COOKIE, state, { secure: request.secure, maxAgeSeconds: STATE_MAX_AGE_SECONDS })],
    };
  }

  private async finishSignIn(request: DashboardRequest, oauth: OAuthSettings): Promise<Answer> {
    const clearState = cookieHeader(STATE_COOKIE, "", { secure: request.secure, maxAgeSeconds: 0 });
    const denied = request.query.get("error");
    if (denied) throw new HttpError(400, `GitHub did not sign you in (${denied}). Start again from the sign-in page.`);
    const state = request.query.get("state") ?? undefined;
    if (!sameToken(state, request.cookies.get(STATE_COOKIE))) {
      throw new HttpError(400, "The sign-in's state does not match the one this browser started with (it expired, or the link came from elsewhere). Start again from the sign-in page.");
    }
    const code = request.query.get("code");
    if (!code) throw new HttpError(400, "GitHub's answer has no code. Start again from the sign-in page.");
    let user;
    let token;
    try {
      token = await exchangeCode(oauth, code, this.callbackUrl(request));
      user = await readSignedInUser(oauth, token);
    } catch (error) {
      if (error instanceof OAuthError) throw new HttpError(502, `${error.message}. Try signing in again.`);
      throw new HttpError(502, `GitHub could not be reached to finish the sign-in (${error instanceof Error ? error.message : String(error)}). Try again.`);
    }
    const { sessionId, session } = await this.sessions.create({ userLogin: user.login, userId: user.id, repositories: user.repositories, userToken: token }, this.now());
    const maxAgeSeconds = this.dependencies.settings.sessionHours * 3_600;
    return {
      status: 303,
      location: DASHBOARD_PATH,
      cookies: [
        clearState,
        cookieHeader(SESSION_COOKIE, sessionId, { secure: request.secure, maxAgeSeconds }),
        cookieHeader(CSRF_COOKIE, session.csrfToken, { secure: request.secure, maxAgeSeconds }),
      ],
    };
  }

  private async signOut(request: DashboardRequest): Promise<Answer> {
    await this.sessions.delete(request.sessionId!);
    return {
      status: 303,
      location: SIGN_IN_PATH,
      cookies: [SESSION_COOKIE, CSRF_COOKIE].map((name) => cookieHeader(name, "", { secure: request.secure, maxAgeSeconds: 0 })),
    };
  }

  private repositoriesPage(request: DashboardRequest, session: DashboardSession): Html {
    const { t } = request.context;
    const installations = [...new Set(session.repositories.map((repository) => repository.installationId))].sort((a, b) => a - b);
    const body =
      session.repositories.length === 0
        ? html`<p>${t.noRepositories}</p>`
        : html`${installations.map(
            (installationId) => html`<h2><a class="installation" href="${installationPath(installationId)}">${t.installation} ${installationId}</a></h2>
<ul class="repositories">${session.repositories
              .filter((repository) => repository.installationId === installationId)
              .map((repository) => html`<li><a class="repository" href="${repoPath(repository.fullName)}">${repository.fullName}</a></li>`)}</ul>`,
          )}`;
    return page(request.context, t.repositories, body);
  }

  /**
   * An installation's overview measures every repository of it together, so
   * it is shown only to a user who can access each repository its records
   * hold; an installation the user has no repository of is 404, like a
   * repository.
   */
  private async permittedInstallation(request: DashboardRequest, session: DashboardSession, installationId: number): Promise<OverviewSubject> {
    const visible = new Set(session.repositories.filter((repository) => repository.installationId === installationId).map((repository) => repository.fullName.toLowerCase()));
    if (visible.size === 0) throw new HttpError(404, "There is no such installation, or you cannot access it.");
    const measured = await repositoriesOfInstallation(this.dependencies.prisma, installationId);
    if (measured.some((repo) => !visible.has(repo))) throw new HttpError(403, request.context.t.installationHidden);
    return { installationId };
  }

  private days(request: DashboardRequest): number {
    const given = request.query.get("days");
    return validate(daysQuerySchema, { days: given ?? String(DEFAULT_DASHBOARD_DAYS) }, "query").days;
  }

  private async overview(request: DashboardRequest, subject: OverviewSubject): Promise<Answer> {
    const days = this.days(request);
    const now = this.now();
    const query = measureQueryOf(subject, days);
    const before = { from: new Date(now.getTime() - 2 * days * MS_PER_DAY), to: new Date(now.getTime() - days * MS_PER_DAY) };
    const { measurer } = this.dependencies;
    const [current, previous, [deployments, leadTime, failures]] = await Promise.all([
      measurer.measure(query, now),
      measurer.measure({ ...query, window: before }, now),
      measurer.evidenceOf(query, ["deployment_frequency", "lead_time", "change_failure_rate"], now),
    ]);
    const { environments: _current, ...report } = current.report;
    const { environments: _previous, ...previousReport } = previous.report;
    return {
      status: 200,
      body: overviewPage(request.context, {
        subject,
        days,
        report,
        previous: previousReport,
        evidence: { deployments: deployments!.evidence, leadTime: leadTime!.evidence, failures: failures!.evidence },
        window: { from: new Date(now.getTime() - days * MS_PER_DAY), to: now },
      }),
    };
  }

  private async evidence(request: DashboardRequest, subject: OverviewSubject, figure: string): Promise<Answer> {
    if (!(EVIDENCE_FIGURES as readonly string[]).includes(figure)) throw new HttpError(404, `No figure ${figure}; one of ${EVIDENCE_FIGURES.join(", ")}`);
    const days = this.days(request);
    const measured = await this.dependencies.measurer.evidence(measureQueryOf(subject, days), figure as EvidenceFigure, this.now());
    return { status: 200, body: evidencePage(request.context, subject, days, measured.evidence) };
  }

  private async records(request: DashboardRequest): Promise<Answer> {
    const form = validate(recordsQuerySchema, Object.fromEntries(request.query), "query");
    const page = await readTeamRecordPage(
      this.dependencies.prisma,
      {
        ...(form.phase ? { phase: form.phase } : {}),
        ...(form.decision ? { decision: form.decision } : {}),
        ...(form.from ? { from: new Date(`${form.from}T00:00:00Z`) } : {}),
        // The "to" day is included.
        ...(form.to ? { to: new Date(new Date(`${form.to}T00:00:00Z`).getTime() + MS_PER_DAY) } : {}),
        ...(form.q.trim() ? { search: form.q.trim() } : {}),
      },
      form.page,
      RECORDS_PAGE_SIZE,
    );
    return { status: 200, body: recordsPage(request.context, form, page) };
  }

  private async operations(request: DashboardRequest, session: DashboardSession): Promise<Answer> {
    const { prisma, jobs } = this.dependencies;
    const visible = new Set(session.repositories.map((repository) => repository.fullName.toLowerCase()));
    const now = this.now();
    const [inbox, published, jobStatus, snapshots] = await Promise.all([
      readInboxBacklog(prisma),
      listAudit(prisma, { action: "check_runs.published", limit: 200 }),
      jobs.list(),
      pageHealthSnapshots(prisma, { from: new Date(now.getTime() - MS_PER_DAY), to: now, limit: HEALTH_SNAPSHOTS_READ }),
    ]);
    // Only the check runs of repositories this user can see: the target is owner/name@sha.
    const checkRuns = published.filter((entry) => visible.has(entry.target.slice(0, entry.target.lastIndexOf("@")).toLowerCase())).slice(0, 20);
    return { status: 200, body: operationsPage(request.context, { inbox, checkRuns, jobs: jobStatus, health: summariseHealth(snapshots) }) };
  }
}

/** The measurer's query for an overview: the repository alone, or the installation's repositories together. */
function measureQueryOf(subject: OverviewSubject, days: number): MeasureQuery {
  return subject.repo === undefined ? { days, installation: subject.installationId } : { days, repo: subject.repo };
}

/** The session's repository owner/name, or 404 as for a repository that does not exist. */
function permitted(session: DashboardSession, owner: string, name: string): PermittedRepository {
  const fullName = `${owner}/${name}`.toLowerCase();
  const repository = session.repositories.find((candidate) => candidate.fullName.toLowerCase() === fullName);
  if (!repository) throw new HttpError(404, "There is no such repository, or you cannot access it.");
  return repository;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(404, "There is no such page.");
  }
}

function write(response: ServerResponse, method: string, answer: Answer): void {
  const body = answer.body === undefined ? "" : String(answer.body);
  const headers: Record<string, string | string[]> = {
    "content-type": answer.contentType ?? "text/html; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  };
  if (answer.location) headers.location = answer.location;
  if (answer.cookies?.length) headers["set-cookie"] = answer.cookies;
  response.writeHead(answer.status, headers);
  response.end(method === "HEAD" ? undefined : body);
}
