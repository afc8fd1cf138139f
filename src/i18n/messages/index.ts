/*
 * The catalogs: one folder per area of the fan's side, one file per language inside it. Each
 * area's English file is the source of its keys; the other languages are typed against it, so
 * a missing key fails the build. Keys are `area.name`.
 *
 * To add an area: write `messages/<area>/en.ts` … `ar.ts` and list it below.
 */
import type { Lang } from '../languages.js';
import { a11y } from './a11y/index.js';
import { busy } from './busy/index.js';
import { calendar } from './calendar/index.js';
import { campaign } from './campaign/index.js';
import { common } from './common/index.js';
import { consent } from './consent/index.js';
import { contact } from './contact/index.js';
import { errors } from './errors/index.js';
import { forever } from './forever/index.js';
import { inapp } from './inapp/index.js';
import { messages } from './messages/index.js';
import { musickit } from './musickit/index.js';
import { receipt } from './receipt/index.js';
import { refusals } from './refusals/index.js';
import { push } from './push/index.js';
import { share } from './share/index.js';
import { referral } from './referral/index.js';
import { contest } from './contest/index.js';
import { vault } from './vault/index.js';
import { preview } from './preview/index.js';
import { conversions } from './conversions/index.js';

const AREAS = {
  common,
  a11y,
  share,
  inapp,
  busy,
  campaign,
  consent,
  errors,
  musickit,
  receipt,
  refusals,
  messages,
  calendar,
  forever,
  contact,
  push,
  referral,
  contest,
  vault,
  preview,
  conversions,
} as const;

type Areas = typeof AREAS;
export type MessageKey = {
  [A in keyof Areas]: `${A & string}.${keyof Areas[A]['en'] & string}`;
}[keyof Areas];

function flatten(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [area, byLang] of Object.entries(AREAS)) {
    for (const [k, v] of Object.entries(byLang[lang] as Record<string, string>)) out[`${area}.${k}`] = v;
  }
  return out;
}

export const CATALOGS = {
  en: flatten('en'),
  es: flatten('es'),
  'pt-BR': flatten('pt-BR'),
  fr: flatten('fr'),
  de: flatten('de'),
  hi: flatten('hi'),
  bn: flatten('bn'),
  ar: flatten('ar'),
} satisfies Record<Lang, Record<string, string>> as Record<Lang, Record<MessageKey, string>>;

/** For `npm run i18n:check`: the catalogs by area, as written. */
export { AREAS };
