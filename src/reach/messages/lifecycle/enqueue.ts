import type { Db } from '../../../db/index.js';
import type { MessageChannel, MessageType } from '../../../db/schema-reach.js';

/**
 * Create: a message waiting for its moment (`next_attempt_at`). `dedupe` names what the message is
 * for (`out_now:c:<contact>:<campaign>`): a second enqueue of the same thing is a no-op, so a fan
 * never gets a message twice because two paths scheduled it. Returns the new id, or null when one
 * already existed.
 */
export interface NewMessage {
  campaignId: number;
  type: MessageType;
  channel: MessageChannel;
  contactId?: number | null;
  pushId?: number | null;
  presaveId?: number | null;
  dedupe: string | null;
  /** The governor key: `mail:smtp`, or `push:<host>`. */
  channelKey: string;
  lang: string;
  dueAt: number;
}

export async function enqueueMessage(db: Db, m: NewMessage, now: number): Promise<number | null> {
  const row = await db
    .insertInto('messages')
    .values({
      campaign_id: m.campaignId,
      type: m.type,
      channel: m.channel,
      contact_id: m.contactId ?? null,
      push_id: m.pushId ?? null,
      presave_id: m.presaveId ?? null,
      dedupe: m.dedupe,
      channel_key: m.channelKey,
      lang: m.lang,
      status: 'pending',
      next_attempt_at: m.dueAt,
      lease_owner: null,
      lease_token: null,
      lease_until: null,
      last_error: null,
      failure_reason: null,
      variant: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('dedupe').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
