import { FanBrowser } from '../../helpers/fan.js';

/** A fan's whole pre-save round trip through the fake Spotify's consent page; returns the thank-you page URL. */
export async function spotifyPresave(base: string, slug: string, username: string, tz = 'UTC'): Promise<string> {
  const fan = new FanBrowser();
  const { consentUrl, requestId } = await fan.startPresave(base, slug, tz, 'spotify');
  const callback = await fan.decide(consentUrl, requestId, username, 'allow');
  const done = await fan.get(callback);
  if (done.status !== 303) throw new Error(`callback answered ${done.status}: ${(await done.text()).slice(0, 500)}`);
  return new URL(done.headers.get('location')!, base).toString();
}
