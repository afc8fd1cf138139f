import { parseJson } from '../../providers/http.js';
import { ProviderError } from '../../providers/types.js';
import type { FoundLink } from '../../smartlink/found-links.js';
import { HttpLookupSource, type LookupSource, type LookupTarget } from './source.js';

/**
 * Deezer's public catalog, keyless: `GET /album/upc:<UPC>` (or `/track/isrc:<ISRC>` and its
 * album). Errors come as HTTP 200 with `{"error":{type,message,code}}`: 800 is "no data" (not
 * there yet), 4 the quota (about 50 requests per 5 seconds).
 */
const QUOTA_PAUSE_MS = 5_000;

export class DeezerSource extends HttpLookupSource implements LookupSource {
  readonly id = 'deezer';
  readonly governorKey = 'lookup:deezer';
  readonly fills = ['deezer'];
  constructor(
    private readonly opts: { url: string; timeoutMs: number },
    now: () => number,
  ) {
    super('Deezer', opts.timeoutMs, now);
  }

  notYet(t: LookupTarget): string | null {
    return t.upc || t.isrcs.length ? null : 'needs a UPC or an ISRC';
  }

  async find(t: LookupTarget): Promise<FoundLink[]> {
    if (t.upc) {
      const album = await this.get(`/album/upc:${encodeURIComponent(t.upc)}`);
      if (album) return this.linkOf(album);
    }
    const isrc = t.isrcs[0];
    if (!isrc) return [];
    const track = await this.get(`/track/isrc:${encodeURIComponent(isrc)}`);
    return track && typeof track.album === 'object' && track.album ? this.linkOf(track.album as Record<string, unknown>) : [];
  }

  private linkOf(album: Record<string, unknown>): FoundLink[] {
    const id = album.id;
    if ((typeof id !== 'number' && typeof id !== 'string') || !/^\d{1,20}$/.test(String(id))) return [];
    return [{ service: 'deezer', url: `https://www.deezer.com/album/${id}`, source: this.id }];
  }

  /** The object, or null for "no data". */
  private async get(path: string): Promise<Record<string, unknown> | null> {
    const res = await this.getJson(`${this.opts.url}${path}`);
    if (res.status === 429)
      throw new ProviderError('retry_after', 'Deezer asked to slow down (HTTP 429)', { retryAt: this.now() + QUOTA_PAUSE_MS });
    if (res.status !== 200) throw new ProviderError('transient', `Deezer answered HTTP ${res.status}`, { status: res.status });
    const body = parseJson(res.text) as Record<string, unknown> | null;
    if (!body) throw new ProviderError('transient', 'Deezer answered with something that is not JSON');
    const err = body.error as { code?: unknown; message?: unknown } | undefined;
    if (!err) return body;
    if (err.code === 800) return null;
    if (err.code === 4) throw new ProviderError('retry_after', 'Deezer quota reached (code 4)', { retryAt: this.now() + QUOTA_PAUSE_MS });
    throw new ProviderError('transient', `Deezer answered error ${String(err.code)}: ${String(err.message ?? '')}`.slice(0, 200));
  }
}
