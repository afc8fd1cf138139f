import { parseJson, retryAtFrom } from '../../providers/http.js';
import { ProviderError } from '../../providers/types.js';
import type { FoundLink } from '../../smartlink/found-links.js';
import { HttpLookupSource, type LookupSource, type LookupTarget } from './source.js';

/**
 * Apple Music from the iTunes Search API: `GET /lookup?upc=…&entity=album`, keyless. Apple asks
 * for modest rates and answers 403 or 429 when a caller is too fast: both mean "slow down".
 */
interface Result {
  wrapperType?: string;
  collectionViewUrl?: string;
}

/** The store's web address in its Apple Music form, without the affiliate tracking parameter. */
export function appleMusicUrl(collectionViewUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(collectionViewUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || (u.hostname !== 'music.apple.com' && u.hostname !== 'itunes.apple.com')) return null;
  u.hostname = 'music.apple.com';
  u.searchParams.delete('uo');
  return u.href;
}

export class ItunesSource extends HttpLookupSource implements LookupSource {
  readonly id = 'itunes';
  readonly governorKey = 'lookup:itunes';
  readonly fills = ['apple-music'];
  constructor(
    private readonly opts: { url: string; country: string; timeoutMs: number },
    now: () => number,
  ) {
    super('iTunes Search', opts.timeoutMs, now);
  }

  notYet(t: LookupTarget): string | null {
    return t.upc ? null : 'needs a UPC';
  }

  async find(t: LookupTarget): Promise<FoundLink[]> {
    const q = new URLSearchParams({ upc: t.upc!, entity: 'album', country: this.opts.country });
    const res = await this.getJson(`${this.opts.url}/lookup?${q}`);
    if (res.status === 403 || res.status === 429) {
      throw new ProviderError('retry_after', `iTunes Search asked to slow down (HTTP ${res.status})`, {
        status: res.status,
        retryAt: retryAtFrom(res.headers['retry-after'], this.now(), 60_000),
      });
    }
    if (res.status >= 500) throw new ProviderError('transient', `iTunes Search answered HTTP ${res.status}`, { status: res.status });
    if (res.status !== 200)
      throw new ProviderError('bad_config', `iTunes Search refused the look-up (HTTP ${res.status})`, { status: res.status });
    const body = parseJson(res.text) as { results?: Result[] } | null;
    if (!body || !Array.isArray(body.results)) throw new ProviderError('transient', 'iTunes Search answered without results');
    const album = body.results.find((r) => r?.wrapperType === 'collection' && typeof r.collectionViewUrl === 'string');
    const url = album ? appleMusicUrl(album.collectionViewUrl!) : null;
    return url ? [{ service: 'apple-music', url, source: this.id }] : [];
  }
}
