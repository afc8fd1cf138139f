import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DropdayError } from '../errors.js';

/**
 * A small, strict, streaming multipart/form-data reader for the editor's forms (the only multipart
 * bodies the app takes). The body is read as it arrives: text fields are kept (each at most 64 KB),
 * a file part goes straight to a temporary file (hashed on the way), so a 25 MB artwork never sits
 * whole in memory. A file over its limit is not kept but read to its end, so the fields after it
 * still arrive and the form can be shown again with everything the person typed. Each part must
 * have a `Content-Disposition: form-data; name="…"` header, at most one file part per name, and
 * text fields are UTF-8. Anything else is refused as a bad request.
 */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  /** Bytes sent (also when over the limit). */
  size: number;
  /** The temporary file with the bytes; null when empty or over the limit (nothing was kept). */
  path: string | null;
  /** sha256 of the bytes, hex. */
  sha256: string;
  /** The first bytes, to recognise the type without reading the file again. */
  head: Buffer;
  /** More than the limit was sent. */
  tooLarge: boolean;
  /** The limit it was read with, in bytes. */
  limit: number;
}

export interface MultipartBody {
  fields: Map<string, string[]>;
  files: Map<string, UploadedFile>;
  /** The temporary folder of the files (null: none); removeUploads() deletes it. */
  dir: string | null;
}

export interface MultipartLimits {
  /** Largest file part kept. */
  maxFileBytes: number;
  /** Largest body read at all: past it, the request is refused as too large. */
  maxBodyBytes: number;
  /** Where temporary folders go (default: the system's temporary folder). */
  tmpDir?: string;
  /**
   * Called with the fields read so far when the first file part begins, before anything is
   * written to disk: a refusal here (a CSRF token that is missing or wrong) stores nothing.
   */
  beforeFile?: (fields: ReadonlyMap<string, string[]>) => void;
}

const MAX_PARTS = 200;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 4096;
const HEAD_BYTES = 16;

