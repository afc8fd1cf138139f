import type { Config } from '../config.js';
import { DropdayError } from '../errors.js';
import { AppleMusicAdapter } from './apple-music/adapter.js';
import { DeezerAdapter } from './deezer/adapter.js';
import { SandboxAdapter } from './sandbox/adapter.js';
import { SpotifyAdapter } from './spotify/adapter.js';
import { TidalAdapter } from './tidal/adapter.js';
import { isServiceId, type ServiceId } from './services.js';
import type { ProviderAdapter } from './types.js';

/** The adapters this server has configured. Only these can be offered by campaigns. */
export class ProviderRegistry {
  private readonly adapters = new Map<ServiceId, ProviderAdapter>();

  register(adapter: ProviderAdapter): void {
    this.adapters.set(adapter.id, adapter);
  }

  enabled(): ServiceId[] {
    return [...this.adapters.keys()];
  }

  get(id: string): ProviderAdapter {
    if (!isServiceId(id)) throw new DropdayError('SERVICE_UNKNOWN', `Unknown streaming service "${id}".`);
    const a = this.adapters.get(id);
    if (!a) throw new DropdayError('SERVICE_NOT_CONFIGURED');
    return a;
  }
}

export function createProviderRegistry(config: Config, now: () => number): ProviderRegistry {
  const registry = new ProviderRegistry();
  const deps = { timeoutMs: config.outboundTimeoutMs, now };
  const p = config.providers;
  if (p.spotify) registry.register(new SpotifyAdapter(p.spotify, deps));
  if (p.appleMusic) registry.register(new AppleMusicAdapter(p.appleMusic, deps));
  if (p.tidal) registry.register(new TidalAdapter(p.tidal, deps));
  if (p.deezer) registry.register(new DeezerAdapter(p.deezer, deps));
  if (config.sandbox.enabled) {
    registry.register(
      new SandboxAdapter({ baseUrl: config.sandbox.baseUrl, clientId: config.sandbox.clientId, timeoutMs: config.outboundTimeoutMs, now }),
    );
  }
  return registry;
}
