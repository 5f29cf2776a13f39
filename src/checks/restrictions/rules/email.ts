// no-email-sending: code that sends email, found in Python code tokens (so
// the words in comments, docstrings and strings never count).

import type { FindingLevel } from "../../types.js";
import { milder, type RuleContext } from "../context.js";
import type { PyToken } from "../python-lexer.js";
import { findAssignments, sourceText, staticValue } from "../python-source.js";
import { NO_EMAIL_SENDING } from "../rules.js";

const SMTP_MODULES = new Set(["smtplib", "aiosmtplib"]);

/** Python modules whose only job is sending mail through a service (first segment of the module path). */
const EMAIL_SDK_MODULES: ReadonlyMap<string, string> = new Map([
  ["sendgrid", "the SendGrid SDK sends email"],
  ["mailgun", "the Mailgun SDK sends email"],
  ["postmarker", "the Postmark SDK sends email"],
  ["postmark", "the Postmark SDK sends email"],
  ["anymail", "django-anymail sends email through a service"],
  ["mailjet_rest", "the Mailjet SDK sends email"],
  ["mailchimp_transactional", "the Mailchimp Transactional (Mandrill) SDK sends email"],
  ["yagmail", "yagmail sends email over SMTP"],
  ["flask_mail", "Flask-Mail sends email over SMTP"],
]);

/** Modules whose import is Django's SMTP backend itself. */
const SMTP_BACKEND_MODULE = "django.core.mail.backends.smtp";

/** Calls on smtplib/aiosmtplib that open an SMTP connection (when the import is elsewhere). */
const SMTP_CONNECTIONS = new Set(["SMTP", "SMTP_SSL", "LMTP"]);

/** AWS service names of Amazon SES, as boto3 clients take them. */
const SES_SERVICES = new Set(["ses", "sesv2"]);

/** Callables whose only job is sending mail (Django's django.core.mail and friends). */
const SENDING_CALLS: ReadonlyMap<string, string> = new Map([
  ["send_mail", "send_mail() sends an email"],
  ["send_mass_mail", "send_mass_mail() sends emails"],
  ["mail_admins", "mail_admins() emails the ADMINS"],
  ["mail_managers", "mail_managers() emails the MANAGERS"],
  ["email_user", "User.email_user() sends an email"],
  ["EmailMessage", "django.core.mail.EmailMessage is built to be sent"],
  ["EmailMultiAlternatives", "EmailMultiAlternatives is built to be sent"],
  ["AdminEmailHandler", "AdminEmailHandler emails log records to the ADMINS"],
  ["SMTPHandler", "logging.handlers.SMTPHandler emails log records"],
]);

/** String values that configure sending wherever they appear (settings, override_settings, LOGGING). */
const SENDING_STRINGS: ReadonlyMap<string, string> = new Map([
  ["django.core.mail.backends.smtp.EmailBackend", "the SMTP email backend"],
  ["django.utils.log.AdminEmailHandler", "the logging handler that emails errors to the ADMINS"],
  ["logging.handlers.SMTPHandler", "the logging handler that emails log records"],
  ["mail_admins", "Django's mail_admins logging handler (AdminEmailHandler)"],
]);

/** EMAIL_BACKENDs that never send anything. */
const NON_SENDING_BACKENDS = new Set([
  "django.core.mail.backends.console.EmailBackend",
  "django.core.mail.backends.locmem.EmailBackend",
  "django.core.mail.backends.dummy.EmailBackend",
  "django.core.mail.backends.filebased.EmailBackend",
]);

const REMEDY = " RNF-002 forbids email/SMTP: notify through the application instead.";

