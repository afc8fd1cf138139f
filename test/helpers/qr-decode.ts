import jsqr from 'jsqr';
import sharp from 'sharp';

// jsqr is CommonJS with `exports.default`: the callable is `.default` under Node's ESM loader, the module itself under vite's interop.
type Decoder = typeof jsqr.default;
const jsQR: Decoder = (jsqr as unknown as { default?: Decoder }).default ?? (jsqr as unknown as Decoder);

/** What a phone camera reads: the image's pixels (PNG, or SVG rasterized at `density` dpi) decoded by jsQR. */
export async function decodeQr(
  image: Buffer,
  o: { density?: number } = {},
): Promise<{ text: string | null; width: number; height: number }> {
  const { data, info } = await sharp(image, o.density ? { density: o.density } : {})
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  return { text: code?.data ?? null, width: info.width, height: info.height };
}
