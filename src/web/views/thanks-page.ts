import type { Campaign } from '../../campaigns/repo.js';
import { describeInstant } from '../../campaigns/timing.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { serviceName } from '../../providers/services.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';
import { shareSection } from './share-buttons.js';

export function thanksPage(o: {
  campaign: Campaign;
  presave: PresaveRow;
  nonce: string;
  now: number;
  lang: string;
  /**
   * Set when the fan's authorization ends before the release (Spotify ends them 6 months after
   * consent, whatever refreshes happen): from when a new pre-save would last until release day.
   */
  reauthorizeAfter?: number | null;
  /** The CSRF field for the cancel and erase forms. */
  csrf?: SafeHtml;
  /** PUBLIC_URL: the share buttons link to the campaign page there (never to this page). */
  publicUrl?: string;
}): SafeHtml {
  const { campaign: c, presave: p } = o;
  const name = serviceName(p.service);
  const follow = p.follow_artist ? html` and follow <strong>${c.artist_name}</strong>` : '';
  let status: SafeHtml;
  if (p.status === 'saved') {
    status = html`<p data-status="saved">
      ✓ Saved to your ${name} library${p.saved_at ? html` on ${describeInstant(p.saved_at, p.timezone, o.lang)}` : ''}.
    </p>`;
  } else if (p.status === 'failed') {
    status = html`<p data-status="failed">We could not save it: ${p.failure_reason ?? 'unknown reason'}.</p>`;
  } else if (p.status === 'cancelled') {
    status = html`<p data-status="cancelled">This pre-save was cancelled.</p>`;
  } else if (p.due_at <= o.now) {
    status = html`<p data-status="pending">The release is out: Dropday is saving “${c.title}” to your ${name} library${follow} now.</p>`;
  } else {
    status = html`<p data-status="pending">
      On <strong>${describeInstant(p.due_at, p.timezone, o.lang)}</strong>, Dropday will save “${c.title}” by ${c.artist_name} to your
      ${name} library${follow}. Nothing else.
    </p>`;
  }
  const reauth =
    p.status === 'pending' && o.reauthorizeAfter
      ? html`<p class="badge" data-reauth>Action needed</p>
          <p>${name} ends an authorization before this release comes out, so this one will have expired by then. Please pre-save
            again after ${describeInstant(o.reauthorizeAfter, p.timezone, o.lang)}, and Dropday can save it on release day.</p>`
      : '';
  return layout({
    title: `You pre-saved ${c.title}`,
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card">
      ${c.artwork_url ? html`<img class="art" src="${c.artwork_url}" alt="Artwork for ${c.title}" />` : ''}
      <h1>You're all set</h1>
      <h2>${c.title} · ${c.artist_name}</h2>
      ${status} ${reauth}
      <p class="muted">Keep this page's address to check on your pre-save later.</p>
  ${
    p.status === 'pending'
      ? html`<form method="post" action="/p/${p.public_id}/cancel">${o.csrf ?? ''}<button class="btn" type="submit">Cancel this pre-save</button></form>`
      : ''
  }
  <form method="post" action="/p/${p.public_id}/erase">${o.csrf ?? ''}<button class="btn" type="submit">Erase my data</button></form>
  <p class="muted">Erasing deletes this pre-save and, if nothing else needs it, your ${name} authorization.</p>
      ${o.publicUrl ? shareSection({ campaign: c, publicUrl: o.publicUrl, lang: o.lang, now: o.now, nonce: o.nonce }) : ''}
      <p><a href="/${c.slug}">Back to the campaign</a></p>
    </article>`,
  });
}

export function erasedPage(o: { nonce: string; slug: string }): SafeHtml {
  return layout({
    title: 'Your data was erased',
    nonce: o.nonce,
    body: html`<article class="card" data-status="erased">
      <h1>Erased</h1>
      <p>Your pre-save and the authorization it used are deleted. Nothing will be saved.</p>
      <p><a href="/${o.slug}">Back to the campaign</a></p>
    </article>`,
  });
}
