import type { Db } from '../db/index.js';
import { recordEvent } from './deliveries/index.js';
import { presaveData, type CampaignFacts, type PresaveFacts } from './payloads.js';

/**
 * `presave.created`, recorded in the transaction that stores the pre-save (web/routes/connect.ts):
 * both are written or neither. (The other events are states the sweep finds: sweep.ts.)
 * Costs one small read when the workspace has no endpoint.
 */
export async function presaveCreated(
  trx: Db,
  campaign: CampaignFacts & { id: number },
  presave: PresaveFacts & { id: number },
  now: number,
): Promise<void> {
  const ws = await trx.selectFrom('campaigns').select('workspace_id').where('id', '=', campaign.id).executeTakeFirst();
  // A campaign made from the command line belongs to no workspace: nobody to send to.
  if (ws?.workspace_id == null) return;
  await recordEvent(
    trx,
    {
      workspaceId: Number(ws.workspace_id),
      type: 'presave.created',
      // A fan who authorizes again after cancelling pre-saved again: a new event.
      dedupe: `presave.created:${presave.id}:${now}`,
      occurredAt: now,
      data: presaveData(campaign, presave),
    },
    now,
  );
}
