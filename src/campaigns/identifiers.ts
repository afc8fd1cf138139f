/** Release identifiers: UPC/EAN barcodes and ISRCs, normalised and checked. */

/** GTIN check digit (UPC-A 12 digits, EAN-13 13 digits). */
export function isValidUpc(upc: string): boolean {
  if (!/^\d{12,13}$/.test(upc)) return false;
  const digits = upc.split('').map(Number);
  const check = digits.pop()!;
  let sum = 0;
  // Weights alternate 3,1,3… counting from the digit next to the check digit.
  for (let i = digits.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += digits[i]! * w;
  return (10 - (sum % 10)) % 10 === check;
}

/** Appends a GTIN check digit to 11 or 12 digits (used for demo releases). */
export function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (isValidUpc(body + d)) return body + d;
  throw new Error('unreachable');
}

export function normalizeUpc(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** ISRC: CC-XXX-YY-NNNNN (country, registrant, year, designation). Hyphens and case are forgiven. */
export function normalizeIsrc(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

export function isValidIsrc(isrc: string): boolean {
  return /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(isrc);
}
