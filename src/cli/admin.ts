import { Command } from 'commander';
import { createOperatorUser, grantInstanceAdmin, resetOperatorPassword, requireEmail } from '../admin/operators.js';
import { createLoginToken } from '../admin/sessions.js';
import { ValidationError } from '../errors.js';
import { print, withContext } from './context.js';

export interface AdminCommandIo {
  /** Reads all of standard input (for --password-stdin). */
  readStdin(): Promise<string>;
  print(line: string): void;
}

const defaultIo: AdminCommandIo = {
  async readStdin() {
    if (process.stdin.isTTY)
      throw new ValidationError({ 'password-stdin': 'pipe the password in, e.g. `printf %s "$PW" | dropday admin create …`' });
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  print,
};

async function passwordFrom(io: AdminCommandIo, fromStdin: boolean | undefined): Promise<string | null> {
  if (!fromStdin) return null;
  // One trailing newline (from echo or a file) is not part of the password.
  const pw = (await io.readStdin()).replace(/\r?\n$/, '');
  if (!pw) throw new ValidationError({ 'password-stdin': 'standard input was empty' });
  return pw;
}

/** `dropday admin …`: operator tasks (accounts). Passwords are read from standard input, never from arguments. */
export function adminCommand(io: AdminCommandIo = defaultIo): Command {
  const admin = new Command('admin').description('operator tasks: accounts, sign-in links');

  admin
    .command('create')
    .description('create a user (an instance admin unless --no-instance-admin), optionally with a workspace they own')
    .requiredOption('--email <email>', 'the account email')
    .option('--password-stdin', 'read the password from standard input (otherwise a link to set one is printed)')
    .option('--no-instance-admin', 'an ordinary user, not an operator of this server')
    .option('--workspace <slug>', 'also create a workspace with this address, owned by the user')
    .option('--workspace-name <name>', 'the workspace name (default: the slug)')
    .action((o: { email: string; passwordStdin?: boolean; instanceAdmin: boolean; workspace?: string; workspaceName?: string }) =>
      withContext(async (ctx) => {
        if (o.workspaceName && !o.workspace) throw new ValidationError({ workspace: 'give --workspace SLUG with --workspace-name' });
        const password = await passwordFrom(io, o.passwordStdin);
        const r = await createOperatorUser(ctx, {
          email: requireEmail(o.email),
          password,
          instanceAdmin: o.instanceAdmin,
          ...(o.workspace ? { workspace: { slug: o.workspace, name: o.workspaceName ?? o.workspace } } : {}),
        });
        io.print(`Created ${r.user.isInstanceAdmin ? 'instance admin' : 'user'} ${r.user.email}.`);
        if (r.workspace) io.print(`Workspace "${r.workspace.name}" (/${r.workspace.slug}) with ${r.user.email} as owner.`);
        if (r.setPasswordLink) io.print(`Set the password within 30 minutes (the link works once):\n${r.setPasswordLink}`);
        else io.print(`Sign in at ${ctx.config.publicUrl}/login`);
      }),
    );

  admin
    .command('reset-password')
    .description('set a password from standard input, or print a 30-minute reset link; ends every session of the account')
    .requiredOption('--email <email>', 'the account email')
    .option('--password-stdin', 'read the new password from standard input')
    .action((o: { email: string; passwordStdin?: boolean }) =>
      withContext(async (ctx) => {
        const password = await passwordFrom(io, o.passwordStdin);
        const r = await resetOperatorPassword(ctx, requireEmail(o.email), password);
        if (r.link) io.print(`Reset link for ${r.user.email} (30 minutes, works once):\n${r.link}`);
        else io.print(`Password of ${r.user.email} changed; every session of the account was ended.`);
      }),
    );

  admin
    .command('instance-admin')
    .description('make an existing user an instance admin (or not, with --revoke)')
    .requiredOption('--email <email>', 'the account email')
    .option('--revoke', 'take the instance admin flag away')
    .action((o: { email: string; revoke?: boolean }) =>
      withContext(async (ctx) => {
        const user = await grantInstanceAdmin(ctx, requireEmail(o.email), !o.revoke);
        io.print(`${user.email} is ${user.isInstanceAdmin ? 'now' : 'no longer'} an instance admin.`);
      }),
    );

  admin
    .command('login-link')
    .description('print a one-time sign-in link for an instance admin (valid 15 minutes)')
    .option('--email <email>', 'which instance admin (needed when there are several)')
    .action((o: { email?: string }) =>
      withContext(async (ctx) => {
        const token = await createLoginToken(ctx.db, ctx.now(), o.email);
        io.print(`${ctx.config.publicUrl}/admin/login?token=${token}`);
      }),
    );

  return admin;
}
