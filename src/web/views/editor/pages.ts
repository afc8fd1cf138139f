import type { FastifyReply, FastifyRequest } from 'fastify';
import { canEdit, type Role } from '../../../accounts/roles.js';
import type { Workspace } from '../../../accounts/workspaces.js';
import type { Campaign } from '../../../campaigns/repo.js';
import { describeRelease } from '../../../campaigns/timing.js';
import { RELEASE_TYPES } from '../../../campaigns/validate.js';
import type { TimelineStep, TimingWarning } from '../../../editor/guidance.js';
import { MAX_ARTWORK_BYTES } from '../../../editor/artwork.js';
import { many, one, type FormValues } from '../../../editor/form.js';
import { LINK_SERVICES, serviceName } from '../../../providers/services.js';
import { CSRF_FIELD, csrfField } from '../../csrf.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { alertBox, fieldError, noticeBox } from '../auth/shell.js';
import { ARTWORK_CHECK_SCRIPT } from './artwork-check.js';
import { CONTRAST_CHECK_SCRIPT, contrastWarnings } from './contrast-check.js';
import { foundLinksPanel, type FoundLinksData } from './found-links.js';
import { qrPanel } from './qr-panel.js';
import { conversionsPanel, type ConversionsPanelData } from './conversions-panel.js';

export const EDITOR_STYLE = raw(`
main{max-width:84rem}
.crumbs{font-size:.9rem;color:var(--muted);margin:0 0 1rem}
.editor-grid{display:grid;grid-template-columns:minmax(0,1fr) 25rem;gap:1.25rem;align-items:start}
@media (max-width:60rem){.editor-grid{grid-template-columns:minmax(0,1fr)}}.editor-grid>*{min-width:0}
@media (max-width:30rem){.timeline li{grid-template-columns:4.5rem minmax(0,1fr)}.timeline li>:last-child{grid-column:1/-1}}
.preview-col{position:sticky;top:1rem}
.preview-col iframe{width:100%;height:44rem;border:1px solid #3a3a48;border-radius:1rem;background:#0f0f14}
fieldset{border:0;margin:0;padding:0;min-width:0}
fieldset h2{margin:1.5rem 0 .25rem;font-size:1.05rem;color:var(--fg)}
textarea,input[type=url],input[type=datetime-local],input[type=file]{width:100%;padding:.6rem .7rem;border-radius:.5rem;border:1px solid #3a3a48;background:#0f0f14;color:var(--fg);font:inherit}
.checks{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;margin:.5rem 0}.checks label{display:inline-flex;gap:.4rem;margin:0;font-weight:400}
.svc{border:1px solid #2c2c38;border-radius:.75rem;padding:.25rem 1rem .75rem;margin:.75rem 0}
.svc h3{margin:.5rem 0 0;font-size:.95rem}
.warn{background:#3b2f12;border:1px solid #854d0e;color:#fde68a;padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem}
.thumb{width:6rem;height:6rem;border-radius:.5rem;object-fit:cover;vertical-align:middle;margin-right:.75rem}
.timeline{list-style:none;padding:0;margin:0}.timeline li{display:grid;grid-template-columns:5rem 7rem 1fr;gap:.75rem;padding:.5rem 0;border-bottom:1px solid #2c2c38}
.timeline .day{font-weight:700;font-variant-numeric:tabular-nums}.timeline .past{opacity:.55}.timeline .today{color:#fde68a}
.swatch{display:inline-block;width:1rem;height:1rem;border-radius:.25rem;vertical-align:middle;border:1px solid #555}
td .muted{font-size:.85rem}
button[disabled]{opacity:.5}
.found{list-style:none;padding:0;margin:0}.found>li{border-bottom:1px solid #2c2c38;padding:.5rem 0}
.found-actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}.found-actions form{margin:0}.found-actions form:has(input[type=url]){flex:1 1 18rem}
.lookups{margin:.25rem 0;padding-left:1.25rem}
`);

