import fs from 'node:fs';
import path from 'node:path';

/**
 * What a vault file is, from its bytes (never from its name or the browser's claimed type): audio
 * (MP3, WAV, FLAC, Ogg, M4A/AAC), images (PNG, JPEG, GIF, WebP), video (MP4, MOV, WebM, MKV), PDF
 * and ZIP. Anything else is refused, and markup or scripts (HTML, SVG, XML, `#!`) always are: a
 * fan's browser must never be handed something it could run. The name a fan downloads keeps its
 * extension only when it agrees with the content; otherwise the content's own extension replaces it.
 */
export type VaultFileKind = 'audio' | 'image' | 'video' | 'document' | 'archive';

export interface Sniffed {
  mime: string;
  /** The extensions this type may carry; the first is the one given to a name that disagrees. */
  exts: readonly string[];
  kind: VaultFileKind;
  /** Short format name shown beside the kind (MP3, PNG…). */
  format: string;
}

export type SniffResult = { ok: true; type: Sniffed } | { ok: false; reason: string };

const T = (mime: string, kind: VaultFileKind, format: string, ...exts: string[]): Sniffed => ({ mime, kind, format, exts });

const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'dash', 'M4V ', 'mmp4', 'msnv']);

/** The bytes read to decide (a Matroska doc type sits within the first few hundred). */
export const SNIFF_BYTES = 4096;

const ascii = (b: Buffer, at: number, s: string): boolean => b.length >= at + s.length && b.toString('latin1', at, at + s.length) === s;

function markup(head: Buffer): boolean {
  let text = head.toString('utf8', 0, Math.min(head.length, 512));
  if (text.startsWith('\ufeff')) text = text.slice(1);
  text = text.trimStart();
  return text.startsWith('<') || text.startsWith('#!');
}

/** The type of the content whose first bytes are `head`. */
export function sniffBytes(head: Buffer): SniffResult {
  const b = head;
  if (b.length === 0) return { ok: false, reason: 'the file is empty' };
  if (ascii(b, 0, '\x89PNG\r\n\x1a\n')) return { ok: true, type: T('image/png', 'image', 'PNG', 'png') };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ok: true, type: T('image/jpeg', 'image', 'JPEG', 'jpg', 'jpeg') };
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return { ok: true, type: T('image/gif', 'image', 'GIF', 'gif') };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { ok: true, type: T('image/webp', 'image', 'WebP', 'webp') };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return { ok: true, type: T('audio/wav', 'audio', 'WAV', 'wav') };
  if (ascii(b, 0, 'fLaC')) return { ok: true, type: T('audio/flac', 'audio', 'FLAC', 'flac') };
  if (ascii(b, 0, 'OggS')) return { ok: true, type: T('audio/ogg', 'audio', 'Ogg', 'ogg', 'oga', 'opus') };
  if (ascii(b, 0, 'ID3')) return { ok: true, type: T('audio/mpeg', 'audio', 'MP3', 'mp3') };
  if (b[0] === 0xff && b.length > 2) {
    const b1 = b[1]!;
    const b2 = b[2]!;
    // ADTS (AAC): sync, layer 00.
    if ((b1 & 0xf6) === 0xf0) return { ok: true, type: T('audio/aac', 'audio', 'AAC', 'aac') };
    // MPEG audio frame: sync, a layer, a bitrate and sample rate that are not "bad"/"reserved".
    if ((b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c)
      return { ok: true, type: T('audio/mpeg', 'audio', 'MP3', 'mp3') };
  }
  if (ascii(b, 4, 'ftyp') && b.length >= 12) {
    const brand = b.toString('latin1', 8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return { ok: true, type: T('audio/mp4', 'audio', 'M4A', 'm4a', 'm4b', 'mp4') };
    if (brand === 'qt  ') return { ok: true, type: T('video/quicktime', 'video', 'MOV', 'mov', 'qt') };
    if (MP4_BRANDS.has(brand)) return { ok: true, type: T('video/mp4', 'video', 'MP4', 'mp4', 'm4v') };
    return { ok: false, reason: `it is an ISO media file of a kind the vault does not take (brand "${brand.trim()}")` };
  }
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    // EBML: the DocType element (0x42 0x82) says WebM or Matroska.
    const at = b.indexOf(Buffer.from([0x42, 0x82]));
    const doc = at >= 0 ? b.toString('latin1', at + 3, at + 3 + (b[at + 2]! & 0x7f)) : '';
    if (doc === 'webm') return { ok: true, type: T('video/webm', 'video', 'WebM', 'webm') };
    if (doc === 'matroska') return { ok: true, type: T('video/x-matroska', 'video', 'MKV', 'mkv', 'mka') };
    return { ok: false, reason: 'it is an EBML file that is neither WebM nor Matroska' };
  }
  if (ascii(b, 0, '%PDF-')) return { ok: true, type: T('application/pdf', 'document', 'PDF', 'pdf') };
  if (ascii(b, 0, 'PK\x03\x04') || ascii(b, 0, 'PK\x05\x06')) return { ok: true, type: T('application/zip', 'archive', 'ZIP', 'zip') };
  if (markup(b)) return { ok: false, reason: 'it is markup or a script (HTML, SVG, XML…), which the vault never serves' };
  return { ok: false, reason: 'its content is none of the types the vault takes' };
}

/** The type of a file on disk, from its first bytes. */
export async function sniffFile(file: string): Promise<SniffResult> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return sniffBytes(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** What the types are, for the artist's form and refusals. */
export const ACCEPTED_TYPES =
  'audio (MP3, WAV, FLAC, Ogg, M4A, AAC), images (PNG, JPEG, GIF, WebP), video (MP4, MOV, WebM, MKV), PDF or ZIP';

/**
 * The name the fan's download gets: the uploaded name without folders, control or invisible
 * characters, at most 100 characters before the extension, and an extension that agrees with the
 * content (`notes.exe` holding a PDF becomes `notes.pdf`; `cover.JPG` stays).
 */
export function downloadName(uploaded: string, type: Sniffed): string {
  const base = path.posix.basename(uploaded.replaceAll('\\', '/'));
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"\\/:*?<>|]/g, '')
    .trim()
    // No hidden-file names (".pdf", "..."): leading dots go.
    .replace(/^\.+/, '');
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot + 1).toLowerCase() : '';
  const stem = (dot > 0 ? clean.slice(0, dot) : clean).trim().slice(0, 100) || 'file';
  return `${stem}.${type.exts.includes(ext) ? ext : type.exts[0]}`;
}
