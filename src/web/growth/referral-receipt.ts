import type { ReceiptInput, Section } from './types.js';

/** The receipt page's referral section (issue 13). */
export async function referralReceipt(_i: ReceiptInput): Promise<Section> {
  return '';
}
