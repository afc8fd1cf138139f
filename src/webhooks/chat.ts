import { serviceName } from '../providers/services.js';
import type { WebhookConfig } from './config.js';
import type { WebhookPayload } from './events.js';

/**
 * Discord and Slack incoming webhooks take a chat message, not an event: for their URLs the body
 * is `{content}` (Discord) or `{text}` (Slack) saying what happened to which campaign. The
 * signature headers are sent too (harmless there). An operator (or a test's stand-in) may point
 * the real hosts elsewhere (WEBHOOK_DISCORD_BASE_URL, WEBHOOK_SLACK_BASE_URL): the path is kept.
 */
export type ChatKind = 'discord' | 'slack';

export function chatKindOf(url: string): ChatKind | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:') return null;
  const host = u.hostname.toLowerCase();
  if (
    (host === 'discord.com' || host === 'discordapp.com' || host === 'ptb.discord.com' || host === 'canary.discord.com') &&
    u.pathname.startsWith('/api/webhooks/')
  ) {
    return 'discord';
  }
  if (host === 'hooks.slack.com' && u.pathname.startsWith('/services/')) return 'slack';
  return null;
}

/** Where a chat webhook is actually sent (the configured base URL + the path and query). */
export function chatTarget(url: string, kind: ChatKind, config: Pick<WebhookConfig, 'discordBaseUrl' | 'slackBaseUrl'>): string {
  const u = new URL(url);
  return `${kind === 'discord' ? config.discordBaseUrl : config.slackBaseUrl}${u.pathname}${u.search}`;
}

interface CampaignData {
  title?: string;
  artist?: string;
  slug?: string;
}

/** One line saying what happened, for people reading a channel. */
export function chatLine(p: WebhookPayload): string {
  const d = p.data as Record<string, unknown> & { campaign?: CampaignData; presave?: Record<string, unknown> };
  const c = d.campaign;
  const name = c ? `“${c.title ?? c.slug}”${c.artist ? ` by ${c.artist}` : ''}` : 'a campaign';
  const service = typeof d.presave?.service === 'string' ? ` on ${serviceName(d.presave.service)}` : '';
  switch (p.type) {
    case 'presave.created':
      return `New pre-save of ${name}${service}.`;
    case 'presave.cancelled':
      return `A fan cancelled their pre-save of ${name}${service}.`;
    case 'presave.saved':
      return `A pre-save of ${name} was saved to the fan’s library${service}.`;
    case 'presave.failed': {
      const reason = typeof d.presave?.reason === 'string' ? `: ${d.presave.reason}` : '';
      return `A pre-save of ${name}${service} could not be saved${reason}.`;
    }
    case 'campaign.released':
      return `${name} is out now.`;
    case 'campaign.delivered': {
      const n = d.counts as { saved?: number; failed?: number; cancelled?: number } | undefined;
      const c = (x: number | undefined) => (x ?? 0).toLocaleString('en');
      return `Every pre-save of ${name} is done: ${c(n?.saved)} saved, ${c(n?.failed)} failed, ${c(n?.cancelled)} cancelled.`;
    }
    case 'contact.confirmed':
      return `A fan confirmed their address for ${name}.`;
    case 'referral.counted':
      return `A referral for ${name} counted.`;
  }
}

/** The chat message body for an event. */
export function chatBody(kind: ChatKind, p: WebhookPayload): string {
  const line = chatLine(p);
  return JSON.stringify(kind === 'discord' ? { content: line, allowed_mentions: { parse: [] } } : { text: line });
}
