import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalogs, readSources, type Catalogs } from '../src/i18n/check.js';
import { AREAS } from '../src/i18n/messages/index.js';

/** `npm run i18n:check` on the real catalogs, and on copies broken one way each: it must notice every one. */
const SOURCES = readSources(path.resolve('src'));
const real = () => structuredClone(AREAS) as unknown as Catalogs;
const problemsOf = (c: Catalogs, sources = SOURCES) => checkCatalogs(c, sources);

describe('the catalog checker', () => {
  it('finds every language of every area complete and consistent with English', () => {
    // Whether each key is used depends on every branch's code being merged; the structure does not.
    expect(problemsOf(real()).filter((p) => !p.endsWith('not used anywhere in src/'))).toEqual([]);
  });

  it('names a missing key, and a key English does not have', () => {
    const c = real();
    delete c.receipt!.de.cancel;
    c.campaign!.es.extra = 'Extra';
    expect(problemsOf(c)).toEqual(expect.arrayContaining(['de receipt.cancel: missing', 'es campaign.extra: not an English key']));
  });

  it('names a message that is not valid ICU', () => {
    const c = real();
    c.errors!.fr.busy = 'Ce serveur est {occupé';
    expect(problemsOf(c).some((p) => p.startsWith('fr errors.busy: not valid ICU'))).toBe(true);
  });

  it('names a translation whose placeholders differ from English', () => {
    const c = real();
    c.campaign!.hi.presave_on = '{servic} पर प्री-सेव करें';
    expect(problemsOf(c)).toContain('hi campaign.presave_on: arguments servic:text differ from English service:text');
  });

  it('names a translation that drops a placeholder, or all of them', () => {
    const c = real();
    c.receipt!.fr.reauthorize = c.receipt!.fr.reauthorize!.replace('{date}', 'bientôt');
    c.campaign!.ar.presave_on = 'احفظه مسبقًا';
    const problems = problemsOf(c);
    expect(problems).toContain('fr receipt.reauthorize: arguments service:text differ from English date:text, service:text');
    expect(problems).toContain('ar campaign.presave_on: arguments (none) differ from English service:text');
  });

  it('names a consent text that drops a fact (the follow) or changes the timing choices', () => {
    const c = real();
    c.consent!.bn.text = c.consent!.bn.text!.replace(/\{follow, select, yes \{[^}]*\}[^}]*\} other \{\}\}/, '');
    c.consent!.de.text = c.consent!.de.text!.replace('{timing, select, local {', '{timing, select, lokal {');
    const problems = problemsOf(c);
    expect(problems.some((p) => p.startsWith('bn consent.text: arguments'))).toBe(true);
    expect(problems).toContain('de consent.text: select {timing} offers lokal, other, English local, other');
  });

  it('names a plural that lacks a category the language uses, or has one it never uses', () => {
    const c = real();
    c.campaign!.ar.countdown_days = '{days, plural, one {يوم واحد} other {# يوم}}';
    c.campaign!.de.countdown_days = '{days, plural, one {# Tag} few {# Tage} other {# Tage}}';
    const problems = problemsOf(c);
    expect(problems).toContain(
      'ar campaign.countdown_days: plural {days} lacks few, many, two, zero (ar uses few, many, one, other, two, zero)',
    );
    expect(problems).toContain('de campaign.countdown_days: plural {days} has few, which de never uses');
  });

  it('names a key no source file uses', () => {
    const c = real();
    for (const lang of Object.keys(c.receipt!)) c.receipt![lang as 'en'].forgotten = 'Forgotten';
    expect(problemsOf(c)).toContain('receipt.forgotten: not used anywhere in src/');
    expect(problemsOf(c, [...SOURCES, "t(lang, 'receipt.forgotten')"])).not.toContain('receipt.forgotten: not used anywhere in src/');
  });
});
