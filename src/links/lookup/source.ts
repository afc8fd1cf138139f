import { HttpClient, type HttpResponse } from '../../providers/http.js';
import type { FoundLink } from '../../smartlink/found-links.js';

/**
 * One catalog a release's store links are looked up in (docs/store-links.md). A source answers
 * with the links it found ([] when the release is not there yet) or throws a ProviderError
 * (`retry_after` with `retryAt` for a rate limit or quota, `transient`, `bad_config`); the runner
 * decides when to look again.
 */
export type SourceId = 'itunes' | 'deezer' | 'spotify' | 'tidal' | 'odesli';

export const SOURCE_NAMES: Record<SourceId, string> = {
  itunes: 'iTunes Search',
  deezer: 'Deezer catalog',
  spotify: 'Spotify catalog',
  tidal: 'TIDAL catalog',
  odesli: 'Odesli (song.link)',
};

export interface LookupTarget {
  campaignId: number;
  upc: string | null;
  isrcs: string[];
  artistName: string;
  title: string;
  /** The campaign's links now (found or the artist's), by service: Odesli starts from one. */
  links: Map<string, string>;
}

export interface LookupSource {
  readonly id: SourceId;
  /** The rate governor's key: one budget and one Retry-After pause for every worker process. */
  readonly governorKey: string;
  /** The services it can fill: once each has a link (or was removed by the artist), it stops. */
  readonly fills: readonly string[];
  /** Null when it can look now; else why not yet (in words for the artist). */
  notYet(t: LookupTarget): string | null;
  find(t: LookupTarget): Promise<FoundLink[]>;
  close(): Promise<void>;
}

/** The largest answer read from a catalog: theirs are a few kilobytes (an Odesli answer with every platform, tens). */
export const MAX_LOOKUP_ANSWER_BYTES = 1024 * 1024;

/** A keyless catalog reached over HTTP: a connection pool of its own, every call with the outbound timeout and a size limit. */
export abstract class HttpLookupSource {
  private readonly http: HttpClient;

  constructor(
    name: string,
    timeoutMs: number,
    protected readonly now: () => number,
  ) {
    this.http = new HttpClient(name, timeoutMs);
  }

  protected getJson(url: string): Promise<HttpResponse> {
    return this.http.send('GET', url, { headers: { accept: 'application/json' }, maxBytes: MAX_LOOKUP_ANSWER_BYTES });
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
