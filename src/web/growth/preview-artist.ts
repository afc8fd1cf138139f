import { DateTime } from 'luxon';
import { ffmpegAvailable, MAX_CUT_SECONDS, MIN_CUT_SECONDS, NEEDS_FFMPEG } from '../../growth/previews/cut.js';
import { previewPlays } from '../../growth/previews/plays.js';
import { ACCEPTED_FORMATS } from '../../growth/media-type.js';
import { findPreview, type Preview } from '../../growth/previews/store.js';
import { MAX_HOURS_BEFORE } from '../../growth/previews/window.js';
import { formatInstant } from '../../i18n/index.js';
import { csrfField } from '../csrf.js';
import { html, type SafeHtml } from '../html.js';
import { alertBox, fieldError } from '../views/auth/shell.js';
import { table } from '../views/dashboard/campaign.js';
import { num } from '../views/dashboard/format.js';
import { invalid, refusedForms, typedText, type RefusedForm } from './form-artist.js';
import type { ArtistInput, Section } from './types.js';

/**
 * Early access on the artist's side (docs/early-access.md): the Growth page's section (a ready clip
 * or a track to cut, the moment, the current clip with a player, removal) and the dashboard's
 * "Early access" panel (plays per stage).
 */

const DONE: Record<string, string> = {
  'preview-saved': 'The clip is saved.',
  'preview-cut': 'The clip was cut from the track and saved.',
  'preview-moment': 'The moment is saved.',
  'preview-removed': 'The preview is removed: pre-savers no longer hear it.',
};

/** A refused early-access form (growth-preview.ts), shown again on the whole Growth page. */
type PreviewFormState = RefusedForm<'upload' | 'moment'>;
export const refusedPreviewForms = refusedForms<'upload' | 'moment'>();

/** The dashboard panel "Early access": plays of the preview per stage. */
export async function previewPanel(i: ArtistInput): Promise<Section> {
  const [preview, plays] = await Promise.all([findPreview(i.ctx.db, i.campaign.id), previewPlays(i.ctx.db, i.campaign.id)]);
  if (!preview && plays.start === 0) return '';
  const rows = [
    { key: 'start', label: 'Started', n: plays.start },
    { key: '30s', label: 'Reached 30 s (or the clip’s end)', n: plays['30s'] },
    { key: 'complete', label: 'Completed', n: plays.complete },
  ];
  return html`<section class="panel" id="early-access" aria-labelledby="early-access-h">
    <h2 id="early-access-h">Early access</h2>
    <p class="hint">Plays of the preview by pre-savers, each stage counted once per receipt page view.</p>
    ${table(
      'preview-plays',
      ['Stage'],
      ['Plays'],
      rows.map((r) => html`<tr data-stage="${r.key}"><td>${r.label}</td><td class="n">${num(r.n)}</td></tr>`),
    )}
  </section>`;
}

