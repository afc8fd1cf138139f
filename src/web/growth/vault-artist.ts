import type { VaultUnlock } from '../../db/schema-growth.js';
import { vaultReport, type VaultItemReport } from '../../growth/vault/report.js';
import { ACCEPTED_TYPES } from '../../growth/media-type.js';
import { REFERRALS_MAX, TITLE_MAX, URL_MAX } from '../../growth/vault/items.js';
import { csrfField } from '../csrf.js';
import { html, type SafeHtml } from '../html.js';
import { alertBox, fieldError, noticeBox } from '../views/auth/shell.js';
import { invalid, refusedForms, typedText, type RefusedForm } from './form-artist.js';
import type { ArtistInput, Section } from './types.js';

/**
 * The artist's side of the vault (docs/vault.md): the Growth page section — upload a file, add a
 * link, the list with each item's rule, unlocks and downloads and its Remove button — and the
 * dashboard's "Vault" panel. English, like the rest of the artist's pages.
 */
const RULES: Record<VaultUnlock, string> = {
  presave: 'After a pre-save (its authorization stored)',
  contact: 'After a confirmed contact (email confirmed, or notifications allowed) on the receipt',
  referrals: 'After N counted referrals (friends’ pre-saves verified in their library)',
  release: 'From the release moment (in each fan’s time zone for a local release)',
};

const DONE: Record<string, string> = {
  'vault-file-added': 'The file was added to the vault.',
  'vault-link-added': 'The link was added to the vault.',
  'vault-removed': 'The item was removed from the vault, and its file deleted.',
};

function ruleText(r: VaultItemReport['item']): string {
  if (r.unlock === 'referrals') return `After ${r.unlock_referrals} counted referral${r.unlock_referrals === 1 ? '' : 's'}`;
  return RULES[r.unlock].replace(/ \(.*\)$/, '');
}

