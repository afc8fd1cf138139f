import type { ReceiptInput, Section } from './types.js';

/** The receipt page's preview section (issue 13). */
export async function previewReceipt(_i: ReceiptInput): Promise<Section> {
  return '';
}
