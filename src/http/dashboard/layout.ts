// The frame of every dashboard page: the head (the served stylesheet, no
// inline style or script, as the CSP demands), the navigation, the language
// switch and the sign-out form with its CSRF token.
import type { DashboardSession } from "../../store/dashboard-sessions.js";
import { html } from "./html.js";
import type { Html } from "./html.js";
import { LANGUAGES } from "./i18n.js";
import type { Language, Messages } from "./i18n.js";

export interface PageContext {
  language: Language;
  t: Messages;
  session?: DashboardSession;
  /** The page's own path and query: the language links keep them. */
  path: string;
  query: URLSearchParams;
}

/** Each language in its own words: the switch's accessible names. */
const LANGUAGE_NAMES: Record<Language, string> = { en: "English", es: "Español" };

export const CSS_PATH = "/dashboard/dashboard.css";

function languageHref(context: PageContext, language: Language): string {
  const query = new URLSearchParams(context.query);
  query.set("lang", language);
  return `${context.path}?${query.toString()}`;
}

export function page(context: PageContext, title: string, body: Html): Html {
  const { t, session } = context;
  return html`<!doctype html>
<html lang="${context.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t.title}</title>
<link rel="stylesheet" href="${CSS_PATH}">
</head>
<body>
<header>
  <a class="brand" href="/dashboard">${t.title}</a>
  ${session
    ? html`<nav aria-label="${t.title}"><a href="/dashboard">${t.repositories}</a><a href="/dashboard/records">${t.records}</a><a href="/dashboard/operations">${t.operations}</a></nav>`
    : ""}
  <nav class="languages" aria-label="${t.language}">${LANGUAGES.map((language) =>
    language === context.language ? html`<strong lang="${language}">${language.toUpperCase()}</strong>` : html`<a lang="${language}" hreflang="${language}" aria-label="${LANGUAGE_NAMES[language]}" href="${languageHref(context, language)}">${language.toUpperCase()}</a>`,
  )}</nav>
  ${session
    ? html`<form class="sign-out" method="post" action="/dashboard/sign-out"><span>${t.signedInAs} <strong>${session.userLogin}</strong></span><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${t.signOut}</button></form>`
    : ""}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A page for an error: the message is escaped like everything else. */
export function errorPage(context: PageContext, title: string, message: string): Html {
  return page(context, title, html`<p class="error">${message}</p><p><a href="/dashboard">${context.t.repositories}</a></p>`);
}

export function formatDate(date: Date | null | undefined): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "";
}

export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return "–";
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}
