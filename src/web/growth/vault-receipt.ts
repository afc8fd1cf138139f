import type { ReceiptInput, Section } from './types.js';

/** The receipt page's vault section (issue 13). */
export async function vaultReceipt(_i: ReceiptInput): Promise<Section> {
  return '';
}
