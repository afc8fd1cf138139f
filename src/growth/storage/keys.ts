import { randomToken } from '../../util/random.js';

/** A blob's key: `<area>/<campaign id>/<random>` — made here, never from a request, so it needs no escaping. */
export function newBlobKey(area: 'vault' | 'preview', campaignId: number): string {
  return `${area}/${campaignId}/${randomToken(18)}`;
}

const KEY_SHAPE = /^(vault|preview)\/\d{1,18}\/[A-Za-z0-9_-]{24}$/;

/** True for keys newBlobKey makes (stores refuse anything else: no path can escape their root). */
export function isBlobKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}
