import InAppSpy from 'inapp-spy';
import { isBot } from '../../analytics/ua.js';

/**
 * Which app's built-in browser a visitor is in, from the User-Agent alone (inapp-spy's maintained
 * patterns), for the apps whose browsers we rescue fans from. Other webviews (WhatsApp, LinkedIn,
 * Google's app…) and every ordinary browser answer null: their pages stay exactly as they are.
 */
export const INAPP_KINDS = ['instagram', 'facebook', 'messenger', 'tiktok', 'snapchat', 'twitter', 'threads', 'line'] as const;
export type InAppKind = (typeof INAPP_KINDS)[number];
export type InAppOs = 'ios' | 'android' | 'other';

export interface InAppVerdict {
  kind: InAppKind;
  os: InAppOs;
}

/** The app's name as its users know it (a brand, never translated). */
export const INAPP_APP_NAMES: Record<InAppKind, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  messenger: 'Messenger',
  tiktok: 'TikTok',
  snapchat: 'Snapchat',
  twitter: 'X',
  threads: 'Threads',
  line: 'LINE',
};

export function isInAppKind(s: unknown): s is InAppKind {
  return typeof s === 'string' && (INAPP_KINDS as readonly string[]).includes(s);
}

function osOf(ua: string): InAppOs {
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return 'ios';
  if (/\bAndroid\b/.test(ua)) return 'android';
  return 'other';
}

/*
 * inapp-spy 5 files every `FBAN` / `FB_IAB` UA without the newer `IABMV` marker under Messenger
 * (its own comment calls this experimental), which counts Facebook's app as Messenger on the
 * dashboard. Messenger's UAs name it (MessengerForiOS, Orca-Android, MessengerLite…); the rest is Facebook.
 */
const MESSENGER = /Messenger|Orca-Android/i;

function classify(ua: string): InAppVerdict | null {
  // inapp-spy falls back to `window.navigator` (and logs) when given no UA: never call it empty.
  if (!ua) return null;
  const { isInApp, appKey } = InAppSpy({ ua });
  // Link-preview fetchers carry the apps' names too (facebookexternalhit, Twitterbot): not fans.
  if (!isInApp || !isInAppKind(appKey) || isBot(ua)) return null;
  return { kind: appKey === 'messenger' && !MESSENGER.test(ua) ? 'facebook' : appKey, os: osOf(ua) };
}

/**
 * Verdicts by User-Agent string. The campaign page is served from memory, so detection must cost
 * a map look-up, not a dozen regular expressions per view: visitors share few distinct UA strings.
 * Bounded: when full, the map starts over (cheap, and a flood of made-up UAs cannot grow it).
 */
const MAX_CACHED = 2000;
/** Longer UAs are not remembered (nor worth remembering); real ones are a few hundred characters. */
const MAX_UA_CACHED = 512;
const verdicts = new Map<string, InAppVerdict | null>();

export function detectInApp(ua: string | undefined): InAppVerdict | null {
  if (!ua) return null;
  const hit = verdicts.get(ua);
  if (hit !== undefined) return hit;
  const verdict = classify(ua);
  if (ua.length <= MAX_UA_CACHED) {
    if (verdicts.size >= MAX_CACHED) verdicts.clear();
    verdicts.set(ua, verdict);
  }
  return verdict;
}

/** For tests: how many verdicts are held. */
export function cachedVerdicts(): number {
  return verdicts.size;
}
