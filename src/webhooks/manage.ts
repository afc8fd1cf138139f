import type { AppContext } from '../context.js';
import { DropdayError, ValidationError } from '../errors.js';
import { createEndpoint, updateEndpoint, type EndpointRow } from './endpoints.js';
import { isWebhookEvent, WEBHOOK_EVENTS, type WebhookEventType } from './events.js';
import { targetRefusal } from './targets.js';

/**
 * What the settings page and the API share when an endpoint is saved: every field checked (all
 * problems at once, named by field), then the target (a clear WEBHOOK_TARGET_REFUSED naming why).
 * `field` maps a field name to how the caller names it (`body.url` for the API, `url` for a form).
 */
export interface EndpointInput {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}

export async function checkEndpointInput(
  ctx: Pick<AppContext, 'config'>,
  input: EndpointInput,
  opts: { partial: boolean; field: (name: string) => string; resolve?: (host: string) => Promise<string[]> },
): Promise<{ url?: string; description?: string; events?: WebhookEventType[]; enabled?: boolean }> {
  const problems: Record<string, string> = {};
  const out: { url?: string; description?: string; events?: WebhookEventType[]; enabled?: boolean } = {};
  if (input.url !== undefined || !opts.partial) {
    const url = (input.url ?? '').trim();
    if (!url) problems[opts.field('url')] = 'is required';
    else if (url.length > 2000) problems[opts.field('url')] = 'is longer than 2000 characters';
    else out.url = url;
  }
  if (input.description !== undefined) {
    const d = input.description.trim();
    if (d.length > 200 || /[\u0000-\u001f\u007f]/.test(d))
      problems[opts.field('description')] = 'must be one line of at most 200 characters';
    else out.description = d;
  } else if (!opts.partial) out.description = '';
  if (input.events !== undefined || !opts.partial) {
    const events = [...new Set(input.events ?? [])];
    const unknown = events.filter((e) => !isWebhookEvent(e));
    if (!events.length) problems[opts.field('events')] = 'choose at least one event';
    else if (unknown.length)
      problems[opts.field('events')] = `unknown event ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${WEBHOOK_EVENTS.join(', ')})`;
    else out.events = WEBHOOK_EVENTS.filter((e) => events.includes(e));
  }
  if (input.enabled !== undefined) out.enabled = input.enabled;
  // The address is checked even when another field is wrong, so every problem is said at once.
  const refusal =
    out.url === undefined
      ? null
      : await targetRefusal(out.url, { allowPrivate: ctx.config.webhooks.allowPrivateTargets, resolve: opts.resolve });
  if (Object.keys(problems).length) throw new ValidationError(refusal ? { ...problems, [opts.field('url')]: refusal } : problems);
  if (out.url !== undefined) {
    if (refusal) {
      throw new DropdayError('WEBHOOK_TARGET_REFUSED', `Webhooks can only go to public http(s) addresses: ${refusal}.`, {
        [opts.field('url')]: refusal,
      });
    }
  }
  return out;
}

export async function addEndpoint(
  ctx: AppContext,
  workspaceId: number,
  input: EndpointInput,
  field: (name: string) => string,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const ok = await checkEndpointInput(ctx, input, { partial: false, field });
  return createEndpoint(ctx, { workspaceId, url: ok.url!, description: ok.description ?? '', events: ok.events! }, ctx.now());
}

export async function changeEndpoint(
  ctx: AppContext,
  e: EndpointRow,
  input: EndpointInput,
  field: (name: string) => string,
): Promise<EndpointRow> {
  const ok = await checkEndpointInput(ctx, input, { partial: true, field });
  const row = await updateEndpoint(ctx.db, e.id, ok, ctx.now());
  if (!row) throw new DropdayError('NOT_FOUND', 'This webhook endpoint no longer exists.');
  return row;
}
