/**
 * Secrets at rest (webhook secrets, endpoint tokens, auth fields) are sealed with AES-256-GCM.
 * The stored form is `v1.<iv>.<tag>.<ciphertext>` (base64url), so a future key rotation can
 * recognise the version. A wrong key or a tampered value fails loudly instead of returning junk.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes.');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('Stored secret has an unknown format.');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new Error(
          'Stored secret could not be decrypted: PARLEY_SECRET_KEY differs from the key it was sealed with.',
        );
      }
    },
  };
}

export function decodeSecretKey(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/**
 * The configured key, or the one generated into `<dataDir>/secret.key` (mode 0600) on first start.
 * Several processes on one PostgreSQL must share PARLEY_SECRET_KEY instead.
 */
export function loadOrCreateSecretKey(
  configured: string | undefined,
  dataDir: string,
): { key: Buffer; generated: boolean } {
  if (configured !== undefined) return { key: decodeSecretKey(configured), generated: false };
  const path = join(dataDir, 'secret.key');
  if (existsSync(path)) return { key: decodeSecretKey(readFileSync(path, 'utf8').trim()), generated: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, generated: true };
}
