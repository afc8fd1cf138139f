import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import { assertCampaignInWorkspace } from '../../accounts/campaigns.js';
import type { Campaign } from '../../campaigns/repo.js';
import { parseReleaseAt, isValidTimeZone, releaseWindow } from '../../campaigns/timing.js';
import type { AppContext } from '../../context.js';
import { ArtworkProblem, MAX_ARTWORK_BYTES, processArtwork, storedFilePath } from '../../editor/artwork.js';
import { one, planFromForm, type FormValues } from '../../editor/form.js';
import { campaignTimeline, timingWarning } from '../../editor/guidance.js';
import { readMultipart, removeUploads, type MultipartBody, type UploadedFile } from '../../editor/multipart.js';
import { uncheckedWarning, type IdWarning, type UncheckedReason } from '../../campaigns/id-check.js';
import { isServiceId } from '../../providers/services.js';
import {
  archiveCampaign,
  checkPlanIds,
  restoreCampaign,
  createFromPlan,
  duplicateCampaign,
  editorState,
  setArtwork,
  updateFromPlan,
  workspaceCampaigns,
  type EditorState,
} from '../../editor/service.js';
import { DropdayError, ValidationError } from '../../errors.js';
import { campaignStatusCounts } from '../../presaves/repo.js';
import { requireRole, userOf, workspaceOf } from '../auth-hooks.js';
import { assertCsrf, CSRF_FIELD, CSRF_HEADER, sameOrigin } from '../csrf.js';
import { formFields, isMultipartBody } from '../form-fields.js';
import { html } from '../html.js';
import { sendPage } from '../views/auth/shell.js';
import { campaignsListPage, DONE, EDITOR_SCRIPT, EDITOR_STYLE, editorPage, type EditorPageData } from '../views/editor/pages.js';
import { previewHtml } from '../views/editor/preview.js';
import { archiveConfirmPage } from '../views/editor/archive-confirm.js';
import { foundLinkRoutes, foundLinksData } from './found-links.js';
import { conversionSettingsRoutes, conversionsData } from './conversions.js';

/**
 * The most an upload form's body may be. Artwork is at most 25 MB; a larger file (up to this) is
 * still read to its end, without keeping it, so the fields after it arrive and the form comes back
 * with everything the artist typed and the reason next to the artwork field. Past this, the
 * request is refused at once as too large.
 */
export const UPLOAD_BODY_LIMIT = 64 * 1024 * 1024;

/** Uploads in progress: under DATA_DIR (same disk as the artwork, the operator's own space). */
export const uploadTmpDir = (dataDir: string): string => path.join(dataDir, 'tmp');

type WsParams = { Params: { workspace: string } };
type CampaignParams = { Params: { workspace: string; slug: string } };
type AssetParams = { Params: { campaignId: string; version: string; file: string } };

declare module 'fastify' {
  interface FastifyInstance {
    dropdayEditor: boolean;
  }
}

/**
 * Upload forms: the role, and that the browser sent the form from this site, are checked before
 * the body is read, so nobody else can make the server read a large upload. The token is the
 * form's first field (or the X-CSRF-Token header), checked before the first file is written and
 * again once the body is parsed (forms without a file): tokens never travel in addresses, where
 * they would reach the history, the log and Referer headers.
 */
export const uploadOrigin: onRequestAsyncHookHandler = async (req) => {
  if (!sameOrigin(req)) throw new DropdayError('CSRF', 'This form was sent from another site, so it was refused.');
};
export const uploadCsrf: preValidationAsyncHookHandler = async (req) => {
  assertCsrf(req, formValuesOf(req.body)[CSRF_FIELD] ?? req.headers[CSRF_HEADER]);
};

/** The form's fields, type-checked: only the service checkboxes may repeat. */
function formValuesOf(body: unknown): FormValues {
  return formFields(body, ['services']);
}

function fileOf(body: unknown, field = 'artwork'): UploadedFile | null {
  return isMultipartBody(body) ? ((body as MultipartBody).files.get(field) ?? null) : null;
}

/** A refused artwork is 413 when it was too large, 400 otherwise. */
const refusedStatus = (file: UploadedFile | null, errors: Record<string, string>) => (file?.tooLarge && errors.artwork ? 413 : 400);

/**
 * Ids saved unchecked travel to the page after the save's redirect as `unchecked=<field>:<reason>,…`
 * (field names and reason codes only); the page words them from the saved values.
 */
