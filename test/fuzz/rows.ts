import { sql } from 'kysely';
import type { AppContext } from '../../src/context.js';

/**
 * Row counts of every table, in one query, to prove a refused request stored nothing. Tables
 * that a refusal legitimately writes are left out: sign-in throttling and rate limits (a wrong
 * password is refused and counted), and the migrations' bookkeeping.
 */
const MAY_CHANGE_ON_REFUSAL = /throttle|attempt|rate_limit|limiter|kysely_migration/;

export async function tableNames(ctx: AppContext): Promise<string[]> {
  const rows =
    ctx.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(ctx.db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(ctx.db);
  return rows.rows
    .map((r) => r.name)
    .filter((n) => !MAY_CHANGE_ON_REFUSAL.test(n))
    .sort();
}

export async function rowCounts(ctx: AppContext, tables: string[]): Promise<Record<string, number>> {
  const union = sql.join(
    tables.map((t) => sql`select ${t} as t, count(*) as n from ${sql.table(t)}`),
    sql` union all `,
  );
  const res = await sql<{ t: string; n: number | string }>`${union}`.execute(ctx.db);
  return Object.fromEntries(res.rows.map((r) => [r.t, Number(r.n)]));
}