const TYPE_LABEL: Record<string, string> = { single: 'Single', ep: 'EP', album: 'Album' };

/** What the page says after a finished action (fixed texts only). */
export const DONE: Record<string, string> = {
  created: 'Campaign created.',
  saved: 'Changes saved.',
  duplicated: 'This is the copy: check it, then share its link.',
  archived: 'Campaign archived: its public page now says it has ended.',
  restored: 'Campaign restored: its public page is back, and pre-saves not yet cancelled will be delivered.',
  artwork: 'Artwork uploaded and resized.',
  'link-accepted': 'Link accepted: look-ups will leave it as it is.',
  'link-replaced': 'Your own link replaced the one found.',
  'link-removed': 'Link removed: look-ups will not add it again.',
  'conversions-saved': 'Conversion tracking saved.',
  'conversions-resent': 'The failed events still recent enough are being sent again.',
  'conversions-none': 'No failed events could be sent again: they are too old for the platform, or its token is not set.',
};

function timeZones(selected: string): string[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones.includes(selected) ? zones : [selected, ...zones];
}

export function campaignsListPage(
  req: FastifyRequest,
  d: { workspace: Workspace; role: Role; active: Campaign[]; archived: Campaign[]; now: number; notice?: string | null },
): SafeHtml {
  const base = `/w/${d.workspace.slug}/campaigns`;
  const edit = canEdit(d.role) && !req.operatorAccess;
  const row = (c: Campaign) => html`<tr data-campaign="${c.slug}">
    <td><a href="${base}/${c.slug}"><strong>${c.title}</strong></a><br /><span class="muted">${c.artist_name} · ${TYPE_LABEL[c.release_type] ?? c.release_type}</span></td>
    <td>${describeRelease(c)}<br /><span class="muted">${c.timing === 'local' ? 'local time everywhere' : 'one instant'}</span></td>
    <td>${c.status === 'archived' ? 'Archived' : d.now >= c.last_release_at ? 'Out' : d.now >= c.first_release_at ? 'Going live' : 'Upcoming'}</td>
    <td>
      ${c.status === 'archived' ? '' : html`<a href="/${c.slug}">Public page</a> · `}<a href="${base}/${c.slug}/edit">${edit && c.status !== 'archived' ? 'Edit' : 'Details'}</a>
    </td>
  </tr>`;
  const table = (list: Campaign[]) => html`<table>
    <thead>
      <tr>
        <th>Campaign</th>
        <th>Release</th>
        <th>Status</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${list.map(row)}
    </tbody>
  </table>`;
  return html`<p class="crumbs"><a href="/workspaces">Workspaces</a> / ${d.workspace.name} · <a href="/w/${d.workspace.slug}/members">Members</a></p>
    <section class="panel">
      <h1>Campaigns</h1>
      ${noticeBox(d.notice)}
      ${edit ? html`<p><a class="btn small" href="${base}/new">New campaign</a></p>` : ''}
      ${d.active.length ? table(d.active) : html`<p class="muted">No campaigns yet.${edit ? ' Create the first one.' : ''}</p>`}
    </section>
    ${d.archived.length ? html`<section class="panel" id="archived"><h2>Archived</h2>${table(d.archived)}</section>` : ''}`;
}

export interface EditorPageData {
  workspace: Workspace;
  role: Role;
  /** null: a new campaign. */
  campaign: Campaign | null;
  values: FormValues;
  errors?: Record<string, string>;
  message?: string | null;
  notice?: string | null;
  enabledServices: readonly string[];
  /** Per-service ids saved without being checked (see campaigns/id-check.ts). */
  idWarnings?: string[];
  warning: TimingWarning | null;
  timeline: TimelineStep[];
  duplicate?: { values: FormValues; errors?: Record<string, string> };
  artworkError?: string | null;
  /** Store links found automatically (saved campaigns only). */
  found?: FoundLinksData;
  /** Conversion tracking (saved campaigns only): views/editor/conversions-panel.ts. */
  conversions?: ConversionsPanelData;
}

