/**
 * Reads and checks environment variables, collecting every problem instead of stopping at the
 * first, so an operator fixes a bad `.env` in one pass. Messages never echo secret values.
 */
export type Env = Record<string, string | undefined>;

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  str(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  int(name: string, def: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return def;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return Number(raw);
  }

  bool(name: string, def: boolean): boolean {
    const raw = this.str(name);
    if (raw === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  }

  /** An http(s) base URL without a trailing slash (for pointing an adapter at a fake server). */
  baseUrl(name: string, def: string): string {
    const raw = this.str(name) ?? def;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
      return raw.replace(/\/$/, '');
    } catch {
      this.problems.push(`${name} must be an http(s) URL (got "${raw}")`);
      return def;
    }
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}

/**
 * OAuth redirect URIs as the services accept them: https, or plain http only on a loopback IP
 * literal (Spotify rejects `localhost`). Returns a problem, or null when the URI is acceptable.
 */
export function redirectUriProblem(name: string, uri: string): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `${name} must be an absolute URL (got "${uri}")`;
  }
  if (u.hash) return `${name} must not contain a fragment`;
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:') {
    if (u.hostname === 'localhost') return `${name} uses "localhost", which Spotify and others reject: use http://127.0.0.1:PORT/… instead`;
    if (/^127\.\d+\.\d+\.\d+$/.test(u.hostname) || u.hostname === '[::1]') return null;
    return `${name} must use https (plain http is accepted only on a loopback IP such as 127.0.0.1)`;
  }
  return `${name} must be an https URL`;
}
