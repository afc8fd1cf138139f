import { signedPath } from '../../growth/signed-links.js';
import { vaultItems, type VaultItem } from '../../growth/vault/items.js';
import { type MediaKind as VaultFileKind } from '../../growth/media-type.js';
import { downloadsByItem } from '../../growth/vault/downloads.js';
import { fanStanding, qualifies, recordUnlocks, type FanStanding } from '../../growth/vault/unlock.js';
import { formatInstant, isolate, translator, type Lang, type Translate } from '../../i18n/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { html, type SafeHtml } from '../html.js';
import type { ReceiptInput, Section } from './types.js';

/**
 * The receipt page's vault (growth/vault; docs/vault.md): every item of the campaign, each either
 * unlocked for this fan — title, type, size and a Download (or Open) button on a signed link bound
 * to this receipt and valid VAULT_LINK_TTL_MINUTES — or locked, with what unlocks it in the fan's
 * words. Nothing shows when the campaign has no vault. The first time an item shows unlocked is
 * recorded (the artist's "unlocks").
 */
export async function vaultReceipt(i: ReceiptInput): Promise<Section> {
  const items = await vaultItems(i.ctx.db, i.campaign.id);
  if (items.length === 0) return '';
  const standing = await fanStanding(i.ctx.db, i.presave, items, i.now);
  const open = items.filter((item) => qualifies(item, standing));
  await recordUnlocks(
    i.ctx.db,
    open.map((o) => Number(o.id)),
    i.presave.id,
    i.now,
  );
  const used = await downloadsByItem(i.ctx.db, i.presave.id);
  const limit = i.ctx.config.growth.vault.downloadsPerFan;
  const say = translator(i.lang);
  const ttl = i.ctx.config.growth.vault.linkTtlMs;
  const rows = items.map((item) =>
    qualifies(item, standing)
      ? unlockedItem(
          item,
          signedPath(i.ctx, 'vault', i.presave.public_id, String(item.id), ttl),
          Math.max(0, limit - (used.get(Number(item.id)) ?? 0)),
          say,
          i.lang,
        )
      : lockedItem(item, standing, i.presave, say, i.lang),
  );
  return html`<section class="vault" id="vault" aria-labelledby="vault-heading">
    <h2 id="vault-heading">${say('vault.heading')}</h2>
    <p class="muted">${say('vault.intro', { artist: isolate(i.lang, i.campaign.artist_name), minutes: Math.round(ttl / 60_000) })}</p>
    <div role="list" class="vault-items">${rows}</div>
  </section>`;
}

const KIND_KEYS = {
  audio: 'vault.kind_audio',
  image: 'vault.kind_image',
  video: 'vault.kind_video',
  document: 'vault.kind_document',
  archive: 'vault.kind_archive',
} as const satisfies Record<VaultFileKind, string>;

/** The kind of a stored file from its type (the stored mime maps back through the sniffer's table). */
function kindOf(mime: string | null): VaultFileKind {
  if (!mime) return 'document';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  return mime === 'application/zip' ? 'archive' : 'document';
}

function formatSize(bytes: number, lang: Lang): string {
  const [unit, n] = bytes >= 1_048_576 ? (['megabyte', bytes / 1_048_576] as const) : (['kilobyte', Math.max(1, bytes / 1024)] as const);
  return new Intl.NumberFormat(lang, { style: 'unit', unit, maximumFractionDigits: 1 }).format(n);
}

function unlockedItem(item: VaultItem, href: string, left: number, say: Translate, lang: Lang): SafeHtml {
  if (item.kind === 'link')
    return html`<div role="listitem" class="vault-item" data-vault-item="${item.id}" data-state="unlocked">
      <strong><bdi>${item.title}</bdi></strong> <span class="muted">${say('vault.kind_link')}</span>
      <a class="btn" href="${href}" rel="noopener noreferrer" target="_blank">${say('vault.open_link')}</a>
    </div>`;
  const format = item.filename?.slice(item.filename.lastIndexOf('.') + 1).toUpperCase() ?? '';
  return html`<div role="listitem" class="vault-item" data-vault-item="${item.id}" data-state="unlocked">
    <strong><bdi>${item.title}</bdi></strong>
    <span class="muted">${say(KIND_KEYS[kindOf(item.mime)])} · ${format} · ${formatSize(Number(item.size ?? 0), lang)}</span>
    ${
      left > 0
        ? html`<a class="btn" href="${href}" download="${item.filename ?? ''}">${say('vault.download')}</a>`
        : html`<p>${say('vault.limit_title')}</p>`
    }
    <span class="muted" data-downloads-left="${left}">${say('vault.downloads_left', { left })}</span>
  </div>`;
}

function lockedItem(item: VaultItem, s: FanStanding, p: PresaveRow, say: Translate, lang: Lang): SafeHtml {
  const why =
    item.unlock === 'presave'
      ? say('vault.locked_presave')
      : item.unlock === 'contact'
        ? say('vault.locked_contact')
        : item.unlock === 'referrals'
          ? say('vault.locked_referrals', { need: Math.max(1, item.unlock_referrals), have: s.referrals })
          : say('vault.locked_release', { when: formatInstant(p.due_at, p.timezone, lang) });
  return html`<div role="listitem" class="vault-item" data-vault-item="${item.id}" data-state="locked">
    <strong><bdi>${item.title}</bdi></strong> <span class="muted">${say('vault.locked')}</span>
    <p data-unlock="${item.unlock}">${why}</p>
  </div>`;
}
