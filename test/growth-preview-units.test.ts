import { describe, expect, it } from 'vitest';
import { cutSecondsFrom } from '../src/growth/previews/cut.js';
import { playEvent } from '../src/growth/previews/plays.js';
import { clipType } from '../src/growth/media-type.js';
import { isOpen, momentFrom } from '../src/growth/previews/window.js';
import { PNG_BYTES, sineWav } from './helpers/preview-audio.js';

/** Early access without a server: what a clip is, when it opens, what a player may report. */
const pad = (b: Buffer | string) => Buffer.concat([Buffer.isBuffer(b) ? b : Buffer.from(b, 'latin1'), Buffer.alloc(64)]);

describe('sniffing a clip by its bytes', () => {
  it.each([
    ['MP3 with an ID3 tag', pad('ID3\u0004\u0000'), 'audio/mpeg'],
    ['MP3 frame', pad(Buffer.from([0xff, 0xfb, 0x90, 0x64])), 'audio/mpeg'],
    ['AAC (ADTS)', pad(Buffer.from([0xff, 0xf1, 0x50, 0x80])), 'audio/aac'],
    [
      'M4A',
      pad(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A \u0000\u0000\u0002\u0000M4A isommp42', 'latin1')])),
      'audio/mp4',
    ],
    ['Ogg Opus', pad('OggS\u0000\u0002' + '\u0000'.repeat(22) + 'OpusHead'), 'audio/ogg'],
    ['Ogg Vorbis', pad('OggS\u0000\u0002' + '\u0000'.repeat(22) + '\u0001vorbis'), 'audio/ogg'],
    ['WAV', sineWav(0.01), 'audio/wav'],
    ['FLAC', pad('fLaC\u0000\u0000\u0000\u0022'), 'audio/flac'],
    [
      'WebM',
      pad(Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm', 'latin1')])),
      'audio/webm',
    ],
  ])('%s is taken', (_name, bytes, mime) => {
    expect(clipType(bytes)).toMatchObject({ ok: true, type: { mime } });
  });

  it.each([
    ['a PNG', PNG_BYTES, 'the file is a PNG image, not audio'],
    ['a PDF', pad('%PDF-1.7'), 'the file is a PDF document, not audio'],
    [
      'an MP4 video',
      pad(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\u0000\u0000\u0002\u0000isomavc1', 'latin1')])),
      'the file is a video (MP4/QuickTime), not audio',
    ],
    [
      'an Ogg video',
      pad('OggS\u0000\u0002' + '\u0000'.repeat(22) + '\u0080theora'),
      'the file is an Ogg file without Opus, Vorbis or FLAC audio (a video, perhaps)',
    ],
    [
      'Matroska',
      pad(Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88]), Buffer.from('matroska', 'latin1')])),
      'the file is a Matroska (MKV/MKA) file, which browsers do not play',
    ],
    ['text', pad('hello, this is not a song'), 'the file is not audio in a format browsers play'],
    ['nothing', Buffer.alloc(0), 'the file is empty or too short to be audio'],
  ])('%s is refused with the reason', (_name, bytes, reason) => {
    expect(clipType(bytes)).toEqual({ ok: false, reason });
  });
});

describe('the moment pre-savers may listen from', () => {
  const campaign = { release_timezone: 'Europe/Paris', first_release_at: Date.parse('2030-06-09T22:00:00Z') };

  it('hours before the release count back from its first instant', () => {
    expect(momentFrom({ mode: 'before', hours: '48' }, campaign)).toEqual({
      ok: true,
      at: Date.parse('2030-06-07T22:00:00Z'),
      hoursBefore: 48,
    });
  });

  it('a date and time is read in the campaign’s zone', () => {
    expect(momentFrom({ mode: 'at', at: '2030-06-08T18:00' }, campaign)).toEqual({
      ok: true,
      at: Date.parse('2030-06-08T16:00:00Z'),
      hoursBefore: null,
    });
  });

  it.each([
    [{ mode: 'before', hours: '0' }, 'hours_before'],
    [{ mode: 'before', hours: 'two days' }, 'hours_before'],
    [{ mode: 'before', hours: '99999' }, 'hours_before'],
    [{ mode: 'at', at: 'next friday' }, 'available_at'],
    [{ mode: 'at', at: '2030-06-10T00:00' }, 'available_at'],
    [{ mode: 'at', at: '2030-07-01T00:00' }, 'available_at'],
  ] as const)('%j is refused, naming its field', (input, field) => {
    expect(momentFrom(input, campaign)).toMatchObject({ ok: false, field });
  });

  it('the release does not close it: pre-savers keep listening after it', () => {
    expect(isOpen(100, 99)).toBe(false);
    expect(isOpen(100, 100)).toBe(true);
    expect(isOpen(100, campaign.first_release_at + 86_400_000)).toBe(true);
  });
});

describe('what a player and a cut may ask', () => {
  it('play stages map to their events; anything else is refused', () => {
    expect([playEvent('start'), playEvent('30s'), playEvent('complete')]).toEqual(['preview_start', 'preview_30s', 'preview_complete']);
    for (const bad of ['', 'START', 'page_view', ['start'], undefined]) expect(playEvent(bad)).toBeNull();
  });

  it('seconds to cut are whole numbers from 5 to 300', () => {
    expect([cutSecondsFrom('5'), cutSecondsFrom(' 60 '), cutSecondsFrom('300')]).toEqual([5, 60, 300]);
    for (const bad of ['4', '301', '1.5', '-10', 'sixty', '']) expect(cutSecondsFrom(bad)).toBeNull();
  });
});
