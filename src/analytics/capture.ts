import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { NO_UTM, referrerDomain, utmFrom } from './attribution.js';
import { cdnGeoHeaders, sharedGeoResolver, type GeoResolver } from './geo.js';
import { writeEvents } from './ingest.js';
import { IngestPacer } from './pacer.js';
import type { BotCount } from './rollups.js';
import { SaltStore, visitorId } from './salts.js';
import { DAY, floorTo } from './time.js';
import { deviceClass } from './ua.js';
import { UNKNOWN_PLACE, isEventName, type CaptureInput, type EnrichedEvent, type TrackEvent } from './types.js';

/** What an event takes from a request: a Fastify request, or the front's raw one (web/page-front.ts). */
export type RequestFacts = Pick<FastifyRequest, 'ip' | 'headers' | 'url' | 'hostname'>;

export interface AnalyticsOptions {
  /** How often buffered events are written (default 1000 ms). */
  flushIntervalMs?: number;
  /** Events per transaction; reaching it triggers a write at once (default 1000). */
  batchSize?: number;
  /** Events held in memory at most; beyond it new events are dropped and counted (default 50 000). */
  maxBuffer?: number;
  /** The analytics clock (default ctx.now): event times, salt days and their rotation. */
  now?: () => number;
  /** Default: one resolver per process, opened on the first write (the IP database is ~130 MB in memory). */
  geo?: GeoResolver;
  /**
   * Share of a busy event loop that writing events may take (default 0.1; see IngestPacer): pages
   * keep at least the rest while events are written. An idle loop is not rationed.
   */
  ingestShare?: number;
}

export interface AnalyticsStats {
  /** Accepted into the buffer. */
  captured: number;
  /** Written as events. */
  written: number;
  /** Recognized as bots: counted in analytics_bots_daily, not stored as events. */
  bots: number;
  /** Refused because the buffer was full (or analytics closed). */
  dropped: number;
  /** Lost because their batch could not be written. */
  failed: number;
  /** Refused as malformed (unknown event name, campaign id or time). */
  invalid: number;
  buffered: number;
  batches: number;
  /** Event-loop time the writes held (ms): enrichment, and on SQLite the statements too. */
  writeBusyMs: number;
}

export interface Analytics {
  /**
   * Records an event for this request. Nothing happens during the request: with
   * {@link registerAnalytics} the event is buffered once the response has been sent (and only if
   * its status is below 400); batches are written about every second.
   */
  track(req: FastifyRequest, event: TrackEvent): void;
  /**
   * Records an event for a request already answered with a 2xx (the cached-page front answers
   * before Fastify sees the request, so there is no response hook to wait for).
   */
  trackSent(req: RequestFacts, event: TrackEvent): void;
  /** An event without a request (e.g. a cancellation by the worker): no visitor, place or device. */
  trackServer(event: TrackEvent): void;
  /** The lower level both use (and the benchmark drives): false when the event was dropped. */
  capture(input: CaptureInput): boolean;
  /** Writes everything buffered so far. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. Later events are dropped. */
  close(): Promise<void>;
  stats(): AnalyticsStats;
  /** @internal called by the onResponse hook. */
  release(req: FastifyRequest, statusCode: number): void;
  /** @internal set by registerAnalytics. */
  deferToResponse: boolean;
}

type AnalyticsContext = Pick<AppContext, 'db' | 'dialect' | 'config' | 'log' | 'now'>;

const WARN_EVERY_MS = 10_000;

