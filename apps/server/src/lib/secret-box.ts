/**
 * Secrets at rest (webhook secrets, endpoint tokens, auth fields, API keys) are sealed with
 * AES-256-GCM and bound to where they are stored: the additional authenticated data names the shop
 * and the column, so a sealed value copied into another shop's row (or another column) does not
 * open. The stored form is `v2.<iv>.<tag>.<ciphertext>` (base64url). `v1` values, sealed unbound
 * by earlier versions, are resealed once at start-up (features/sealed-secrets/reseal.ts) and
 * refused everywhere else. A wrong key or a tampered value fails loudly instead of returning junk.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every column that holds a sealed value, as `table.column`. */
export type SealedField =
  | 'shops.request_signing_secret'
  | 'webhook_configs.secret'
  | 'crm_endpoints.credentials'
  | 'custom_functions.credentials'
  | 'ai_settings.api_key';

/** Where a sealed value is stored: it opens only there. */
export interface SecretBinding {
  shopId: string;
  field: SealedField;
}

export const boundTo = (shopId: string, field: SealedField): SecretBinding => ({ shopId, field });

export interface SecretBox {
  seal(plaintext: string, binding: SecretBinding): string;
  open(sealed: string, binding: SecretBinding): string;
  /** Opens a `v1` value (sealed before binding existed); only the start-up reseal step needs it. */
  openUnbound(sealed: string): string;
}

const CURRENT = 'v2';
/** How many opened values a box keeps: enough for every active webhook and endpoint of a server. */
const OPENED_KEPT = 1024;
const UNBOUND = 'v1';

/** True for values in the current, bound format. */
export const isBoundSeal = (sealed: string): boolean => sealed.startsWith(`${CURRENT}.`);

const additionalData = ({ shopId, field }: SecretBinding) =>
  Buffer.from(`parley sealed secret\u0000${field}\u0000${shopId}`, 'utf8');

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes.');

  function decrypt(sealed: string, expected: string, aad: Buffer | undefined): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version === UNBOUND && expected === CURRENT) {
      throw new Error(
        'Stored secret is in the old unbound format (v1); restart Parley once so that it reseals stored secrets.',
      );
    }
    if (version !== expected || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error('Stored secret has an unknown format.');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    if (aad !== undefined) decipher.setAAD(aad);
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        'Stored secret could not be decrypted: PARLEY_SECRET_KEY differs from the key it was sealed with, ' +
          'or the value was copied from another shop or field.',
      );
    }
  }

  // Opened values, by binding and sealed form: a webhook's secret is opened for every delivery, and
  // AES-GCM's setup costs more than the lookup. Only values that opened are kept (a tampered one fails
  // every time), and at most OPENED_KEPT of them, the oldest dropped first.
  const opened = new Map<string, string>();
  function open(sealed: string, binding: SecretBinding): string {
    const key = `${binding.field}\u0000${binding.shopId}\u0000${sealed}`;
    const known = opened.get(key);
    if (known !== undefined) return known;
    const plaintext = decrypt(sealed, CURRENT, additionalData(binding));
    if (opened.size >= OPENED_KEPT) opened.delete(opened.keys().next().value as string);
    opened.set(key, plaintext);
    return plaintext;
  }

  return {
    seal(plaintext, binding) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(additionalData(binding));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [CURRENT, ...[iv, cipher.getAuthTag(), ciphertext].map((p) => p.toString('base64url'))].join(
        '.',
      );
    },
    open,
    openUnbound: (sealed) => decrypt(sealed, UNBOUND, undefined),
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
