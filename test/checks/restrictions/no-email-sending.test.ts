import { describe, expect, it } from "vitest";
import { briefsFor, findingsFor, only } from "./helpers.js";

interface Case {
  name: string;
  source: string;
  /** Lines expected to be flagged in app/code.py. */
  lines: number[];
  level?: "failure" | "warning";
}

const cases: Case[] = [
  { name: "import smtplib", source: "import os, smtplib\n", lines: [1] },
  { name: "from smtplib import SMTP", source: "from smtplib import SMTP\n", lines: [1] },
  { name: "import aiosmtplib as mailer", source: "import aiosmtplib as mailer\n", lines: [1] },
  { name: "send_mail call", source: "from django.core.mail import send_mail\n\nsend_mail('s', 'm', 'a@x', ['b@x'])\n", lines: [3] },
  { name: "qualified calls", source: "from django.core import mail\nmail.send_mass_mail(())\ndjango.core.mail.mail_admins('s', 'm')\nmail.mail_managers('s', 'm')\n", lines: [2, 3, 4] },
  { name: "EmailMessage(...).send()", source: "from django.core.mail import EmailMessage\nEmailMessage(\n    'subject', 'body'\n).send(fail_silently=False)\n", lines: [2] },
  { name: "EmailMultiAlternatives", source: "msg = EmailMultiAlternatives(subject, text, to=[user.email])\nmsg.send()\n", lines: [1] },
  { name: "User.email_user", source: "request.user.email_user('Hi', 'body')\n", lines: [1] },
  { name: "an aliased import is followed", source: "from django.core.mail import send_mail as notify\nnotify('s', 'm', None, ['x'])\n", lines: [2] },
  { name: "get_connection from django.core.mail", source: "from django.core.mail import get_connection\nconnection = get_connection()\n", lines: [2] },
  { name: "get_connection of something else is not mail", source: "from db import get_connection\nconnection = get_connection()\n", lines: [] },
  { name: "SMTP EMAIL_BACKEND", source: "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'\n", lines: [1] },
  { name: "a third-party sending backend", source: "EMAIL_BACKEND = 'anymail.backends.mailgun.EmailBackend'\n", lines: [1] },
  { name: "console, locmem, dummy and filebased backends send nothing", source: "EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'\nEMAIL_BACKEND = 'django.core.mail.backends.locmem.EmailBackend'\n", lines: [] },
  { name: "an EMAIL_BACKEND from the environment cannot be verified", source: "EMAIL_BACKEND = os.environ['EMAIL_BACKEND']\n", lines: [1], level: "warning" },
  { name: "no EMAIL_BACKEND at all is not a finding (it is about sending code)", source: "DEBUG = False\nEMAIL_HOST = 'localhost'\n", lines: [] },
  {
    name: "AdminEmailHandler and the mail_admins handler in LOGGING",
    source: [
      "LOGGING = {",
      "    'handlers': {",
      "        'mail_admins': {'level': 'ERROR', 'class': 'django.utils.log.AdminEmailHandler'},",
      "    },",
      "    'loggers': {'django': {'handlers': ['console', 'mail_admins']}},",
      "}",
    ].join("\n"),
    lines: [3, 5],
  },
  { name: "logging.handlers.SMTPHandler", source: "handler = logging.handlers.SMTPHandler(('smtp', 25), 'a@x', ['b@x'], 'err')\n", lines: [1] },
  { name: "send_mail in a comment", source: "# send_mail('s', 'm', 'a', ['b'])\nx = 1  # then send_mail()\n", lines: [] },
  { name: "send_mail in a docstring", source: 'def notify():\n    """Do not call send_mail() or smtplib here.\n\n    import smtplib\n    """\n', lines: [] },
  { name: "send_mail in string literals of every kind", source: "a = 'send_mail()'\nb = \"EmailMessage().send()\"\nc = rb'import smtplib'\nd = f\"{x} send_mail(\"\ne = '''\nsend_mail(1)\n'''\n", lines: [] },
  { name: "escaped quotes do not end the string early", source: "a = 'it\\'s send_mail() time'\nb = \"say \\\"send_mail()\\\"\"\n", lines: [] },
  { name: "a method named send_mail being defined is not a call", source: "class Form:\n    def send_mail(self):\n        pass\n", lines: [] },
  { name: "the standard library's email.message.EmailMessage only builds a message", source: "from email.message import EmailMessage\nmsg = EmailMessage()\nmsg2 = email.message.EmailMessage()\n", lines: [] },
  { name: "code after a multi-line string is still seen", source: "x = '''\nsend_mail('no')\n'''; send_mail('yes')\n", lines: [3] },
  { name: "f-string with nested quotes (Python 3.12) then real code", source: "s = f\"{d[\"k\"]} send_mail()\"\nmail_admins('s', 'm')\n", lines: [2] },
];

describe("no-email-sending", () => {
  it.each(cases)("$name", async ({ source, lines, level = "failure" }) => {
    const briefs = await briefsFor({ "app/code.py": source }, only("no-email-sending"));
    expect(briefs).toEqual(lines.map((line) => `no-email-sending app/code.py:${line} ${level}`));
  });

  it("reports the call's column", async () => {
    const [finding] = await findingsFor({ "app/code.py": "if ok:\n    send_mail('s', 'm', 'a', ['b'])\n" }, only("no-email-sending"));
    expect(finding).toMatchObject({ startLine: 2, startColumn: 5, endColumn: 14 });
    expect(finding?.message).toContain("RNF-002");
  });

  it("per-rule ignore excludes paths (e.g. a legacy module)", async () => {
    const section = only("no-email-sending");
    (section["rules"] as Record<string, unknown>)["no-email-sending"] = { ignore: ["legacy/**"] };
    const files = { "legacy/mailer.py": "import smtplib\n", "app/mailer.py": "import smtplib\n" };
    expect(await briefsFor(files, section)).toEqual(["no-email-sending app/mailer.py:1 failure"]);
  });

  it("an unterminated string is a python-parse-error warning, not a crash", async () => {
    const briefs = await briefsFor({ "app/code.py": "x = '''never closed\nsend_mail()\n" }, only("no-email-sending"));
    expect(briefs).toEqual(["python-parse-error app/code.py:1 warning"]);
  });
});

