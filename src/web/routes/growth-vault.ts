import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { reserve } from '../../accounts/throttle.js';
import type { AppContext } from '../../context.js';
import { DropdayError, RetryLaterError, ValidationError, type ErrorCode } from '../../errors.js';
import { checkSignedLink } from '../../growth/signed-links.js';
import { blobStore } from '../../growth/storage/index.js';
import { countDownload, downloadsOf } from '../../growth/vault/downloads.js';
import { addVaultFile, addVaultLink, removeVaultItem, vaultItem, type ItemFields } from '../../growth/vault/items.js';
import { fanStanding, qualifies } from '../../growth/vault/unlock.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import type { MultipartBody } from '../../editor/multipart.js';
import { findPresaveByPublicId } from '../../presaves/repo.js';
import { reachKeys } from '../../reach/keys.js';
import { requireRole } from '../auth-hooks.js';
import { parseRange, sendBlob } from '../blob-response.js';
import { ERROR_CODE_HEADER } from '../errors.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { formFields, isMultipartBody } from '../form-fields.js';
import type { ArtistInput } from '../growth/types.js';
import { refusedVaultForms } from '../growth/vault-artist.js';
import { vaultRefusalPage } from '../growth/vault-pages.js';
import type { GrowthScope } from './growth.js';

/** Vault links opened per network per 10 minutes (a download with seeks and resumes is a few requests). */
const VAULT_IP_LIMIT = { windowMs: 600_000, max: 600 };
const ITEM_ID = /^\d{1,15}$/;

type FanParams = { Params: { publicId: string; itemId: string }; Querystring: { exp?: unknown; sig?: unknown } };
type ArtistParams = { Params: { workspace: string; slug: string } };
type ItemParams = { Params: { workspace: string; slug: string; itemId: string } };

/**
 * The vault's routes (docs/vault.md):
 * - `GET /p/:publicId/vault/:itemId?exp&sig` — a fan's download (or link) through the signed,
 *   expiring address their receipt made; refused with a page in their language when expired, not
 *   theirs or tampered with (403), still locked (403) or over the per-fan limit (429). A file is
 *   sent as an attachment with ranges; a link item redirects to its stored https address.
 * - the artist's `POST …/growth/vault/files` (multipart upload), `…/links` and `…/:itemId/remove`.
 */
