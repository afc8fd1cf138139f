import { describe, expect, it } from 'vitest';
import { downloadName, vaultType } from '../src/growth/media-type.js';

/** The vault's type check, by content only: each accepted type from its first bytes, and what is always refused. */
const b = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ebml = (doc: string) => b([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x80 | doc.length], doc, [0x42, 0x87]);

describe('vault file types by content', () => {
  it.each([
    ['MP3 with an ID3 tag', b('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg', 'mp3'],
    ['MP3 frame without a tag', b([0xff, 0xfb, 0x90, 0x64, 0, 0]), 'audio/mpeg', 'mp3'],
    ['AAC (ADTS)', b([0xff, 0xf1, 0x50, 0x80, 0, 0]), 'audio/aac', 'aac'],
    ['WAV', b('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), 'audio/wav', 'wav'],
    ['FLAC', b('fLaC', [0, 0, 0, 0x22]), 'audio/flac', 'flac'],
    ['Ogg', b('OggS', [0, 2, 0, 0]), 'audio/ogg', 'ogg'],
    ['M4A', b([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]), 'audio/mp4', 'm4a'],
    // The one reader early access uses too: an M4A brand among the compatible ones is audio, not video.
    ['M4A with an ISO major brand', b([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'M4A mp42'), 'audio/mp4', 'm4a'],
    ['MP4', b([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0]), 'video/mp4', 'mp4'],
    ['MOV', b([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 2, 0]), 'video/quicktime', 'mov'],
    ['WebM', ebml('webm'), 'video/webm', 'webm'],
    ['MKV', ebml('matroska'), 'video/x-matroska', 'mkv'],
    ['PNG', b('\x89PNG\r\n\x1a\n', [0, 0, 0, 13]), 'image/png', 'png'],
    ['JPEG', b([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg', 'jpg'],
    ['GIF', b('GIF89a', [1, 0, 1, 0]), 'image/gif', 'gif'],
    ['WebP', b('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp', 'webp'],
    ['PDF', b('%PDF-1.7\n'), 'application/pdf', 'pdf'],
    ['ZIP', b('PK\x03\x04', [20, 0, 0, 0]), 'application/zip', 'zip'],
  ])('%s', (_name, bytes, mime, ext) => {
    const r = vaultType(bytes);
    expect(r.ok && r.type.mime).toBe(mime);
    expect(r.ok && r.type.exts[0]).toBe(ext);
  });

  it.each([
    ['HTML', '<!DOCTYPE html><html><script>steal()</script>', 'markup'],
    ['HTML after a BOM and blank lines', '\ufeff\n\n  <html>', 'markup'],
    ['SVG', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', 'markup'],
    ['a shell script', '#!/bin/sh\nrm -rf /', 'markup'],
    ['JavaScript', 'alert(document.cookie)', 'none of the types'],
    ['a Windows program', 'MZ\x90\x00\x03', 'none of the types'],
    ['plain text', 'my liner notes', 'none of the types'],
    ['HEIC (ISO media, another brand)', '\x00\x00\x00\x18ftypheic', 'brand "heic"'],
    ['EBML of another kind', '\x1a\x45\xdf\xa3\x42\x82\x84abcd', 'neither WebM nor Matroska'],
    ['an empty file', '', 'empty'],
  ])('refuses %s', (_name, text, reason) => {
    const r = vaultType(Buffer.from(text, text.startsWith('\ufeff') ? 'utf8' : 'latin1'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('keeps a name whose extension agrees with the content and replaces one that does not', () => {
    const pdf = vaultType(b('%PDF-1.4')) as { ok: true; type: Parameters<typeof downloadName>[1] };
    const jpeg = vaultType(b([0xff, 0xd8, 0xff, 0xdb])) as typeof pdf;
    expect(downloadName('Liner Notes.pdf', pdf.type)).toBe('Liner Notes.pdf');
    expect(downloadName('notes.exe', pdf.type)).toBe('notes.pdf');
    expect(downloadName('notes', pdf.type)).toBe('notes.pdf');
    expect(downloadName('cover.JPEG', jpeg.type)).toBe('cover.jpeg');
    expect(downloadName('C:\\Users\\me\\cover.png', jpeg.type)).toBe('cover.jpg');
    expect(downloadName('../../etc/passwd', pdf.type)).toBe('passwd.pdf');
    expect(downloadName('a\u202egnp.pdf', pdf.type)).toBe('agnp.pdf');
    expect(downloadName('"quoted"\r\n.pdf', pdf.type)).toBe('quoted.pdf');
    expect(downloadName('.pdf', pdf.type)).toBe('pdf.pdf');
    expect(downloadName('...', pdf.type)).toBe('file.pdf');
    expect(downloadName(`${'x'.repeat(300)}.pdf`, pdf.type)).toBe(`${'x'.repeat(100)}.pdf`);
  });
});
