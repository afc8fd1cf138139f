import fs from 'node:fs';
import { once } from 'node:events';
import { Command } from 'commander';
import { getCampaignBySlug } from '../campaigns/repo.js';
import { findWorkspaceBySlug } from '../accounts/workspaces.js';
import { workspaceIdOfCampaign } from '../accounts/campaigns.js';
import { ValidationError } from '../errors.js';
import { newsContactsCsv } from '../reach/export.js';
import { audienceOf, workspaceAudience } from '../reach/audience.js';
import { withContext } from './context.js';

/**
 * `dropday contacts export`: the "contacts who agreed to news" CSV of the dashboard, for the
 * operator — a workspace's (`--workspace <slug>`), or a CLI campaign's own contacts
 * (`--campaign <slug>`, for a campaign without a workspace). To a file (`--out`, created 0600) or
 * standard output; the count goes to standard error, never an address.
 */
export function contactsCommand(): Command {
  const cmd = new Command('contacts').description('fans’ contacts: export those who agreed to news (CSV for Mailchimp or Klaviyo)');
  cmd
    .command('export')
    .description('write the CSV of confirmed contacts with a standing "news" consent')
    .option('--workspace <slug>', 'the workspace whose contacts to export')
    .option('--campaign <slug>', 'a campaign without a workspace (made from the CLI): its own contacts')
    .option('--out <file>', 'write to this file (created with mode 0600) instead of standard output')
    .action((o: { workspace?: string; campaign?: string; out?: string }) =>
      withContext(async (ctx) => {
        if (!o.workspace === !o.campaign) throw new ValidationError({ workspace: 'give exactly one of --workspace or --campaign' });
        let audience: string;
        let what: string;
        if (o.workspace) {
          const ws = await findWorkspaceBySlug(ctx.db, o.workspace);
          if (!ws) throw new ValidationError({ workspace: `there is no workspace "${o.workspace}"` });
          audience = workspaceAudience(ws.id);
          what = `workspace ${ws.slug}`;
        } else {
          const c = await getCampaignBySlug(ctx.db, o.campaign!);
          const wsId = await workspaceIdOfCampaign(ctx.db, c.id);
          if (wsId !== null)
            throw new ValidationError({
              campaign: 'belongs to a workspace: export with --workspace, its fans are the workspace’s contacts',
            });
          audience = audienceOf({ id: c.id, workspace_id: null });
          what = `campaign ${c.slug}`;
        }
        const out = o.out ? fs.createWriteStream(o.out, { mode: 0o600 }) : process.stdout;
        let rows = 0;
        let unreadable = 0;
        for await (const chunk of newsContactsCsv(ctx.db, ctx.cipher, audience, {
          onDone: (t) => {
            rows = t.rows;
            unreadable = t.unreadable;
          },
        })) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
        if (out !== process.stdout) {
          out.end();
          await once(out, 'finish');
        }
        ctx.log.info({ event: 'contacts_export', audience, rows, unreadable, via: 'cli' }, 'contacts who agreed to news exported');
        process.stderr.write(
          `Exported ${rows} contact${rows === 1 ? '' : 's'} who agreed to news (${what})${unreadable ? `; ${unreadable} could not be decrypted (a key is missing from ENCRYPTION_KEYS)` : ''}.\n`,
        );
      }),
    );
  return cmd;
}
