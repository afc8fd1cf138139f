import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import type { AppHooks } from '../../app.js';
import { safeEqual } from '../../util/random.js';

/**
 * Prometheus metrics at /metrics, behind `Authorization: Bearer $METRICS_TOKEN` (off when unset).
 * Pre-save counts come from the database, so every process reports the same global figures;
 * worker counters are this process's own.
 */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A counter of this process's, by `a|b|…` keys split into the labels named. */
function counter(lines: string[], name: string, help: string, labels: readonly string[], counts: ReadonlyMap<string, number>): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
  for (const [k, v] of counts) {
    const parts = k.split('|');
    lines.push(`${name}{${labels.map((l, i) => `${l}="${esc(parts[i] ?? '')}"`).join(',')}} ${v}`);
  }
}

type Hooks = Pick<AppHooks, 'workerStats' | 'messageStats' | 'webhookStats' | 'conversionStats'>;

export function metricsRoutes(app: FastifyInstance, ctx: AppContext, hooks: Hooks = {}): void {
  app.get('/metrics', async (req, reply) => {
    const token = ctx.config.metricsToken;
    if (!token) throw new DropdayError('NOT_FOUND', 'Metrics are off: set METRICS_TOKEN to enable /metrics.');
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice(7), token)) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({ error: { code: 'DROPDAY_ERR_UNAUTHORIZED', message: 'A valid metrics token is required.' } });
    }
    const now = ctx.now();
    const lines: string[] = [];
    const rows = await ctx.db
      .selectFrom('presaves')
      .innerJoin('campaigns', 'campaigns.id', 'presaves.campaign_id')
      .select(['campaigns.slug', 'presaves.service', 'presaves.status'])
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('presaves.next_attempt_at', '<=', now).then(1).else(0).end()).as('due'),
      ])
      .groupBy(['campaigns.slug', 'presaves.service', 'presaves.status'])
      .execute();
    lines.push('# HELP dropday_presaves Pre-saves by campaign, service and status.', '# TYPE dropday_presaves gauge');
    for (const r of rows)
      lines.push(`dropday_presaves{campaign="${esc(r.slug)}",service="${esc(r.service)}",status="${esc(r.status)}"} ${Number(r.n)}`);
    lines.push('# HELP dropday_presaves_due Pending pre-saves whose time has come.', '# TYPE dropday_presaves_due gauge');
    for (const r of rows.filter((r) => r.status === 'pending'))
      lines.push(`dropday_presaves_due{campaign="${esc(r.slug)}",service="${esc(r.service)}"} ${Number(r.due ?? 0)}`);

    // Messages to fans (reach/messages/): global, from the database, like pre-saves.
    const msgs = await ctx.db
      .selectFrom('messages')
      .select(['type', 'channel', 'status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy(['type', 'channel', 'status'])
      .execute();
    lines.push('# HELP dropday_messages Messages to fans by type, channel and status.', '# TYPE dropday_messages gauge');
    for (const r of msgs)
      lines.push(`dropday_messages{type="${esc(r.type)}",channel="${esc(r.channel)}",status="${esc(r.status)}"} ${Number(r.n)}`);

    const govs = await ctx.db.selectFrom('service_governors').selectAll().execute();
    lines.push(
      '# HELP dropday_service_rate_per_second Requests per second the governor allows (0 = no limit known).',
      '# TYPE dropday_service_rate_per_second gauge',
    );
    for (const g of govs) lines.push(`dropday_service_rate_per_second{service="${esc(g.service)}"} ${Number(g.rate_per_s)}`);
    lines.push('# HELP dropday_service_paused 1 while a Retry-After pause holds.', '# TYPE dropday_service_paused gauge');
    for (const g of govs) lines.push(`dropday_service_paused{service="${esc(g.service)}"} ${g.paused_until > now ? 1 : 0}`);
    lines.push(
      '# HELP dropday_service_breaker_open 1 while the quota breaker waits for an operator.',
      '# TYPE dropday_service_breaker_open gauge',
    );
    for (const g of govs) lines.push(`dropday_service_breaker_open{service="${esc(g.service)}"} ${g.breaker_open}`);

    // This process's overload guard (src/web/overload/guard.ts): what it is serving, what it refused.
    const o = app.overload.stats();
    lines.push('# HELP dropday_http_in_flight Requests this process is serving.', '# TYPE dropday_http_in_flight gauge');
    lines.push(`dropday_http_in_flight ${o.inFlight}`);
    lines.push(
      '# HELP dropday_http_refused_total Requests refused with 503 because this process was busy.',
      '# TYPE dropday_http_refused_total counter',
    );
    lines.push(`dropday_http_refused_total{reason="turn_full"} ${o.refusedTurn}`);
    lines.push(`dropday_http_refused_total{reason="queue"} ${o.refusedQueue}`);
    lines.push(`dropday_http_refused_total{reason="in_flight"} ${o.refusedInFlight}`);
    lines.push(`dropday_http_refused_total{reason="pressure"} ${o.refusedPressure}`);

    // Webhook deliveries and conversion events (webhooks/, conversions/): global, from the database.
    const hooksByStatus = await ctx.db
      .selectFrom('webhook_deliveries')
      .select('status')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('status')
      .execute();
    lines.push('# HELP dropday_webhook_deliveries Webhook deliveries by status.', '# TYPE dropday_webhook_deliveries gauge');
    for (const r of hooksByStatus) lines.push(`dropday_webhook_deliveries{status="${esc(r.status)}"} ${Number(r.n)}`);
    const convs = await ctx.db
      .selectFrom('conversion_events')
      .select(['platform', 'status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy(['platform', 'status'])
      .execute();
    lines.push('# HELP dropday_conversion_events Conversion events by platform and status.', '# TYPE dropday_conversion_events gauge');
    for (const r of convs) lines.push(`dropday_conversion_events{platform="${esc(r.platform)}",status="${esc(r.status)}"} ${Number(r.n)}`);

    const stats = hooks.workerStats?.();
    if (stats) {
      lines.push('# HELP dropday_worker_outcomes_total Outcomes settled by this process.', '# TYPE dropday_worker_outcomes_total counter');
      for (const [k, v] of Object.entries(stats)) lines.push(`dropday_worker_outcomes_total{outcome="${k}"} ${v}`);
    }
    const sent = hooks.messageStats?.();
    if (sent)
      counter(
        lines,
        'dropday_message_outcomes_total',
        'Message attempts settled by this process, by type, channel and outcome.',
        ['type', 'channel', 'outcome'],
        sent,
      );
    const hooked = hooks.webhookStats?.();
    if (hooked)
      counter(
        lines,
        'dropday_webhook_outcomes_total',
        'Webhook delivery attempts settled by this process, by outcome.',
        ['outcome'],
        hooked,
      );
    const converted = hooks.conversionStats?.();
    if (converted)
      counter(
        lines,
        'dropday_conversion_outcomes_total',
        'Conversion event sends settled by this process, by platform and outcome.',
        ['platform', 'outcome'],
        converted,
      );
    return reply
      .type('text/plain; version=0.0.4')
      .header('Cache-Control', 'no-store')
      .send(`${lines.join('\n')}\n`);
  });
}
