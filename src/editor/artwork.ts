import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Metadata } from 'sharp';
import { loadSharp, type Sharp } from '../util/sharp.js';
import { mb } from './multipart.js';

/**
 * Artwork: checked by its bytes (not its name or declared type), resized, stored on disk.
 *
 * - JPEG, PNG or WebP only, recognised by magic bytes; at most 25 MB (a 3000×3000 PNG is often 20 MB);
 *   at least 640×640 pixels;
 *   at most 100 megapixels (a small file must not decode to a huge image).
 * - Not square: centre-cropped to a square.
 * - Stored as JPEG at 3000, 1000, 640 and 300 px (a size is never enlarged beyond the
 *   original's side) and a 1200×630 social card, under DATA_DIR/artwork/<campaign>/<version>/.
 *   The version is a hash of the upload, so each upload gets new URLs and they can be cached forever.
 */
export const MAX_ARTWORK_BYTES = 25 * 1024 * 1024;
export const MIN_ARTWORK_SIDE = 640;
export const MAX_ARTWORK_PIXELS = 100_000_000;
export const ARTWORK_SIZES = [3000, 1000, 640, 300] as const;
export const SOCIAL_CARD = { width: 1200, height: 630 } as const;
/** The file names in a version folder. */
export const ARTWORK_FILES = ['3000.jpg', '1000.jpg', '640.jpg', '300.jpg', 'social.jpg'] as const;
/** The size the campaign page shows (campaigns.artwork_url points at it). */
export const PAGE_SIZE = 1000;

export type ImageKind = 'jpeg' | 'png' | 'webp';

/** The real type of an image by its first bytes, or null. */
export function sniffImage(data: Buffer): ImageKind | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export interface ProcessedArtwork {
  version: string;
  kind: ImageKind;
  /** Side of the source after the centre crop. */
  side: number;
  cropped: boolean;
  files: { name: (typeof ARTWORK_FILES)[number]; data: Buffer; width: number; height: number }[];
}

export class ArtworkProblem extends Error {}

/**
 * What processArtwork reads: an upload streamed to a temporary file (src/editor/multipart.ts), or
 * bytes in memory (tests, duplicates).
 */
export interface ArtworkFile {
  size: number;
  /** The file with the bytes; null when nothing was kept (empty, or over the limit). */
  path: string | null;
  sha256: string;
  /** At least the first 12 bytes (fewer only when the file is shorter). */
  head: Buffer;
  tooLarge: boolean;
}

function fileOfBuffer(data: Buffer): ArtworkFile & { data: Buffer } {
  return {
    size: data.length,
    path: null,
    sha256: createHash('sha256').update(data).digest('hex'),
    head: data.subarray(0, 16),
    tooLarge: data.length > MAX_ARTWORK_BYTES,
    data,
  };
}

export function tooLargeMessage(size: number): string {
  return (
    `The file is ${mb(size)}; artwork can be at most ${MAX_ARTWORK_BYTES / 1024 / 1024} MB. ` +
    'Choose a smaller file: a 3000×3000 JPEG is usually under 5 MB.'
  );
}

/**
 * Checks and resizes an upload. Throws ArtworkProblem with a message for the person. Each size is
 * made from the source by its own libvips pipeline (centre crop and resize in one go), so no
 * full-size decoded copy is kept in memory between them.
 */
export async function processArtwork(upload: Buffer | ArtworkFile): Promise<ProcessedArtwork> {
  const file = Buffer.isBuffer(upload) ? fileOfBuffer(upload) : upload;
  if (file.tooLarge || file.size > MAX_ARTWORK_BYTES) throw new ArtworkProblem(tooLargeMessage(file.size));
  if (file.size === 0) throw new ArtworkProblem('The file is empty.');
  const kind = sniffImage(file.head);
  if (!kind) throw new ArtworkProblem('This file is not a JPEG, PNG or WebP image (whatever its name says). Upload a JPEG, PNG or WebP.');
  const input = Buffer.isBuffer(upload) ? upload : file.path;
  if (input === null) throw new ArtworkProblem('The file is empty.');
  const sharp = await loadSharp();
  const source = (o: { failOn?: 'error' } = {}) => sharp(input, { limitInputPixels: MAX_ARTWORK_PIXELS, ...o });
  let meta: Metadata;
  try {
    meta = await source().metadata();
  } catch {
    throw new ArtworkProblem(`This ${kind.toUpperCase()} file could not be read; it may be damaged.`);
  }
  if (meta.format !== kind) throw new ArtworkProblem(`This file is not a valid ${kind.toUpperCase()} image.`);
  // EXIF orientations 5–8 swap width and height.
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  if (width * height > MAX_ARTWORK_PIXELS) throw new ArtworkProblem(`The image is ${width}×${height} pixels; at most 100 megapixels.`);
  if (width < MIN_ARTWORK_SIDE || height < MIN_ARTWORK_SIDE) {
    throw new ArtworkProblem(`The image is ${width}×${height} pixels; artwork must be at least ${MIN_ARTWORK_SIDE}×${MIN_ARTWORK_SIDE}.`);
  }
  const side = Math.min(width, height);
  /** The centre square at `s`×`s`, on black where the image is transparent. */
  const square = (s: number) =>
    source({ failOn: 'error' }).rotate().resize(s, s, { fit: 'cover', position: 'centre' }).flatten({ background: '#000000' });
  const files: ProcessedArtwork['files'] = [];
  try {
    for (const size of ARTWORK_SIZES) {
      const s = Math.min(size, side);
      const out = await square(s).jpeg({ quality: 86, progressive: true, mozjpeg: true }).toBuffer();
      files.push({ name: `${size}.jpg`, data: out, width: s, height: s });
    }
    files.push({ name: 'social.jpg', data: await socialCard(sharp, await square(SOCIAL_CARD.width).png().toBuffer()), ...SOCIAL_CARD });
  } catch (err) {
    if (err instanceof TypeError || err instanceof ReferenceError) throw err; // a bug here, not a bad file
    throw new ArtworkProblem(`This ${kind.toUpperCase()} file could not be read; it may be damaged.`);
  }
  return { version: file.sha256.slice(0, 16), kind, side, cropped: width !== height, files };
}

