import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Cancelling now forgets who cancelled (presaves/cancel.ts). Rows cancelled before that change
 * still name the fan: give them the same treatment once. A cancelled pre-save's account id becomes
 * the row's placeholder; a grant used only by cancelled pre-saves loses its tokens, account id and
 * display name (it can do nothing more for the fan).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const now = Date.now();
  await sql`UPDATE presaves SET account_id = 'forgotten:' || public_id, updated_at = ${now}
             WHERE status = 'cancelled' AND account_id NOT LIKE 'forgotten:%'`.execute(db);
  await sql`UPDATE grants
               SET account_id = 'forgotten:' || cast(id as text), display_name = NULL, access_token_enc = '',
                   refresh_token_enc = NULL, access_expires_at = NULL,
                   status = CASE WHEN status = 'active' THEN 'released' ELSE status END, updated_at = ${now}
             WHERE account_id NOT LIKE 'forgotten:%'
               AND EXISTS (SELECT 1 FROM presaves p WHERE p.grant_id = grants.id)
               AND NOT EXISTS (SELECT 1 FROM presaves p WHERE p.grant_id = grants.id AND p.status <> 'cancelled')`.execute(db);
}
