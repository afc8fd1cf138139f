import { Command } from 'commander';
import { addFault, clearFaults, libraryOf, listFaults, revokeUser } from '../providers/sandbox/admin.js';
import { buildSandboxServer } from '../providers/sandbox/server/index.js';
import { loadConfig, redirectUriFor } from '../config.js';
import { createContext } from '../bootstrap.js';
import { print, printJson, withContext } from './context.js';

export function sandboxCommand(): Command {
  const cmd = new Command('sandbox').description('the built-in Sandbox streaming service');
  cmd
    .command('library')
    .description('what the Sandbox has saved for a user')
    .argument('<username>')
    .option('--json', 'as JSON')
    .action((username: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const items = await libraryOf(ctx.db, username);
        if (o.json) return printJson(items);
        if (!items.length) return print(`The Sandbox library of "${username}" is empty.`);
        print(`Sandbox library of "${username}":`);
        for (const i of items) {
          const what =
            i.kind === 'album' ? `album  ${i.title ?? '?'} — ${i.artist ?? '?'}` : `artist ${i.artist ?? i.title ?? '?'} (followed)`;
          print(`  ${new Date(i.savedAt).toISOString()}  ${what}  ${i.uri}`);
        }
      }),
    );
  cmd
    .command('revoke')
    .description('revoke every grant a Sandbox user gave (as if they removed the app)')
    .argument('<username>')
    .action((username: string) =>
      withContext(async (ctx) => {
        const n = await revokeUser(ctx.db, username);
        print(`Revoked ${n} token(s) of "${username}".`);
      }),
    );
  const fault = cmd.command('fault').description('inject faults into the Sandbox (for tests and demos)');
  fault
    .command('add')
    .description('add a fault')
    .requiredOption('--kind <kind>', 'rate_limit | quota | server_error | bad_request | slow')
    .option('--target <target>', 'all | api | token | library | search', 'api')
    .option('--count <n>', 'how many requests it hits (default: until cleared)')
    .option('--retry-after <s>', 'Retry-After seconds for rate_limit/quota', '5')
    .option('--status <code>', 'status for server_error', '503')
    .option('--delay-ms <ms>', 'delay for slow', '2000')
    .action((o: { kind: string; target: string; count?: string; retryAfter: string; status: string; delayMs: string }) =>
      withContext(async (ctx) => {
        await addFault(
          ctx.db,
          {
            kind: o.kind as never,
            target: o.target as never,
            ...(o.count !== undefined ? { count: Number(o.count) } : {}),
            retryAfterSeconds: Number(o.retryAfter),
            statusCode: Number(o.status),
            delayMs: Number(o.delayMs),
          },
          ctx.now(),
        );
        print(`Fault added: ${o.kind} on ${o.target}${o.count ? ` for ${o.count} request(s)` : ' until cleared'}.`);
      }),
    );
  fault
    .command('list')
    .description('list active faults')
    .action(() => withContext(async (ctx) => printJson(await listFaults(ctx.db))));
  fault
    .command('clear')
    .description('remove every fault')
    .action(() =>
      withContext(async (ctx) => {
        await clearFaults(ctx.db);
        print('Faults cleared.');
      }),
    );
  cmd
    .command('serve')
    .description('serve only the Sandbox on its own port (point SANDBOX_BASE_URL at it)')
    .option('--port <port>', 'port', '4000')
    .option('--host <host>', 'host', '127.0.0.1')
    .action(async (o: { port: string; host: string }) => {
      const config = loadConfig();
      const ctx = await createContext(config);
      const base = `http://${o.host}:${o.port}/sandbox`;
      const app = buildSandboxServer({
        db: ctx.db,
        now: ctx.now,
        accessTokenTtlSeconds: config.sandbox.accessTokenTtlSeconds,
        clients: [{ clientId: config.sandbox.clientId, redirectUris: [redirectUriFor(config, 'sandbox')] }],
        publicBaseUrl: base,
        logger: false,
      });
      await app.listen({ host: o.host, port: Number(o.port) });
      print(`Sandbox serving at ${base}`);
    });
  return cmd;
}
