import pino, { type Logger } from 'pino';

/**
 * Query parameters that carry secrets; their values never reach a log line. `sig` and `exp` are a
 * signed vault or preview link's (growth/signed-links.ts): with the path they are the download.
 * `api_secret` is GA4's Measurement Protocol secret (conversions/send/ga4.ts puts it in the address).
 */
const SECRET_PARAMS =
  /([?&](?:code|state|access_token|refresh_token|token|code_verifier|client_secret|secret|api_secret|_csrf|password|sig|exp)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return (
    url
      .replace(SECRET_PARAMS, '$1[REDACTED]')
      .replace(/\/(reset|invite|verify)\/[^/?#]+/g, '/$1/[REDACTED]')
      // A fan's confirmation link and preference-page capability (web/routes/contacts.ts).
      .replace(/^\/c\/(confirm\/)?[^/?#]+/, '/c/$1[REDACTED]')
      // The receipt (cancel, erase, vault downloads), the forever-save and the web-push pages: the
      // id in the address is the fan's whole key to them (web/routes/receipt.ts, forever.ts, push.ts).
      .replace(/^\/(p|f|n)\/[^/?#]+/, '/$1/[REDACTED]')
  );
}

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.code_verifier',
  '*.client_secret',
  '*.api_secret',
  '*.password',
  '*.musicUserToken',
  'headers.authorization',
];

/**
 * Errors with their message, type and stack, but none of the request bytes Node attaches to a
 * malformed request's parse error (`rawPacket`: cookies, Authorization, a form's password), which
 * Fastify logs at trace level, and no headers or body an error may carry from a request or response.
 */
const REQUEST_BYTES = new Set(['rawPacket', 'headers', 'body']);
function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  for (const key of REQUEST_BYTES) delete out[key];
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        req(req: { method: string; url: string; ip?: string }) {
          return { method: req.method, url: redactUrl(req.url) };
        },
        err: serializeError,
      },
    },
    destination,
  );
}
