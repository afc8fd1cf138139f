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
  };
}
