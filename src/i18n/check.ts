import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LANGUAGES, type Lang } from './languages.js';

/**
 * `npm run i18n:check`: the catalogs as translators leave them. For every area and language:
 * every English key is there and no other; each message is valid ICU; it uses the same arguments
 * as English (names, and which are plural / select / number…), its selects offer the same choices,
 * and its plurals name every category the language's rules use (Intl.PluralRules). And every key
 * is used: its full name (`area.key`, in quotes) appears somewhere in src/ outside the catalogs.
 * There are no keys built at run time; code that picks among keys writes each one out (a map
 * from codes to keys), so this search finds it.
 */
export type Catalogs = Record<string, Record<Lang, Record<string, string>>>;

interface Shape {
  /** `name:kind` for every argument, in every branch. */
  args: Set<string>;
  /** select argument → its choices. */
  selects: Map<string, Set<string>>;
  /** plural arguments (cardinal or ordinal) → categories given (without `=N`). */
  plurals: { name: string; ordinal: boolean; categories: Set<string> }[];
}

const KIND: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: 'text',
  [TYPE.number]: 'number',
  [TYPE.date]: 'date',
  [TYPE.time]: 'time',
  [TYPE.select]: 'select',
  [TYPE.plural]: 'plural',
  [TYPE.tag]: 'tag',
};

function shapeOf(elements: MessageFormatElement[], into: Shape = { args: new Set(), selects: new Map(), plurals: [] }): Shape {
  for (const e of elements) {
    const kind = KIND[e.type];
    if (kind && 'value' in e) into.args.add(`${e.value}:${kind}`);
    if (e.type === TYPE.select) {
      const choices = into.selects.get(e.value) ?? new Set<string>();
      for (const k of Object.keys(e.options)) choices.add(k);
      into.selects.set(e.value, choices);
    }
    if (e.type === TYPE.plural) {
      const categories = new Set(Object.keys(e.options).filter((k) => !k.startsWith('=')));
      into.plurals.push({ name: e.value, ordinal: e.pluralType === 'ordinal', categories });
    }
    if (e.type === TYPE.select || e.type === TYPE.plural) for (const o of Object.values(e.options)) shapeOf(o.value, into);
    if (e.type === TYPE.tag) shapeOf(e.children, into);
  }
  return into;
}

const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const list = (s: Iterable<string>) => [...s].sort().join(', ') || '(none)';

/** Every problem with the catalogs, as lines naming language, key and what is wrong. */
export function checkCatalogs(catalogs: Catalogs, sources: string[]): string[] {
  const problems: string[] = [];
  for (const [area, byLang] of Object.entries(catalogs)) {
    const english = byLang.en;
    const englishShapes = new Map<string, Shape>();
    for (const [key, text] of Object.entries(english)) {
      try {
        englishShapes.set(key, shapeOf(parse(text)));
      } catch (err) {
        problems.push(`en ${area}.${key}: not valid ICU (${(err as Error).message})`);
      }
    }
    for (const lang of LANGUAGES) {
      const messages = byLang[lang];
      if (!messages) {
        problems.push(`${lang} ${area}: no catalog`);
        continue;
      }
      for (const key of Object.keys(english)) if (!Object.hasOwn(messages, key)) problems.push(`${lang} ${area}.${key}: missing`);
      for (const key of Object.keys(messages))
        if (!Object.hasOwn(english, key)) problems.push(`${lang} ${area}.${key}: not an English key`);
      const cardinal = new Set(new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[]);
      const ordinal = new Set(new Intl.PluralRules(lang, { type: 'ordinal' }).resolvedOptions().pluralCategories as string[]);
      for (const [key, text] of Object.entries(messages)) {
        const where = `${lang} ${area}.${key}`;
        let shape: Shape;
        try {
          shape = shapeOf(parse(text));
        } catch (err) {
          problems.push(`${where}: not valid ICU (${(err as Error).message})`);
          continue;
        }
        for (const p of shape.plurals) {
          const needed = p.ordinal ? ordinal : cardinal;
          const missing = [...needed].filter((c) => !p.categories.has(c));
          const unknown = [...p.categories].filter((c) => !needed.has(c));
          if (missing.length) problems.push(`${where}: plural {${p.name}} lacks ${list(missing)} (${lang} uses ${list(needed)})`);
          if (unknown.length) problems.push(`${where}: plural {${p.name}} has ${list(unknown)}, which ${lang} never uses`);
        }
        const source = englishShapes.get(key);
        if (!source || lang === 'en') continue;
        if (!same(shape.args, source.args)) {
          problems.push(`${where}: arguments ${list(shape.args)} differ from English ${list(source.args)}`);
        }
        for (const [name, choices] of source.selects) {
          const mine = shape.selects.get(name);
          if (mine && !same(mine, choices)) problems.push(`${where}: select {${name}} offers ${list(mine)}, English ${list(choices)}`);
        }
      }
    }
    for (const key of Object.keys(english)) {
      const full = `${area}.${key}`;
      if (!sources.some((s) => s.includes(`'${full}'`) || s.includes(`"${full}"`) || s.includes(`\`${full}\``))) {
        problems.push(`${full}: not used anywhere in src/`);
      }
    }
  }
  return problems;
}

/** The TypeScript sources under `dir`, the catalogs themselves left out. */
export function readSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (p.endsWith(path.join('i18n', 'messages'))) continue;
      out.push(...readSources(p));
    } else if (entry.name.endsWith('.ts')) out.push(fs.readFileSync(p, 'utf8'));
  }
  return out;
}