function text(
  d: EditorPageData,
  name: string,
  label: string,
  o: { hint?: string; type?: string; max?: number; error?: string; placeholder?: string } = {},
): SafeHtml {
  const err = o.error ?? name;
  return html`<label for="f-${name}">${label}</label>
    <input
      id="f-${name}"
      name="${name}"
      type="${o.type ?? 'text'}"
      maxlength="${o.max ?? 200}"
      value="${one(d.values[name])}"
      ${o.placeholder ? html`placeholder="${o.placeholder}"` : ''}
      ${d.errors?.[err] ? html`aria-invalid="true" aria-describedby="${err}-error"` : ''}
    />
    ${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}${fieldError(d.errors, err)}`;
}

export function editorPage(req: FastifyRequest, d: EditorPageData): SafeHtml {
  const ws = d.workspace.slug;
  const base = `/w/${ws}/campaigns`;
  const c = d.campaign;
  const editable = canEdit(d.role) && !req.operatorAccess && c?.status !== 'archived';
  const action = c ? `${base}/${c.slug}/edit` : `${base}/new`;
  const v = d.values;
  const services = many(v.services);
  const tz = one(v.timezone) || 'UTC';
  const timing = one(v.timing) || 'local';
  const previewBase = `${base}/${c ? c.slug : 'new'}/preview`;
  // The form's values, never its CSRF token: tokens do not travel in addresses.
  const previewQuery = new URLSearchParams(
    Object.entries(v).flatMap(([k, val]) =>
      k === CSRF_FIELD ? [] : Array.isArray(val) ? val.map((x) => [k, x]) : val === undefined ? [] : [[k, val]],
    ),
  ).toString();

  const artworkField = html`<label for="f-artwork">Artwork</label>
    ${c?.artwork_url ? html`<p><img class="thumb" src="${c.artwork_url.replace(/\/1000\.jpg$/, '/300.jpg')}" alt="Current artwork" /><label class="inline"><input type="checkbox" name="removeArtwork" ${one(v.removeArtwork) === 'on' ? 'checked' : ''} /> Remove it</label></p>` : ''}
    <input id="f-artwork" name="artwork" type="file" accept="image/jpeg,image/png,image/webp" data-max-bytes="${MAX_ARTWORK_BYTES}" ${d.errors?.artwork ? raw('aria-invalid="true" aria-describedby="artwork-error"') : ''} />
    <p class="hint">JPEG, PNG or WebP, at most 25 MB, at least 640×640 (3000×3000 is best). Not square: the centre is used.</p>
    ${fieldError(d.errors, 'artwork')}`;

  const serviceBlocks = d.enabledServices.map(
    (s) => html`<div class="svc" data-service="${s}">
      <h3>${serviceName(s)}</h3>
      ${text(d, `artist_${s}`, `${serviceName(s)} artist (URL or id)`, { max: 500, hint: 'Used to follow the artist when fans choose follow-on-save.' })}
      ${text(d, `match_${s}`, `${serviceName(s)} release (optional)`, { max: 500, hint: 'Only if Dropday should not look it up by UPC/ISRC: the album URL or URI.' })}
    </div>`,
  );
  const linkBlocks = (Object.keys(LINK_SERVICES) as (keyof typeof LINK_SERVICES)[]).map((s) =>
    text(d, `link_${s}`, `${LINK_SERVICES[s].name} URL`, { type: 'url', max: 2000, placeholder: `https://${LINK_SERVICES[s].hosts[0]}/…` }),
  );
  const openLinks = Object.keys(LINK_SERVICES).some((s) => one(v[`link_${s}`]) || d.errors?.[`link_${s}`]);

  // The token is the form's first field, so the server checks it before it reads the artwork.
  const form = html`<form id="campaign-form" method="post" action="${action}" enctype="multipart/form-data" novalidate>
    ${csrfField(req)}
    <fieldset ${editable ? '' : 'disabled'}>
      <h2>Release</h2>
      ${text(d, 'artist', 'Main artist')}
      ${text(d, 'title', 'Title')}
      <label for="f-type">Type</label>
      <select id="f-type" name="type">
        ${RELEASE_TYPES.map((t) => html`<option value="${t}" ${(one(v.type) || 'single') === t ? 'selected' : ''}>${TYPE_LABEL[t]}</option>`)}
      </select>
      ${fieldError(d.errors, 'type')} ${artworkField}
      ${text(d, 'upc', 'UPC / EAN', { max: 20, hint: '12 or 13 digits, from your distributor.' })}
      <label for="f-isrcs">ISRCs</label>
      <textarea id="f-isrcs" name="isrcs" rows="2" ${d.errors?.isrc ? raw('aria-invalid="true" aria-describedby="isrc-error"') : ''}>${one(v.isrcs)}</textarea>
      <p class="hint">One per line or separated by commas. A UPC or at least one ISRC is needed to find the release.</p>
      ${fieldError(d.errors, 'isrc')}

      <h2>Release time</h2>
      <div class="row">
        <div>
          <label for="f-releaseAt">Date and time</label>
          <input id="f-releaseAt" name="releaseAt" type="datetime-local" value="${one(v.releaseAt)}" ${d.errors?.releaseAt ? raw('aria-invalid="true" aria-describedby="releaseAt-error"') : ''} />
          ${fieldError(d.errors, 'releaseAt')}
        </div>
        <div>
          <label for="f-timezone">Time zone</label>
          <select id="f-timezone" name="timezone">
            ${timeZones(tz).map((z) => html`<option value="${z}" ${z === tz ? 'selected' : ''}>${z}</option>`)}
          </select>
          ${fieldError(d.errors, 'timezone')}
        </div>
      </div>
      <div class="checks" role="radiogroup" aria-label="Timing">
        <label><input type="radio" name="timing" value="local" ${timing === 'local' ? 'checked' : ''} /> Local: at this time in each fan's time zone</label>
        <label><input type="radio" name="timing" value="global" ${timing === 'global' ? 'checked' : ''} /> Global: one instant worldwide</label>
      </div>
      ${fieldError(d.errors, 'timing')}

      <h2>Services</h2>
      <div class="checks" id="f-services">
        ${d.enabledServices.map((s) => html`<label><input type="checkbox" name="services" value="${s}" ${services.includes(s) ? 'checked' : ''} /> ${serviceName(s)}</label>`)}
      </div>
      ${fieldError(d.errors, 'services')}
      <div class="checks">
        <label><input type="checkbox" name="followArtist" ${one(v.followArtist) === 'on' ? 'checked' : ''} /> Also follow the artist when a fan pre-saves</label>
      </div>
      ${serviceBlocks}

      <details ${openLinks ? 'open' : ''}>
        <summary>More services on the smart link (link-outs)</summary>
        <p class="hint">
          After release the page also links to these; each URL must be on the service's own site. Links found for you are listed
          under “Store links found for you”; a URL typed here replaces the one found.
        </p>
        ${linkBlocks}
      </details>

      <h2>Page</h2>
      ${text(d, 'slug', 'Address', { max: 64, hint: 'Lower-case letters, digits and hyphens: the page is at /<address>.' })}
      <div class="row">
        <div>${text(d, 'themeAccent', 'Button colour', { max: 7, placeholder: '#7c3aed' })}</div>
        <div>${text(d, 'themeBackground', 'Background colour', { max: 7, placeholder: '#0f0f14' })}</div>
      </div>
      ${contrastWarnings(one(v.themeAccent))}
      ${text(d, 'languages', 'Languages', { max: 200, placeholder: 'en, fr, pt-BR', hint: 'The fan pages’ languages, from en, es, pt-BR, fr, de, hi, bn, ar; the first one is the default.' })}
      ${editable ? html`<p><button class="btn" type="submit">${c ? 'Save changes' : 'Create campaign'}</button></p>` : ''}
    </fieldset>
  </form>`;

  const preview = editable
    ? html`<aside class="preview-col">
        <h2>Live preview</h2>
        <iframe
          id="preview"
          title="Live preview of the public page"
          data-base="${previewBase}"
          src="${previewBase}?${previewQuery}"
          sandbox="allow-scripts"
        ></iframe>
        <p class="hint">Not saved until you ${c ? 'save' : 'create the campaign'}. Buttons do nothing here.</p>
      </aside>`
    : html`<aside class="preview-col">
        ${c && c.status !== 'archived' ? html`<p><a href="/${c.slug}">Open the public page</a></p>` : ''}
      </aside>`;

  const timeline = d.timeline.length
    ? html`<section class="panel" id="timeline">
        <h2>Campaign timeline</h2>
        <ol class="timeline">
          ${d.timeline.map(
            (s) => html`<li class="${s.state}" data-day="${s.day}">
              <span class="day">${s.day === 0 ? 'Release' : `Day ${s.day > 0 ? '+' : '−'}${Math.abs(s.day)}`}</span><span>${s.date}</span
              ><span><strong>${s.title}</strong> — ${s.what}</span>
            </li>`,
          )}
        </ol>
      </section>`
    : '';

  const manage =
    c && editable
      ? html`<section class="panel" id="artwork-upload">
            <h2>Replace the artwork</h2>
            <form method="post" action="${base}/${c.slug}/artwork" enctype="multipart/form-data">
              ${csrfField(req)}
              <input id="upload-artwork" name="artwork" type="file" accept="image/jpeg,image/png,image/webp" data-max-bytes="${MAX_ARTWORK_BYTES}" aria-label="Artwork file" />
              ${d.artworkError ? html`<p class="err" id="upload-artwork-error">${d.artworkError}</p>` : ''}
              <button class="btn small" type="submit">Upload</button>
            </form>
          </section>`
      : '';
  // Archived campaigns can still be copied for a new release.
  const duplicate =
    c && canEdit(d.role) && !req.operatorAccess
      ? html`<section class="panel" id="duplicate">
            <h2>Duplicate</h2>
            <p class="hint">A copy with the same details, artwork and links, for a new release date.</p>
            <form method="post" action="${base}/${c.slug}/duplicate" novalidate>
              ${csrfField(req)}
              <div class="row">
                <div>
                  <label for="dup-releaseAt">Release of the copy (${c.release_timezone})</label>
                  <input id="dup-releaseAt" name="releaseAt" type="datetime-local" value="${one(d.duplicate?.values.releaseAt)}" />
                  ${fieldError(d.duplicate?.errors, 'releaseAt')}
                </div>
                <div>
                  <label for="dup-slug">Address of the copy</label>
                  <input id="dup-slug" name="slug" type="text" maxlength="64" value="${one(d.duplicate?.values.slug)}" placeholder="${c.slug}-copy" />
                  ${fieldError(d.duplicate?.errors, 'slug')}
                </div>
              </div>
              ${
                d.duplicate?.errors
                  ? alertBox(
                      Object.entries(d.duplicate.errors)
                        .filter(([k]) => k !== 'releaseAt' && k !== 'slug')
                        .map(([k, m]) => `${k}: ${m}`)
                        .join('; ') || null,
                    )
                  : ''
              }
              <button class="btn small" type="submit">Duplicate</button>
            </form>
          </section>`
      : '';
  const archive =
    !c || !canEdit(d.role) || req.operatorAccess
      ? ''
      : c.status === 'archived'
        ? actionPanel(req, {
            id: 'restore',
            title: 'Restore',
            hint: 'The public page comes back; pre-saves not yet cancelled are delivered as planned. Cancelled ones stay cancelled.',
            action: `${base}/${c.slug}/restore`,
            button: 'Restore this campaign',
            danger: false,
          })
        : actionPanel(req, {
            id: 'archive',
            title: 'Archive',
            hint: 'The public page will say the campaign has ended (410), and pre-saves not yet delivered are cancelled. Numbers stay. The next step says how many pre-saves and asks you to confirm.',
            action: `${base}/${c.slug}/archive`,
            button: 'Archive this campaign',
            danger: true,
          });

  const found =
    c && d.found
      ? foundLinksPanel(req, { ...d.found, editable, action: (service, what) => `${base}/${c.slug}/found-links/${service}/${what}` })
      : '';
  const title = c ? (c.status === 'archived' ? `${c.title} (archived)` : `Edit “${c.title}”`) : 'New campaign';
  return html`<p class="crumbs"><a href="/workspaces">Workspaces</a> / <a href="${base}">${d.workspace.name}: campaigns</a>${c ? html` / <a href="${base}/${c.slug}">${c.title}</a>` : ''}</p>
    <div class="editor-grid">
      <section class="panel">
        <h1>${title}</h1>
        ${noticeBox(d.notice)}${alertBox(d.message)}
        ${c?.status === 'archived' ? html`<p class="notice" role="status">This campaign is archived. Its settings are shown read-only.</p>` : ''}
        ${!editable && c?.status !== 'archived' ? html`<p class="notice" role="status">You can see this campaign; editors and admins can change it.</p>` : ''}
        ${d.warning ? html`<p class="warn" role="alert" data-warning="${d.warning.kind}">${d.warning.message}</p>` : ''}
        ${(d.idWarnings ?? []).map((w) => html`<p class="warn" role="alert" data-warning="unchecked-id">${w}</p>`)} ${form}
      </section>
      ${preview}
    </div>
    ${found} ${timeline} ${c && c.status !== 'archived' ? qrPanel(c, (req.query as Record<string, unknown> | undefined)?.qr) : ''}
    ${c && d.conversions ? conversionsPanel(req, { ...d.conversions, editable, action: `${base}/${c.slug}/conversions` }) : ''}
    ${manage} ${duplicate} ${archive}`;
}