export function vaultRoutes(app: FastifyInstance, ctx: AppContext, scope: GrowthScope): void {
  function refuse(
    req: FastifyRequest,
    reply: FastifyReply,
    o: { status: 403 | 404 | 429; code: ErrorCode; lang: Lang; title: MessageKey; message: string; receipt: string },
  ): FastifyReply {
    return reply
      .code(o.status)
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .header(ERROR_CODE_HEADER, `DROPDAY_ERR_${o.code}`)
      .send(vaultRefusalPage({ nonce: req.cspNonce, lang: o.lang, title: o.title, message: o.message, receipt: o.receipt }).value);
  }

  app.get<FanParams>('/p/:publicId/vault/:itemId', async (req, reply) => {
    const now = ctx.now();
    const slot = await reserve(ctx.db, 'vault-ip', reachKeys(ctx).hash('network', req.ip), now, VAULT_IP_LIMIT);
    if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
    const { publicId, itemId } = req.params;
    const presave = await findPresaveByPublicId(ctx.db, publicId);
    if (!presave) throw new DropdayError('PRESAVE_NOT_FOUND');
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, presave.lang));
    const receipt = `/p/${presave.public_id}`;
    const say = (status: 403 | 404 | 429, code: ErrorCode, title: MessageKey, message: string) =>
      refuse(req, reply, { status, code, lang, title, message, receipt });

    const link = ITEM_ID.test(itemId) ? checkSignedLink(ctx, 'vault', presave.public_id, itemId, req.query.exp, req.query.sig) : 'invalid';
    if (link === 'expired') return say(403, 'ACCESS_DENIED', 'vault.link_expired_title', t(lang, 'vault.link_expired'));
    if (link !== 'ok') return say(403, 'ACCESS_DENIED', 'vault.link_invalid_title', t(lang, 'vault.link_invalid'));
    const item = await vaultItem(ctx.db, presave.campaign_id, Number(itemId));
    if (!item) return say(404, 'NOT_FOUND', 'errors.title_not_found', t(lang, 'vault.gone'));
    if (!qualifies(item, await fanStanding(ctx.db, presave, [item], now)))
      return say(403, 'ACCESS_DENIED', 'vault.not_qualified_title', t(lang, 'vault.not_qualified'));

    if (item.kind === 'link') {
      // Counted for the artist's report, never limited; the address is the one the artist stored (https, checked).
      await countDownload(ctx.db, item.id, presave.id, Number.MAX_SAFE_INTEGER, now);
      return reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').redirect(item.url!, 302);
    }
    // A download starts at byte 0; a resume or seek (a Range further on) is not another one — once one was started.
    const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, Number(item.size ?? 0));
    const fromStart = range === 'whole' || (range !== 'unsatisfiable' && range.start === 0);
    // A range past the end (416) sends nothing and counts nothing.
    if (range !== 'unsatisfiable' && (fromStart || (await downloadsOf(ctx.db, item.id, presave.id)) === 0)) {
      const limit = ctx.config.growth.vault.downloadsPerFan;
      if (!(await countDownload(ctx.db, item.id, presave.id, limit, now)))
        return say(429, 'RATE_LIMITED', 'vault.limit_title', t(lang, 'vault.limit_reached', { limit }));
    }
    await sendBlob(req, reply, blobStore(ctx), {
      key: item.storage_key!,
      contentType: item.mime ?? 'application/octet-stream',
      disposition: 'attachment',
      filename: item.filename,
    });
    return reply;
  });

  /** The artist's side: the campaign may be changed by this person now (editor, not archived, not an operator looking in). */
  async function editable(req: FastifyRequest): Promise<ArtistInput> {
    const input = await scope.artistInput(req);
    if (input.campaign.status === 'archived')
      throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived; its vault can no longer be changed.');
    if (!input.mayEdit) throw new DropdayError('FORBIDDEN');
    return input;
  }

  /** A refused form: the whole Growth page again, with each problem beside its vault field and what was typed kept. */
  function refused(
    req: FastifyRequest,
    reply: FastifyReply,
    input: ArtistInput,
    form: 'file' | 'link',
    err: ValidationError,
    status: number,
  ) {
    refusedVaultForms.show(req, { form, errors: err.details ?? {}, typed: formFields(req.body) });
    return scope.page(req, reply, input, status);
  }

  const fieldsOf = (body: unknown): ItemFields & { url: string } => {
    const f = formFields(body);
    const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');
    return { title: one(f.title), unlock: one(f.unlock), referrals: one(f.referrals), url: one(f.url) };
  };

  app.post<ArtistParams>(
    '/w/:workspace/campaigns/:slug/growth/vault/files',
    scope.upload(ctx.config.growth.vault.maxFileBytes),
    async (req, reply) => {
      const input = await editable(req);
      const file = isMultipartBody(req.body) ? ((req.body as unknown as MultipartBody).files.get('file') ?? null) : null;
      try {
        await addVaultFile(ctx, input.campaign.id, fieldsOf(req.body), file);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return refused(req, reply, input, 'file', err, file?.tooLarge && err.details?.file ? 413 : 400);
      }
      return reply.redirect(`${input.base}/growth?done=vault-file-added#vault`, 303);
    },
  );

  app.post<ArtistParams>('/w/:workspace/campaigns/:slug/growth/vault/links', { preHandler: requireRole('editor') }, async (req, reply) => {
    const input = await editable(req);
    try {
      await addVaultLink(ctx, input.campaign.id, fieldsOf(req.body));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return refused(req, reply, input, 'link', err, 400);
    }
    return reply.redirect(`${input.base}/growth?done=vault-link-added#vault`, 303);
  });

  app.post<ItemParams>(
    '/w/:workspace/campaigns/:slug/growth/vault/:itemId/remove',
    { preHandler: requireRole('editor') },
    async (req, reply) => {
      const input = await editable(req);
      const id = ITEM_ID.test(req.params.itemId) ? Number(req.params.itemId) : NaN;
      if (!Number.isFinite(id) || !(await removeVaultItem(ctx, input.campaign.id, id)))
        throw new DropdayError('NOT_FOUND', 'There is no such vault item in this campaign (it may have been removed already).');
      return reply.redirect(`${input.base}/growth?done=vault-removed#vault`, 303);
    },
  );
}