function uncheckedParam(warnings: IdWarning[]): string {
  return warnings.length ? `&unchecked=${encodeURIComponent(warnings.map((w) => `${w.field}:${w.reason}`).join(','))}` : '';
}

const UNCHECKED_REASONS: readonly UncheckedReason[] = ['credentials', 'timeout', 'unreachable'];

function uncheckedWarnings(param: string, values: FormValues): string[] {
  const out: string[] = [];
  for (const item of param.split(',').slice(0, 20)) {
    const m = /^(artist|match)_([a-z-]{1,20}):([a-z]{1,20})$/.exec(item);
    if (!m || !isServiceId(m[2]!) || !UNCHECKED_REASONS.includes(m[3] as UncheckedReason)) continue;
    const given = one(values[`${m[1]}_${m[2]}`]);
    out.push(uncheckedWarning(m[2]!, m[1] === 'artist' ? 'artist' : 'release', m[3] as UncheckedReason, given || undefined));
  }
  return out;
}

/** The form values of a saved campaign. */
export function valuesOfCampaign(c: Campaign, s: EditorState): FormValues {
  const v: FormValues = {
    artist: c.artist_name,
    title: c.title,
    type: c.release_type,
    upc: c.upc ?? '',
    isrcs: c.isrcs.join('\n'),
    releaseAt: c.release_local.slice(0, 16),
    timezone: c.release_timezone,
    timing: c.timing,
    services: [...c.services],
    followArtist: c.follow_artist ? 'on' : '',
    slug: c.slug,
    themeAccent: s.settings.themeAccent ?? '',
    themeBackground: s.settings.themeBackground ?? '',
    languages: s.settings.languages.join(', '),
  };
  for (const [service, id] of s.artistIds) v[`artist_${service}`] = id.url ?? id.uri;
  for (const [service, url] of s.links) v[`link_${service}`] = url;
  for (const [service, ref] of s.matches) v[`match_${service}`] = ref;
  return v;
}

/**
 * Streamed multipart bodies for the upload routes of `scope`: files go to a temporary file as they
 * arrive, each at most `maxFileBytes(req)` (and the route's body limit); the CSRF token (the form's
 * first field) is checked before a file is written, not after; the files are removed before the
 * answer goes out (the handler is done with them), so none outlives its request.
 */
export function multipartUploads(scope: FastifyInstance, ctx: AppContext, maxFileBytes: (req: FastifyRequest) => number): void {
  scope.addContentTypeParser('multipart/form-data', async (req: FastifyRequest, payload: AsyncIterable<Buffer>) => {
    const bodyLimit = req.routeOptions.bodyLimit ?? 64 * 1024;
    const declared = Number(req.headers['content-length']);
    return readMultipart(
      payload,
      req.headers['content-type'] ?? '',
      {
        maxFileBytes: Math.min(maxFileBytes(req), bodyLimit),
        maxBodyBytes: bodyLimit,
        tmpDir: uploadTmpDir(ctx.config.dataDir),
        beforeFile: (fields) => assertCsrf(req, fields.get(CSRF_FIELD)?.[0] ?? req.headers[CSRF_HEADER]),
      },
      Number.isFinite(declared) ? declared : undefined,
    );
  });
  scope.addHook('onSend', async (req, _reply, payload) => {
    await removeUploads(req.body);
    return payload;
  });
}

/** The campaign editor: list, create, edit, artwork, duplicate, archive, live preview, artwork files. */
export function editorRoutes(app: FastifyInstance, ctx: AppContext): void {
  if (app.hasDecorator('dropdayEditor')) return;
  app.decorate('dropdayEditor', true);

  app.get<AssetParams>('/assets/artwork/:campaignId/:version/:file', async (req, reply) => {
    const file = storedFilePath(ctx.config.dataDir, req.params.campaignId, req.params.version, req.params.file);
    if (!file) throw new DropdayError('NOT_FOUND', 'There is no such artwork.');
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch {
      throw new DropdayError('NOT_FOUND', 'There is no such artwork.');
    }
    return reply
      .type('image/jpeg')
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .send(data);
  });

  void app.register(async (scope) => {
    multipartUploads(scope, ctx, () => MAX_ARTWORK_BYTES);
    editorScope(scope, ctx);
  });
}

