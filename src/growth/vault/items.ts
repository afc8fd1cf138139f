import type { Insertable, Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import type { VaultItemTable, VaultUnlock } from '../../db/schema-growth.js';
import { ValidationError } from '../../errors.js';
import { nameProblem, normalizeName, urlTextProblem } from '../../util/text.js';
import { blobStore, newBlobKey } from '../storage/index.js';
import { ACCEPTED_TYPES, downloadName, fileType, vaultType } from '../media-type.js';

/**
 * THE ONLY WRITER of `vault_items` (test/growth-vault-owner.test.ts): adding a file or a link and
 * removing an item. A file's bytes go to the blob store under a key made here, then its row; a
 * failure after the blob was stored deletes the blob, so no file sits in the store unlisted. All of
 * a form's problems are reported at once, each under its field (title, unlock, referrals, file, url).
 */
export type VaultItem = Selectable<VaultItemTable>;

export const UNLOCKS: readonly VaultUnlock[] = ['presave', 'contact', 'referrals', 'release'];
export const TITLE_MAX = 120;
export const URL_MAX = 2000;
export const REFERRALS_MAX = 10_000;

export interface ItemFields {
  title: string;
  unlock: string;
  /** For `referrals`: how many counted referrals (a whole number ≥ 1). */
  referrals: string;
}

export interface UploadedVaultFile {
  path: string | null;
  filename: string;
  size: number;
  sha256: string;
  tooLarge: boolean;
}

interface Checked {
  title: string;
  unlock: VaultUnlock;
  referrals: number;
}

function checkFields(f: ItemFields, problems: Record<string, string>): Checked {
  const title = normalizeName(f.title);
  if (!title) problems.title = 'is required: the name fans see on their receipt';
  else if (title.length > TITLE_MAX) problems.title = `is ${title.length} characters long; at most ${TITLE_MAX}`;
  else {
    const p = nameProblem(title);
    if (p) problems.title = p;
  }
  const unlock = UNLOCKS.find((u) => u === f.unlock);
  if (!unlock) problems.unlock = `must be one of: ${UNLOCKS.join(', ')}`;
  let referrals = 0;
  if (unlock === 'referrals') {
    const n = /^\s*\d{1,6}\s*$/.test(f.referrals) ? Number(f.referrals) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > REFERRALS_MAX)
      problems.referrals = `must be a whole number from 1 to ${REFERRALS_MAX} (how many friends’ verified pre-saves unlock it)`;
    else referrals = n;
  }
  return { title, unlock: unlock ?? 'presave', referrals };
}

async function nextPosition(db: Db, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom('vault_items')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

/** Lists a checked item last in the campaign's vault; `what` is the file's or the link's own columns. */
async function insertItem(
  ctx: AppContext,
  campaignId: number,
  checked: Checked,
  what: Pick<Insertable<VaultItemTable>, 'kind' | 'storage_key' | 'filename' | 'mime' | 'size' | 'sha256' | 'url'>,
): Promise<VaultItem> {
  return ctx.db
    .insertInto('vault_items')
    .values({
      campaign_id: campaignId,
      title: checked.title,
      ...what,
      unlock: checked.unlock,
      unlock_referrals: checked.referrals,
      position: await nextPosition(ctx.db, campaignId),
      created_at: ctx.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Adds an uploaded file: checked (fields, size, type by content), stored, listed. */
export async function addVaultFile(
  ctx: AppContext,
  campaignId: number,
  fields: ItemFields,
  file: UploadedVaultFile | null,
): Promise<VaultItem> {
  const problems: Record<string, string> = {};
  const checked = checkFields(fields, problems);
  const max = ctx.config.growth.vault.maxFileBytes;
  let sniffed = null;
  if (!file) problems.file = 'is required: choose the file fans will download';
  else if (file.tooLarge || file.size > max)
    problems.file = `is ${(file.size / 1048576).toFixed(1)} MB; a vault file can be at most ${Math.round(max / 1048576)} MB (VAULT_MAX_FILE_MB)`;
  else if (!file.path || file.size === 0) problems.file = 'is empty';
  else {
    const r = await fileType(file.path, vaultType);
    if (r.ok) sniffed = r.type;
    else problems.file = `was refused: ${r.reason}. The vault takes ${ACCEPTED_TYPES}`;
  }
  if (Object.keys(problems).length || !file?.path || !sniffed) throw new ValidationError(problems);

  const store = blobStore(ctx);
  const key = newBlobKey('vault', campaignId);
  await store.put(key, file.path, { contentType: sniffed.mime, size: file.size, sha256: file.sha256 });
  try {
    return await insertItem(ctx, campaignId, checked, {
      kind: 'file',
      storage_key: key,
      filename: downloadName(file.filename, sniffed),
      mime: sniffed.mime,
      size: file.size,
      sha256: file.sha256,
      url: null,
    });
  } catch (err) {
    await store.delete(key).catch((e: Error) => ctx.log.warn({ err: e.message }, 'vault: could not delete the blob of a failed add'));
    throw err;
  }
}

/** Why a link cannot be used, or null: https only, ≤ 2,000 characters, no user name or password in it. */
export function linkProblem(raw: string): string | null {
  const url = raw.trim();
  if (!url) return 'is required: paste the https:// address fans will be sent to';
  if (url.length > URL_MAX) return `is ${url.length} characters long; at most ${URL_MAX}`;
  const text = urlTextProblem(url);
  if (text) return text;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a web address (it should look like https://example.com/bonus)';
  }
  if (parsed.protocol !== 'https:') return 'must start with https:// (fans are only sent to secure addresses)';
  if (parsed.username || parsed.password) return 'must not contain a user name or password';
  if (!parsed.hostname.includes('.')) return 'must name a public host (like example.com)';
  return null;
}

/** Adds an external link. */
export async function addVaultLink(ctx: AppContext, campaignId: number, fields: ItemFields & { url: string }): Promise<VaultItem> {
  const problems: Record<string, string> = {};
  const checked = checkFields(fields, problems);
  const p = linkProblem(fields.url);
  if (p) problems.url = p;
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return insertItem(ctx, campaignId, checked, {
    kind: 'link',
    storage_key: null,
    filename: null,
    mime: null,
    size: null,
    sha256: null,
    url: new URL(fields.url.trim()).href,
  });
}

/**
 * Removes an item of the campaign (its unlocks and downloads cascade) and then its blob. Returns
 * false when there was no such item. The row goes first: from then on no link can reach the blob.
 */
export async function removeVaultItem(ctx: AppContext, campaignId: number, itemId: number): Promise<boolean> {
  const row = await ctx.db
    .deleteFrom('vault_items')
    .where('id', '=', itemId)
    .where('campaign_id', '=', campaignId)
    .returning(['storage_key'])
    .executeTakeFirst();
  if (!row) return false;
  if (row.storage_key)
    await blobStore(ctx)
      .delete(row.storage_key)
      .catch((e: Error) => ctx.log.warn({ err: e.message }, 'vault: an item was removed but its blob could not be deleted'));
  return true;
}

export async function vaultItems(db: Db, campaignId: number): Promise<VaultItem[]> {
  return db.selectFrom('vault_items').selectAll().where('campaign_id', '=', campaignId).orderBy('position').orderBy('id').execute();
}

export async function vaultItem(db: Db, campaignId: number, itemId: number): Promise<VaultItem | undefined> {
  return db.selectFrom('vault_items').selectAll().where('id', '=', itemId).where('campaign_id', '=', campaignId).executeTakeFirst();
}
