import { campaignLink } from '../social/campaign-link.js';

/**
 * Where a printed or shown QR code is used, and the `utm_medium` its scans are counted under
 * (`utm_source` is always `qr`). The dashboard's UTM table then tells posters from the merch
 * table from the stage screen.
 */
export const QR_CHANNELS = {
  poster: { medium: 'print', label: 'Poster' },
  flyer: { medium: 'print', label: 'Flyer or sticker' },
  merch: { medium: 'merch', label: 'Merch table' },
  stage: { medium: 'screen', label: 'Stage screen' },
  video: { medium: 'screen', label: 'Video or livestream' },
} as const;

export type QrChannel = keyof typeof QR_CHANNELS;
export const QR_CHANNEL_IDS = Object.keys(QR_CHANNELS) as QrChannel[];
/** The channel when the address names none. */
export const DEFAULT_QR_CHANNEL: QrChannel = 'poster';

export function isQrChannel(v: unknown): v is QrChannel {
  return typeof v === 'string' && Object.hasOwn(QR_CHANNELS, v);
}

/** What a QR code for this campaign and channel encodes. */
export function qrTarget(publicUrl: string, slug: string, channel: QrChannel): string {
  return campaignLink(publicUrl, slug, { source: 'qr', medium: QR_CHANNELS[channel].medium });
}
