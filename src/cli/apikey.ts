import { Command } from 'commander';
import { findWorkspaceBySlug } from '../accounts/workspaces.js';
import { checkNewKey, parseExpiry } from '../api/keys/new-key.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../api/keys/store.js';
import { keyView } from '../api/routes/keys.js';
import { API_RESOURCES, SCOPE_WORDS } from '../api/scopes.js';
import type { AppContext } from '../context.js';
import { DropdayError, ValidationError } from '../errors.js';
import { print, printJson, withContext } from './context.js';

async function workspace(ctx: AppContext, slug: string) {
  const ws = await findWorkspaceBySlug(ctx.db, slug.toLowerCase());
  if (!ws) throw new DropdayError('NOT_FOUND', `There is no workspace "${slug}".`);
  return ws;
}

const SCOPES_HELP = [
  'scopes: a comma-separated list of <resource>:read or <resource>:write (write includes read),',
  'or "all", or "read" (every read scope). Resources:',
  ...API_RESOURCES.map((r) => `  ${r.padEnd(10)} ${SCOPE_WORDS[r]}`),
].join('\n');

/** `dropday apikey …`: a workspace's API keys from the operator's shell (docs/api.md). */
export function apikeyCommand(): Command {
  const cmd = new Command('apikey').description('API keys of a workspace: create, list, revoke');

  cmd
    .command('create')
    .description('make an API key; it is printed once and never shown again')
    .requiredOption('--workspace <slug>', 'the workspace the key belongs to')
    .requiredOption('--name <name>', 'what uses the key (shown in lists)')
    .requiredOption('--scopes <list>', 'what the key may do (see below)')
    .option('--expires <when>', 'when it stops working: 30d, 2027-01-31 (through that day, UTC) or an ISO time; default never')
    .addHelpText('after', `\n${SCOPES_HELP}`)
    .action((o: { workspace: string; name: string; scopes: string; expires?: string }) =>
      withContext(async (ctx) => {
        const ws = await workspace(ctx, o.workspace);
        const now = ctx.now();
        const check = checkNewKey({ name: o.name, scopes: o.scopes, expiresAt: parseExpiry(o.expires, now) }, now);
        if (!check.ok) {
          const flag = { name: 'name', scopes: 'scopes', expires_at: 'expires' } as const;
          throw new ValidationError(
            Object.fromEntries(Object.entries(check.problems).map(([f, p]) => [`--${flag[f as keyof typeof flag]}`, p])),
          );
        }
        const made = await createApiKey(
          ctx.db,
          {
            workspaceId: ws.id,
            name: check.name,
            scopes: check.scopes,
            expiresAt: check.expiresAt,
            createdByUserId: null,
            createdVia: 'cli',
          },
          now,
        );
        print(made.secret);
        print(
          `API key ${made.key.prefix} "${made.key.name}" for ${ws.slug}: ${made.key.scopes.join(', ')}` +
            (made.key.expiresAt ? `, expires ${new Date(made.key.expiresAt).toISOString()}` : ', does not expire'),
        );
        print('Copy it now: it will not be shown again (only its hash is stored).');
      }),
    );

  cmd
    .command('list')
    .description('the workspace’s keys, newest first (never a secret)')
    .requiredOption('--workspace <slug>', 'the workspace')
    .option('--json', 'as JSON, the fields of GET /api/v1/keys')
    .action((o: { workspace: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const keys = (await listApiKeys(ctx.db, (await workspace(ctx, o.workspace)).id)).map(keyView);
        if (o.json) return printJson(keys);
        if (!keys.length) return print('No API keys.');
        for (const k of keys) {
          const state = k.revoked_at ? `revoked ${k.revoked_at}` : k.expires_at ? `expires ${k.expires_at}` : 'no expiry';
          print(
            `${k.prefix}  ${k.name}  [${k.scopes.join(',')}]  created ${k.created_at} (${k.created_via})  last used ${k.last_used_at ?? 'never'}  ${state}`,
          );
        }
      }),
    );

  cmd
    .command('revoke')
    .description('revoke a key at once (by its prefix, ddk_…)')
    .requiredOption('--workspace <slug>', 'the workspace')
    .argument('<prefix>', 'the key’s prefix, as `list` shows it')
    .action((prefix: string, o: { workspace: string }) =>
      withContext(async (ctx) => {
        const ws = await workspace(ctx, o.workspace);
        const key = await revokeApiKey(ctx.db, ws.id, prefix, ctx.now());
        if (!key) throw new DropdayError('NOT_FOUND', `Workspace ${ws.slug} has no API key ${prefix}.`);
        print(`Revoked ${key.prefix} "${key.name}" (at ${new Date(key.revokedAt!).toISOString()}); requests with it are refused.`);
      }),
    );
  return cmd;
}
