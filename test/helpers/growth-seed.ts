import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/context.js';
import type { ReferralDecision } from '../../src/db/schema-growth.js';
import { seedPresaves } from './presaves.js';

/**
 * Rows of migration 022 as the fan side of referrals leaves them (growth/referrals/record*.ts):
 * a referral code owned by a pre-save (or a contact), and referrals through it, each with its own
 * referred pre-save. For tests of what the artist sees and of contest points.
 */
export const newCode = () => randomBytes(6).toString('base64url');

export async function seedCode(
  ctx: AppContext,
  c: {
    campaignId: number;
    at: number;
    presaveId?: number | null;
    contactId?: number | null;
    displayName?: string | null;
    code?: string;
    visits?: number;
  },
): Promise<string> {
  const code = c.code ?? newCode();
  await ctx.db
    .insertInto('referral_codes')
    .values({
      code,
      campaign_id: c.campaignId,
      presave_id: c.presaveId ?? null,
      contact_id: c.contactId ?? null,
      display_name: c.displayName ?? null,
      account_key: `acct-${code}`,
      browser_key: `br-${code}`,
      device_key: `dev-${code}`,
      network_key: `net-${code}`,
      visits: c.visits ?? 0,
      created_at: c.at,
    })
    .execute();
  return code;
}

/** A fan who pre-saved (status as given) and owns a referral code. */
export async function seedReferrer(
  ctx: AppContext,
  r: {
    campaignId: number;
    at: number;
    dueAt: number;
    status?: 'pending' | 'saved' | 'failed' | 'cancelled';
    displayName?: string | null;
    code?: string;
    visits?: number;
  },
): Promise<{ code: string; presaveId: number }> {
  const [presaveId] = await seedPresaves(ctx.db, {
    campaignId: r.campaignId,
    count: 1,
    status: r.status ?? 'saved',
    dueAt: r.dueAt,
    createdAt: r.at,
    savedAt: r.status === 'saved' || r.status === undefined ? r.dueAt : null,
  });
  const code = await seedCode(ctx, {
    campaignId: r.campaignId,
    at: r.at,
    presaveId: presaveId!,
    displayName: r.displayName ?? null,
    ...(r.code ? { code: r.code } : {}),
    ...(r.visits !== undefined ? { visits: r.visits } : {}),
  });
  return { code, presaveId: presaveId! };
}

/** `count` referrals through `code`, each a referred pre-save with the status and decision given. */
export async function seedReferrals(
  ctx: AppContext,
  r: {
    campaignId: number;
    code: string;
    at: number;
    dueAt: number;
    count?: number;
    status: 'pending' | 'saved' | 'failed' | 'cancelled';
    decision?: ReferralDecision;
    reason?: string | null;
  },
): Promise<number[]> {
  const presaves = await seedPresaves(ctx.db, {
    campaignId: r.campaignId,
    count: r.count ?? 1,
    status: r.status,
    dueAt: r.dueAt,
    createdAt: r.at,
    savedAt: r.status === 'saved' ? r.dueAt : null,
  });
  const ids: number[] = [];
  for (const p of presaves) {
    const row = await ctx.db
      .insertInto('referrals')
      .values({
        campaign_id: r.campaignId,
        code: r.code,
        presave_id: p,
        account_key: `acct-referred-${p}`,
        browser_key: `br-referred-${p}`,
        device_key: `dev-referred-${p}`,
        network_key: `net-referred-${p}`,
        decision: r.decision ?? 'ok',
        reason: r.reason ?? null,
        created_at: r.at,
        decided_at: r.decision && r.decision !== 'ok' ? r.at : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return ids;
}
