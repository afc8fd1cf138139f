/** The streaming services Dropday knows. Adapters for the real ones arrive in their own modules. */
export const SERVICES = {
  sandbox: { name: 'Sandbox', color: '#6d28d9' },
  spotify: { name: 'Spotify', color: '#1db954' },
  'apple-music': { name: 'Apple Music', color: '#fa243c' },
  tidal: { name: 'TIDAL', color: '#000000' },
  deezer: { name: 'Deezer', color: '#a238ff' },
} as const;

export type ServiceId = keyof typeof SERVICES;

export function isServiceId(s: unknown): s is ServiceId {
  return typeof s === 'string' && Object.hasOwn(SERVICES, s);
}

export function serviceName(id: string): string {
  return isServiceId(id) ? SERVICES[id].name : id;
}
