import { type Kysely } from 'kysely';
import { type Dialect } from '../dialect.js';

/** webhooks (docs/webhooks.md). Filled in by the webhooks work. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {}
