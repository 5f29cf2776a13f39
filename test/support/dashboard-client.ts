// A cookie-keeping HTTP client for the dashboard's HTTP-level tests and its
// benchmark: real requests, redirects followed by hand so each hop can be
// checked, and the whole OAuth round trip through the fake GitHub
// (test/support/fake-github-oauth.ts).

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

export class DashboardClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(pathOrUrl: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(new URL(pathOrUrl, this.baseUrl), { redirect: "manual", headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(response.headers);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(response.headers);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  /** Start -> GitHub's authorize page (the fake redirects back at once) -> callback: signed in. */
  async signIn(): Promise<void> {
    const start = await this.get("/dashboard/oauth/start");
    if (start.status !== 303) throw new Error(`sign-in start answered ${start.status}: ${start.text}`);
    const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
    if (authorize.status !== 302) throw new Error(`the fake authorize page answered ${authorize.status}`);
    const callback = await this.get(authorize.headers.get("location")!);
    if (callback.status !== 303 || callback.headers.get("location") !== "/dashboard") {
      throw new Error(`the sign-in callback answered ${callback.status} (${callback.headers.get("location")}): ${callback.text}`);
    }
  }

  get csrf(): string {
    return decodeURIComponent(this.cookies.get("iact_csrf") ?? "");
  }
}
