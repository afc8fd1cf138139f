#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import dotenv from 'dotenv';
import { adminCommand } from './cli/admin.js';
import { apikeyCommand } from './cli/apikey.js';
import { campaignCommand } from './cli/campaign.js';
import { contactsCommand } from './cli/contacts.js';
import { contestCommand } from './cli/contest.js';
import { referralsCommand } from './cli/referrals.js';
import { print } from './cli/context.js';
import { doctorCommand } from './cli/doctor.js';
import { fulfillmentCommand } from './cli/fulfillment.js';
import { sandboxCommand } from './cli/sandbox.js';
import { statusCommand } from './cli/status.js';
import { ConfigError, loadConfig } from './config.js';
import { migrate, openDatabase } from './db/index.js';
import { DropdayError } from './errors.js';
import { envWithRunningServer } from './server-url.js';
import { ApiProblemError } from './cli/api-client.js';
import { runWorker, serve } from './server.js';

dotenv.config({ quiet: true });

const program = new Command('dropday').description('Dropday — self-hosted pre-saves and smart links for music releases');

// The CLI on the API (src/cli/api-client.ts): these commands then call a remote Dropday over HTTP.
program
  .option('--api-url <url>', 'run campaign commands on a remote Dropday through its API (env DROPDAY_API_URL)')
  .option('--api-key <key>', 'the API key for --api-url, with campaigns:read/write (env DROPDAY_API_KEY)')
  .addHelpText(
    'after',
    '\nRemote (with --api-url and --api-key, or DROPDAY_API_URL and DROPDAY_API_KEY): dropday campaign list, show, create,\n' +
      "update, archive, restore, duplicate, matches, match, links and link run against that instance's API, on the\n" +
      "key's workspace, without a local database. Every other command works on the local database.",
  );

program
  .command('serve', { isDefault: true })
  .description('serve the web app, with the fulfillment worker in the same process (default)')
  .option('--no-worker', 'serve only the web app; run `dropday worker` separately')
  .option('--port <port>', 'port (overrides PORT)')
  .action(async (o: { worker: boolean; port?: string }) => {
    if (o.port !== undefined) process.env.PORT = o.port;
    await serve(loadConfig(), { worker: o.worker });
  });

program
  .command('worker')
  .description('run only the fulfillment worker (many may run against one PostgreSQL)')
  .action(async () => runWorker(loadConfig(envWithRunningServer())));

program
  .command('migrate')
  .description('apply database migrations (serve and worker also do this at start)')
  .action(async () => {
    const config = loadConfig();
    const handle = openDatabase(config);
    try {
      const applied = await migrate(handle, config.database.kind === 'postgres' ? config.database.schema : undefined);
      print(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    } finally {
      await handle.close();
    }
  });

program.addCommand(campaignCommand());
program.addCommand(statusCommand());
program.addCommand(sandboxCommand());
program.addCommand(doctorCommand());
program.addCommand(fulfillmentCommand());
program.addCommand(contactsCommand());
program.addCommand(referralsCommand());
program.addCommand(contestCommand());

program.addCommand(adminCommand());
program.addCommand(apikeyCommand());

program
  .command('keygen')
  .description('print a new value for ENCRYPTION_KEYS')
  .action(() => print(`ENCRYPTION_KEYS=k${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`));

/** Commander copies settings only to subcommands made with .command(): apply them to all. */
function configureAll(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  cmd.commands.forEach(configureAll);
}
configureAll(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
    process.exitCode = 78;
  } else if (err instanceof ApiProblemError) {
    process.stderr.write(`${err.code}: ${err.detail}\n`);
    for (const [k, v] of Object.entries(err.fields)) process.stderr.write(`  ${k}: ${v}\n`);
    process.exitCode = err.status === 404 ? 4 : 2;
  } else if (err instanceof DropdayError) {
    process.stderr.write(`error: ${err.message}\n`);
    if (err.details) for (const [k, v] of Object.entries(err.details)) process.stderr.write(`  --${k}: ${v}\n`);
    process.exitCode = err.status === 404 ? 4 : 2;
  } else {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
