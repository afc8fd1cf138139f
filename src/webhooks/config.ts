import type { EnvReader } from '../config-reader.js';

/** Settings for webhooks (docs/webhooks.md), read by config.ts. */
export interface WebhookConfig {
  /**
   * Allow endpoints on loopback, private and link-local addresses (WEBHOOK_ALLOW_PRIVATE_TARGETS):
   * for self-hosted tools on the operator's own network. Off by default: a workspace owner could
   * otherwise make the server call into the network it runs in.
   */
  allowPrivateTargets: boolean;
  /** Counted failures in a row after which an endpoint is disabled (WEBHOOK_FAILURES_BEFORE_DISABLE). */
  failuresBeforeDisable: number;
  /** Counted failures in a row after which the owners are mailed (WEBHOOK_FAILURES_BEFORE_NOTICE). */
  failuresBeforeNotice: number;
  /**
   * At most one failed attempt counts per this window (WEBHOOK_FAILURE_WINDOW_MINUTES): a burst of
   * queued events failing together is one failure, so the thresholds measure how long a receiver
   * has been failing (at least `(count − 1) × window`), not how many events were waiting.
   */
  failureWindowMs: number;
  /** Deliveries per second to one host (WEBHOOK_RATE, governor key `webhook:<host>`). */
  ratePerSecond: number;
  /**
   * Where Discord and Slack incoming webhooks are sent (WEBHOOK_DISCORD_BASE_URL,
   * WEBHOOK_SLACK_BASE_URL): the real hosts unless an operator (or a test's fake) says otherwise.
   */
  discordBaseUrl: string;
  slackBaseUrl: string;
}

export function readWebhookSettings(r: EnvReader): WebhookConfig {
  const failuresBeforeDisable = r.int('WEBHOOK_FAILURES_BEFORE_DISABLE', 15, 1, 1000);
  return {
    allowPrivateTargets: r.bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    failuresBeforeDisable,
    failuresBeforeNotice: Math.min(r.int('WEBHOOK_FAILURES_BEFORE_NOTICE', 5, 1, 1000), failuresBeforeDisable),
    failureWindowMs: r.int('WEBHOOK_FAILURE_WINDOW_MINUTES', 30, 1, 1440) * 60_000,
    ratePerSecond: r.int('WEBHOOK_RATE', 10, 1, 1000),
    discordBaseUrl: r.baseUrl('WEBHOOK_DISCORD_BASE_URL', 'https://discord.com'),
    slackBaseUrl: r.baseUrl('WEBHOOK_SLACK_BASE_URL', 'https://hooks.slack.com'),
  };
}
