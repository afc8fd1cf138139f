import type { Db } from '../../../db/index.js';

export interface SandboxServerOptions {
  db: Db;
  /** Epoch-ms clock; tests inject their own. */
  now(): number;
  accessTokenTtlSeconds: number;
  /** Registered OAuth clients; redirect URIs match byte-exactly. */
  clients: { clientId: string; redirectUris: string[] }[];
  /** The Sandbox's public address (e.g. http://127.0.0.1:3000/sandbox), used for external_urls. */
  publicBaseUrl: string;
}
