import fs from 'node:fs';
import path from 'node:path';
import type { Campaign } from '../campaigns/repo.js';
import { countryShapes, MAP_HEIGHT, MAP_WIDTH, NO_DATA_FILL } from '../dashboard/world-map.js';
import { artworkDir, parseArtworkUrl } from '../editor/artwork.js';
import { loadSharp } from '../util/sharp.js';
import { direction, t, type Lang } from '../i18n/index.js';
import { html, raw, type SafeHtml } from '../web/html.js';
import { MIN_FANS_SHOWN, type ProofCounts } from './proof-counts.js';

/**
 * The social-proof card an artist posts in release week: the artwork, "N fans pre-saved" in the
 * chosen language, and a small map where the countries with at least MIN_FANS_SHOWN fans are
 * filled. Drawn as SVG (text and map), rasterized by sharp (librsvg), the artwork composited in.
 */
export const PROOF_CARD = { width: 1200, height: 630 } as const;
const ART = { x: 60, y: 60, side: 510 } as const;
const COLUMN = { x: 630, width: 510 } as const;
const MAP = { y: 300, height: Math.round((COLUMN.width * MAP_HEIGHT) / MAP_WIDTH) } as const;
const FONT = 'DejaVu Sans, Noto Sans, Lohit Devanagari, Noto Sans Devanagari, Lohit Bengali, Noto Sans Bengali, Arial, sans-serif';
const DEFAULT_ACCENT = '#8b5cf6';

/** A font size at which `text` fits the column (bold DejaVu runs about 0.65 em a character). */
function fitSize(text: string, max: number): number {
  return Math.max(24, Math.min(max, Math.floor(COLUMN.width / ([...text].length * 0.65))));
}

/*
 * Characters XML 1.0 does not allow: librsvg refuses the whole card over one of them. Names may
 * hold the noncharacters U+FFFE and U+FFFF (controls are refused when they are stored, not these).
 */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** The artist's words as they can be drawn: as entered, less what XML cannot carry. */
function drawable(text: string): string {
  return text.replace(NOT_XML, '');
}

function clip(text: string, max: number): string {
  const chars = [...drawable(text)];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

export interface ProofCardInput {
  campaign: Pick<Campaign, 'title' | 'artist_name' | 'artwork_url'>;
  counts: ProofCounts;
  lang: Lang;
  /** The campaign's button colour (#rrggbb), for the count and the filled countries. */
  accent?: string | null;
}

/** The card's SVG, without the artwork picture (composited over the placeholder box by {@link renderProofCard}). */
export function proofCardSvg(o: ProofCardInput): string {
  const accent = o.accent && /^#[0-9a-f]{6}$/i.test(o.accent) ? o.accent : DEFAULT_ACCENT;
  const rtl = direction(o.lang) === 'rtl';
  const x = rtl ? COLUMN.x + COLUMN.width : COLUMN.x;
  const anchor = rtl ? 'end' : 'start';
  const text = (y: number, size: number, fill: string, body: string, bold = false): SafeHtml =>
    html`<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" ${bold ? raw('font-weight="700"') : ''} fill="${fill}" text-anchor="${anchor}">${body}</text>`;
  const countries = countryShapes().map((s) => {
    const shown = s.code !== null && o.counts.countries.has(s.code);
    return html`<path d="${raw(s.d)}" fill="${shown ? accent : NO_DATA_FILL}"${s.code ? html` data-country="${s.code}"` : ''} />`;
  });
  const count = t(o.lang, 'common.fans_presaved', { count: o.counts.total });
  const initial = [...drawable(o.campaign.title)][0]?.toUpperCase() ?? '';
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${PROOF_CARD.width}" height="${PROOF_CARD.height}" viewBox="0 0 ${PROOF_CARD.width} ${PROOF_CARD.height}">
  <defs><linearGradient id="ph" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6d28d9" /><stop offset="1" stop-color="#db2777" /></linearGradient></defs>
  <rect width="${PROOF_CARD.width}" height="${PROOF_CARD.height}" fill="#0f0f14" />
  <rect x="${ART.x}" y="${ART.y}" width="${ART.side}" height="${ART.side}" rx="16" fill="url(#ph)" />
  <text x="${ART.x + ART.side / 2}" y="${ART.y + ART.side / 2 + 70}" font-family="${FONT}" font-size="200" font-weight="700" fill="#ffffff" text-anchor="middle">${initial}</text>
  ${text(120, 44, '#f4f4f6', clip(o.campaign.title, 24), true)}
  ${text(172, 30, '#a1a1b0', clip(o.campaign.artist_name, 32))}
  ${text(255, fitSize(count, 52), accent, count, true)}
  <svg x="${COLUMN.x}" y="${MAP.y}" width="${COLUMN.width}" height="${MAP.height}" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" class="proof-map">${countries}</svg>
  ${o.counts.countries.size ? text(MAP.y + MAP.height + 40, 22, '#a1a1b0', t(o.lang, 'share.card_countries', { min: MIN_FANS_SHOWN })) : ''}
</svg>`.value;
}

/** The campaign's stored artwork (640 px) when it has one on this server; null for none or an outside URL. */
function storedArtwork(dataDir: string, artworkUrl: string | null): string | null {
  const stored = parseArtworkUrl(artworkUrl);
  if (!stored) return null;
  const file = path.join(artworkDir(dataDir, stored.campaignId, stored.version), '640.jpg');
  return fs.existsSync(file) ? file : null;
}

/** The card as PNG. An artwork given as an outside URL is not fetched: the placeholder stands in. */
export async function renderProofCard(o: ProofCardInput & { dataDir: string }): Promise<Buffer> {
  const sharp = await loadSharp();
  const art = storedArtwork(o.dataDir, o.campaign.artwork_url);
  const overlays = art
    ? [
        {
          input: await sharp(art)
            .resize(ART.side, ART.side, { fit: 'cover' })
            .composite([{ input: Buffer.from(roundedMask()), blend: 'dest-in' as const }])
            .png()
            .toBuffer(),
          left: ART.x,
          top: ART.y,
        },
      ]
    : [];
  return sharp(Buffer.from(proofCardSvg(o)))
    .composite(overlays)
    .png({ compressionLevel: 9 })
    .toBuffer();
}

function roundedMask(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${ART.side}" height="${ART.side}"><rect width="${ART.side}" height="${ART.side}" rx="16" fill="#fff"/></svg>`;
}
