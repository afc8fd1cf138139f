import fs from 'node:fs';
import path from 'node:path';

/**
 * What an uploaded file is, from its first bytes — never from its name or the type the browser
 * claimed, which anyone can set. One reader of magic numbers for every growth upload; each upload
 * has its own rule on top: the vault (`vaultType`) takes audio, images, video, PDF and ZIP and never
 * markup or scripts (a fan's browser must never be handed something it could run); early access
 * (`clipType`) takes only audio every current browser's `<audio>` plays.
 */
export type MediaKind = 'audio' | 'image' | 'video' | 'document' | 'archive';

export interface MediaType {
  mime: string;
  /** The extensions this type may carry; the first is the one given to a name that disagrees. */
  exts: readonly string[];
  kind: MediaKind;
  /** Short format name shown beside the kind (MP3, PNG, Ogg Opus…). */
  format: string;
  /** What it is, in words, for a refusal ("a PNG image"). */
  what: string;
}

/**
 * A recognised type, or why nothing was: `reason` for content that is something in particular
 * (empty, markup, another ISO or EBML kind), `what` naming a known type no upload takes; neither
 * when the content is simply unknown (each upload's rule words that itself).
 */
export type Detected = { ok: true; type: MediaType } | { ok: false; reason?: string; what?: string };

/** The bytes read to decide (a Matroska doc type sits within the first few hundred; an Ogg codec header too). */
export const SNIFF_BYTES = 4096;

const T = (mime: string, kind: MediaKind, format: string, what: string, ...exts: string[]): MediaType => ({
  mime,
  kind,
  format,
  what,
  exts,
});

const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'dash', 'M4V ', 'mmp4', 'msnv']);

const ascii = (b: Buffer, at: number, s: string): boolean => b.length >= at + s.length && b.toString('latin1', at, at + s.length) === s;

function markup(head: Buffer): boolean {
  let text = head.toString('utf8', 0, Math.min(head.length, 512));
  if (text.startsWith('\ufeff')) text = text.slice(1);
  text = text.trimStart();
  return text.startsWith('<') || text.startsWith('#!');
}

/** ISO media (MP4 family): the major brand, or any compatible brand, says "audio-only MPEG-4" (iTunes, ffmpeg's ipod muxer). */
function isoMedia(b: Buffer): Detected {
  const major = b.toString('latin1', 8, 12);
  const boxSize = Math.min(b.readUInt32BE(0), b.length);
  const brands = [major];
  for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(b.toString('latin1', i, i + 4));
  if (brands.some((x) => x === 'M4A ' || x === 'M4B '))
    return { ok: true, type: T('audio/mp4', 'audio', 'M4A', 'M4A audio', 'm4a', 'm4b', 'mp4') };
  if (major === 'qt  ') return { ok: true, type: T('video/quicktime', 'video', 'MOV', 'a video (MP4/QuickTime)', 'mov', 'qt') };
  if (MP4_BRANDS.has(major)) return { ok: true, type: T('video/mp4', 'video', 'MP4', 'a video (MP4/QuickTime)', 'mp4', 'm4v') };
  return {
    ok: false,
    reason: `it is an ISO media file of a kind not taken here (brand "${major.trim()}")`,
    what: `an ISO media file of another kind (brand "${major.trim()}")`,
  };
}

function ogg(b: Buffer): MediaType {
  // The first page carries the codec's identification header.
  const page = b.toString('latin1', 0, Math.min(b.length, 512));
  const codec = page.includes('OpusHead') ? 'Opus' : page.includes('\u0001vorbis') ? 'Vorbis' : page.includes('\u007fFLAC') ? 'FLAC' : null;
  return T('audio/ogg', 'audio', codec ? `Ogg ${codec}` : 'Ogg', 'an Ogg file', 'ogg', 'oga', 'opus');
}

function ebml(b: Buffer): Detected {
  // EBML: the DocType element (0x42 0x82) says WebM or Matroska.
  const at = b.indexOf(Buffer.from([0x42, 0x82]));
  const doc = at >= 0 ? b.toString('latin1', at + 3, at + 3 + (b[at + 2]! & 0x7f)) : '';
  if (doc === 'webm') return { ok: true, type: T('video/webm', 'video', 'WebM', 'a WebM file', 'webm') };
  if (doc === 'matroska') return { ok: true, type: T('video/x-matroska', 'video', 'MKV', 'a Matroska (MKV/MKA) file', 'mkv', 'mka') };
  return {
    ok: false,
    reason: 'it is an EBML file that is neither WebM nor Matroska',
    what: 'an EBML file that is neither WebM nor Matroska',
  };
}

