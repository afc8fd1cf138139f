import type { Db } from '../../db/index.js';
import { vaultItems, type VaultItem } from './items.js';

/** The artist's view of the vault: per item, receipts it showed unlocked on, downloads started, fans who downloaded. */
export interface VaultItemReport {
  item: VaultItem;
  unlocks: number;
  downloads: number;
  fans: number;
}

export async function vaultReport(db: Db, campaignId: number): Promise<VaultItemReport[]> {
  const items = await vaultItems(db, campaignId);
  if (items.length === 0) return [];
  const ids = items.map((i) => i.id);
  const [unlocks, downloads] = await Promise.all([
    db
      .selectFrom('vault_unlocks')
      .select(['item_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('item_id', 'in', ids)
      .groupBy('item_id')
      .execute(),
    db
      .selectFrom('vault_downloads')
      .select(['item_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('presave_id').distinct().as('fans')])
      .where('item_id', 'in', ids)
      .groupBy('item_id')
      .execute(),
  ]);
  const u = new Map(unlocks.map((r) => [Number(r.item_id), Number(r.n)]));
  const d = new Map(downloads.map((r) => [Number(r.item_id), { n: Number(r.n), fans: Number(r.fans) }]));
  return items.map((item) => ({
    item,
    unlocks: u.get(Number(item.id)) ?? 0,
    downloads: d.get(Number(item.id))?.n ?? 0,
    fans: d.get(Number(item.id))?.fans ?? 0,
  }));
}
