import QRCode from 'qrcode';
import { loadSharp } from '../util/sharp.js';

/**
 * QR codes as SVG (for print: scales to any size) and PNG (for screens and quick use). Error
 * correction M (15 %: survives a scuffed poster) and the standard four-module quiet zone, black on
 * white: inverted or low-contrast codes fail on many phone cameras.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } } as const;

/** PNG side in pixels: the smallest a phone reads from a screen, the largest worth sending. */
export const QR_PNG_SIZE = { min: 128, max: 2048, default: 1024 } as const;

export async function qrSvg(text: string): Promise<Buffer> {
  return Buffer.from(await QRCode.toString(text, { ...OPTIONS, type: 'svg' }));
}

/**
 * Exactly `size`×`size` pixels: qrcode draws whole pixels per module (so a little smaller), and
 * the rest is added as white around it — more quiet zone, no blurred module edges.
 */
export async function qrPng(text: string, size: number): Promise<Buffer> {
  const png = await QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: size });
  const sharp = await loadSharp();
  const { width = size, height = size } = await sharp(png).metadata();
  if (width === size && height === size) return png;
  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - height) / 2);
  return sharp(png)
    .extend({ left, top, right: size - width - left, bottom: size - height - top, background: '#ffffff' })
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
