export { LANGUAGES, type Lang, isLang, direction, matchLang } from './languages.js';
export { acceptedTags, campaignLangs, chooseLang } from './choose.js';
export { t, translator, type Translate, type MessageKey, type MessageValues } from './translate.js';
export { isolate } from './bidi.js';
export { formatInstant, formatWallTime } from './dates.js';
export { clientWords, type ClientWords } from './client.js';
