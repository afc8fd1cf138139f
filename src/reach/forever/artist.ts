/**
 * Who "the same artist" is for forever save: the same audience (`w:<workspace id>`, or
 * `c:<campaign id>` for a campaign made from the CLI, which no later campaign shares) and the
 * artist's name folded — NFKC, lower case, trimmed, inner whitespace collapsed — so "Nova  Lake"
 * and "nova lake" are one artist, and a full-width name matches its ASCII twin.
 */
export function artistKey(artistName: string): string {
  return artistName.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, ' ');
}

export function audienceOf(c: { id: number; workspace_id: number | null }): string {
  return c.workspace_id !== null ? `w:${c.workspace_id}` : `c:${c.id}`;
}
