import type { AppContext } from '../../../context.js';

/**
 * The sender identity fan mail carries: MAIL_FROM (the accounts' mail setting, one mail setup),
 * named with MAIL_SENDER_NAME when MAIL_FROM has no name of its own.
 */
export function senderOf(ctx: AppContext): { name: string; address: string } {
  const from = ctx.config.accounts.mail.from.trim();
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (m) return { name: m[1]!.trim() || ctx.config.reach.senderName, address: m[2]!.trim() };
  return { name: ctx.config.reach.senderName, address: from };
}
