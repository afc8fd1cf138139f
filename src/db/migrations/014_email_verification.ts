import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Whether an account's address is proven (a link by mail, a password reset, or the operator
 * creating it): only then may it join a workspace by invitation. Accounts that already belong to a
 * workspace, and instance operators, are taken as proven; everyone else confirms by link.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute();
  await sql`update users set email_verified_at = created_at
    where is_instance_admin = 1 or id in (select user_id from workspace_members)`.execute(db);
}
