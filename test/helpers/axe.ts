import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * axe-core in a real Chromium page. The source is handed to `page.evaluate`, which runs in the
 * page without being subject to its Content-Security-Policy: the pages keep their real CSP (the
 * campaign page's hashes, the busy page's `default-src 'none'`) and no `bypassCSP` is needed.
 */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail a page: axe's serious and critical (minor and moderate are reported, not failed). */
export const FAILING_IMPACTS = new Set(['serious', 'critical']);

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
  /** axe's own explanation for the first node ("Element has insufficient color contrast of 2.6 …"). */
  summary: string;
}

function violationOf(r: Result): AxeViolation {
  return {
    id: r.id,
    impact: r.impact ?? 'unknown',
    help: r.help,
    helpUrl: r.helpUrl,
    targets: r.nodes.map((n) => n.target.join(' ')),
    summary: r.nodes[0]?.failureSummary?.replace(/\s+/g, ' ').trim() ?? '',
  };
}

/** Every axe violation on the page as it is now (WCAG 2.x A/AA and best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    // The page's own axe (window.axe) is the one just injected; nothing from the test crosses but options.
    () =>
      (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        resultTypes: ['violations'],
      }),
  );
  return results.violations.map(violationOf);
}

/** The violations as lines a person can act on: rule, impact, what to do, where. */
export function describeViolations(name: string, violations: AxeViolation[]): string {
  return violations
    .map(
      (v) => `${name}: [${v.impact}] ${v.id} — ${v.help}\n    at ${v.targets.slice(0, 5).join(' | ')}\n    ${v.summary}\n    ${v.helpUrl}`,
    )
    .join('\n');
}

/**
 * The page's serious and critical violations, described (an empty string when there are none), so
 * a test can collect pages and assert once: `expect(problems).toEqual([])` then names every one.
 * Works for any loaded page: for another language, load it with `?lang=ar` (or an Accept-Language)
 * first; axe reads the page's `lang` and `dir` as they are.
 */
export async function axeProblems(page: Page, name: string): Promise<string> {
  const failing = (await axeViolations(page)).filter((v) => FAILING_IMPACTS.has(v.impact));
  return describeViolations(name, failing);
}

/** Loads `url` and returns its serious and critical axe violations, described ('' when none). */
export async function axeProblemsAt(page: Page, name: string, url: string): Promise<string> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  return axeProblems(page, name);
}
