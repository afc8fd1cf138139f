import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { randomToken } from '../../util/random.js';

/**
 * The first N seconds of an uploaded track as an MP3 clip, cut by ffmpeg — an optional system
 * package (FFMPEG_PATH, default `ffmpeg` on the PATH). ffmpeg is run with an argument array, never
 * through a shell, so nothing in a file name or a field can become a command; it reads only the
 * upload's temporary file and writes only a temporary file under DATA_DIR/tmp; it is killed when
 * it runs longer than CUT_TIMEOUT_MS. Its own messages go to the log, never to the artist (they
 * name server paths and are not written for people).
 *
 * Always re-encoded (192 kb/s MP3) rather than stream-copied: a copy cuts at packet boundaries
 * and keeps the source's container quirks, while MP3 plays in every browser and seeks by range.
 */
export const MIN_CUT_SECONDS = 5;
export const MAX_CUT_SECONDS = 300;
export const CUT_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 5_000;
const PROBE_CACHE_MS = 60_000;

export const NEEDS_FFMPEG = 'Cutting a clip needs ffmpeg (an optional system package: apt install ffmpeg); upload a ready clip instead';

export interface CutClip {
  file: string;
  size: number;
  mime: 'audio/mpeg';
}

interface Run {
  code: number | null;
  missing: boolean;
  timedOut: boolean;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const done = (r: Run) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], shell: false, windowsHide: true });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 4000) stderr += s.slice(0, 4000 - stderr.length);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'ENOTDIR';
      done({ code: null, missing, timedOut, stderr: missing ? '' : err.message });
    });
    child.on('close', (code) => done({ code, missing: false, timedOut, stderr }));
  });
}

const probes = new Map<string, { ok: boolean; at: number }>();

/** Whether the configured ffmpeg runs (asked at most once a minute per path, for the Growth page). */
export async function ffmpegAvailable(ctx: AppContext): Promise<boolean> {
  const cmd = ctx.config.growth.preview.ffmpeg;
  const cached = probes.get(cmd);
  if (cached && ctx.now() - cached.at < PROBE_CACHE_MS && ctx.now() >= cached.at) return cached.ok;
  const r = await run(cmd, ['-hide_banner', '-version'], PROBE_TIMEOUT_MS);
  const ok = !r.missing && !r.timedOut && r.code === 0;
  probes.set(cmd, { ok, at: ctx.now() });
  return ok;
}

/** Reads the seconds field: a whole number from MIN_CUT_SECONDS to MAX_CUT_SECONDS. */
export function cutSecondsFrom(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,4}$/.test(t)) return null;
  const n = Number(t);
  return n >= MIN_CUT_SECONDS && n <= MAX_CUT_SECONDS ? n : null;
}

/**
 * Cuts the first `seconds` of `input` into a new MP3 in `tmpDir`. The caller stores it and removes
 * the file (removeCut). Throws a DropdayError the artist can read; ffmpeg's words go to the log.
 */
export async function cutClip(ctx: AppContext, input: string, seconds: number, tmpDir: string): Promise<CutClip> {
  await fs.promises.mkdir(tmpDir, { recursive: true, mode: 0o700 });
  const out = path.join(tmpDir, `preview-cut-${randomToken(12)}.mp3`);
  // -t before -i: ffmpeg stops reading the input after `seconds`, however long the track is.
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-t', String(seconds), '-i', input];
  args.push('-vn', '-map_metadata', '-1', '-c:a', 'libmp3lame', '-b:a', '192k', '-f', 'mp3', out);
  const r = await run(ctx.config.growth.preview.ffmpeg, args, CUT_TIMEOUT_MS);
  const fail = async (err: DropdayError) => {
    await fs.promises.rm(out, { force: true });
    return err;
  };
  if (r.missing) throw await fail(new DropdayError('VALIDATION', `track: ${NEEDS_FFMPEG}. Nothing was stored.`, { track: NEEDS_FFMPEG }));
  if (r.timedOut) {
    ctx.log.warn({ seconds }, 'preview: ffmpeg was stopped after running too long');
    throw await fail(
      new DropdayError(
        'BUSY',
        `Cutting the clip took longer than ${CUT_TIMEOUT_MS / 1000} seconds and was stopped; nothing was stored. Upload a ready clip instead.`,
      ),
    );
  }
  const size = r.code === 0 ? ((await fs.promises.stat(out).catch(() => null))?.size ?? 0) : 0;
  if (size === 0) {
    ctx.log.warn({ code: r.code, ffmpeg: r.stderr.slice(0, 1000) }, 'preview: ffmpeg could not cut the track');
    throw await fail(
      new DropdayError(
        'VALIDATION',
        'track: ffmpeg could not read this file as audio; nothing was stored. Check the file, or upload a ready clip instead.',
        {
          track: 'could not be read as audio',
        },
      ),
    );
  }
  return { file: out, size, mime: 'audio/mpeg' };
}

export async function removeCut(clip: CutClip | null): Promise<void> {
  if (clip) await fs.promises.rm(clip.file, { force: true });
}
