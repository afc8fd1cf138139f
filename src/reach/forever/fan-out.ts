import { workspaceIdOfCampaign } from '../../accounts/campaigns.js';
import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { recordPresave } from '../../presaves/repo.js';
import { enqueueMessage } from '../messages/lifecycle/enqueue.js';
import { MAIL_KEY } from '../messages/channel.js';
import { planMailMessages } from '../messages/plan.js';
import { artistKey, workspaceAudience } from '../audience.js';
import { attachContact, noticeDedupe, type ForeverSaveRow } from './store.js';

/**
 * A new campaign of an artist: every standing forever save of the same audience and artist gets a
 * pre-save of it, with the forever-saver's grant, zone, locale and language, on their service
 * when the campaign offers it — created through the pre-save lifecycle like any other
 * (presaves/repo.ts recordPresave). A fan who already pre-saved it themselves is left as they are.
 *
 * The fan is told when they have a confirmed address in the audience: a `forever_notice`
 * message ("we'll save X on <date> — cancel here"; its forever save is found by the message's
 * dedupe, `forever:<forever id>:<campaign id>`, see {@link foreverSaveOfMessage}), and the
 * release-day receipt and, when the grant ends before the release, the re-authorization message
 * (reach/messages/plan.ts). Without an address the receipt page is where they see it.
 *
 * Runs in the transaction that creates the campaign (editor/service.ts): the campaign and the
 * forever-savers' pre-saves exist together or not at all.
 */
export async function applyForeverSaves(ctx: AppContext, campaign: Campaign, now: number): Promise<{ presaves: number; notices: number }> {
  const done = { presaves: 0, notices: 0 };
  if (campaign.status !== 'active') return done;
  const workspaceId = await workspaceIdOfCampaign(ctx.db, campaign.id);
  // A campaign made from the CLI is its own audience: no earlier forever save can share it.
  if (workspaceId === null) return done;
  const standing = await ctx.db
    .selectFrom('forever_saves')
    .innerJoin('grants', 'grants.id', 'forever_saves.grant_id')
    .selectAll('forever_saves')
    .select('grants.account_id')
    .where('forever_saves.audience', '=', workspaceAudience(workspaceId))
    .where('forever_saves.artist_key', '=', artistKey(campaign.artist_name))
    .where('forever_saves.stopped_at', 'is', null)
    // A dead grant (revoked, expired) or an erased one can save nothing.
    .where('grants.status', '=', 'active')
    .where('forever_saves.service', 'in', campaign.services)
    .orderBy('forever_saves.id')
    .execute();
  if (!standing.length) return done;
  // Fans who already pre-saved it themselves (none yet for a campaign made this instant; read once).
  const already = new Set(
    (await ctx.db.selectFrom('presaves').select(['service', 'account_id']).where('campaign_id', '=', campaign.id).execute()).map(
      (p) => `${p.service} ${p.account_id}`,
    ),
  );
  for (const fs of standing) {
    if (already.has(`${fs.service} ${fs.account_id}`)) continue;
    const { row: presave } = await recordPresave(
      ctx.db,
      {
        campaign,
        grantId: fs.grant_id,
        service: fs.service,
        accountId: fs.account_id,
        timezone: fs.timezone,
        locale: fs.locale,
        lang: fs.lang,
      },
      now,
    );
    done.presaves++;
    const contactId = await confirmedContactOf(ctx, fs);
    if (contactId === null) continue;
    const notice = await enqueueMessage(
      ctx.db,
      {
        campaignId: campaign.id,
        type: 'forever_notice',
        channel: 'email',
        contactId,
        presaveId: presave.id,
        dedupe: noticeDedupe(fs.id, campaign.id),
        channelKey: MAIL_KEY,
        lang: fs.lang,
        dueAt: now,
      },
      now,
    );
    if (notice !== null) done.notices++;
    await planMailMessages(ctx, { campaign, contactId, presaveId: presave.id, timezone: fs.timezone, lang: fs.lang }, now);
  }
  return done;
}

/**
 * The confirmed address a forever-saver is told through: the one kept on the forever save, else
 * one the fan left on the receipt page of the pre-save it was asked on and whose owner confirmed
 * that choice (remembered from then on).
 */
async function confirmedContactOf(ctx: AppContext, fs: ForeverSaveRow): Promise<number | null> {
  if (fs.contact_id !== null) {
    const c = await ctx.db.selectFrom('contacts').select('status').where('id', '=', fs.contact_id).executeTakeFirst();
    return c?.status === 'confirmed' ? fs.contact_id : null;
  }
  if (fs.presave_id === null) return null;
  const found = await ctx.db
    .selectFrom('consents')
    .innerJoin('contacts', 'contacts.id', 'consents.contact_id')
    .select('contacts.id')
    .where('consents.presave_id', '=', fs.presave_id)
    // Confirmed by the address's owner: an address typed on the receipt page but never confirmed
    // for it (someone else's, perhaps) is not the fan's.
    .where('consents.confirmed_at', 'is not', null)
    .where('contacts.audience', '=', fs.audience)
    .where('contacts.status', '=', 'confirmed')
    .orderBy('contacts.id')
    .executeTakeFirst();
  if (!found) return null;
  await attachContact(ctx.db, fs.id, found.id);
  return found.id;
}

/** The forever save a `forever_notice` message is about (for composing it: its /f/ page link). */
export async function foreverSaveOfMessage(
  ctx: Pick<AppContext, 'db'>,
  message: { dedupe: string | null },
): Promise<ForeverSaveRow | undefined> {
  const m = message.dedupe ? /^forever:(\d+):\d+$/.exec(message.dedupe) : null;
  if (!m) return undefined;
  return ctx.db.selectFrom('forever_saves').selectAll().where('id', '=', Number(m[1])).executeTakeFirst();
}
