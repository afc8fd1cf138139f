import type { FastifyReply, FastifyRequest } from 'fastify';
import { DropdayError } from '../errors.js';
import type { BlobStore, ByteRange } from '../growth/storage/index.js';

/**
 * Sends a stored blob (a vault file, a preview clip) with HTTP range requests (RFC 9110 §14): one
 * range per request (a multi-range ask gets the whole file, as the RFC allows), 206 with
 * Content-Range, 416 for a range outside the file. The bytes are streamed from the store, never
 * read whole. The answer may not be framed, sniffed as another type, run as a page or cached.
 */
export interface BlobAnswer {
  status: 200 | 206;
  /** The answer begins at the first byte (a download or a play starting, not a seek or a resume). */
  fromStart: boolean;
}

export function parseRange(header: string | undefined, size: number): ByteRange | 'whole' | 'unsatisfiable' {
  if (!header) return 'whole';
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'whole';
  if (size === 0) return 'unsatisfiable';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * Characters a file name never needs in a header: controls, direction overrides and isolates (they
 * can make "gpj.exe" read as "exe.jpg") and halves of surrogate pairs (encodeURIComponent throws on them).
 */
const UNSAFE_NAME =
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `attachment; filename="…"; filename*=UTF-8''…` with the name made safe for the header. */
export function contentDisposition(kind: 'inline' | 'attachment', name?: string | null): string {
  const filename = name?.replace(UNSAFE_NAME, '');
  if (!filename) return kind;
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // RFC 8187 attr-chars: encodeURIComponent leaves ' ( ) * as they are, which the ext-value may not hold.
  const ext = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${ext}`;
}

export async function sendBlob(
  req: FastifyRequest,
  reply: FastifyReply,
  store: BlobStore,
  o: { key: string; contentType: string; disposition: 'inline' | 'attachment'; filename?: string | null },
): Promise<BlobAnswer> {
  const size = await store.size(o.key);
  if (size === null) throw new DropdayError('NOT_FOUND', 'This file is no longer available.');
  const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, size);
  reply
    .header('Accept-Ranges', 'bytes')
    .header('Cache-Control', 'private, no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cross-Origin-Resource-Policy', 'same-origin')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Referrer-Policy', 'no-referrer')
    .header('Content-Disposition', contentDisposition(o.disposition, o.filename));
  if (range === 'unsatisfiable') {
    reply.code(416).header('Content-Range', `bytes */${size}`);
    await reply.send();
    return { status: 206, fromStart: false };
  }
  const blob = await store.get(o.key, range === 'whole' ? undefined : range);
  if (!blob) throw new DropdayError('NOT_FOUND', 'This file is no longer available.');
  reply.type(o.contentType);
  if (range === 'whole') {
    reply.code(200).header('Content-Length', String(size));
    await reply.send(blob.body);
    return { status: 200, fromStart: true };
  }
  reply
    .code(206)
    .header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
    .header('Content-Length', String(range.end - range.start + 1));
  await reply.send(blob.body);
  return { status: 206, fromStart: range.start === 0 };
}
