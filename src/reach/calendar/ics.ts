/**
 * The few pieces of RFC 5545 (iCalendar) a reminder needs, written by hand: a calendar file is
 * plain text, and every rule that trips calendar apps is here in one place — CRLF line ends,
 * lines folded at 75 octets (never inside a UTF-8 character), and TEXT values escaped
 * (backslash, semicolon, comma, newline: §3.3.11).
 */

/** A TEXT value escaped for a property (§3.3.11). */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const MAX_OCTETS = 75;

/**
 * Folds one content line (§3.1): at most 75 octets a line, continuation lines start with one
 * space (which counts in their 75). Splits only between characters, so a multi-byte character
 * (an Arabic or Devanagari title) is never cut in half.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** `NAME;PARAM=…:value` lines joined and folded, CRLF after every line (the last too). */
export function icsLines(lines: string[]): string {
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** `YYYYMMDDTHHMMSSZ` for an instant (a UTC DATE-TIME, §3.3.5 form 2). */
export function utcStamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `YYYYMMDDTHHMMSS` for a wall time `YYYY-MM-DDTHH:mm[:ss]` (floating, or read with TZID). */
export function wallStamp(wall: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(wall);
  if (!m) throw new Error(`not a wall time: ${wall}`);
  return `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6] ?? '00'}`;
}
