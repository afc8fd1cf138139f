import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { loadEncryptionKeys } from '../../util/keys.js';

/**
 * The id a pre-save has in the API: `ps_` and 22 characters. Not the receipt's public id: that id
 * is the fan's own capability (`/p/<id>` shows the receipt and offers cancel and erase), so a
 * report key must never hand it out. Not the row id either (it would tell how many pre-saves the
 * server holds). It is the row id encrypted as one AES block under a key derived from the
 * server's oldest encryption key (like reach/keys.ts, so a key rotation keeps ids stable): the
 * same pre-save always has the same id, only this server can make or read one, and a forged or
 * mistyped id decrypts to garbage, which the marker half of the block refuses.
 */
const PREFIX = 'ps_';
const SHAPE = /^ps_[A-Za-z0-9_-]{22}$/;
const MARKER = Buffer.from('ddpresav', 'latin1');

const keys = new WeakMap<AppContext, Buffer>();

function keyOf(ctx: AppContext): Buffer {
  let k = keys.get(ctx);
  if (!k) {
    const all = loadEncryptionKeys(ctx.config, ctx.log);
    k = Buffer.from(hkdfSync('sha256', all[all.length - 1]!.key, Buffer.alloc(0), 'dropday api presave id v1', 32));
    keys.set(ctx, k);
  }
  return k;
}

export function presaveApiId(ctx: AppContext, rowId: number): string {
  const block = Buffer.alloc(16);
  MARKER.copy(block, 0);
  block.writeBigUInt64BE(BigInt(rowId), 8);
  const c = createCipheriv('aes-256-ecb', keyOf(ctx), null).setAutoPadding(false);
  return PREFIX + Buffer.concat([c.update(block), c.final()]).toString('base64url');
}

/** The row id of an API pre-save id, or null when it is not one this server made. */
export function presaveRowId(ctx: AppContext, apiId: string): number | null {
  if (!SHAPE.test(apiId)) return null;
  const bytes = Buffer.from(apiId.slice(PREFIX.length), 'base64url');
  if (bytes.length !== 16) return null;
  const d = createDecipheriv('aes-256-ecb', keyOf(ctx), null).setAutoPadding(false);
  const block = Buffer.concat([d.update(bytes), d.final()]);
  if (!block.subarray(0, 8).equals(MARKER)) return null;
  const id = block.readBigUInt64BE(8);
  return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : null;
}
