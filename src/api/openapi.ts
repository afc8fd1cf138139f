/** The OpenAPI document's frame; the paths come from the routes' schemas (@fastify/swagger). */
export function openApiInfo() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Dropday API',
      version: '1.0.0',
      description: 'Campaigns, pre-saves, analytics and webhooks of one Dropday workspace. See docs/api.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // No `servers`: OpenAPI's default is `/`, this instance — the same document on every instance
    // (docs/openapi.json is committed and checked), and no unlabelled server picker in /api/docs.
    components: {
      securitySchemes: { apiKey: { type: 'http' as const, scheme: 'bearer', description: 'A workspace API key: `ddk_…`.' } },
    },
    security: [{ apiKey: [] }],
    // Every tag a route uses, in the order Swagger UI lists them (test/api-openapi.test.ts checks both ways).
    tags: API_TAGS.map(([name, description]) => ({ name, description })),
  };
}

export const API_TAGS: readonly (readonly [string, string])[] = [
  ['meta', 'The error index and this document: no key needed.'],
  ['workspace', 'The workspace the key belongs to.'],
  ['keys', 'API keys of the workspace (docs/api.md, Authentication).'],
  ['campaigns', 'Create, change, archive, restore and copy campaigns, checked as the editor checks them.'],
  ['links', 'Link-outs: "listen on" services without a pre-save API.'],
  ['matches', 'What the release is on each pre-save service, per market; the artist may pick by hand.'],
  ['delivery', 'The delivery report (the dashboard’s numbers and words), re-drive and resume (docs/api-reports.md).'],
  ['presaves', 'Pre-saves of a campaign, without any fan’s account or token (docs/api-reports.md).'],
  ['contacts', 'Fans’ contacts who agreed to news (docs/api-reports.md).'],
  ['analytics', 'Funnel, series, geography, referrers: the dashboard’s queries (docs/api-reports.md).'],
  ['webhooks', 'Signed webhook endpoints and their delivery log (docs/webhooks.md).'],
];
