import { codeOfPresave, ensurePresaveCode } from '../../growth/referrals/codes.js';
import { accountKey } from '../../growth/referrals/fan-keys.js';
import { DISPLAY_NAME_MAX } from '../../growth/referrals/display-name.js';
import { receiptStanding } from '../../growth/referrals/standing.js';
import { leaderboardPublic } from '../../growth/settings.js';
import { translator } from '../../i18n/index.js';
import { reachKeys } from '../../reach/keys.js';
import { html } from '../html.js';
import { shareSection } from '../views/share-buttons.js';
import type { ReceiptInput, Section } from './types.js';

/** The fan's personal link: the campaign page with their code (growth/referrals/code.ts). */
export function personalLink(publicUrl: string, slug: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${slug}?r=${code}`;
}

/**
 * The receipt page's referral section, for a pre-save that stands (pending or saved): the fan's
 * personal link with the share buttons sharing it, "N counted, M pending verification" (before
 * release nothing is counted yet, and the page says so), their rank, and — when the campaign's
 * leaderboard is public — the form for the name shown on it.
 */
export async function referralReceipt(i: ReceiptInput): Promise<Section> {
  const { ctx, campaign, presave, lang } = i;
  if (presave.status !== 'pending' && presave.status !== 'saved') return '';
  const say = translator(lang);
  const id = Number(presave.id);
  // A pre-save stored before referrals existed gets its code now (only its account known of its owner).
  const own =
    (await codeOfPresave(ctx.db, id)) ??
    (await ensurePresaveCode(
      ctx.db,
      {
        campaignId: campaign.id,
        presaveId: id,
        keys: { account: accountKey(reachKeys(ctx), presave.service, presave.account_id), browser: null, device: null, network: null },
      },
      i.now,
    ).then(() => codeOfPresave(ctx.db, id)));
  if (!own) return '';
  const link = personalLink(ctx.config.publicUrl, campaign.slug, own.code);
  const [mine, isPublic] = await Promise.all([receiptStanding(ctx.db, campaign.id, own.code), leaderboardPublic(ctx.db, campaign.id)]);
  const { counted, pending } = mine;
  const done = (i.req.query as { done?: unknown }).done === 'referral-name';
  return html`<section class="referral" id="referral" aria-labelledby="referral-heading" data-referral>
    <h2 id="referral-heading">${say('referral.heading')}</h2>
    <p>${say('referral.intro')}</p>
    <label for="referral-link">${say('referral.link_label')}</label>
    <input id="referral-link" type="text" dir="ltr" readonly value="${link}" />
    <p data-referral-counts data-counted="${counted}" data-pending="${pending}">${say('referral.counts', { counted, pending })}</p>
    ${counted + pending > 0 ? html`<p data-referral-rank="${mine.rank}">${say('referral.rank', { rank: mine.rank, total: mine.total })}</p>` : ''}
    <p class="muted">${say('referral.how_counted')}</p>
    ${
      isPublic
        ? html`${done ? html`<p role="status" data-notice="referral-name">${say('referral.name_saved')}</p>` : ''}
            <form method="post" action="/p/${presave.public_id}/referral-name${i.keepLang}" id="referral-name-form">
              ${i.csrf}
              <label for="referral-name">${say('referral.name_label')}</label>
              <input id="referral-name" type="text" name="display_name" maxlength="${DISPLAY_NAME_MAX * 2}" value="${own.display_name ?? ''}" />
              <p class="muted">${say('referral.name_hint', { max: DISPLAY_NAME_MAX })}</p>
              <button class="btn" type="submit">${say('referral.name_save')}</button>
            </form>
            <p><a href="/${campaign.slug}/leaderboard?lang=${lang}" data-leaderboard-link>${say('referral.leaderboard_link')}</a></p>`
        : ''
    }
    ${ctx.config.publicUrl ? shareSection({ campaign, publicUrl: ctx.config.publicUrl, lang, now: i.now, nonce: i.nonce, url: link }) : ''}
  </section>`;
}
