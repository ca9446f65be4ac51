const standardSecretPrefix = 'whsec_';

/*
 * Padded standard base64 only. It is what Go's StdEncoding, Python's b64decode and the Standard
 * Webhooks libraries all accept, so any secret we sign with is one every receiver can decode. Node's
 * own decoder would skip stray characters and quietly sign with a different key.
 */
const paddedBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The WAzion key: the whole secret's UTF-8 bytes, `whsec_` included. Undefined for an empty secret. */
export function decodeWazionKey(secret: string): Buffer | undefined {
  return secret === '' ? undefined : Buffer.from(secret, 'utf8');
}

/**
 * The Standard Webhooks key: the base64 decoding of what follows `whsec_`, otherwise the secret's
 * UTF-8 bytes (docs/webhooks.md#the-request). Undefined when no key follows from the secret, because an empty
 * key authenticates nothing.
 */
export function decodeStandardKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(standardSecretPrefix)) return decodeWazionKey(secret);
  const encoded = secret.slice(standardSecretPrefix.length);
  return encoded !== '' && paddedBase64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
}

/** Whether both schemes can sign with this secret: for validating a secret when it is configured. */
export function isValidSecret(secret: string): boolean {
  return decodeStandardKey(secret) !== undefined;
}

export const invalidSecretMessage =
  'The webhook secret is empty, or starts with whsec_ without padded base64 after it.';
