import type { AppContext } from '../../context.js';
import { CatalogAdapterSource } from './catalog-adapter.js';
import { DeezerSource } from './deezer.js';
import { ItunesSource } from './itunes.js';
import { OdesliSource } from './odesli.js';
import type { LookupSource } from './source.js';

/** The sources this server looks store links up in, and each one's budget per second. */
export function configuredSources(ctx: Pick<AppContext, 'config' | 'providers' | 'now'>): {
  sources: LookupSource[];
  rates: Record<string, number>;
} {
  const c = ctx.config.linkLookup;
  const timeoutMs = ctx.config.outboundTimeoutMs;
  const sources: LookupSource[] = [
    new ItunesSource({ ...c.itunes, timeoutMs }, ctx.now),
    new DeezerSource({ ...c.deezer, timeoutMs }, ctx.now),
  ];
  for (const id of ['spotify', 'tidal'] as const) {
    if (!ctx.providers.enabled().includes(id)) continue;
    const adapter = ctx.providers.get(id);
    if (adapter.canSearchCatalog?.() && adapter.findInCatalog) sources.push(new CatalogAdapterSource(id, adapter));
  }
  if (c.odesli.enabled) sources.push(new OdesliSource({ ...c.odesli, timeoutMs }, ctx.now));
  const rates: Record<string, number> = {
    'lookup:itunes': c.itunes.perMinute / 60,
    'lookup:deezer': c.deezer.perMinute / 60,
    'lookup:odesli': c.odesli.perMinute / 60,
  };
  return { sources, rates };
}
