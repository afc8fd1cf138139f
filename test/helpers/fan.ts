/**
 * A fan's browser without JavaScript: follows the pre-save round trip by hand over real HTTP,
 * keeping cookies per origin-less jar (everything is on one loopback host in tests).
 */
export class FanBrowser {
  readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  async request(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const sc of res.headers.getSetCookie()) {
      const [pair] = sc.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(sc) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /**
   * A GET that, like the busy page (a 503 with Retry-After that reloads itself), tries again after
   * Retry-After, a few times: a server under a loaded test machine may refuse a moment's new work.
   */
  async getAsBusyPageRetries(url: string, tries = 3): Promise<Response> {
    for (let i = 0; ; i++) {
      const res = await this.get(url);
      if (res.status !== 503 || res.headers.get('x-dropday-error') !== 'DROPDAY_ERR_BUSY' || i >= tries) return res;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '5') * 1000));
    }
  }

  /** Starts a pre-save and returns the Sandbox consent page's authorize request id. */
  async startPresave(base: string, slug: string, tz?: string, service = 'sandbox'): Promise<{ consentUrl: string; requestId: string }> {
    const q = new URLSearchParams({ campaign: slug, ...(tz !== undefined ? { tz } : {}) });
    const start = await this.getAsBusyPageRetries(`${base}/connect/${service}?${q}`);
    if (start.status !== 302) throw new Error(`connect answered ${start.status}: ${await start.text()}`);
    const consentUrl = start.headers.get('location')!;
    const consent = await this.get(consentUrl);
    const html = await consent.text();
    const m = /name="request_id" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no request_id on consent page (${consent.status}): ${html.slice(0, 300)}`);
    return { consentUrl, requestId: m[1]! };
  }

  /** Answers the Sandbox consent form; returns the redirect back to Dropday's callback. */
  async decide(consentUrl: string, requestId: string, username: string, decision: 'allow' | 'deny'): Promise<string> {
    const action = new URL('./authorize', consentUrl).toString().split('?')[0]!;
    const res = await this.request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, username, decision }).toString(),
    });
    if (res.status !== 302) throw new Error(`consent answered ${res.status}: ${await res.text()}`);
    return res.headers.get('location')!;
  }

  /** The whole round trip; returns the thank-you page URL. */
  async presave(base: string, slug: string, username: string, tz?: string): Promise<string> {
    const { consentUrl, requestId } = await this.startPresave(base, slug, tz);
    const callback = await this.decide(consentUrl, requestId, username, 'allow');
    const done = await this.get(callback);
    if (done.status !== 303) throw new Error(`callback answered ${done.status}: ${(await done.text()).slice(0, 500)}`);
    return new URL(done.headers.get('location')!, base).toString();
  }
}