export function boundaryOf(contentType: string): string | null {
  const m = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function bad(detail: string): DropdayError {
  return new DropdayError('VALIDATION', `The form could not be read (${detail}). Please reload the page and try again.`);
}

export const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

function tooLargeBody(limit: number): DropdayError {
  return new DropdayError(
    'PAYLOAD_TOO_LARGE',
    `The upload is larger than ${mb(limit)}, more than this form takes; nothing was saved. ` +
      'Go back, choose a smaller image (artwork can be at most 25 MB) and send the form again.',
  );
}

/** Where a suffix of `buf` that begins `delimiter` starts (buf.length when none does). */
function partialDelimiterAt(buf: Buffer, delimiter: Buffer): number {
  for (let k = Math.max(0, buf.length - delimiter.length + 1); k < buf.length; k++) {
    if (buf[k] === delimiter[0] && buf.subarray(k).equals(delimiter.subarray(0, buf.length - k))) return k;
  }
  return buf.length;
}

/** Deletes the temporary files of a parsed body (after the response). */
export async function removeUploads(body: unknown): Promise<void> {
  const dir = body && typeof body === 'object' && 'dir' in body ? (body as MultipartBody).dir : null;
  if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
}

interface OpenPart {
  field: string;
  file: UploadedFile | null;
  handle: fs.promises.FileHandle | null;
  hash: Hash | null;
  chunks: Buffer[];
  bytes: number;
}

/**
 * Reads a multipart body from `stream`. Memory held at any time: one chunk, the boundary, and the
 * text fields. Throws a DropdayError (VALIDATION, or PAYLOAD_TOO_LARGE past maxBodyBytes) after
 * removing whatever it wrote.
 */
export async function readMultipart(
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  contentType: string,
  limits: MultipartLimits,
  declaredLength?: number,
): Promise<MultipartBody> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw bad('no boundary');
  if (declaredLength !== undefined && declaredLength > limits.maxBodyBytes) throw tooLargeBody(limits.maxBodyBytes);
  // Seen as "\r\n--boundary" everywhere, the first one included (the body gets a leading CRLF).
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const body: MultipartBody = { fields: new Map(), files: new Map(), dir: null };
  // Changed inside step(): typed wide so the checks after it are not narrowed away.
  let state = 'start' as 'start' | 'after' | 'headers' | 'body' | 'done';
  let buf: Buffer = Buffer.from('\r\n');
  let total = 0;
  let parts = 0;
  let part: OpenPart | null = null;

  const startPart = async (headerText: string): Promise<OpenPart> => {
    if (++parts > MAX_PARTS) throw bad('too many fields');
    let disposition = '';
    let type = 'text/plain';
    for (const h of headerText.split('\r\n')) {
      const i = h.indexOf(':');
      if (i < 0) throw bad('malformed part header');
      const name = h.slice(0, i).trim().toLowerCase();
      const value = h.slice(i + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') type = value.toLowerCase();
    }
    const dm = /^form-data\s*;\s*name="([^"\r\n]{1,100})"(?:\s*;\s*filename="([^"\r\n]{0,255})")?\s*$/i.exec(disposition);
    if (!dm) throw bad('a part has no field name');
    const field = dm[1]!;
    if (dm[2] === undefined) return { field, file: null, handle: null, hash: null, chunks: [], bytes: 0 };
    if (body.files.has(field)) throw bad(`more than one file for ${field}`);
    if (body.files.size === 0) limits.beforeFile?.(body.fields);
    const file: UploadedFile = {
      field,
      filename: dm[2],
      contentType: type,
      size: 0,
      path: null,
      sha256: '',
      head: Buffer.alloc(0),
      tooLarge: false,
      limit: limits.maxFileBytes,
    };
    body.files.set(field, file);
    return { field, file, handle: null, hash: createHash('sha256'), chunks: [], bytes: 0 };
  };

  const write = async (p: OpenPart, data: Buffer): Promise<void> => {
    if (data.length === 0) return;
    p.bytes += data.length;
    const f = p.file;
    if (!f) {
      if (p.bytes > MAX_FIELD_BYTES) throw bad(`the field ${p.field} is too long`);
      p.chunks.push(Buffer.from(data));
      return;
    }
    f.size = p.bytes;
    if (f.tooLarge) return;
    if (f.size > f.limit) {
      // Over the limit: drop what was written, read on to the next part without keeping anything.
      f.tooLarge = true;
      await p.handle?.close();
      p.handle = null;
      if (f.path) await fs.promises.rm(f.path, { force: true });
      f.path = null;
      return;
    }
    if (f.head.length < HEAD_BYTES) f.head = Buffer.concat([f.head, data.subarray(0, HEAD_BYTES - f.head.length)]);
    p.hash!.update(data);
    if (!p.handle) {
      if (!body.dir) {
        const parent = limits.tmpDir ?? os.tmpdir();
        await fs.promises.mkdir(parent, { recursive: true });
        body.dir = await fs.promises.mkdtemp(path.join(parent, 'upload-'));
      }
      f.path = path.join(body.dir, `${body.files.size}-${f.field.replace(/[^A-Za-z0-9_-]/g, '_')}`);
      p.handle = await fs.promises.open(f.path, 'wx', 0o600);
    }
    await p.handle.write(data);
  };

  const endPart = async (p: OpenPart): Promise<void> => {
    if (!p.file) {
      let text: string;
      try {
        text = utf8.decode(Buffer.concat(p.chunks));
      } catch {
        throw bad(`the field ${p.field} is not UTF-8`);
      }
      body.fields.set(p.field, [...(body.fields.get(p.field) ?? []), text]);
      return;
    }
    await p.handle?.close();
    p.handle = null;
    p.file.sha256 = p.hash!.digest('hex');
    // An empty file input sends a part with no file name and no content: no file chosen.
    if (p.file.filename === '' && p.file.size === 0) body.files.delete(p.field);
  };

  /** Consumes what `buf` holds; returns when it needs more bytes. */
  const step = async (): Promise<void> => {
    for (;;) {
      if (state === 'start') {
        if (buf.length < delimiter.length) return;
        if (!buf.subarray(0, delimiter.length).equals(delimiter)) throw bad('it does not start with the boundary');
        buf = buf.subarray(delimiter.length);
        state = 'after';
      } else if (state === 'after') {
        if (buf.length < 2) return;
        const two = buf.subarray(0, 2).toString('latin1');
        if (two === '--') {
          state = 'done';
          return;
        }
        if (two !== '\r\n') throw bad('malformed boundary line');
        buf = buf.subarray(2);
        state = 'headers';
      } else if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0 ? buf.length > MAX_HEADER_BYTES : end > MAX_HEADER_BYTES) throw bad('malformed part headers');
        if (end < 0) return;
        part = await startPart(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + 4);
        state = 'body';
      } else if (state === 'body') {
        const end = buf.indexOf(delimiter);
        if (end >= 0) {
          await write(part!, buf.subarray(0, end));
          await endPart(part!);
          part = null;
          buf = buf.subarray(end + delimiter.length);
          state = 'after';
          continue;
        }
        // Keep only what could be the start of a delimiter (so the next chunk is rarely copied).
        const keep = partialDelimiterAt(buf, delimiter);
        await write(part!, buf.subarray(0, keep));
        buf = buf.subarray(keep);
        return;
      } else return;
    }
  };

  try {
    for await (const raw of stream) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      total += chunk.length;
      if (total > limits.maxBodyBytes) throw tooLargeBody(limits.maxBodyBytes);
      if (state === 'done') continue; // the epilogue: ignored
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      await step();
    }
    if (state !== 'done') throw bad(state === 'body' ? 'a part is not terminated' : 'the form ended early');
    return body;
  } catch (err) {
    const open = part as OpenPart | null;
    await open?.handle?.close().catch(() => {});
    await removeUploads(body);
    throw err;
  }
}

/** The same reader over a body already in memory (tests, and small bodies). */
export function parseMultipart(data: Buffer, contentType: string, limits: MultipartLimits): Promise<MultipartBody> {
  return readMultipart([data], contentType, limits);
}

/**
 * Upload folders left behind by a process that died mid-upload (each request removes its own):
 * `upload-*` folders under `dir` untouched for `olderThanMs`. Returns how many were removed.
 */
export async function sweepStaleUploads(dir: string, olderThanMs: number, now: number): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return 0; // no upload yet
  }
  for (const name of names.filter((n) => n.startsWith('upload-'))) {
    const full = path.join(dir, name);
    const stat = await fs.promises.stat(full).catch(() => null);
    if (stat && now - stat.mtimeMs > olderThanMs) {
      await fs.promises.rm(full, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
