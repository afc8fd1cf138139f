import type { Kysely } from 'kysely';
import { idColumn, type Dialect } from '../dialect.js';
import { bumpPageVersionOnWrite } from './page-version-trigger.js';

/**
 * Growth (docs/growth.md): referral links and the leaderboard, contests, the vault of bonus content
 * and early-access previews. Every fan-owned row hangs off the pre-save (or the contact) it belongs
 * to with ON DELETE CASCADE, so erasing a pre-save (presaves/lifecycle/erase.ts) or a contact takes
 * its referral code, the referrals made through it, its own referral, its unlocks and downloads.
 * Whatever a fan's browser, device or network is, only keyed hashes of it are stored (reach/keys.ts).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // Per-campaign growth settings a public page shows (watched by the page-version triggers below).
  await db.schema
    .createTable('growth_settings')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id'))
    // 0/1: /{slug}/leaderboard is public (names fans chose to show; never emails or account ids).
    .addColumn('leaderboard_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A fan's personal share link `/{slug}?r=<code>`: owned by a pre-save or by a confirmed contact.
  await db.schema
    .createTable('referral_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('presave_id', 'bigint', (c) => c.references('presaves.id').onDelete('cascade'))
    .addColumn('contact_id', 'bigint', (c) => c.references('contacts.id').onDelete('cascade'))
    // The name the fan chose to show on the leaderboard (null: shown as "a fan", never an address).
    .addColumn('display_name', 'text')
    // 0/1: the artist hid the name (the entry stays, its name does not show).
    .addColumn('name_hidden', 'integer', (c) => c.notNull().defaultTo(0))
    // Keyed hashes of the owner's provider account, browser, device profile and network, taken when
    // the code was made: a referral matching them is the owner's own (self-referral).
    .addColumn('account_key', 'text')
    .addColumn('browser_key', 'text')
    .addColumn('device_key', 'text')
    .addColumn('network_key', 'text')
    // First-touch visits through the link (counted when the attribution cookie is set, not per reload).
    .addColumn('visits', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('referral_codes_presave', ['presave_id'])
    .addUniqueConstraint('referral_codes_contact', ['campaign_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('referral_codes_campaign').on('referral_codes').column('campaign_id').execute();

  // One row per pre-save that arrived through a referral link. Whether it counts is derived: the
  // decision below, then the referred pre-save's status (saved = verified in the library).
  await idColumn(db.schema.createTable('referrals'), dialect)
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('code', 'text', (c) => c.notNull().references('referral_codes.code').onDelete('cascade'))
    // Not unique: a fan who pre-saved already and comes back through a link (again, or another
    // fan's) is recorded too — excluded, with its reason, for the artist to see (referrals/decide.ts).
    .addColumn('presave_id', 'bigint', (c) => c.notNull().references('presaves.id').onDelete('cascade'))
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('browser_key', 'text')
    .addColumn('device_key', 'text')
    .addColumn('network_key', 'text')
    // ok | held | excluded | approved | rejected (growth/referrals/decide.ts)
    .addColumn('decision', 'text', (c) => c.notNull())
    // Why held or excluded: self_referral, same_account, same_browser, burst_device, burst_network, hourly_cap…
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('referrals_code').on('referrals').columns(['code', 'created_at']).execute();
  await db.schema.createIndex('referrals_account').on('referrals').columns(['campaign_id', 'account_key']).execute();
  await db.schema.createIndex('referrals_presave').on('referrals').column('presave_id').execute();
  await db.schema.createIndex('referrals_browser').on('referrals').columns(['campaign_id', 'browser_key']).execute();

  // A contest per campaign (growth/contests).
  await db.schema
    .createTable('contests')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('prize', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('points_presave', 'integer', (c) => c.notNull())
    .addColumn('points_referral', 'integer', (c) => c.notNull())
    .addColumn('points_contact', 'integer', (c) => c.notNull())
    // top | draw
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('winners', 'integer', (c) => c.notNull())
    // The draw's seed, published (shown on the rules page) before the draw: anyone can re-run it.
    .addColumn('seed', 'text')
    .addColumn('seed_published_at', 'bigint')
    .addColumn('drawn_at', 'bigint')
    // Added by the contest branch (issue 13): the entries the draw ran on, JSON [[code, points], …]
    // sorted by code, frozen at the draw. Points move after it (a save verified on release day, a
    // fan who erases their pre-save), so without them a published draw could not be re-run.
    .addColumn('entries', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('contest_winners')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('contests.campaign_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().references('referral_codes.code').onDelete('cascade'))
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('drawn_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('contest_winners_pk', ['campaign_id', 'position'])
    .execute();

  // The vault: bonus files (in the blob store) or external links, each with an unlock rule.
  await idColumn(db.schema.createTable('vault_items'), dialect)
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // file | link
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('filename', 'text')
    .addColumn('mime', 'text')
    .addColumn('size', 'bigint')
    .addColumn('sha256', 'text')
    .addColumn('url', 'text')
    // presave | contact | referrals | release
    .addColumn('unlock', 'text', (c) => c.notNull())
    .addColumn('unlock_referrals', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vault_items_campaign').on('vault_items').columns(['campaign_id', 'position']).execute();
  // First time a fan's receipt showed an item unlocked (the dashboard's "unlocks").
  await db.schema
    .createTable('vault_unlocks')
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('vault_items.id').onDelete('cascade'))
    .addColumn('presave_id', 'bigint', (c) => c.notNull().references('presaves.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vault_unlocks_pk', ['item_id', 'presave_id'])
    .execute();
  await idColumn(db.schema.createTable('vault_downloads'), dialect)
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('vault_items.id').onDelete('cascade'))
    .addColumn('presave_id', 'bigint', (c) => c.notNull().references('presaves.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    // The download's number for this fan and item (1, 2, …): unique, so two downloads started at
    // once cannot both take the last one (READ COMMITTED lets both see the same count on PostgreSQL).
    .addColumn('slot', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vault_downloads_fan').on('vault_downloads').columns(['item_id', 'presave_id', 'slot']).unique().execute();

  // Early access: one preview clip per campaign and the moment pre-savers may hear it.
  await db.schema
    .createTable('previews')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    // upload | cut (the first N seconds of an uploaded track, cut by ffmpeg)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('seconds', 'integer')
    .addColumn('available_from', 'bigint', (c) => c.notNull())
    // Set when the artist chose "N hours before the release": the moment is then computed from the
    // campaign's current first release instant, so it follows a rescheduled release (available_from
    // keeps the instant it was when saved). Null: available_from is the moment.
    .addColumn('hours_before', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // The referral link a fan came through, carried from the connect to the stored pre-save (first touch).
  await db.schema.alterTable('oauth_states').addColumn('referral', 'text').execute();

  // The campaign page links to the public leaderboard and the contest's rules: a change to either
  // must reach the page cache like any other write a public page shows (migration 017).
  for (const table of ['growth_settings', 'contests']) await bumpPageVersionOnWrite(db, dialect, table);
}
