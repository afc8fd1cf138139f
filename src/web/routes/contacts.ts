import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { reserve, throttleKey } from '../../accounts/throttle.js';
import type { Campaign } from '../../campaigns/repo.js';
import { isValidTimeZone } from '../../campaigns/timing.js';
import type { AppContext } from '../../context.js';
import { DropdayError, RetryLaterError } from '../../errors.js';
import { isLang, isolate, matchLang, t, type Lang } from '../../i18n/index.js';
import { findPresaveByPublicId, type PresaveRow } from '../../presaves/repo.js';
import { normalizeEmail } from '../../reach/address.js';
import { captureContact, type CaptureResult } from '../../reach/contacts/capture.js';
import { confirmContact } from '../../reach/contacts/confirm.js';
import { conversionsOnConfirm } from '../../conversions/on-confirm.js';
import { requestFacts } from './connect.js';
import { eraseContact } from '../../reach/contacts/erase.js';
import { contactAddress, contactConsents, findContact, findContactByManage, type ContactRow } from '../../reach/contacts/read.js';
import { unsubscribeContact, withdrawPurpose } from '../../reach/contacts/withdraw.js';
import type { ContactPurpose } from '../../reach/contacts/words.js';
import { reachKeys } from '../../reach/keys.js';
import { csrfField } from '../csrf.js';
import { ensureContactCode } from '../../growth/referrals/codes.js';
import { personalLink } from '../growth/referral-receipt.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { formFields, type FormFields } from '../form-fields.js';
import { campaignIdKey, type PublicPageData } from '../public-page-data.js';
import type { PageEntry } from '../page-cache.js';
import {
  confirmedPage,
  confirmSentPage,
  contactErasedPage,
  linkProblemPage,
  preferencesPage,
  remindProblemPage,
  unsubscribePage,
} from '../views/contact-pages.js';
import type { RemindFormOptions, RemindFormValues } from '../views/remind-form.js';

/**
 * Fans' contacts (docs/reach.md, "Contacts and consent"):
 * - POST /:slug/remind — the campaign page's reminder form. The page is cached with the same
 *   bytes for every visitor, so it carries no CSRF token: the route takes the Sec-Fetch-Site /
 *   Origin check only (`csrf: 'manual'`, web/csrf.ts). What a forged cross-site post could do —
 *   leave someone's address — ends in a confirmation mail the owner ignores, and is rate-limited.
 * - POST /p/:publicId/remind — the same on the receipt page (an app page: full CSRF check); its
 *   consents name the pre-save, so the release-day message is that pre-save's receipt.
 * - GET /c/confirm/:token — double opt-in.
 * - GET /c/:manage, POST /c/:manage/withdraw, POST /c/:manage/erase — the preference page.
 * - GET + POST /c/:manage/unsubscribe — RFC 8058 one-click unsubscribe. Mail clients post it
 *   cross-site without cookies; the manage id is the capability (`csrf: 'capability'`).
 * Bad input is a 4xx page naming the problem in the fan's language, the form kept filled.
 */

/** Fan pages whose address is a capability: no Referer to other sites (see web/routes/public.ts). */
const REFERRER_POLICY = 'same-origin';

function one(f: FormFields, name: string): string {
  const v = f[name];
  return typeof v === 'string' ? v : '';
}

function sendPage(reply: FastifyReply, status: number, body: { value: string }): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', REFERRER_POLICY)
    .send(body.value);
}

/** The zone of a contact's pages' dates: the zone they gave with their latest consent, else UTC. */
function zoneOf(consents: { timezone?: string | null }[]): string {
  for (let i = consents.length - 1; i >= 0; i--) {
    const tz = consents[i]!.timezone;
    if (tz && isValidTimeZone(tz)) return tz;
  }
  return 'UTC';
}

