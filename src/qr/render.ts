import QRCode from 'qrcode';
import { loadSharp } from '../util/sharp.js';

/**
 * QR codes as SVG (for print: scales to any size) and PNG (for screens and quick use). Error
 * correction M (15 %: survives a scuffed poster) and the standard four-module quiet zone, black on
 * white: inverted or low-contrast codes fail on many phone cameras.
 */
const ERROR_CORRECTION = 'M';
const QUIET_ZONE = 4;

/** PNG side in pixels: the smallest a phone reads from a screen, the largest worth sending. */
export const QR_PNG_SIZE = { min: 128, max: 2048, default: 1024 } as const;

export async function qrSvg(text: string): Promise<Buffer> {
  return Buffer.from(
    await QRCode.toString(text, {
      type: 'svg',
      errorCorrectionLevel: ERROR_CORRECTION,
      margin: QUIET_ZONE,
      color: { dark: '#000000', light: '#ffffff' },
    }),
  );
}

/**
 * Exactly `size`×`size` pixels. qrcode's own PNG encoder is JavaScript on the event loop (most of
 * a second for 2048 px), so only the module matrix comes from it: one pixel per module, enlarged
 * by a whole factor without smoothing and padded with white to the size by sharp, off the event
 * loop. Whole pixels per module keep every edge sharp; the padding only widens the quiet zone.
 */
export async function qrPng(text: string, size: number): Promise<Buffer> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  const side = modules.size + 2 * QUIET_ZONE;
  const pixels = Buffer.alloc(side * side, 255);
  for (let row = 0; row < modules.size; row++)
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) pixels[(row + QUIET_ZONE) * side + col + QUIET_ZONE] = 0;
  const drawn = side * Math.max(1, Math.floor(size / side));
  const pad = size - drawn;
  const sharp = await loadSharp();
  return sharp(pixels, { raw: { width: side, height: side, channels: 1 } })
    .resize(drawn, drawn, { kernel: 'nearest' })
    .extend({
      left: Math.floor(pad / 2),
      top: Math.floor(pad / 2),
      right: Math.ceil(pad / 2),
      bottom: Math.ceil(pad / 2),
      background: '#ffffff',
    })
    .png()
    .toBuffer();
}

/** `size` as given in the address: a whole number in range, or the problem in words. */
export function parseQrSize(v: unknown): { size: number } | { problem: string } {
  if (v === undefined || v === '') return { size: QR_PNG_SIZE.default };
  const s = typeof v === 'string' ? v : '';
  const n = /^\d{1,6}$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n)) return { problem: `must be a whole number of pixels from ${QR_PNG_SIZE.min} to ${QR_PNG_SIZE.max}` };
  if (n < QR_PNG_SIZE.min || n > QR_PNG_SIZE.max)
    return { problem: `must be from ${QR_PNG_SIZE.min} to ${QR_PNG_SIZE.max} pixels (got ${n})` };
  return { size: n };
}
