/**
 * What an API key may do (docs/api.md "Scopes"). One read and one write scope per resource; a
 * write scope includes reading the same resource. A key is workspace-scoped: it never sees
 * another workspace, whatever its scopes.
 */
export const API_RESOURCES = ['workspace', 'campaigns', 'presaves', 'contacts', 'analytics', 'delivery', 'webhooks', 'keys'] as const;
export type ApiResource = (typeof API_RESOURCES)[number];
export type ApiScope = `${ApiResource}:${'read' | 'write'}`;

export const API_SCOPES: readonly ApiScope[] = API_RESOURCES.flatMap((r) => [`${r}:read`, `${r}:write`] as ApiScope[]);

/** What each scope lets a key do, in words (the settings page, `dropday apikey create --help`, the docs). */
export const SCOPE_WORDS: Record<ApiResource, string> = {
  workspace: 'the workspace itself',
  campaigns: 'campaigns, their store links and matches',
  presaves: 'pre-saves (never a token)',
  contacts: 'fans and contacts, as far as their consent allows',
  analytics: 'analytics summaries',
  delivery: 'the delivery report, re-drive and resume',
  webhooks: 'webhook endpoints and their deliveries',
  keys: 'API keys',
};

export function isApiScope(v: unknown): v is ApiScope {
  return typeof v === 'string' && (API_SCOPES as readonly string[]).includes(v);
}

/** Whether `granted` allows `needed` (a write scope includes the read of its resource). */
export function allows(granted: readonly ApiScope[], needed: ApiScope): boolean {
  if (granted.includes(needed)) return true;
  const [resource, access] = needed.split(':') as [ApiResource, 'read' | 'write'];
  return access === 'read' && granted.includes(`${resource}:write`);
}

/** Parses a comma-separated list (CLI, forms): every unknown scope is named. */
export function parseScopes(input: string | readonly string[]): { scopes: ApiScope[]; unknown: string[] } {
  const parts = (typeof input === 'string' ? input.split(',') : [...input]).map((s) => s.trim()).filter(Boolean);
  const scopes: ApiScope[] = [];
  const unknown: string[] = [];
  for (const p of parts) {
    if (p === 'all') scopes.push(...API_SCOPES);
    else if (p === 'read') scopes.push(...API_SCOPES.filter((s) => s.endsWith(':read')));
    else if (isApiScope(p)) scopes.push(p);
    else unknown.push(p);
  }
  return { scopes: [...new Set(scopes)].sort(), unknown };
}
