import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import type { InjectAgent } from '../accounts/testing.js';

/**
 * Test support for the editor (used by test/editor-*; never loaded by the app): multipart bodies
 * as a browser sends them, real images made with sharp, and posting them through inject().
 */
export interface FilePart {
  filename: string;
  contentType: string;
  data: Buffer;
}

export function multipart(
  fields: Record<string, string | string[]>,
  files: Record<string, FilePart> = {},
): { body: Buffer; contentType: string } {
  const boundary = `----dropdayTest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    }
  }
  for (const [name, f] of Object.entries(files)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`,
      ),
    );
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A real image: a diagonal gradient with a bright square in the middle (so crops are visible). */
export async function makeImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#db2777"/><stop offset="1" stop-color="#6d28d9"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="${width / 2 - Math.min(width, height) / 4}" y="${height / 2 - Math.min(width, height) / 4}" width="${Math.min(width, height) / 2}" height="${Math.min(width, height) / 2}" fill="#fde047"/>
  </svg>`;
  const img = sharp(Buffer.from(svg));
  return format === 'png' ? img.png().toBuffer() : format === 'jpeg' ? img.jpeg().toBuffer() : img.webp().toBuffer();
}

/** A multipart POST through inject() as `agent`, with its cookies and (unless false) its CSRF token as the first field, as the forms send it. */
export async function postMultipart(
  app: FastifyInstance,
  agent: InjectAgent,
  url: string,
  fields: Record<string, string | string[]>,
  files: Record<string, FilePart> = {},
  opts: { csrf?: string | false; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const token = opts.csrf === false ? null : (opts.csrf ?? agent.csrf);
  const { body, contentType } = multipart(token ? { _csrf: token, ...fields } : fields, files);
  const res = await app.inject({
    method: 'POST',
    url,
    cookies: Object.fromEntries(agent.cookies),
    headers: { 'content-type': contentType, ...opts.headers },
    payload: body,
    remoteAddress: agent.remoteAddress,
  });
  return res;
}

/**
 * A 3000×3000 PNG of random noise that stays large (about 21 MB: noise does not compress), like
 * the artwork a first-time artist exports. Two rows in three carry 6 random bits a byte, one 7.
 */
export async function makeNoisePng(side = 3000): Promise<Buffer> {
  const raw = randomBytes(side * side * 3);
  const row = side * 3;
  for (let i = 0; i < raw.length; i++) raw[i]! &= Math.floor(i / row) % 3 === 0 ? 0x7f : 0x3f;
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}
