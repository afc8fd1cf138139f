import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A MusicKit-style key pair: EC P-256, the private key as a PKCS#8 PEM like Apple's .p8 file. */
export function musicKitKeyPair(): { privateKeyPem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}
