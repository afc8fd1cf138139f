import { contestReceipt } from './contest-receipt.js';
import { previewReceipt } from './preview-receipt.js';
import { referralReceipt } from './referral-receipt.js';
import type { ReceiptInput, Section } from './types.js';
import { vaultReceipt } from './vault-receipt.js';

/** The growth sections of a fan's receipt page, each from its own module (docs/growth.md). */
export async function receiptGrowth(i: ReceiptInput): Promise<{ referral: Section; contest: Section; vault: Section; preview: Section }> {
  const [referral, contest, vault, preview] = await Promise.all([
    referralReceipt(i),
    contestReceipt(i),
    vaultReceipt(i),
    previewReceipt(i),
  ]);
  return { referral, contest, vault, preview };
}