/** 1200×630: the artwork centred on a blurred, darkened copy of itself. */
async function socialCard(sharp: Sharp, square: Buffer): Promise<Buffer> {
  const { width: W, height: H } = SOCIAL_CARD;
  const background = await sharp(square)
    .resize(W, W)
    .extract({ left: 0, top: Math.round((W - H) / 2), width: W, height: H })
    .blur(30)
    .modulate({ brightness: 0.55 })
    .toBuffer();
  const inner = H - 80;
  const art = await sharp(square).resize(inner, inner).toBuffer();
  return sharp(background)
    .composite([{ input: art, left: Math.round((W - inner) / 2), top: 40 }])
    .jpeg({ quality: 85, progressive: true, mozjpeg: true })
    .toBuffer();
}

export function artworkRoot(dataDir: string): string {
  return path.join(dataDir, 'artwork');
}

export function artworkDir(dataDir: string, campaignId: number, version: string): string {
  return path.join(artworkRoot(dataDir), String(campaignId), version);
}

/** The URL of one stored file (served by the editor's /assets/artwork route). */
export function artworkUrl(campaignId: number, version: string, file: string = `${PAGE_SIZE}.jpg`): string {
  return `/assets/artwork/${campaignId}/${version}/${file}`;
}

/**
 * The absolute address of the 1200×630 social card for a campaign's artwork (what link previews
 * show); an artwork given as a URL is made absolute as it is. Null without artwork.
 */
export function socialCardUrl(artwork: string | null, publicUrl: string): string | null {
  if (!artwork) return null;
  const stored = parseArtworkUrl(artwork);
  try {
    return new URL(stored ? artworkUrl(stored.campaignId, stored.version, 'social.jpg') : artwork, publicUrl).href;
  } catch {
    return null;
  }
}

/** Reads the campaign id and version back from a stored artwork URL (null for any other URL). */
export function parseArtworkUrl(url: string | null): { campaignId: number; version: string } | null {
  const m = url ? /^\/assets\/artwork\/(\d{1,15})\/([0-9a-f]{16})\/[0-9a-z]+\.jpg$/.exec(url) : null;
  return m ? { campaignId: Number(m[1]), version: m[2]! } : null;
}

/** Writes a version folder atomically (temporary folder, then rename). */
export async function storeArtwork(dataDir: string, campaignId: number, art: ProcessedArtwork): Promise<void> {
  const dest = artworkDir(dataDir, campaignId, art.version);
  if (fs.existsSync(dest)) return;
  const parent = path.dirname(dest);
  await fs.promises.mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.tmp-${randomBytes(6).toString('hex')}`);
  await fs.promises.mkdir(tmp);
  try {
    for (const f of art.files) await fs.promises.writeFile(path.join(tmp, f.name), f.data);
    await fs.promises.rename(tmp, dest);
  } catch (err) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    if (!fs.existsSync(dest)) throw err;
  }
}

/** Copies a campaign's stored version to another campaign (duplicate). */
export async function copyArtwork(dataDir: string, from: number, to: number, version: string): Promise<boolean> {
  const src = artworkDir(dataDir, from, version);
  if (!fs.existsSync(src)) return false;
  const dest = artworkDir(dataDir, to, version);
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  await fs.promises.cp(src, dest, { recursive: true });
  return true;
}

/** Removes every stored version of a campaign except `keep`. */
export async function pruneArtwork(dataDir: string, campaignId: number, keep: string | null): Promise<void> {
  const dir = path.join(artworkRoot(dataDir), String(campaignId));
  let entries: string[];
  try {
    entries = await fs.promises.readdir(dir);
  } catch {
    return;
  }
  for (const e of entries)
    if (e !== keep && !e.startsWith('.tmp-')) await fs.promises.rm(path.join(dir, e), { recursive: true, force: true });
}

/** The path of a stored file for the asset route, or null when the request is not a stored file's shape. */
export function storedFilePath(dataDir: string, campaignId: string, version: string, file: string): string | null {
  if (!/^\d{1,15}$/.test(campaignId) || !/^[0-9a-f]{16}$/.test(version) || !(ARTWORK_FILES as readonly string[]).includes(file))
    return null;
  return path.join(artworkDir(dataDir, Number(campaignId), version), file);
}