export async function checkEmailSending(context: RuleContext, paths: readonly string[], level: FindingLevel): Promise<void> {
  for (const path of paths) {
    const source = await context.python(path);
    if (!source) continue;
    const reportedLines = new Set<number>();
    const report = (token: PyToken, message: string, findingLevel: FindingLevel = level): void => {
      if (reportedLines.has(token.line)) return;
      reportedLines.add(token.line);
      context.report(NO_EMAIL_SENDING, findingLevel, {
        path,
        startLine: token.line,
        startColumn: token.column,
        endColumn: token.endColumn,
        message: `${message}.${REMEDY}`,
      });
    };

    // Names bound by imports: aliases of sending functions, and the stdlib's email.message.EmailMessage.
    const sendingAliases = new Map<string, string>();
    const stdlibEmailNames = new Set<string>();
    const djangoMailNames = new Set<string>();

    for (const statement of source.statements) {
      const first = statement[0];
      if (first?.kind === "name" && first.text === "import") {
        for (const module of importedModules(statement.slice(1))) {
          const why = sendingModule(module.name);
          if (why) report(module.token, `import ${module.name}: ${why}`);
        }
      }
      if (first?.kind === "name" && first.text === "from") {
        const importAt = statement.findIndex((token) => token.kind === "name" && token.text === "import");
        const module = statement.slice(1, importAt === -1 ? statement.length : importAt).map((token) => token.text).join("");
        const why = sendingModule(module);
        if (why) report(statement[1] ?? first, `from ${module} import ...: ${why}`);
        if (importAt !== -1) {
          for (const binding of importedNames(statement.slice(importAt + 1))) {
            if (`${module}.${binding.name}` === SMTP_BACKEND_MODULE) {
              report(statement[1] ?? first, `from ${module} import smtp: Django's SMTP email backend sends email`);
            }
            if (module === "email" || module.startsWith("email.")) stdlibEmailNames.add(binding.alias);
            if (module === "django.core.mail") {
              djangoMailNames.add(binding.alias);
              const why = SENDING_CALLS.get(binding.name);
              if (why && binding.alias !== binding.name) sendingAliases.set(binding.alias, why);
            }
          }
        }
      }
    }

    for (const assignment of findAssignments(source, new Set(["EMAIL_BACKEND"]))) {
      const value = staticValue(assignment.value);
      if (value.kind === "literal") {
        if (typeof value.value === "string" && NON_SENDING_BACKENDS.has(value.value)) continue;
        report(assignment.target, `EMAIL_BACKEND = ${sourceText(assignment.value)} sends email`);
        continue;
      }
      const literals = assignment.value.filter((token) => token.kind === "string").map((token) => token.value ?? "");
      const sending = literals.find((literal) => /\.\w*Backend$/.test(literal) && !NON_SENDING_BACKENDS.has(literal));
      if (sending) {
        report(assignment.target, `EMAIL_BACKEND can be "${sending}", which sends email`);
      } else {
        report(
          assignment.target,
          `EMAIL_BACKEND = ${sourceText(assignment.value)} cannot be verified statically; only the console, locmem, dummy and filebased backends send nothing`,
          milder(level, "warning"),
        );
      }
    }

    for (const statement of source.statements) {
      statement.forEach((token, position) => {
        if (token.kind === "string") {
          const why = SENDING_STRINGS.get(token.value ?? "");
          if (why) report(token, `"${token.value}" configures ${why}`);
          return;
        }
        if (token.kind !== "name" || statement[position + 1]?.text !== "(") return;
        const previous = statement[position - 1];
        if (previous?.kind === "name" && (previous.text === "def" || previous.text === "class")) return;
        const qualifier = qualifierOf(statement, position);
        if (SMTP_CONNECTIONS.has(token.text) && SMTP_MODULES.has(qualifier.split(".").pop() ?? "")) {
          report(token, `${qualifier}.${token.text}(...) opens an SMTP connection to send email`);
          return;
        }
        if (token.text === "EmailBackend" && qualifier.split(".").pop() === "smtp") {
          report(token, `${qualifier}.EmailBackend(...) is Django's SMTP email backend`);
          return;
        }
        if (token.text === "client") {
          const service = sesServiceOf(statement, position + 1);
          if (service) report(token, `client("${service}") is Amazon SES, which sends email`);
          return;
        }
        if (token.text === "get_connection") {
          // Django's mail connection; other libraries have get_connection too.
          if (qualifier.endsWith("mail") || (qualifier === "" && djangoMailNames.has("get_connection"))) {
            report(token, "django.core.mail.get_connection() opens a connection to send email");
          }
          return;
        }
        const why = sendingAliases.get(token.text) ?? SENDING_CALLS.get(token.text);
        if (!why) return;
        if (token.text === "EmailMessage") {
          // The standard library's email.message.EmailMessage only builds a message.
          if (qualifier.split(".")[0] === "email" || (qualifier === "" && stdlibEmailNames.has("EmailMessage"))) return;
        }
        report(token, `${token.text}(...): ${why}`);
      });
    }
  }
}

/** Why importing `module` means sending mail, or undefined. */
function sendingModule(module: string): string | undefined {
  const root = module.split(".")[0] ?? "";
  if (SMTP_MODULES.has(root)) return `${root} sends email over SMTP`;
  if (module === SMTP_BACKEND_MODULE || module.startsWith(`${SMTP_BACKEND_MODULE}.`)) return "Django's SMTP email backend sends email";
  return EMAIL_SDK_MODULES.get(root);
}

/** "ses" for `client("ses", ...)` or `client(service_name="sesv2")`, the first argument read statically. */
function sesServiceOf(statement: readonly PyToken[], open: number): string | undefined {
  let k = open + 1;
  if (statement[k]?.text === "service_name" && statement[k + 1]?.text === "=") k += 2;
  const argument = statement[k];
  const closes = statement[k + 1]?.text === "," || statement[k + 1]?.text === ")";
  if (argument?.kind !== "string" || !closes) return undefined;
  const service = (argument.value ?? "").toLowerCase();
  return SES_SERVICES.has(service) ? service : undefined;
}

/** `a.b as c, d` after `import`. */
function importedModules(tokens: readonly PyToken[]): { name: string; token: PyToken }[] {
  const modules: { name: string; token: PyToken }[] = [];
  let current: PyToken[] = [];
  const flush = (): void => {
    const asAt = current.findIndex((token) => token.text === "as");
    const nameTokens = asAt === -1 ? current : current.slice(0, asAt);
    const first = nameTokens[0];
    if (first) modules.push({ name: nameTokens.map((token) => token.text).join(""), token: first });
    current = [];
  };
  for (const token of tokens) {
    if (token.text === ",") flush();
    else current.push(token);
  }
  flush();
  return modules;
}

/** `a as b, c` or `(a, b)` after `from x import`. */
function importedNames(tokens: readonly PyToken[]): { name: string; alias: string }[] {
  const names: { name: string; alias: string }[] = [];
  const words = tokens.filter((token) => token.text !== "(" && token.text !== ")");
  for (let k = 0; k < words.length; k++) {
    const token = words[k] as PyToken;
    if (token.kind !== "name") continue;
    if (words[k + 1]?.text === "as" && words[k + 2]?.kind === "name") {
      names.push({ name: token.text, alias: (words[k + 2] as PyToken).text });
      k += 2;
    } else {
      names.push({ name: token.text, alias: token.text });
    }
  }
  return names;
}

/** `django.core.mail` for the `send_mail` of `django.core.mail.send_mail(`; "" when unqualified. */
function qualifierOf(statement: readonly PyToken[], position: number): string {
  const parts: string[] = [];
  let k = position - 1;
  while (k >= 1 && statement[k]?.text === "." && statement[k - 1]?.kind === "name") {
    parts.unshift((statement[k - 1] as PyToken).text);
    k -= 2;
  }
  return parts.join(".");
}