export function contactRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pages = app.publicPages;

  /** The services a reminder can link to: offered pre-saves, then every link-out with a release link. */
  function remindServices(data: PublicPageData): string[] {
    const offered: string[] = data.offered;
    return [...offered, ...data.listen.map((l) => l.service).filter((s) => !offered.includes(s))];
  }

  /** The language of a form's answer: the form's own (the page's), among the campaign's; else the usual rules. */
  function formLang(req: FastifyRequest, f: FormFields, languages: readonly string[], remembered?: string | null): Lang {
    const asked = matchLang(one(f, 'lang'));
    return settleLang(req, asked ?? fanLang(req, languages, remembered));
  }

  async function takeSlot(req: FastifyRequest): Promise<void> {
    const slot = await reserve(ctx.db, 'remind-ip', throttleKey('remind-ip', req.ip), ctx.now(), {
      windowMs: 60_000,
      max: ctx.config.connectRate.perIp,
    });
    if (!slot.ok) {
      const minutes = Math.max(1, Math.ceil(slot.waitMs / 60_000));
      throw new RetryLaterError('RATE_LIMITED', slot.waitMs).say('contact.limited_ip', { minutes });
    }
  }

  interface FormContext {
    campaign: Campaign;
    lang: Lang;
    page: 'campaign' | 'receipt';
    action: string;
    services: string[];
    presave: PresaveRow | null;
    csrf?: RemindFormOptions['csrf'];
  }

  /** Reads, checks and captures one submission of the reminder form. */
  async function handleForm(req: FastifyRequest, reply: FastifyReply, f: FormFields, fc: FormContext): Promise<FastifyReply> {
    const { lang, campaign } = fc;
    const values: RemindFormValues = {
      email: one(f, 'email').slice(0, 320),
      remind: one(f, 'remind') !== '',
      news: one(f, 'news') !== '',
      service: one(f, 'service') || null,
      tz: one(f, 'tz').trim().slice(0, 64),
    };
    const problems: string[] = [];
    const address = normalizeEmail(values.email);
    if (!address.ok) {
      problems.push(
        address.reason === 'empty'
          ? t(lang, 'contact.email_empty')
          : address.reason === 'too_long'
            ? t(lang, 'contact.email_too_long')
            : t(lang, 'contact.email_invalid', { email: values.email.trim().slice(0, 100) }),
      );
    }
    if (!values.remind && !values.news) problems.push(t(lang, 'contact.no_purpose'));
    if (values.service !== null && !fc.services.includes(values.service)) {
      problems.push(t(lang, 'contact.service_invalid'));
      values.service = null;
    }
    // The receipt's reminder is for the fan's own release moment; the campaign page's until the last one.
    const released = ctx.now() >= (fc.presave ? fc.presave.due_at : campaign.last_release_at);
    if (values.remind && released) problems.push(t(lang, 'contact.released', { title: isolate(lang, campaign.title) }));
    const form: RemindFormOptions = {
      campaign,
      lang,
      action: fc.action,
      page: fc.page,
      services: fc.services,
      values,
      problems,
      ...(fc.csrf ? { csrf: fc.csrf } : {}),
    };
    if (problems.length || !address.ok) {
      return sendPage(reply, 400, remindProblemPage({ nonce: req.cspNonce, form, heading: t(lang, 'contact.problem_title') }));
    }
    const purposes: ContactPurpose[] = [...(values.remind ? ['remind' as const] : []), ...(values.news ? ['news' as const] : [])];
    // Without JavaScript the page sends no zone: the consent then keeps none (the campaign's is used).
    const timezone = fc.presave ? fc.presave.timezone : values.tz && isValidTimeZone(values.tz) ? values.tz : null;
    const result: CaptureResult = await captureContact(
      ctx,
      {
        campaign,
        address,
        purposes,
        lang,
        page: fc.page,
        presaveId: fc.presave?.id ?? null,
        timezone,
        service: values.service,
        ip: req.ip,
      },
      ctx.now(),
    );
    if (result.outcome === 'limited_ip') {
      // Nothing was stored: the form comes back filled, with when to try again.
      const minutes = Math.max(1, Math.ceil(result.waitMs / 60_000));
      reply.header('Retry-After', String(Math.ceil(result.waitMs / 1000)));
      const words = t(lang, 'contact.limited_ip', { minutes });
      return sendPage(
        reply,
        429,
        remindProblemPage({ nonce: req.cspNonce, form: { ...form, problems: [words] }, heading: t(lang, 'errors.title_slow_down') }),
      );
    }
    // limited_address: the choices are stored (a 200), but no new mail — the earlier mails' links still work.
    const limited = result.outcome === 'limited_address';
    return sendPage(
      reply,
      200,
      confirmSentPage({
        nonce: req.cspNonce,
        lang,
        email: address.address,
        hours: limited ? 0 : Math.round(ctx.config.reach.contacts.confirmTtlMs / 3_600_000),
        slug: campaign.slug,
        ...(limited ? { notice: t(lang, 'contact.limited_address', { minutes: Math.max(1, Math.ceil(result.waitMs / 60_000)) }) } : {}),
      }),
    );
  }

  async function activeEntry(key: string): Promise<PageEntry<PublicPageData>> {
    const entry = await pages.get(key);
    if (!entry) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (entry.data.campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    return entry;
  }

  app.post<{ Params: { slug: string } }>('/:slug/remind', { config: { csrf: 'manual' } }, async (req, reply) => {
    const f = formFields(req.body);
    settleLang(req, matchLang(one(f, 'lang')) ?? fanLang(req, ALL_LANGUAGES));
    await takeSlot(req);
    const entry = await activeEntry(req.params.slug.toLowerCase());
    const { campaign } = entry.data;
    return handleForm(req, reply, f, {
      campaign,
      lang: formLang(req, f, entry.data.languages),
      page: 'campaign',
      action: `/${campaign.slug}/remind`,
      services: remindServices(entry.data),
      presave: null,
    });
  });

  app.post<{ Params: { publicId: string } }>('/p/:publicId/remind', async (req, reply) => {
    const f = formFields(req.body);
    await takeSlot(req);
    const presave = await findPresaveByPublicId(ctx.db, req.params.publicId);
    if (!presave) throw new DropdayError('PRESAVE_NOT_FOUND');
    const entry = await activeEntry(campaignIdKey(presave.campaign_id));
    return handleForm(req, reply, f, {
      campaign: entry.data.campaign,
      lang: formLang(req, f, entry.data.languages, presave.lang),
      page: 'receipt',
      action: `/p/${presave.public_id}/remind`,
      services: [],
      presave,
      csrf: csrfField(req),
    });
  });

  app.get<{ Params: { token: string } }>('/c/confirm/:token', async (req, reply) => {
    const token = req.params.token.slice(0, 200);
    const result = await confirmContact(ctx, token, ctx.now());
    if ('error' in result) {
      // An expired link still names its contact (signed): the way back is that campaign's form.
      const payload = reachKeys(ctx).verify('confirm', token);
      const id = payload ? Number(payload.split('.')[0]) : NaN;
      const contact = Number.isSafeInteger(id) ? await findContact(ctx.db, id) : undefined;
      const slug = contact ? (await pages.get(campaignIdKey(contact.campaign_id)))?.data.campaign.slug : undefined;
      const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, contact?.lang));
      return sendPage(
        reply,
        result.error === 'invalid' ? 400 : 410,
        linkProblemPage({ nonce: req.cspNonce, lang, error: result.error, slug: slug ?? null }),
      );
    }
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, result.contact.lang));
    // The confirmation as a registration to the artist's ad platforms, when this browser allowed it (conversions/).
    if (!result.already) {
      const email = contactAddress(ctx, result.contact);
      await conversionsOnConfirm(ctx, {
        campaignId: result.contact.campaign_id,
        contactId: result.contact.id,
        email,
        fan: requestFacts(req),
      });
    }
    const consents = await contactConsents(ctx.db, result.contact.id);
    return sendPage(
      reply,
      200,
      confirmedPage({
        nonce: req.cspNonce,
        lang,
        email: contactAddress(ctx, result.contact),
        already: result.already,
        addressWasConfirmed: result.already || result.confirmedBefore,
        confirmedIds: result.confirmed.map((k) => Number(k.id)),
        consents,
        manageId: result.contact.manage_id,
        zone: zoneOf(await timezones(result.contact.id)),
      }),
    );
  });

  async function timezones(contactId: number) {
    return ctx.db.selectFrom('consents').select('timezone').where('contact_id', '=', contactId).orderBy('id').execute();
  }

  /** A confirmed contact's share link for the campaign it was given on, its code made the first time (growth/referrals). */
  async function contactReferralLink(contact: ContactRow): Promise<string | null> {
    if (contact.status !== 'confirmed') return null;
    const entry = await pages.get(campaignIdKey(contact.campaign_id));
    if (!entry || entry.data.campaign.status === 'archived') return null;
    const code = await ensureContactCode(ctx.db, { campaignId: Number(contact.campaign_id), contactId: Number(contact.id) }, ctx.now());
    return personalLink(ctx.config.publicUrl, entry.data.campaign.slug, code);
  }

  async function contactAt(req: FastifyRequest<{ Params: { manage: string } }>): Promise<{ contact: ContactRow; lang: Lang }> {
    const contact = await findContactByManage(ctx.db, req.params.manage);
    if (!contact) {
      settleLang(req, fanLang(req, ALL_LANGUAGES));
      throw new DropdayError('NOT_FOUND').say('contact.not_found');
    }
    return { contact, lang: settleLang(req, fanLang(req, ALL_LANGUAGES, isLang(contact.lang) ? contact.lang : null)) };
  }

  app.get<{ Params: { manage: string }; Querystring: { done?: string } }>('/c/:manage', async (req, reply) => {
    const { contact, lang } = await contactAt(req);
    return sendPage(
      reply,
      200,
      preferencesPage({
        nonce: req.cspNonce,
        lang,
        email: contactAddress(ctx, contact),
        confirmed: contact.status === 'confirmed',
        consents: await contactConsents(ctx.db, contact.id),
        manageId: contact.manage_id,
        csrf: csrfField(req),
        zone: zoneOf(await timezones(contact.id)),
        ...(req.query.done === 'withdrawn' ? { notice: 'withdrawn' as const } : {}),
        referralLink: await contactReferralLink(contact),
      }),
    );
  });

  app.post<{ Params: { manage: string } }>('/c/:manage/withdraw', async (req, reply) => {
    const { contact, lang } = await contactAt(req);
    const f = formFields(req.body);
    const purpose = one(f, 'purpose');
    const campaignId = Number(one(f, 'campaign'));
    if (purpose !== 'remind' && purpose !== 'news') {
      throw new DropdayError('VALIDATION', 'The field "purpose" must be remind or news.', { purpose: 'must be remind or news' });
    }
    if (!Number.isSafeInteger(campaignId) || campaignId <= 0) {
      throw new DropdayError('VALIDATION', 'The field "campaign" must be a campaign id.', { campaign: 'must be a campaign id' });
    }
    await withdrawPurpose(ctx.db, contact.id, purpose, campaignId, ctx.now());
    return reply.redirect(`/c/${contact.manage_id}?lang=${lang}&done=withdrawn`, 303);
  });

  app.post<{ Params: { manage: string } }>('/c/:manage/erase', async (req, reply) => {
    const { contact, lang } = await contactAt(req);
    const scrubbed = await eraseContact(ctx, contact.id);
    if (!scrubbed) req.log.warn('erase: the SQLite write-ahead log could not be truncated now; later writes overwrite it');
    return sendPage(reply, 200, contactErasedPage({ nonce: req.cspNonce, lang }));
  });

  app.get<{ Params: { manage: string } }>('/c/:manage/unsubscribe', async (req, reply) => {
    const { contact, lang } = await contactAt(req);
    return sendPage(
      reply,
      200,
      unsubscribePage({ nonce: req.cspNonce, lang, email: contactAddress(ctx, contact), manageId: contact.manage_id, done: false }),
    );
  });

  // RFC 8058: the mail client posts `List-Unsubscribe=One-Click` with no cookies, from no page of
  // ours; the browser's button posts the same form. Either way: one request, nothing more to click.
  app.post<{ Params: { manage: string } }>('/c/:manage/unsubscribe', { config: { csrf: 'capability' } }, async (req, reply) => {
    const { contact, lang } = await contactAt(req);
    await unsubscribeContact(ctx.db, contact.id, ctx.now());
    return sendPage(
      reply,
      200,
      unsubscribePage({ nonce: req.cspNonce, lang, email: contactAddress(ctx, contact), manageId: contact.manage_id, done: true }),
    );
  });
}
