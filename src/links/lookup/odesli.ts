import { parseJson, retryAtFrom } from '../../providers/http.js';
import { ProviderError } from '../../providers/types.js';
import type { FoundLink } from '../../smartlink/found-links.js';
import { HttpLookupSource, type LookupSource, type LookupTarget } from './source.js';

/**
 * Odesli (song.link): `GET /links?url=<store URL>` answers `linksByPlatform`, the release on many
 * services. It takes a store URL, not a UPC, so it starts from a link another source found (or the
 * artist entered). Keyless: 10 requests a minute, then 429; an operator's key raises it.
 */
const PLATFORMS: Record<string, string> = {
  appleMusic: 'apple-music',
  spotify: 'spotify',
  deezer: 'deezer',
  tidal: 'tidal',
  youtubeMusic: 'youtube-music',
  amazonMusic: 'amazon-music',
  soundcloud: 'soundcloud',
  audiomack: 'audiomack',
  anghami: 'anghami',
  boomplay: 'boomplay',
  bandcamp: 'bandcamp',
};
/** Store URLs Odesli starts from, best first. */
const STARTS = ['apple-music', 'spotify', 'deezer', 'tidal'];

export class OdesliSource extends HttpLookupSource implements LookupSource {
  readonly id = 'odesli';
  readonly governorKey = 'lookup:odesli';
  readonly fills = Object.values(PLATFORMS);
  constructor(
    private readonly opts: { url: string; apiKey: string | null; country: string; timeoutMs: number },
    now: () => number,
  ) {
    super('Odesli', opts.timeoutMs, now);
  }

  notYet(t: LookupTarget): string | null {
    return STARTS.some((s) => t.links.has(s)) ? null : 'waits for an Apple Music, Spotify, Deezer or TIDAL link to start from';
  }

  async find(t: LookupTarget): Promise<FoundLink[]> {
    const start = STARTS.map((s) => t.links.get(s)).find((u) => u !== undefined)!;
    const q = new URLSearchParams({ url: start, userCountry: this.opts.country, ...(this.opts.apiKey ? { key: this.opts.apiKey } : {}) });
    const res = await this.getJson(`${this.opts.url}/links?${q}`);
    if (res.status === 429) {
      throw new ProviderError('retry_after', 'Odesli asked to slow down (HTTP 429)', {
        status: 429,
        retryAt: retryAtFrom(res.headers['retry-after'], this.now(), 60_000),
      });
    }
    // 400/404: Odesli could not resolve the URL (yet).
    if (res.status === 400 || res.status === 404) return [];
    if (res.status === 401 || res.status === 403) throw new ProviderError('bad_config', `Odesli refused the API key (HTTP ${res.status})`);
    if (res.status !== 200) throw new ProviderError('transient', `Odesli answered HTTP ${res.status}`, { status: res.status });
    const body = parseJson(res.text) as { linksByPlatform?: Record<string, { url?: unknown }> } | null;
    if (!body || typeof body.linksByPlatform !== 'object' || !body.linksByPlatform) return [];
    const out: FoundLink[] = [];
    for (const [platform, service] of Object.entries(PLATFORMS)) {
      const url = body.linksByPlatform[platform]?.url;
      if (typeof url === 'string') out.push({ service, url, source: this.id });
    }
    return out;
  }
}
