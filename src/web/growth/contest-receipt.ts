import type { ReceiptInput, Section } from './types.js';

/** The receipt page's contest section (issue 13). */
export async function contestReceipt(_i: ReceiptInput): Promise<Section> {
  return '';
}
