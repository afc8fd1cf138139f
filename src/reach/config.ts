import fs from 'node:fs';
import type { EnvReader } from '../config-reader.js';

/**
 * Settings for reaching fans (docs/reach.md): the sender identity messages carry, DKIM, the SMTP
 * relay's pool and rate, web push (VAPID), double opt-in and its rate limits, message retries.
 * SMTP_URL and MAIL_FROM are the accounts' settings (accounts/config.ts): one mail setup.
 */
export interface ReachConfig {
  /** The operator's postal address, printed in every fan message (CAN-SPAM). Required in production with SMTP_URL. */
  postalAddress: string | null;
  /** Shown as the sender's name when MAIL_FROM has none (the artist's name is in the subject). */
  senderName: string;
  /** Where replies go (MAIL_REPLY_TO); null: no Reply-To header. */
  replyTo: string | null;
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  smtp: { poolSize: number; ratePerSecond: number };
  push: {
    /** From VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY, else generated into DATA_DIR/vapid.json (reach/push/vapid.ts). */
    vapid: { publicKey: string; privateKey: string } | null;
    /** `mailto:` or `https:` contact the push services may use (VAPID `sub`). */
    subject: string;
    /** Per push-service host, requests per second. */
    ratePerSecond: number;
    /** TTL a push service keeps an undelivered message, seconds. */
    ttlSeconds: number;
    /** Browsers a client IP may subscribe per hour (POST /<slug>/push). */
    subscribesPerIpPerHour: number;
  };
  contacts: {
    /** How long a confirmation link works; an unconfirmed contact is deleted after it. */
    confirmTtlMs: number;
    confirmMailsPerAddressPerDay: number;
    confirmMailsPerIpPerHour: number;
  };
  messages: {
    maxFailures: number;
    /** How long before a grant expires its fan is sent the re-authorization link. */
    reauthLeadMs: number;
  };
}

export function readReachSettings(r: EnvReader, nodeEnv: string, mailConfigured: boolean, publicUrl: string): ReachConfig {
  const postalAddress = r.str('MAIL_POSTAL_ADDRESS') ?? null;
  if (nodeEnv === 'production' && mailConfigured && !postalAddress) {
    r.problem(
      "MAIL_POSTAL_ADDRESS is required in production when SMTP_URL is set: every message to fans must carry the sender's postal address",
    );
  }
  const dkimDomain = r.str('DKIM_DOMAIN');
  const dkimSelector = r.str('DKIM_SELECTOR');
  const dkimKeyFile = r.str('DKIM_PRIVATE_KEY_FILE');
  let dkim: ReachConfig['dkim'] = null;
  if (dkimDomain || dkimSelector || dkimKeyFile) {
    if (!dkimDomain || !dkimSelector || !dkimKeyFile) {
      r.problem('DKIM signing needs all three of DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE');
    } else {
      try {
        const privateKey = fs.readFileSync(dkimKeyFile, 'utf8');
        if (!privateKey.includes('PRIVATE KEY')) r.problem(`DKIM_PRIVATE_KEY_FILE (${dkimKeyFile}) is not a PEM private key`);
        else dkim = { domainName: dkimDomain, keySelector: dkimSelector, privateKey };
      } catch {
        r.problem(`DKIM_PRIVATE_KEY_FILE (${dkimKeyFile}) cannot be read`);
      }
    }
  }
  const vapidPublic = r.str('VAPID_PUBLIC_KEY');
  const vapidPrivate = r.str('VAPID_PRIVATE_KEY');
  let vapid: ReachConfig['push']['vapid'] = null;
  if (vapidPublic || vapidPrivate) {
    if (!vapidPublic || !vapidPrivate)
      r.problem('Web push needs both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (or neither: a pair is generated into DATA_DIR)');
    else if (!/^[A-Za-z0-9_-]{87}$/.test(vapidPublic) || !/^[A-Za-z0-9_-]{43}$/.test(vapidPrivate)) {
      r.problem('VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY must be URL-safe base64 P-256 keys (npx web-push generate-vapid-keys)');
    } else vapid = { publicKey: vapidPublic, privateKey: vapidPrivate };
  }
  // Push services accept only https: or mailto: (RFC 8292 §2.1); a plain-http PUBLIC_URL (local
  // development, tests) falls back to the postmaster of its host.
  const subject =
    r.str('VAPID_SUBJECT') ?? (publicUrl.startsWith('https:') ? publicUrl : `mailto:postmaster@${new URL(publicUrl).hostname}`);
  if (!/^(mailto:.+@|https:\/\/)/.test(subject)) r.problem('VAPID_SUBJECT must be a mailto: or https: address');
  return {
    postalAddress,
    senderName: r.str('MAIL_SENDER_NAME') ?? 'Dropday',
    replyTo: r.str('MAIL_REPLY_TO') ?? null,
    dkim,
    smtp: {
      poolSize: r.int('SMTP_POOL_SIZE', 5, 1, 100),
      ratePerSecond: r.int('SMTP_RATE', 10, 1, 10_000),
    },
    push: {
      vapid,
      subject,
      ratePerSecond: r.int('PUSH_RATE', 50, 1, 10_000),
      ttlSeconds: r.int('PUSH_TTL_SECONDS', 86_400, 0, 2_419_200),
      subscribesPerIpPerHour: r.int('PUSH_SUBSCRIBES_PER_IP_PER_HOUR', 30, 1, 1_000_000),
    },
    contacts: {
      confirmTtlMs: r.int('CONTACT_CONFIRM_TTL_HOURS', 72, 1, 24 * 30) * 3_600_000,
      confirmMailsPerAddressPerDay: r.int('CONFIRM_MAILS_PER_ADDRESS_PER_DAY', 3, 1, 100),
      confirmMailsPerIpPerHour: r.int('CONFIRM_MAILS_PER_IP_PER_HOUR', 20, 1, 100_000),
    },
    messages: {
      maxFailures: r.int('MESSAGE_MAX_FAILURES', 8, 1, 100),
      reauthLeadMs: r.int('REAUTH_NOTICE_DAYS', 14, 1, 120) * 86_400_000,
    },
  };
}
