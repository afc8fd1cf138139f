/** One spelling per address: trimmed, Unicode NFC, lower-case. */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

/** A problem with an email address as typed, or null. Deliberately simple: a mail is the real check. */
export function emailProblem(email: string): string | null {
  if (!email) return 'enter your email address';
  if (email.length > 254) return 'this email address is too long';
  if (!/^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/.test(email)) return 'enter an email address like name@example.com';
  return null;
}