function editorScope(app: FastifyInstance, ctx: AppContext): void {
  const enabled = () => ctx.providers.enabled();
  const upload = {
    bodyLimit: UPLOAD_BODY_LIMIT,
    config: { csrf: 'manual' as const },
    onRequest: [requireRole('editor') as onRequestAsyncHookHandler, uploadOrigin],
    preValidation: uploadCsrf,
  };

  function guidance(c: Campaign | null, v: FormValues) {
    if (c) {
      const warning = ctx.now() < c.first_release_at ? timingWarning(c.created_at, c.first_release_at) : null;
      return { warning, timeline: campaignTimeline(c.release_local, c.release_timezone, ctx.now()) };
    }
    const zone = one(v.timezone) || 'UTC';
    const local = isValidTimeZone(zone) ? parseReleaseAt(one(v.releaseAt), zone) : null;
    if (!local) return { warning: null, timeline: [] };
    const first = releaseWindow(local, zone, one(v.timing) === 'global' ? 'global' : 'local').firstReleaseAt;
    return { warning: timingWarning(ctx.now(), first), timeline: campaignTimeline(local, zone, ctx.now()) };
  }

  async function renderEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign | null,
    extra: Partial<EditorPageData> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const { workspace, role } = workspaceOf(req);
    const values = extra.values ?? (campaign ? valuesOfCampaign(campaign, await editorState(ctx, campaign.id)) : defaults());
    const done = one((req.query as FormValues | undefined)?.done);
    const g = guidance(campaign, values);
    const data: EditorPageData = {
      workspace,
      role,
      campaign,
      ...(campaign ? { found: await foundLinksData(ctx, campaign.id), conversions: await conversionsData(ctx, campaign.id) } : {}),
      enabledServices: enabled(),
      notice: DONE[done] ?? null,
      idWarnings: campaign ? uncheckedWarnings(one((req.query as FormValues | undefined)?.unchecked), values) : [],
      ...g,
      ...extra,
      values,
    };
    return sendPage(
      req,
      reply,
      {
        title: campaign ? `${campaign.title} — edit` : 'New campaign',
        body: html`<style nonce="${req.cspNonce}">
            ${EDITOR_STYLE}
          </style>
          ${editorPage(req, data)}
          <script nonce="${req.cspNonce}">
            ${EDITOR_SCRIPT};
          </script>`,
      },
      status,
    );
  }

  function defaults(): FormValues {
    return { type: 'single', timezone: 'UTC', timing: 'local', services: [...enabled()] };
  }

  foundLinkRoutes(app, ctx, renderEditor);
  conversionSettingsRoutes(app, ctx, renderEditor);

  const failed = (errors: Record<string, string>, fileChosen: boolean) =>
    `Nothing was saved: ${Object.keys(errors).length === 1 ? 'one field needs' : `${Object.keys(errors).length} fields need`} a change (marked below).` +
    (fileChosen && !errors.artwork ? ' Choose the artwork file again: browsers do not keep it.' : '');

  app.get<WsParams>('/w/:workspace/campaigns', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const { workspace, role } = workspaceOf(req);
    const { active, archived } = await workspaceCampaigns(ctx, workspace.id);
    const done = one((req.query as FormValues | undefined)?.done);
    return sendPage(req, reply, {
      title: `${workspace.name} — campaigns`,
      body: html`<style nonce="${req.cspNonce}">
          ${EDITOR_STYLE}
        </style>
        ${campaignsListPage(req, { workspace, role, active, archived, now: ctx.now(), notice: DONE[done] ?? null })}`,
    });
  });

  app.get<WsParams>('/w/:workspace/campaigns/new', { preHandler: requireRole('editor') }, async (req, reply) =>
    renderEditor(req, reply, null),
  );

  app.post<WsParams>('/w/:workspace/campaigns/new', upload, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const values = formValuesOf(req.body);
    const file = fileOf(req.body);
    try {
      const plan = await planFromForm(values, file, {
        now: ctx.now(),
        enabledServices: enabled(),
        maxLeadDays: ctx.config.maxReleaseLeadDays,
      });
      const warnings = await checkPlanIds(ctx, plan);
      const campaign = await createFromPlan(ctx, workspace.id, plan);
      return reply.redirect(`/w/${workspace.slug}/campaigns/${campaign.slug}/edit?done=created${uncheckedParam(warnings)}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = err.details ?? {};
      return renderEditor(req, reply, null, { values, errors, message: failed(errors, !!file) }, refusedStatus(file, errors));
    }
  });

  app.get<CampaignParams>('/w/:workspace/campaigns/:slug/edit', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const campaign = await assertCampaignInWorkspace(ctx.db, workspaceOf(req).workspace.id, { slug: req.params.slug });
    return renderEditor(req, reply, campaign);
  });

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/edit', upload, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const current = await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    const values = formValuesOf(req.body);
    const file = fileOf(req.body);
    try {
      if (current.status === 'archived')
        throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived; it can no longer be changed.');
      const plan = await planFromForm(values, file, {
        now: ctx.now(),
        enabledServices: enabled(),
        current,
        maxLeadDays: ctx.config.maxReleaseLeadDays,
      });
      const warnings = await checkPlanIds(ctx, plan);
      const campaign = await updateFromPlan(ctx, current, plan);
      return reply.redirect(`/w/${workspace.slug}/campaigns/${campaign.slug}/edit?done=saved${uncheckedParam(warnings)}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = err.details ?? {};
      return renderEditor(req, reply, current, { values, errors, message: failed(errors, !!file) }, refusedStatus(file, errors));
    }
  });

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/artwork', upload, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    if (campaign.status === 'archived')
      throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived; it can no longer be changed.');
    const file = fileOf(req.body);
    try {
      if (!file) throw new ArtworkProblem('Choose an image file to upload.');
      await setArtwork(ctx, campaign, await processArtwork(file));
      return reply.redirect(`/w/${workspace.slug}/campaigns/${campaign.slug}/edit?done=artwork`, 303);
    } catch (err) {
      if (!(err instanceof ArtworkProblem)) throw err;
      return renderEditor(
        req,
        reply,
        campaign,
        { artworkError: err.message, message: `The artwork was not changed: ${err.message}` },
        file?.tooLarge ? 413 : 400,
      );
    }
  });

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/duplicate', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const source = await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    const values = formValuesOf(req.body);
    try {
      const copy = await duplicateCampaign(ctx, workspace.id, source, { releaseAt: one(values.releaseAt), slug: one(values.slug) });
      return reply.redirect(`/w/${workspace.slug}/campaigns/${copy.slug}/edit?done=duplicated`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderEditor(
        req,
        reply,
        source,
        { duplicate: { values, errors: err.details ?? {} }, message: 'The campaign was not duplicated: see the Duplicate section below.' },
        400,
      );
    }
  });

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/archive', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    // Archiving cancels fans' pre-saves: first a page that says how many, then the confirmed POST.
    const values = formValuesOf(req.body);
    const pending = (await campaignStatusCounts(ctx.db, campaign.id, ctx.now())).pending;
    const confirmed = /^\d{1,9}$/.test(one(values.pending)) ? Number(one(values.pending)) : null;
    if (campaign.status !== 'archived' && (one(values.confirm) !== 'yes' || confirmed === null || pending > confirmed)) {
      return sendPage(req, reply, {
        title: `Archive ${campaign.title}?`,
        body: html`<style nonce="${req.cspNonce}">
            ${EDITOR_STYLE}
          </style>
          ${archiveConfirmPage(req, { workspace, campaign, pending, changed: confirmed !== null && pending > confirmed })}`,
      });
    }
    await archiveCampaign(ctx, campaign, userOf(req).id);
    return reply.redirect(`/w/${workspace.slug}/campaigns?done=archived`, 303);
  });

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/restore', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    await restoreCampaign(ctx, campaign);
    return reply.redirect(`/w/${workspace.slug}/campaigns/${campaign.slug}/edit?done=restored`, 303);
  });

  /**
   * The live preview, shown in the editor's iframe: this page may be framed by this site only, and
   * may show the not-yet-uploaded artwork the editor gives it as a blob: URL.
   */
  app.get<CampaignParams>(
    '/w/:workspace/campaigns/:slug/preview',
    {
      preHandler: requireRole('editor'),
      onSend: async (req, reply) => {
        reply.header('X-Frame-Options', 'SAMEORIGIN');
        reply.header(
          'Content-Security-Policy',
          `default-src 'self'; img-src 'self' https: data: blob:; style-src 'nonce-${req.cspNonce}'; ` +
            `script-src 'nonce-${req.cspNonce}'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; ` +
            // Sandboxed even when opened on its own: an origin of its own, scripts only.
            'sandbox allow-scripts',
        );
      },
    },
    async (req, reply) => {
      const { workspace } = workspaceOf(req);
      const current = req.params.slug === 'new' ? null : await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
      const values = (req.query ?? {}) as FormValues;
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(previewHtml(values, { now: ctx.now(), enabled: enabled(), current, nonce: req.cspNonce }));
    },
  );
}
