import fs from 'node:fs';
import path from 'node:path';

/**
 * Shared by the "one owner per table" tests (test/*-owner.test.ts): each table has ONE module that
 * writes it, and these tests scan src/ line by line for writes anywhere else.
 */
export const SRC = path.resolve(__dirname, '../../src');
/** Migrations are the schema's history and may rewrite rows once. */
export const MIGRATIONS = path.join(SRC, 'db', 'migrations') + path.sep;

/**
 * The writes of `table` in `source` (query builder or raw SQL; reads are not matched), each as its
 * statement's opening words on one line. Matched across line breaks: prettier wraps a long call as
 * `.insertInto(\n  'table',\n)` and a raw statement may break after `DELETE FROM`.
 */
export function tableWrites(table: string): (source: string) => string[] {
  const patterns = [
    new RegExp(`\\b(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\\(\\s*['"\`]${table}\\b`, 'g'),
    new RegExp(`\\b(?:UPDATE|INSERT\\s+(?:OR\\s+\\w+\\s+)?INTO|DELETE\\s+FROM|REPLACE\\s+INTO|MERGE\\s+INTO)\\s+"?${table}\\b`, 'gi'),
  ];
  return (source) => patterns.flatMap((re) => [...source.matchAll(re)].map((m) => m[0].replace(/\s+/g, ' ')));
}

/** Every .ts/.js/.mjs/.cjs file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

/** `file: line` for each write found by `writes` in `files`, relative to src/, for a readable failure. */
export function offenders(files: string[], writes: (source: string) => string[]): string[] {
  return files.flatMap((f) => writes(fs.readFileSync(f, 'utf8')).map((line) => `${path.relative(SRC, f)}: ${line.trim()}`));
}