function mb(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** A refused vault form (growth-vault.ts), shown again on the whole Growth page. */
export type VaultFormState = RefusedForm<'file' | 'link'>;
export const refusedVaultForms = refusedForms<'file' | 'link'>();

const text = typedText;

/** The title, unlock rule and N fields both forms share (ids prefixed by the form). */
function ruleFields(prefix: 'vf' | 'vl', state: VaultFormState | undefined, mine: boolean): SafeHtml {
  const errors = mine ? (state?.errors ?? {}) : {};
  const typed = mine ? (state?.typed ?? {}) : {};
  const chosen = text(typed.unlock) || 'presave';
  return html`<label for="${prefix}-title">Title</label>
    <input id="${prefix}-title" name="title" required maxlength="${TITLE_MAX}" value="${text(typed.title)}" ${invalid(errors, 'title')} />
    ${fieldError(errors, 'title')}
    <label for="${prefix}-unlock">Unlocks</label>
    <select id="${prefix}-unlock" name="unlock" ${invalid(errors, 'unlock')}>
      ${(Object.keys(RULES) as VaultUnlock[]).map(
        (r) => html`<option value="${r}" ${r === chosen ? html`selected` : ''}>${RULES[r]}</option>`,
      )}
    </select>
    ${fieldError(errors, 'unlock')}
    <label for="${prefix}-referrals">N (counted referrals, for the referrals rule)</label>
    <input
      id="${prefix}-referrals"
      name="referrals"
      type="number"
      min="1"
      max="${REFERRALS_MAX}"
      value="${text(typed.referrals) || '3'}"
      ${invalid(errors, 'referrals')}
    />
    ${fieldError(errors, 'referrals')}`;
}

/** The two forms (upload a file, add a link), with a refused form's problems beside its fields. */
export async function vaultForms(i: ArtistInput, state?: VaultFormState): Promise<SafeHtml> {
  const action = `${i.base}/growth/vault`;
  const csrf = csrfField(i.req);
  const fileErrors = state?.form === 'file' ? state.errors : {};
  const linkErrors = state?.form === 'link' ? state.errors : {};
  const max = i.ctx.config.growth.vault.maxFileBytes;
  return html`<form method="post" action="${action}/files" enctype="multipart/form-data" id="vault-file-form" novalidate>
      ${csrf}
      <h3>Upload a file</h3>
      ${ruleFields('vf', state, state?.form === 'file')}
      <label for="vf-file">File</label>
      <input id="vf-file" name="file" type="file" required ${invalid(fileErrors, 'file')} />
      ${fieldError(fileErrors, 'file')}
      <p class="hint">${ACCEPTED_TYPES}; at most ${mb(max)}. The type is checked from the file’s content, not its name.</p>
      <button class="btn" type="submit">Upload to the vault</button>
    </form>
    <form method="post" action="${action}/links" id="vault-link-form" novalidate>
      ${csrf}
      <h3>Add a link</h3>
      ${ruleFields('vl', state, state?.form === 'link')}
      <label for="vl-url">Address (https)</label>
      <input
        id="vl-url"
        name="url"
        type="url"
        maxlength="${URL_MAX}"
        value="${state?.form === 'link' ? text(state.typed.url) : ''}"
        ${invalid(linkErrors, 'url')}
      />
      ${fieldError(linkErrors, 'url')}
      <p class="hint">Fans who qualify are sent there through a link made for them; the address itself is never on the page.</p>
      <button class="btn" type="submit">Add the link</button>
    </form>`;
}

function itemsTable(i: ArtistInput, rows: VaultItemReport[], withRemove: boolean): SafeHtml {
  return html`<table data-vault-report>
    <thead>
      <tr>
        <th>Item</th>
        <th>What</th>
        <th>Unlocks when</th>
        <th>Unlocked for</th>
        <th>Downloads</th>
        <th>Fans who downloaded</th>
        ${withRemove ? html`<th>Remove</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) => html`<tr data-vault-item="${r.item.id}">
          <td>${r.item.title}</td>
          <td>
            ${
              r.item.kind === 'file'
                ? html`${r.item.filename} · ${mb(Number(r.item.size ?? 0))}`
                : html`<a href="${r.item.url ?? ''}" rel="noopener noreferrer" target="_blank">${r.item.url}</a>`
            }
          </td>
          <td>${ruleText(r.item)}</td>
          <td data-vault="unlocks">${r.unlocks}</td>
          <td data-vault="downloads">${r.downloads}</td>
          <td data-vault="fans">${r.fans}</td>
          ${
            withRemove
              ? html`<td>
                <form method="post" action="${i.base}/growth/vault/${r.item.id}/remove">
                  ${csrfField(i.req)}<button class="btn small danger" type="submit" aria-label="Remove ${r.item.title}">Remove</button>
                </form>
              </td>`
              : ''
          }
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The vault section of the campaign's Growth page (/w/<ws>/campaigns/<slug>/growth). */
export async function vaultSettings(i: ArtistInput): Promise<Section> {
  const rows = await vaultReport(i.ctx.db, i.campaign.id);
  const done = (i.req.query as { done?: unknown } | undefined)?.done;
  const refused = refusedVaultForms.of(i.req);
  return html`<section class="panel" id="vault" aria-labelledby="vault-h">
    <h2 id="vault-h">Vault</h2>
    ${typeof done === 'string' ? noticeBox(DONE[done]) : ''}
    ${
      refused
        ? alertBox(
            `Nothing was added to the vault: ${Object.entries(refused.errors)
              .map(([f, p]) => `${f} ${p}`)
              .join('; ')}.`,
          )
        : ''
    }
    <p class="hint">
      Bonus files and links for fans who pre-saved, each with an unlock rule. Fans see the vault on their receipt page; downloads go through
      links made for that receipt that expire after ${Math.round(i.ctx.config.growth.vault.linkTtlMs / 60_000)} minutes, at most
      ${i.ctx.config.growth.vault.downloadsPerFan} per fan and item. Files are never listed publicly.
    </p>
    ${rows.length ? itemsTable(i, rows, i.mayEdit) : html`<p class="muted" data-vault-empty>The vault is empty.</p>`}
    ${i.mayEdit ? await vaultForms(i, refused) : ''}
  </section>`;
}

/** The vault panel of the campaign dashboard: unlocks and downloads per item. */
export async function vaultPanel(i: ArtistInput): Promise<Section> {
  const rows = await vaultReport(i.ctx.db, i.campaign.id);
  return html`<section class="panel" id="vault-panel" aria-labelledby="vault-panel-h">
    <h2 id="vault-panel-h">Vault</h2>
    ${
      rows.length
        ? itemsTable(i, rows, false)
        : html`<p class="muted">No bonus content yet. <a href="${i.base}/growth#vault">Add files or links on the Growth page</a>.</p>`
    }
  </section>`;
}