describe("no-email-sending: SMTP backends in code and email-service SDKs", () => {
  const pythonCases: Case[] = [
    { name: "the SMTP backend imported by module path", source: "from django.core.mail.backends.smtp import EmailBackend\nbackend = EmailBackend(host='mx')\n", lines: [1] },
    { name: "the smtp backend module imported from its package", source: "from django.core.mail.backends import smtp, console\n", lines: [1] },
    { name: "import django.core.mail.backends.smtp", source: "import django.core.mail.backends.smtp\n", lines: [1] },
    { name: "the SMTP backend instantiated through its module", source: "conn = mail.backends.smtp.EmailBackend(host='mx')\nconn2 = smtp.EmailBackend()\n", lines: [1, 2] },
    { name: "smtplib.SMTP( with the import elsewhere", source: "server = smtplib.SMTP('mx', 25)\nsecure = smtplib.SMTP_SSL('mx')\n", lines: [1, 2] },
    { name: "console and locmem backends imported are silent", source: "from django.core.mail.backends.console import EmailBackend\nfrom django.core.mail.backends import locmem\n", lines: [] },
    { name: "SMTP( of another library is silent", source: "from proto import SMTP\nserver = SMTP()\nx = fakesmtp.SMTP()\n", lines: [] },
    { name: "sendgrid", source: "import sendgrid\nfrom sendgrid.helpers.mail import Mail\n", lines: [1, 2] },
    { name: "mailgun, postmarker, anymail", source: "from mailgun.client import Client\nfrom postmarker.core import PostmarkClient\nfrom anymail.message import AnymailMessage\n", lines: [1, 2, 3] },
    { name: "boto3 SES clients", source: "ses = boto3.client('ses')\nv2 = session.client(service_name='sesv2', region_name='eu-west-1')\n", lines: [1, 2] },
    { name: "other boto3 clients and a 'ses' string elsewhere are silent", source: "s3 = boto3.client('s3')\nlabel = 'ses'\nclient(x)\nclient('ses' + suffix)\n", lines: [] },
    { name: "modules that only share a prefix are silent", source: "import sendgrid_stub_local\nimport mailgunner\nfrom myapp.anymail import x\n", lines: [] },
    { name: "SDK names in comments and strings are silent", source: "# import sendgrid\nhelp = 'uses boto3.client(\"ses\") in prod'\n", lines: [] },
  ];
  it.each(pythonCases)("$name", async ({ source, lines, level = "failure" }) => {
    const briefs = await briefsFor({ "app/code.py": source }, only("no-email-sending"));
    expect(briefs).toEqual(lines.map((line) => `no-email-sending app/code.py:${line} ${level}`));
  });

  const manifestCases: Array<{ name: string; files: Record<string, string>; expected: string[] }> = [
    {
      name: "nodemailer and scoped SDKs in package.json",
      files: { "web/package.json": '{\n"dependencies": {\n"nodemailer": "^6",\n"@sendgrid/mail": "8",\n"@aws-sdk/client-ses": "3",\n"react": "18"\n}\n}\n' },
      expected: ["no-email-sending web/package.json:3 failure", "no-email-sending web/package.json:4 failure", "no-email-sending web/package.json:5 failure"],
    },
    {
      name: "Python email SDKs in requirements and pyproject",
      files: {
        "requirements.txt": "Django\nsendgrid==6\ndjango-anymail[mailgun]\nPostmarker\ndjango_ses\n",
        "pyproject.toml": '[project]\nname = "x"\ndependencies = ["yagmail>=0.15"]\n',
      },
      expected: [
        "no-email-sending pyproject.toml:3 failure",
        "no-email-sending requirements.txt:2 failure",
        "no-email-sending requirements.txt:3 failure",
        "no-email-sending requirements.txt:4 failure",
        "no-email-sending requirements.txt:5 failure",
      ],
    },
    {
      name: "packages that only share a prefix are silent",
      files: { "package.json": '{"dependencies": {"nodemailer-mock": "1", "@sendgrid/client": "7", "postmark-cli-ish": "1"}}', "requirements.txt": "sendgrid-stub\nanymail\n" },
      expected: [],
    },
    {
      name: "the rule's ignore applies to manifests too",
      files: { "legacy/package.json": '{"dependencies": {"nodemailer": "6"}}' },
      expected: [],
    },
  ];
  it.each(manifestCases)("$name", async ({ name, files, expected }) => {
    const section = only("no-email-sending");
    if (name.includes("ignore")) (section["rules"] as Record<string, unknown>)["no-email-sending"] = { ignore: ["legacy/**"] };
    expect(await briefsFor(files, section)).toEqual(expected);
  });

  it("says which package and why, in the manifest", async () => {
    const [finding] = await findingsFor({ "package.json": '{"dependencies": {"nodemailer": "6"}}' }, only("no-email-sending"));
    expect(finding?.message).toContain('"nodemailer" is forbidden: nodemailer sends email over SMTP');
  });
});
