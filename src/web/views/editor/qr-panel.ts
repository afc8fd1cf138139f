import type { Campaign } from '../../../campaigns/repo.js';
import { DEFAULT_QR_CHANNEL, isQrChannel, QR_CHANNEL_IDS, QR_CHANNELS } from '../../../qr/channels.js';
import { html, type SafeHtml } from '../../html.js';

/** PNG sizes offered for download: a screen or social post, and a large print. */
const PNG_SIZES = [1024, 2048] as const;

/**
 * The editor's QR panel: choose where the code will be used (a GET form back to this page, so
 * it works without script), see it, download it as SVG (print, any size) or PNG. The images are
 * the public /<slug>/qr.* addresses, so what the artist downloads is what a fan's phone reads.
 */
export function qrPanel(c: Campaign, requested: unknown): SafeHtml {
  const channel = isQrChannel(requested) ? requested : DEFAULT_QR_CHANNEL;
  const file = `${c.slug}-qr-${channel}`;
  const q = `channel=${channel}`;
  return html`<section class="panel" id="qr">
    <h2>QR code</h2>
    <p class="hint">
      For posters, merch and screens at shows. Scans open the campaign page and count in the dashboard's sources as
      <code>utm_source=qr</code>, <code>utm_medium=${QR_CHANNELS[channel].medium}</code>.
    </p>
    <form method="get" action="#qr">
      <label for="qr-channel">Where it will be used</label>
      <select id="qr-channel" name="qr">
        ${QR_CHANNEL_IDS.map((id) => html`<option value="${id}" ${id === channel ? 'selected' : ''}>${QR_CHANNELS[id].label}</option>`)}
      </select>
      <button class="btn small" type="submit">Show</button>
    </form>
    <p><img class="qr" src="/${c.slug}/qr.svg?${q}" width="200" height="200" alt="QR code for ${QR_CHANNELS[channel].label.toLowerCase()}" /></p>
    <p class="actions">
      <a class="btn small" href="/${c.slug}/qr.svg?${q}" download="${file}.svg" data-qr-download="svg">Download SVG</a>
      ${PNG_SIZES.map(
        (s) =>
          html`<a class="btn small" href="/${c.slug}/qr.png?${q}&size=${s}" download="${file}-${s}.png" data-qr-download="png-${s}">Download PNG (${s} px)</a>`,
      )}
    </p>
  </section>`;
}
