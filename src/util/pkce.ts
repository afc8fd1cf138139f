import { randomBytes } from 'node:crypto';
import { sha256b64url } from './random.js';

const VERIFIER_RE = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 verifier: 64 url-safe characters (384 bits). */
export function createVerifier(): string {
  return randomBytes(48).toString('base64url');
}

export function challengeS256(verifier: string): string {
  return sha256b64url(verifier);
}

export function isValidVerifier(v: string): boolean {
  return VERIFIER_RE.test(v);
}
