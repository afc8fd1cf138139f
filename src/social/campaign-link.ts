/**
 * The campaign's public address with UTM parameters: what QR codes encode and share buttons
 * send. Always the campaign page (`PUBLIC_URL/<slug>`), never a fan's receipt (/p/…, a
 * capability). `utm_campaign` is the slug, so the dashboard's UTM table groups them.
 */
export function campaignLink(publicUrl: string, slug: string, utm: { source: string; medium: string }): string {
  const u = new URL(`${publicUrl.replace(/\/+$/, '')}/${encodeURIComponent(slug)}`);
  u.searchParams.set('utm_source', utm.source);
  u.searchParams.set('utm_medium', utm.medium);
  u.searchParams.set('utm_campaign', slug);
  return u.href;
}
