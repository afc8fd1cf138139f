import { direction, type Lang } from '../../../i18n/languages.js';
import { t } from '../../../i18n/translate.js';
import { html, raw, type SafeHtml } from '../../../web/html.js';

/**
 * One fan mail in two parts from the same pieces: a plain-text part (what every client can read,
 * and what a screen reader gets first) and an HTML part (escaped; the artwork; a button). The
 * footer says why the fan gets it, links the preference page and carries the operator's postal
 * address — except on the confirmation, which has no subscription yet (only "not you? ignore").
 */
export interface MailPieces {
  lang: Lang;
  subject: string;
  heading: string;
  /** Paragraphs before the button. */
  paragraphs: string[];
  action: { label: string; url: string } | null;
  /** Paragraphs after the button. */
  after?: string[];
  artwork: { url: string; alt: string } | null;
  footer: { artist: string; preferences: string | null; unsubscribe: string | null; postalAddress: string | null; sender: string };
  /** The confirmation's footer: no preferences yet, only what to do if it was not you. */
  confirmFooter?: string;
}

export function renderMail(m: MailPieces): { subject: string; text: string; html: string } {
  const footerLines: string[] = [];
  if (m.confirmFooter) footerLines.push(m.confirmFooter);
  else {
    footerLines.push(t(m.lang, 'messages.footer_why', { artist: m.footer.artist }));
    if (m.footer.preferences) footerLines.push(`${t(m.lang, 'messages.footer_preferences')}: ${m.footer.preferences}`);
    if (m.footer.unsubscribe) footerLines.push(`${t(m.lang, 'messages.footer_unsubscribe')}: ${m.footer.unsubscribe}`);
  }
  footerLines.push(t(m.lang, 'messages.footer_sender', { sender: m.footer.sender }));
  if (m.footer.postalAddress) footerLines.push(m.footer.postalAddress);

  const text = [
    m.heading,
    '',
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...(m.action ? [`${m.action.label}: ${m.action.url}`, ''] : []),
    ...(m.after ?? []).flatMap((p) => [p, '']),
    '--',
    ...footerLines,
    '',
  ].join('\n');

  const dir = direction(m.lang);
  const para = (p: string): SafeHtml => html`<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${p}</p>`;
  const footerHtml = m.confirmFooter
    ? html`<p>${m.confirmFooter}</p>`
    : html`<p>${t(m.lang, 'messages.footer_why', { artist: m.footer.artist })}</p>
        ${m.footer.preferences ? html`<p><a href="${m.footer.preferences}" style="color:#555">${t(m.lang, 'messages.footer_preferences')}</a></p>` : ''}
        ${m.footer.unsubscribe ? html`<p><a href="${m.footer.unsubscribe}" style="color:#555">${t(m.lang, 'messages.footer_unsubscribe')}</a></p>` : ''}`;
  const body = html`<!doctype html>
<html lang="${m.lang}" dir="${dir}">
<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width" /><title>${m.subject}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f4;color:#111;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;text-align:start">
${m.artwork ? html`<img src="${m.artwork.url}" alt="${m.artwork.alt}" width="240" height="240" style="display:block;width:240px;height:240px;margin:0 auto 16px;border-radius:4px" />` : ''}
<h1 style="font-size:22px;margin:0 0 16px">${m.heading}</h1>
${m.paragraphs.map(para)}
${m.action ? html`<p style="margin:24px 0"><a href="${m.action.url}" style="display:inline-block;background:#111;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${m.action.label}</a></p>` : ''}
${(m.after ?? []).map(para)}
<div style="border-top:1px solid #ddd;margin-top:24px;padding-top:12px;font-size:13px;color:#555">
${footerHtml}
<p>${t(m.lang, 'messages.footer_sender', { sender: m.footer.sender })}</p>
${m.footer.postalAddress ? html`<p>${raw(escapeLines(m.footer.postalAddress))}</p>` : ''}
</div>
</div>
</body>
</html>`;
  return { subject: m.subject, text, html: body.value };
}

/** A postal address as typed, lines kept (escaped first). */
function escapeLines(s: string): string {
  return html`${s}`.value.replace(/\r?\n/g, '<br />');
}
