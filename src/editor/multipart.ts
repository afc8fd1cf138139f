import { DropdayError } from '../errors.js';

/**
 * A small, strict multipart/form-data reader for the editor's forms (the only multipart bodies the
 * app takes). The whole body is already in memory (Fastify's bodyLimit caps it); parts are split on
 * the boundary, each must have a `Content-Disposition: form-data; name="…"` header, at most one file
 * part per name, and text fields are UTF-8. Anything else is refused as a bad request.
 */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Map<string, string[]>;
  files: Map<string, UploadedFile>;
}

const MAX_PARTS = 200;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_FIELD_BYTES = 64 * 1024;

export function boundaryOf(contentType: string): string | null {
  const m = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function bad(detail: string): DropdayError {
  return new DropdayError('VALIDATION', `The form could not be read (${detail}). Please reload the page and try again.`);
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw bad('no boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, string[]>();
  const files = new Map<string, UploadedFile>();
  let pos = body.indexOf(delimiter);
  if (pos !== 0) throw bad('it does not start with the boundary');
  let parts = 0;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw bad('malformed boundary line');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0 || headerEnd - pos > 4096) throw bad('malformed part headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw bad('a part is not terminated');
    const data = body.subarray(headerEnd + 4, next);
    if (++parts > MAX_PARTS) throw bad('too many fields');

    let disposition = '';
    let type = 'text/plain';
    for (const h of headers) {
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
    if (dm[2] !== undefined) {
      if (files.has(field)) throw bad(`more than one file for ${field}`);
      // An empty file input sends a part with no file name and no content: no file chosen.
      if (dm[2] !== '' || data.length > 0) files.set(field, { field, filename: dm[2], contentType: type, data: Buffer.from(data) });
    } else {
      if (data.length > MAX_FIELD_BYTES) throw bad(`the field ${field} is too long`);
      let text: string;
      try {
        text = utf8.decode(data);
      } catch {
        throw bad(`the field ${field} is not UTF-8`);
      }
      fields.set(field, [...(fields.get(field) ?? []), text]);
    }
    pos = next + 2;
  }
  return { fields, files };
}
