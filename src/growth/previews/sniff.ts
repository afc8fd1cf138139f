import fs from 'node:fs';

/**
 * What an uploaded clip (or track) is, read from its first bytes — never from its name or the type
 * the browser claimed, which anyone can set. Only formats every current browser's `<audio>` plays
 * are taken: MP3, AAC (ADTS) and M4A, Ogg (Vorbis, Opus, FLAC), WAV, FLAC and WebM audio.
 */
export type AudioSniff = { ok: true; mime: string; label: string } | { ok: false; reason: string };

export const ACCEPTED_FORMATS = 'MP3, M4A/AAC, Ogg (Vorbis or Opus), WAV, FLAC or WebM audio';

/** How many bytes sniffing reads (an Ogg page with its codec header; WebM's EBML header with its DocType). */
export const SNIFF_BYTES = 4096;

const ascii = (b: Buffer, start: number, end: number): string => b.subarray(start, end).toString('latin1');

/** Things people upload by mistake, named so the refusal says what the file was. */
const NOT_AUDIO: [test: (b: Buffer) => boolean, what: string][] = [
  [(b) => b[0] === 0x89 && ascii(b, 1, 4) === 'PNG', 'a PNG image'],
  [(b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, 'a JPEG image'],
  [(b) => ascii(b, 0, 4) === 'GIF8', 'a GIF image'],
  [(b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP', 'a WebP image'],
  [(b) => ascii(b, 0, 5) === '%PDF-', 'a PDF document'],
  [(b) => ascii(b, 0, 4) === 'PK\u0003\u0004', 'a ZIP archive (or an Office document)'],
  [(b) => ascii(b, 4, 8) === 'ftyp', 'a video (MP4/QuickTime)'],
  [(b) => ascii(b, 0, 4) === 'FORM' && ascii(b, 8, 12) === 'AIFF', 'an AIFF file (browsers do not play it; convert it to WAV or MP3)'],
];

function mpegFrame(b: Buffer, at: number): 'mp3' | 'aac' | null {
  if (b.length < at + 2 || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const layer = (b[at + 1]! >> 1) & 0x03;
  if (layer !== 0) return 'mp3';
  // Layer bits 00 with MPEG-4/2 sync (0xFFF) is an ADTS AAC frame.
  return (b[at + 1]! & 0xf6) === 0xf0 ? 'aac' : null;
}

/** The audio format of these first bytes, or the reason it is refused (English, for the artist). */
export function sniffAudio(head: Buffer): AudioSniff {
  const b = head;
  if (b.length < 12) return { ok: false, reason: 'the file is empty or too short to be audio' };
  if (ascii(b, 0, 3) === 'ID3') return { ok: true, mime: 'audio/mpeg', label: 'MP3' };
  const frame = mpegFrame(b, 0);
  if (frame === 'mp3') return { ok: true, mime: 'audio/mpeg', label: 'MP3' };
  if (frame === 'aac') return { ok: true, mime: 'audio/aac', label: 'AAC' };
  if (ascii(b, 4, 8) === 'ftyp') {
    // The major brand or a compatible brand says "audio-only MPEG-4" (iTunes, ffmpeg's ipod/m4a muxer).
    const boxSize = Math.min(b.readUInt32BE(0), b.length);
    const brands: string[] = [];
    for (let i = 8; i + 4 <= boxSize; i += 4) if (i !== 12) brands.push(ascii(b, i, i + 4));
    if (brands.some((x) => x === 'M4A ' || x === 'M4B ')) return { ok: true, mime: 'audio/mp4', label: 'M4A' };
  }
  if (ascii(b, 0, 4) === 'OggS') {
    const page = ascii(b, 0, Math.min(b.length, 512));
    if (page.includes('OpusHead')) return { ok: true, mime: 'audio/ogg', label: 'Ogg Opus' };
    if (page.includes('\u0001vorbis')) return { ok: true, mime: 'audio/ogg', label: 'Ogg Vorbis' };
    if (page.includes('\u007fFLAC')) return { ok: true, mime: 'audio/ogg', label: 'Ogg FLAC' };
    return { ok: false, reason: 'the file is an Ogg file without Opus, Vorbis or FLAC audio (a video, perhaps)' };
  }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE') return { ok: true, mime: 'audio/wav', label: 'WAV' };
  if (ascii(b, 0, 4) === 'fLaC') return { ok: true, mime: 'audio/flac', label: 'FLAC' };
  if (b.readUInt32BE(0) === 0x1a45dfa3) {
    // EBML: the DocType in its header tells WebM from other Matroska files.
    const header = ascii(b, 0, Math.min(b.length, 64));
    if (header.includes('webm')) return { ok: true, mime: 'audio/webm', label: 'WebM' };
    return { ok: false, reason: 'the file is a Matroska (MKV/MKA) file, which browsers do not play' };
  }
  const known = NOT_AUDIO.find(([test]) => test(b));
  if (known) return { ok: false, reason: `the file is ${known[1]}, not audio` };
  return { ok: false, reason: 'the file is not audio in a format browsers play' };
}

/** Reads the first SNIFF_BYTES of a file and sniffs them. */
export async function sniffAudioFile(file: string): Promise<AudioSniff> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return sniffAudio(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