/** A panel with one explanation and one button that posts (CSRF-protected) to `action`. */
function actionPanel(
  req: FastifyRequest,
  p: { id: string; title: string; hint: string; action: string; button: string; danger: boolean },
): SafeHtml {
  return html`<section class="panel" id="${p.id}">
    <h2>${p.title}</h2>
    <p class="hint">${p.hint}</p>
    <form method="post" action="${p.action}">
      ${csrfField(req)}<button class="btn small${p.danger ? ' danger' : ''}" type="submit">${p.button}</button>
    </form>
  </section>`;
}

/** The editor's scripts: the artwork size check, the contrast warnings and the preview's live update (nonce'd; no inline handlers). */
export const EDITOR_SCRIPT = raw(`${ARTWORK_CHECK_SCRIPT.value};
${CONTRAST_CHECK_SCRIPT.value};
(() => {
  const form = document.getElementById('campaign-form');
  const frame = document.getElementById('preview');
  if (!form || !frame) return;
  const base = frame.dataset.base;
  let timer = 0;
  const query = () => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && k !== '_csrf') p.append(k, v);
    return p.toString();
  };
  const refresh = () => { frame.src = base + '?' + query(); };
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 250); };
  // The preview runs sandboxed in an origin of its own (it cannot reach this page or its cookies),
  // so the chosen file is handed over as a message; the preview shows it (PREVIEW_SCRIPT).
  const applyArt = () => {
    const input = form.querySelector('input[type=file][name=artwork]');
    const file = input && input.files && input.files[0];
    if (file && frame.contentWindow) frame.contentWindow.postMessage({ artwork: file }, '*');
  };
  frame.addEventListener('load', applyArt);
  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();`);

/** How an editor route renders the editor page again (a refused form, with its extra data and status). */
export type EditorRender = (
  req: FastifyRequest,
  reply: FastifyReply,
  c: Campaign,
  extra: Partial<EditorPageData>,
  status: number,
) => Promise<FastifyReply>;
