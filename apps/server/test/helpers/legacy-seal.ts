/**
 * Seals a value the way Parley did before sealed secrets were bound to their row (`v1`: AES-256-GCM
 * without additional data), to build the rows an upgrade finds.
 */
import { createCipheriv, randomBytes } from 'node:crypto';

export function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
}
