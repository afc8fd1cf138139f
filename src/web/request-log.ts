import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions, FastifyChildLoggerFactory } from 'fastify/types/logger.js';

/**
 * Request lines that do not cost the page. Fastify writes two info lines per request ("incoming
 * request", "request completed"); on the fans' pages (routes with `config.publicPage`) that was a
 * large share of the work, and at launch-day rates it is mostly noise. Those routes log one
 * "request completed" line at debug instead (LOG_LEVEL=debug shows every one), and at error when
 * the answer is a 5xx; the error itself is logged by the error handler as before. Every other
 * route keeps Fastify's lines.
 */
export function isPublicPageRequest(req: FastifyRequest): boolean {
  // Fastify may ask before routing (the raw request has no route options): log as usual then.
  return (req as Partial<FastifyRequest>).routeOptions?.config?.publicPage === true;
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (req, reply, done) => {
    if (isPublicPageRequest(req)) {
      if (reply.statusCode >= 500) req.log.error({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
      else req.log.debug({ req, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
    done();
  });
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * A request's logger made only when something is logged. Fastify makes a child logger for every
 * request (pino serializes its bindings through the redaction rules); a cached page that logs
 * nothing should not pay for it. A call at a level the parent does not log costs nothing.
 */
class LazyChildLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #opts: ChildLoggerOptions;
  #real: FastifyBaseLogger | null = null;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts;
  }

  #child(): FastifyBaseLogger {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts));
  }

  #log(level: Level, args: LogArgs): void {
    if (this.#real || (this.#parent as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled(level)) {
      (this.#child()[level] as (...a: LogArgs) => void)(...args);
    }
  }

  get level(): string {
    return this.#real?.level ?? this.#parent.level;
  }
  set level(level: string) {
    this.#child().level = level;
  }
  fatal(...args: LogArgs): void {
    this.#log('fatal', args);
  }
  error(...args: LogArgs): void {
    this.#log('error', args);
  }
  warn(...args: LogArgs): void {
    this.#log('warn', args);
  }
  info(...args: LogArgs): void {
    this.#log('info', args);
  }
  debug(...args: LogArgs): void {
    this.#log('debug', args);
  }
  trace(...args: LogArgs): void {
    this.#log('trace', args);
  }
  silent(): void {}
  child(bindings: Bindings, opts?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#child().child(bindings, opts);
  }
}

const lazyChildLogger: FastifyChildLoggerFactory = (logger, bindings, opts) =>
  // A route's own log level needs a real child from the start.
  opts.level ? logger.child(bindings, opts) : (new LazyChildLogger(logger, bindings, opts) as unknown as FastifyBaseLogger);

/** Route options of a fans' page on the hot path: request lines at debug, a request logger only when used. */
export const PUBLIC_PAGE_ROUTE = { config: { publicPage: true }, childLoggerFactory: lazyChildLogger } as const;
