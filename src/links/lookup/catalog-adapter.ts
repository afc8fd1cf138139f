import type { ProviderAdapter } from '../../providers/types.js';
import type { FoundLink } from '../../smartlink/found-links.js';
import type { LookupSource, LookupTarget } from './source.js';

/**
 * Spotify and TIDAL through their adapters' client-credentials catalog search (the same
 * resolution and verification as on release day). Shares the adapter's rate governor key, so a
 * 429 here pauses the fan-out too, as the service means it to.
 */
export class CatalogAdapterSource implements LookupSource {
  readonly governorKey: string;
  readonly fills: readonly string[];

  constructor(
    readonly id: 'spotify' | 'tidal',
    private readonly adapter: ProviderAdapter,
  ) {
    this.governorKey = id;
    this.fills = [id];
  }

  notYet(t: LookupTarget): string | null {
    return t.upc || t.isrcs.length ? null : 'needs a UPC or an ISRC';
  }

  async find(t: LookupTarget): Promise<FoundLink[]> {
    const found = await this.adapter.findInCatalog!({ upc: t.upc, isrcs: t.isrcs, artistName: t.artistName, title: t.title });
    return found?.albumUrl ? [{ service: this.id, url: found.albumUrl, source: this.id }] : [];
  }

  async close(): Promise<void> {}
}
