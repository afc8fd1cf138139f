// PLACEHOLDER — being implemented in this session; replaced before it is offered to anyone.
import type { TidalConfig } from './config.js';
import { ProviderError, type AdapterDeps, type ProviderAdapter } from '../types.js';

export class TidalAdapter implements ProviderAdapter {
  readonly id = 'tidal' as const;
  readonly authKind = 'oauth' as const;
  readonly canFollowArtists = false;
  readonly grantLifetimeMs = null;
  constructor(
    readonly config: TidalConfig,
    readonly deps: AdapterDeps,
  ) {}
  scopesFor(): string[] {
    return [];
  }
  authorizationUrl(): string {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
  exchangeCode(): never {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
  refresh(): never {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
  currentAccount(): never {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
  resolveRelease(): never {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
  saveToLibrary(): never {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
  libraryContains(): never {
    throw new ProviderError('bad_config', 'not implemented yet');
  }
}