/** The type of the content whose first bytes are `head`. */
export function detectMedia(head: Buffer): Detected {
  const b = head;
  if (b.length === 0) return { ok: false, reason: 'the file is empty' };
  if (ascii(b, 0, '\x89PNG\r\n\x1a\n')) return { ok: true, type: T('image/png', 'image', 'PNG', 'a PNG image', 'png') };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff)
    return { ok: true, type: T('image/jpeg', 'image', 'JPEG', 'a JPEG image', 'jpg', 'jpeg') };
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return { ok: true, type: T('image/gif', 'image', 'GIF', 'a GIF image', 'gif') };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { ok: true, type: T('image/webp', 'image', 'WebP', 'a WebP image', 'webp') };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return { ok: true, type: T('audio/wav', 'audio', 'WAV', 'WAV audio', 'wav') };
  if (ascii(b, 0, 'fLaC')) return { ok: true, type: T('audio/flac', 'audio', 'FLAC', 'FLAC audio', 'flac') };
  if (ascii(b, 0, 'OggS')) return { ok: true, type: ogg(b) };
  if (ascii(b, 0, 'ID3')) return { ok: true, type: T('audio/mpeg', 'audio', 'MP3', 'MP3 audio', 'mp3') };
  if (b[0] === 0xff && b.length > 2) {
    const b1 = b[1]!;
    const b2 = b[2]!;
    // ADTS (AAC): sync, layer 00.
    if ((b1 & 0xf6) === 0xf0) return { ok: true, type: T('audio/aac', 'audio', 'AAC', 'AAC audio', 'aac') };
    // MPEG audio frame: sync, a layer, a bitrate and sample rate that are not "bad"/"reserved".
    if ((b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c)
      return { ok: true, type: T('audio/mpeg', 'audio', 'MP3', 'MP3 audio', 'mp3') };
  }
  if (ascii(b, 4, 'ftyp') && b.length >= 12) return isoMedia(b);
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return ebml(b);
  if (ascii(b, 0, '%PDF-')) return { ok: true, type: T('application/pdf', 'document', 'PDF', 'a PDF document', 'pdf') };
  if (ascii(b, 0, 'PK\x03\x04') || ascii(b, 0, 'PK\x05\x06'))
    return { ok: true, type: T('application/zip', 'archive', 'ZIP', 'a ZIP archive (or an Office document)', 'zip') };
  if (ascii(b, 0, 'FORM') && ascii(b, 8, 'AIFF'))
    return { ok: false, reason: 'it is an AIFF file', what: 'an AIFF file (browsers do not play it; convert it to WAV or MP3)' };
  if (markup(b)) return { ok: false, reason: 'it is markup or a script (HTML, SVG, XML…), which is never served to fans' };
  return { ok: false };
}

export type TypeResult = { ok: true; type: MediaType } | { ok: false; reason: string };

/** What the vault takes, for the artist's form and refusals. */
export const ACCEPTED_TYPES =
  'audio (MP3, WAV, FLAC, Ogg, M4A, AAC), images (PNG, JPEG, GIF, WebP), video (MP4, MOV, WebM, MKV), PDF or ZIP';

/** The vault's rule: every recognised type (none of which a browser runs); the reason for anything else. */
export function vaultType(head: Buffer): TypeResult {
  const d = detectMedia(head);
  return d.ok ? d : { ok: false, reason: d.reason ?? 'its content is none of the types the vault takes' };
}

/** What early access takes, for the artist's form and refusals. */
export const ACCEPTED_FORMATS = 'MP3, M4A/AAC, Ogg (Vorbis or Opus), WAV, FLAC or WebM audio';

/** Early access's rule: audio every browser's `<audio>` plays; the refusal (English, for the artist) names what the file was. */
export function clipType(head: Buffer): TypeResult {
  if (head.length < 12) return { ok: false, reason: 'the file is empty or too short to be audio' };
  const d = detectMedia(head);
  if (!d.ok) return { ok: false, reason: d.what ? `the file is ${d.what}, not audio` : 'the file is not audio in a format browsers play' };
  const t = d.type;
  // WebM's header does not say whether it holds video; `<audio>` plays its sound either way.
  if (t.mime === 'video/webm') return { ok: true, type: { ...t, mime: 'audio/webm', kind: 'audio' } };
  if (t.mime === 'video/x-matroska') return { ok: false, reason: 'the file is a Matroska (MKV/MKA) file, which browsers do not play' };
  if (t.mime === 'audio/ogg' && t.format === 'Ogg')
    return { ok: false, reason: 'the file is an Ogg file without Opus, Vorbis or FLAC audio (a video, perhaps)' };
  if (t.kind === 'audio') return d;
  return { ok: false, reason: `the file is ${t.what}, not audio` };
}

/** The type of a file on disk under one of the rules above, from its first bytes. */
export async function fileType(file: string, rule: (head: Buffer) => TypeResult): Promise<TypeResult> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return rule(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The name the fan's download gets: the uploaded name without folders, control or invisible
 * characters, at most 100 characters before the extension, and an extension that agrees with the
 * content (`notes.exe` holding a PDF becomes `notes.pdf`; `cover.JPG` stays).
 */
export function downloadName(uploaded: string, type: MediaType): string {
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
