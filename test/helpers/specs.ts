import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';

/**
 * The providers' OpenAPI documents for the contract tests. They are not part of the repository
 * (their licences travel with them in the project's shared folder): CI lays that folder beside the
 * clone, a user's clone has none. `DROPDAY_SPECS_DIR` points the tests at another copy.
 */
export const SPECS_DIR = path.resolve(process.env.DROPDAY_SPECS_DIR ?? path.join(process.cwd(), '../shared/specs'));

/** The document's path, or null (with a visible notice) when it is not available. */
export function specFile(name: string): string | null {
  const file = path.join(SPECS_DIR, name);
  if (fs.existsSync(file)) return file;
  process.stdout.write(
    `\nContract tests SKIPPED: ${name} not found in ${SPECS_DIR}. Set DROPDAY_SPECS_DIR to the folder holding the providers' OpenAPI documents to run them.\n`,
  );
  return null;
}

/** `describe` when the document is there, `describe.skip` otherwise. */
export const describeWithSpec = (file: string | null) => (file ? describe : describe.skip);