export function createAnalytics(ctx: AnalyticsContext, opts: AnalyticsOptions = {}): Analytics {
  const now = opts.now ?? ctx.now;
  const batchSize = opts.batchSize ?? 1000;
  const maxBuffer = opts.maxBuffer ?? 50_000;
  const geo = opts.geo ?? sharedGeoResolver(ctx.log);
  const pacer = new IngestPacer(opts.ingestShare ?? 0.1);
  const salts = new SaltStore(ctx.db);
  const ownHosts = new Set<string>();
  try {
    ownHosts.add(new URL(ctx.config.publicUrl).hostname.toLowerCase());
  } catch {
    /* config validated elsewhere */
  }

  let buffer: CaptureInput[] = [];
  const pending = new WeakMap<FastifyRequest, CaptureInput[]>();
  const stats: AnalyticsStats = {
    captured: 0,
    written: 0,
    bots: 0,
    dropped: 0,
    failed: 0,
    invalid: 0,
    buffered: 0,
    batches: 0,
    writeBusyMs: 0,
  };
  let closed = false;
  let draining = false;
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  let lastRotationDay = -1;
  let lastWarn = 0;
  let droppedSinceWarn = 0;

  // Writes what accumulated; on a new UTC day also deletes old salts even if nobody visits.
  const timer = setInterval(() => {
    if (draining) return;
    if (buffer.length > 0) void flush();
    else if (floorTo(now(), DAY) !== lastRotationDay) chain = chain.then(rotateIfDue, rotateIfDue);
  }, opts.flushIntervalMs ?? 1000);
  timer.unref();

  function capture(input: CaptureInput): boolean {
    if (!isEventName(input.event) || !Number.isSafeInteger(input.campaignId) || !Number.isFinite(input.at)) {
      stats.invalid++;
      return false;
    }
    if (closed || buffer.length >= maxBuffer) {
      stats.dropped++;
      droppedSinceWarn++;
      const t = Date.now();
      if (!closed && t - lastWarn >= WARN_EVERY_MS) {
        ctx.log.warn({ dropped: droppedSinceWarn, buffered: buffer.length, maxBuffer }, 'analytics: buffer full, events dropped');
        lastWarn = t;
        droppedSinceWarn = 0;
      }
      return false;
    }
    buffer.push(input);
    stats.captured++;
    if (buffer.length >= batchSize && !draining && !scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void flush();
      });
    }
    return true;
  }

  function fromRequest(req: RequestFacts, ev: TrackEvent): CaptureInput {
    const ua = req.headers['user-agent'];
    const referer = req.headers.referer;
    // One fixed shape, fields listed (not spread): this runs on every page view.
    return {
      event: ev.event,
      campaignId: ev.campaignId,
      service: ev.service,
      at: ev.at ?? now(),
      ip: req.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 512) : '',
      referer: typeof referer === 'string' ? referer : null,
      url: req.url,
      host: req.hostname,
      cdn: ctx.config.trustProxy ? cdnGeoHeaders(req.headers) : null,
    };
  }

  async function enrich(batch: CaptureInput[]): Promise<{ events: EnrichedEvent[]; bots: BotCount[] }> {
    await geo.open();
    const t = now();
    const events: EnrichedEvent[] = [];
    const bots: BotCount[] = [];
    let saltDay = -1;
    let salt = '';
    for (const input of batch) {
      const base = { campaign_id: input.campaignId, at: input.at, event: input.event, service: (input.service ?? '').slice(0, 40) };
      const fromBrowser = input.ip != null || input.userAgent != null;
      if (!fromBrowser) {
        events.push({ ...base, visitor: '', ...UNKNOWN_PLACE, referrer: '', ...NO_UTM, device: '' });
        continue;
      }
      const ua = input.userAgent ?? '';
      const device = deviceClass(ua);
      if (device === 'bot') {
        bots.push({ campaign_id: input.campaignId, at: input.at, event: input.event });
        continue;
      }
      if (floorTo(input.at, DAY) !== saltDay) {
        const s = await salts.saltFor(input.at, t);
        saltDay = floorTo(input.at, DAY);
        salt = s.salt;
      }
      const place = geo.lookup(input.ip, input.cdn);
      const utm = input.event === 'page_view' ? utmFrom(input.url) : NO_UTM;
      events.push({
        campaign_id: input.campaignId,
        at: input.at,
        event: input.event,
        service: base.service,
        visitor: visitorId(salt, input.ip ?? '', ua, input.campaignId),
        country: place.country,
        region: place.region,
        city: place.city,
        lat: place.lat,
        lon: place.lon,
        referrer: referrerDomain(input.referer, ownHosts, input.host),
        utm_source: utm.utm_source,
        utm_medium: utm.utm_medium,
        utm_campaign: utm.utm_campaign,
        device,
      });
    }
    return { events, bots };
  }

  async function rotateIfDue(): Promise<void> {
    const day = floorTo(now(), DAY);
    if (day === lastRotationDay) return;
    try {
      await salts.rotate(now());
      lastRotationDay = day;
    } catch (err) {
      ctx.log.warn({ err }, 'analytics: old salts could not be deleted (will retry)');
    }
  }

  /** Writes one batch; returns how long it held the event loop (ms), for the pacer. */
  async function writeBatch(batch: CaptureInput[]): Promise<number> {
    const start = performance.now();
    const meter = { waitedMs: 0 };
    try {
      await rotateIfDue();
      batch.sort((a, b) => a.at - b.at);
      const { events, bots } = await enrich(batch);
      await writeEvents(ctx.db, ctx.dialect, events, bots, meter);
      stats.written += events.length;
      stats.bots += bots.length;
      stats.batches++;
    } catch (err) {
      stats.failed += batch.length;
      ctx.log.error({ err, events: batch.length }, 'analytics: a batch could not be written; its events are lost');
    }
    // On SQLite every statement holds the loop; on PostgreSQL the round trips leave it free.
    const held = performance.now() - start - (ctx.dialect === 'postgres' ? meter.waitedMs : 0);
    stats.writeBusyMs += held;
    return held;
  }

  /** Writes what is buffered now, then keeps going only while full batches are waiting. */
  async function drain(): Promise<void> {
    draining = true;
    try {
      let everything = true;
      while (buffer.length > 0 && (everything || buffer.length >= batchSize)) {
        everything = false;
        const all = buffer;
        buffer = [];
        for (let i = 0; i < all.length; i += batchSize) {
          const held = await writeBatch(all.slice(i, i + batchSize));
          // Requests get their turn between batches (with SQLite the writes are synchronous), and
          // while the loop is busy, the larger part of it; unless events are piling up.
          await pacer.pause(held, buffer.length >= maxBuffer / 2);
        }
      }
    } finally {
      draining = false;
    }
  }

  function flush(): Promise<void> {
    chain = chain.then(drain, drain);
    return chain;
  }

  const analytics: Analytics = {
    deferToResponse: false,
    track(req, ev) {
      try {
        const input = fromRequest(req, ev);
        if (!analytics.deferToResponse) {
          capture(input);
          return;
        }
        const list = pending.get(req);
        if (list) list.push(input);
        else pending.set(req, [input]);
      } catch (err) {
        ctx.log.warn({ err }, 'analytics: event not captured');
      }
    },
    trackSent(req, ev) {
      try {
        capture(fromRequest(req, ev));
      } catch (err) {
        ctx.log.warn({ err }, 'analytics: event not captured');
      }
    },
    trackServer(ev) {
      capture({ ...ev, at: ev.at ?? now() });
    },
    capture,
    release(req, statusCode) {
      const list = pending.get(req);
      if (!list) return;
      pending.delete(req);
      if (statusCode >= 400) return;
      for (const input of list) capture(input);
    },
    flush,
    async close() {
      if (closed) return chain;
      closed = true;
      clearInterval(timer);
      await flush();
    },
    stats: () => ({ ...stats, buffered: buffer.length }),
  };
  return analytics;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by registerAnalytics. */
    analytics?: Analytics;
  }
}

/**
 * Wires analytics into a Fastify app: `app.analytics`, an onResponse hook that buffers what the
 * request tracked once the response is sent, and (by default) a final flush when the app closes.
 */
export function registerAnalytics(app: FastifyInstance, analytics: Analytics, opts: { closeWithApp?: boolean } = {}): void {
  analytics.deferToResponse = true;
  app.decorate('analytics', analytics);
  app.addHook('onResponse', (req, reply, done) => {
    analytics.release(req, reply.statusCode);
    done();
  });
  if (opts.closeWithApp !== false) app.addHook('onClose', async () => analytics.close());
}

/**
 * For routes: records an event for this request if analytics is registered, else does nothing.
 * A HEAD request is nobody looking at the page (link checkers, monitors, some preview fetchers):
 * not an event. Bots are told apart off the request path, when the batch is written (ua.ts).
 */
export function trackRequest(req: FastifyRequest, event: TrackEvent): void {
  if (req.method === 'HEAD') return;
  req.server.analytics?.track(req, event);
}
