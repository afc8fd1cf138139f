import pino, { type Logger } from 'pino';

/** Query parameters that carry secrets; their values never reach a log line. */
const SECRET_PARAMS = /([?&](?:code|state|access_token|refresh_token|token|code_verifier|client_secret|secret)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[REDACTED]').replace(/\/(reset|invite)\/[^/?#]+/g, '/$1/[REDACTED]');
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
  '*.password',
  '*.musicUserToken',
  'headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        req(req: { method: string; url: string; ip?: string }) {
          return { method: req.method, url: redactUrl(req.url) };
        },
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
