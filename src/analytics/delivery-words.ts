import { serviceName } from '../providers/services.js';
import type { DeliveryReport } from './delivery.js';

/**
 * The delivery report in words, shared by the dashboard and `dropday status`.
 *
 * A failed pre-save's reason in plain words, with what the artist can do about it. The engine
 * records the service's own text (`failure_reason`); the dashboard and `dropday status` show this
 * explanation first and the raw text in a details line.
 */
export interface FailureExplanation {
  /** Stable key for tests and CSS: what kind of failure this is. */
  kind: 'authorization' | 'not_found' | 'configuration' | 'decrypt' | 'not_configured' | 'verification' | 'interrupted' | 'other';
  /** What happened, in plain words. */
  what: string;
  /** What to do next. */
  next: string;
  /** Whether "Retry failed pre-saves" can help (it cannot bring back a withdrawn authorization). */
  retryHelps: boolean;
}

const RULES: { test: RegExp; explain: FailureExplanation }[] = [
  {
    test: /authorization no longer valid|grant_dead|authorization was removed/i,
    explain: {
      kind: 'authorization',
      what: 'The fan’s permission on the service ended (they disconnected Dropday or the service revoked it).',
      next: 'Nothing to fix on your side: the fan has to pre-save again. Retrying does not help.',
      retryHelps: false,
    },
  },
  {
    test: /release not found|not yet found/i,
    explain: {
      kind: 'not_found',
      what: 'The release was not found on the service.',
      next: 'Check the UPC and ISRCs, or paste the release link for this service in the editor, then retry.',
      retryHelps: true,
    },
  },
  {
    test: /cannot be decrypted/i,
    explain: {
      kind: 'decrypt',
      what: 'The fan’s stored permission cannot be read: this server’s encryption key changed.',
      next: 'Ask the operator of this Dropday server to restore the previous key (ENCRYPTION_KEYS), then retry.',
      retryHelps: true,
    },
  },
  {
    test: /not configured on this server/i,
    explain: {
      kind: 'not_configured',
      what: 'This service is not set up on this Dropday server.',
      next: 'Ask the operator to configure the service, then retry.',
      retryHelps: true,
    },
  },
  {
    test: /verification failed|not in the library/i,
    explain: {
      kind: 'verification',
      what: 'The service accepted the save but did not show it in the fan’s library.',
      next: 'Retry; if it fails again, the service is having trouble — try later.',
      retryHelps: true,
    },
  },
  {
    test: /interrupted/i,
    explain: {
      kind: 'interrupted',
      what: 'Work on this pre-save was cut short several times (a worker stopped each time).',
      next: 'Retry; if it happens again, ask the operator to look at the worker’s log.',
      retryHelps: true,
    },
  },
  {
    test: /\b400\b|bad request|invalid (id|artist|uri)|bad_config|non existing id|not a valid/i,
    explain: {
      kind: 'configuration',
      what: 'The service refused the campaign’s settings (for example an artist id it does not know).',
      next: 'Check the artist to follow and the release links for this service in the editor, fix them, then retry.',
      retryHelps: true,
    },
  },
];

const OTHER: FailureExplanation = {
  kind: 'other',
  what: 'The service refused the save.',
  next: 'Retry; if it fails again, read the service’s answer below.',
  retryHelps: true,
};

export function explainFailure(reason: string): FailureExplanation {
  return RULES.find((r) => r.test.test(reason))?.explain ?? OTHER;
}

function n(x: number): string {
  return x.toLocaleString('en');
}

function plural(x: number, one: string, many = `${one}s`): string {
  return `${n(x)} ${x === 1 ? one : many}`;
}

/**
 * A pre-save the service accepted but Dropday has not verified yet (under a tight rate limit the
 * saves go first and verification follows): in fans' libraries as far as anyone knows, counted
 * saved once verified.
 */
export const VERIFYING = 'saved, verifying';

/** One sentence: where the delivery stands. Failures are named, never counted as done. */
export function deliveryStateText(r: DeliveryReport): string {
  switch (r.state) {
    case 'empty':
      return 'No pre-saves to deliver.';
    case 'scheduled':
      return `Scheduled — ${plural(r.scheduled, 'pre-save')} waiting for release.`;
    case 'paused': {
      const names = [...new Set(r.pauses.map((p) => serviceName(p.service)))].join(', ');
      if (r.pauses.every((p) => p.followsOnly)) {
        const held = r.pauses.reduce((sum, p) => sum + p.pending, 0);
        return `Follows paused on ${names} — ${plural(held, 'follow')} wait for your fix; albums are still saved. ${n(r.saved)} saved, ${n(r.failed)} failed so far.`;
      }
      return `Paused on ${names} — ${plural(r.pending, 'pre-save')} kept, not lost. ${r.saved ? `${n(r.saved)} saved, ` : ''}${n(r.failed)} failed so far.`;
    }
    case 'delivering':
      if (r.due === 0)
        return `Done for now — ${n(r.saved)} saved, ${n(r.failed)} failed; ${n(r.scheduled)} scheduled for later time zones.`;
      if (r.live.stalled.length)
        return `Delivering — waiting on ${r.live.stalled.map(serviceName).join(', ')} (nothing settled in the last ${Math.round(r.live.windowMs / 60_000)} min)${r.verifying ? `; ${n(r.verifying)} ${VERIFYING}` : ''}.`;
      return `Delivering — ${n(r.due)} to go${r.verifying ? ` (${n(r.verifying)} ${VERIFYING})` : ''}.`;
    case 'finished':
      if (r.outcome === 'failed') return `Failed — none of the ${plural(r.failed, 'pre-save')} could be saved. See why below.`;
      if (r.outcome === 'partial') return `Finished with failures — ${n(r.saved)} saved, ${n(r.failed)} failed.`;
      return `Finished — all ${plural(r.saved, 'pre-save')} saved.`;
  }
}
