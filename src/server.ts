import { buildApp } from './app.js';
import { createContext } from './bootstrap.js';
import type { Config } from './config.js';
import { ensureDemoCampaign } from './demo.js';
import { notifyWorkers } from './fulfillment/wakeup.js';
import { FulfillmentWorker } from './fulfillment/worker.js';
import { startLinkLookups } from './links/lookup/start.js';
import { clearServerUrl, recordServerUrl } from './server-url.js';

/**
 * `dropday serve`: the web app, and (unless --no-worker) the fulfillment worker in the same
 * process. Stops gracefully on SIGINT/SIGTERM: no new requests or claims, in-flight work finishes.
 */
export async function serve(config: Config, opts: { worker: boolean }): Promise<void> {
  const ctx = await createContext(config);
  const worker = opts.worker && config.worker.enabled ? new FulfillmentWorker(ctx) : null;
  const app = await buildApp(ctx, {
    onPresave: () => {
      worker?.nudge();
      void notifyWorkers(ctx);
    },
    workerStats: () => worker?.stats ?? null,
    messageStats: () => worker?.messageStats ?? null,
    webhookStats: () => worker?.webhookStats ?? null,
    conversionStats: () => worker?.conversionStats ?? null,
  });
  await app.listen({ host: config.host, port: config.port });
  recordServerUrl(config.dataDir, config.publicUrl);
  worker?.start();
  const lookups = worker ? startLinkLookups(ctx) : null;

  const demo = await ensureDemoCampaign(ctx);
  const lines = [
    `Dropday is running at ${config.publicUrl} (${ctx.dialect}${ctx.dialect === 'sqlite' ? `, data in ${config.dataDir}` : ''})`,
  ];
  if (demo) {
    lines.push(
      `Demo campaign (Sandbox service, releases at ${new Date(demo.first_release_at).toISOString()}):`,
      `  public page:  ${config.publicUrl}/${demo.slug}`,
      `  pre-save it with any Sandbox username, then watch:  npx dropday status ${demo.slug} --watch`,
      `  and see what landed:  npx dropday sandbox library <username>`,
    );
  }
  // Ask for a first operator only while there is none.
  const anyUser = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  lines.push(
    anyUser
      ? `Sign in at ${config.publicUrl}/login (\`npx dropday admin login-link\` prints a one-time sign-in link for an instance admin).`
      : `Sign in at ${config.publicUrl}/login. First operator: \`npx dropday admin create --email you@example.com\`.`,
  );
  if (!worker) lines.push('Fulfillment worker: off in this process (run `npx dropday worker`).');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    await app.close();
    await lookups?.stop();
    await worker?.stop();
    await ctx.close();
    clearServerUrl(config.dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `dropday worker`: fulfillment only, for running apart from the web processes. */
export async function runWorker(config: Config): Promise<void> {
  const ctx = await createContext(config);
  const worker = new FulfillmentWorker(ctx);
  worker.start();
  const lookups = startLinkLookups(ctx);
  process.stdout.write(`Dropday fulfillment worker ${worker.owner} running on ${ctx.dialect}\n`);
  const stop = async () => {
    await lookups?.stop();
    await worker.stop();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
