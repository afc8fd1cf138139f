import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepStaleUploads } from '../src/editor/multipart.js';

describe('uploads left by a crashed process', () => {
  it('removes upload folders untouched for an hour, keeps live ones and anything else', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-uploads-'));
    try {
      for (const name of ['upload-old', 'upload-live', 'keep-me']) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, '0-artwork'), 'x');
      }
      const now = Date.now();
      const twoHoursAgo = new Date(now - 2 * 3_600_000);
      fs.utimesSync(path.join(dir, 'upload-old'), twoHoursAgo, twoHoursAgo);
      fs.utimesSync(path.join(dir, 'keep-me'), twoHoursAgo, twoHoursAgo);
      expect(await sweepStaleUploads(dir, 3_600_000, now)).toBe(1);
      expect(fs.readdirSync(dir).sort()).toEqual(['keep-me', 'upload-live']);
      expect(await sweepStaleUploads(path.join(dir, 'missing'), 3_600_000, now)).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
