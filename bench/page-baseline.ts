/**
 * The baseline of bench/page.ts: a bare Fastify server (no plugins, hooks or logging) answering
 * each benchmarked path with the status, headers and bytes captured from the real app in the same
 * run. Prints `PAGE_BASELINE_READY <url>` once listening.
 *
 *   node --import tsx bench/page-baseline.ts <responses.json>
 */
import fs from 'node:fs';
import Fastify from 'fastify';

export interface CapturedResponse {
  path: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** base64 */
  body: string;
}

const responses = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as CapturedResponse[];
const app = Fastify({ logger: false });
for (const r of responses) {
  const body = Buffer.from(r.body, 'base64');
  app.get(r.path, (_req, reply) => {
    reply.code(r.status).headers(r.headers).send(body);
  });
}
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`PAGE_BASELINE_READY ${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
