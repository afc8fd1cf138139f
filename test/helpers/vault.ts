import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../src/context.js';
import { addVaultFile, addVaultLink, type ItemFields } from '../../src/growth/vault/items.js';

/** Vault items added through the vault's own functions, as the Growth page's forms add them. */
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-vault-'));

/** A small but real PDF's first bytes, then `size` bytes of filler (for range checks). */
export function pdfBytes(size = 4096): Buffer {
  const head = Buffer.from('%PDF-1.7\n% bonus liner notes\n');
  const body = Buffer.alloc(Math.max(0, size - head.length));
  for (let i = 0; i < body.length; i++) body[i] = 32 + (i % 90);
  return Buffer.concat([head, body]);
}

export async function addFile(
  ctx: AppContext,
  campaignId: number,
  fields: Partial<ItemFields> & { title: string },
  bytes: Buffer = pdfBytes(),
  filename = 'liner-notes.pdf',
) {
  const file = path.join(tmp(), 'upload');
  fs.writeFileSync(file, bytes);
  try {
    return await addVaultFile(
      ctx,
      campaignId,
      { unlock: 'presave', referrals: '', ...fields },
      { path: file, filename, size: bytes.length, sha256: '', tooLarge: false },
    );
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export function addLink(ctx: AppContext, campaignId: number, fields: Partial<ItemFields> & { title: string; url: string }) {
  return addVaultLink(ctx, campaignId, { unlock: 'presave', referrals: '', ...fields });
}

/** The vault items on a receipt page: id → locked/unlocked, its signed link, and its words. */
export function vaultOnPage(page: string): Map<number, { state: string; href: string | null; text: string }> {
  const out = new Map<number, { state: string; href: string | null; text: string }>();
  const re = /<div role="listitem" class="vault-item" data-vault-item="(\d+)" data-state="(\w+)">([\s\S]*?)<\/div>/g;
  for (const m of page.matchAll(re)) {
    const href = /href="([^"]+)"/.exec(m[3]!)?.[1]?.replaceAll('&amp;', '&') ?? null;
    const text = m[3]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
    out.set(Number(m[1]), { state: m[2]!, href, text });
  }
  return out;
}