function wallTime(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The two ways of giving the moment; `p` keeps the ids of the two forms apart; `refused` is this form's refusal. */
function momentFields(i: ArtistInput, p: string, preview: Preview | null, refused?: PreviewFormState): SafeHtml {
  const c = i.campaign;
  const errors = refused?.errors ?? {};
  // The form shows the way the artist chose: hours before (the default), or a date and time.
  const absolute = refused ? typedText(refused.typed.moment) === 'at' : preview !== null && preview.hoursBefore === null;
  const hours = refused ? typedText(refused.typed.hours_before) : String(preview?.hoursBefore ?? 48);
  const at = refused
    ? typedText(refused.typed.available_at)
    : wallTime(preview ? preview.availableFrom : c.first_release_at - 48 * 3_600_000, c.release_timezone);
  return html`<fieldset>
    <legend>From when pre-savers may listen</legend>
    <p>
      <label><input type="radio" name="moment" value="before" ${absolute ? '' : html`checked`} /> Hours before the release</label>
      <input
        id="${p}-hours"
        name="hours_before"
        type="number"
        min="1"
        max="${MAX_HOURS_BEFORE}"
        value="${hours}"
        aria-label="Number of hours before the release"
        ${invalid(errors, 'hours_before')}
      />
      ${fieldError(errors, 'hours_before')}
    </p>
    <p>
      <label><input type="radio" name="moment" value="at" ${absolute ? html`checked` : ''} /> At a date and time (${c.release_timezone})</label>
      <input
        id="${p}-available-at"
        name="available_at"
        type="datetime-local"
        value="${at}"
        aria-label="Date and time (${c.release_timezone})"
        ${invalid(errors, 'available_at')}
      />
      ${fieldError(errors, 'available_at')}
    </p>
  </fieldset>`;
}

/** The Growth page's "Early access" section. */
export async function previewSettings(i: ArtistInput): Promise<Section> {
  const { ctx, campaign: c } = i;
  const [preview, ffmpeg] = await Promise.all([findPreview(ctx.db, c.id), ffmpegAvailable(ctx)]);
  const done = (i.req.query as Record<string, unknown> | undefined)?.done;
  const notice = typeof done === 'string' && DONE[done] ? html`<p class="notice" role="status" data-preview-done>${DONE[done]}</p>` : '';
  const refused = refusedPreviewForms.of(i.req);
  const upload = refused?.form === 'upload' ? refused : undefined;
  const errors = upload?.errors ?? {};
  const action = `${i.base}/growth/preview`;
  const current = preview
    ? html`<div data-preview-current>
        <p>
          Current preview: ${preview.source === 'cut' ? `the first ${preview.seconds} seconds of a track` : 'an uploaded clip'}
          (${preview.mime}, ${mb(preview.size)}). Pre-savers may listen from
          <strong data-preview-moment>${formatInstant(preview.availableFrom, c.release_timezone, 'en')}</strong>.
        </p>
        ${
          preview.availableFrom >= c.first_release_at
            ? html`<p class="err" data-preview-late>
              This moment is not before the release (${formatInstant(c.first_release_at, c.release_timezone, 'en')}) any more — the
              release moved. Set the moment again so pre-savers hear it early.
            </p>`
            : ''
        }
        <audio controls preload="none" src="${i.base}/growth/preview/clip" aria-label="The current preview"></audio>
      </div>`
    : html`<p data-preview-none>No preview yet.</p>`;
  const forms = i.mayEdit
    ? html`<form method="post" action="${action}" enctype="multipart/form-data" id="preview-upload" novalidate>
          ${csrfField(i.req)}
          <h3>${preview ? 'Replace the preview' : 'Add a preview'}</h3>
          <p>
            <label for="preview-clip">A ready clip (${ACCEPTED_FORMATS}; up to ${mb(ctx.config.growth.preview.maxFileBytes)})</label>
            <input
              id="preview-clip"
              name="clip"
              type="file"
              accept="audio/*,.mp3,.m4a,.aac,.ogg,.opus,.wav,.flac,.webm"
              ${invalid(errors, 'clip')}
            />
            ${fieldError(errors, 'clip')}
          </p>
          <p>
            <label for="preview-track">Or a track to cut the first seconds from</label>
            <input id="preview-track" name="track" type="file" accept="audio/*" ${invalid(errors, 'track')} />
            ${fieldError(errors, 'track')}
            <label for="preview-seconds">Seconds to keep</label>
            <input
              id="preview-seconds"
              name="seconds"
              type="number"
              min="${MIN_CUT_SECONDS}"
              max="${MAX_CUT_SECONDS}"
              value="${upload ? typedText(upload.typed.seconds) : '60'}"
              ${invalid(errors, 'seconds')}
            />
            ${fieldError(errors, 'seconds')}
          </p>
          <p class="hint" data-ffmpeg="${ffmpeg ? 'yes' : 'no'}">
            ${ffmpeg ? 'Cutting is available (ffmpeg is installed on this server).' : `${NEEDS_FFMPEG}.`}
          </p>
          ${momentFields(i, 'preview-upload', preview, upload)}
          <button class="btn" type="submit">Save the preview</button>
        </form>
        ${
          preview
            ? html`<form method="post" action="${action}/moment" id="preview-moment-form" novalidate>
                ${csrfField(i.req)}
                <h3>Change the moment</h3>
                ${momentFields(i, 'preview-moment', preview, refused?.form === 'moment' ? refused : undefined)}
                <button class="btn" type="submit">Save the moment</button>
              </form>
              <form method="post" action="${action}/remove" id="preview-remove">
                ${csrfField(i.req)}
                <button class="btn danger" type="submit">Remove the preview</button>
              </form>`
            : ''
        }`
    : '';
  return html`<section class="panel" id="preview" aria-labelledby="preview-settings-h">
    <h2 id="preview-settings-h">Early access</h2>
    <p class="hint">
      A clip pre-savers can hear on their receipt page from a moment you choose (e.g. 48 hours before the release), streamed from
      signed, expiring addresses. Anything played can be recorded: the page tells fans so.
    </p>
    ${notice} ${refused ? alertBox(`Nothing was saved: ${refused.message ?? ''}`) : ''} ${current} ${forms}
  </section>`;
}
