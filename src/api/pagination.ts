import { Type, type TSchema } from 'typebox';
import { DropdayError } from '../errors.js';

/**
 * Cursor pagination (docs/api.md "Pages"): a list answers `{data, next_cursor}`; the cursor is
 * opaque to clients (base64url JSON of the last row's sort key and id), stable under inserts, and
 * null on the last page. Offsets are never used: a page never skips or repeats a row that moved.
 */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page (1–200).' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'The `next_cursor` of the previous page.' })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last.' }),
  });
}

export type Cursor = { k?: string | number; id: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string | undefined): Cursor | null {
  if (s === undefined || s === '') return null;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof v === 'object' &&
      v !== null &&
      Number.isSafeInteger(v.id) &&
      (v.k === undefined || typeof v.k === 'string' || typeof v.k === 'number')
    )
      return v;
  } catch {
    // falls through to the refusal
  }
  throw new DropdayError('VALIDATION', 'The cursor is not one this API gave out.', {
    'querystring.cursor': 'is not a cursor from a previous page',
  });
}

/** Given `limit + 1` rows, the page and the cursor after it. */
export function pageOf<R>(rows: R[], limit: number, cursorOf: (last: R) => Cursor): { rows: R[]; next_cursor: string | null } {
  if (rows.length <= limit) return { rows, next_cursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, next_cursor: encodeCursor(cursorOf(page[page.length - 1]!)) };
}
