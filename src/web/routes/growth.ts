import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { assertCampaignInWorkspace } from '../../accounts/campaigns.js';
import { canEdit } from '../../accounts/roles.js';
import type { AppContext } from '../../context.js';
import { closeBlobStore } from '../../growth/storage/index.js';
import type { Campaign } from '../../campaigns/repo.js';
import { requireRole, workspaceOf } from '../auth-hooks.js';
import { growthSettings } from '../growth/artist.js';
import type { ArtistInput } from '../growth/types.js';
import { html } from '../html.js';
import { sendPage } from '../views/auth/shell.js';
import { campaignBase } from '../views/dashboard/campaign.js';
import { multipartUploads, uploadCsrf, uploadOrigin } from './editor.js';
import { contestRoutes } from './growth-contest.js';
import { previewRoutes } from './growth-preview.js';
import { referralsRoutes } from './growth-referrals.js';
import { referralsArtistRoutes } from './growth-referrals-artist.js';
import { vaultRoutes } from './growth-vault.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Largest file part a growth upload route keeps (vault files, preview clips). */
    maxFileBytes?: number;
  }
}

/** What the growth route modules share: the artist's input for a campaign route, and upload options. */
export interface GrowthScope {
  /** The campaign of `/w/:workspace/campaigns/:slug/…` with the viewer's role (run after requireRole). */
  artistInput(req: FastifyRequest): Promise<ArtistInput>;
  /**
   * Route options for a multipart upload of at most `maxFileBytes`: editor role and same-site
   * checked before the body is read, the CSRF token (the form's first field) before the first
   * file is written; temporary files are removed once the answer is sent.
   */
  upload(maxFileBytes: number): {
    bodyLimit: number;
    config: { csrf: 'manual'; maxFileBytes: number };
    onRequest: onRequestAsyncHookHandler[];
    preValidation: typeof uploadCsrf;
  };
  /** Sends the Growth page for this input (a form's errors go in its section's own state first). */
  page(req: FastifyRequest, reply: FastifyReply, input: ArtistInput, status?: number): Promise<FastifyReply>;
}

/** The artist's input for the growth views of `campaign` (the Growth page, the dashboard's panels). */
export function growthInput(ctx: AppContext, req: FastifyRequest, campaign: Campaign): ArtistInput {
  const { workspace, role } = workspaceOf(req);
  return {
    ctx,
    req,
    campaign,
    workspace,
    role,
    mayEdit: canEdit(role) && !req.operatorAccess && campaign.status !== 'archived',
    base: campaignBase(workspace.slug, campaign.slug),
    now: ctx.now(),
  };
}

async function sendGrowthPage(req: FastifyRequest, reply: FastifyReply, input: ArtistInput, status = 200): Promise<FastifyReply> {
  const c = input.campaign;
  return sendPage(
    req,
    reply,
    {
      title: `${c.title} — growth`,
      body: html`<p class="crumbs">
          <a href="/w/${input.workspace.slug}">${input.workspace.name}</a> / <a href="${input.base}">${c.title}</a> / Growth
        </p>
        <h1>Growth: referrals, contest, vault, early access</h1>
        ${input.mayEdit ? '' : html`<p class="muted">Editors of this workspace can change these settings.</p>`}
        ${await growthSettings(input)}`,
    },
    status,
  );
}

/**
 * The campaign's Growth page (each section shows its own notice for `?done=<code>` after a POST
 * redirects back here): `/w/:workspace/campaigns/:slug/growth` (referrals and the
 * leaderboard, the contest, the vault, early access) and each part's routes.
 */
export function growthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onClose', async () => closeBlobStore(ctx));
  void app.register(async (scope) => {
    // Streamed like the editor's uploads, with each route's own file limit.
    multipartUploads(scope, ctx, (req) => req.routeOptions.config.maxFileBytes ?? 0);

    const shared: GrowthScope = {
      async artistInput(req) {
        const { slug } = req.params as { slug: string };
        return growthInput(ctx, req, await assertCampaignInWorkspace(ctx.db, workspaceOf(req).workspace.id, { slug }));
      },
      upload(maxFileBytes) {
        return {
          // Room for the form's text fields beside the file.
          bodyLimit: maxFileBytes + 1024 * 1024,
          config: { csrf: 'manual', maxFileBytes },
          onRequest: [requireRole('editor') as onRequestAsyncHookHandler, uploadOrigin],
          preValidation: uploadCsrf,
        };
      },
      page: sendGrowthPage,
    };

    scope.get<{ Params: { workspace: string; slug: string } }>(
      '/w/:workspace/campaigns/:slug/growth',
      { preHandler: requireRole('viewer') },
      async (req, reply) => sendGrowthPage(req, reply, await shared.artistInput(req)),
    );

    referralsRoutes(scope, ctx, shared);
    referralsArtistRoutes(scope, ctx, shared);
    contestRoutes(scope, ctx, shared);
    vaultRoutes(scope, ctx, shared);
    previewRoutes(scope, ctx, shared);
  });
}
