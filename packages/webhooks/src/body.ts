/** The raw request body exactly as sent or received. A string stands for its UTF-8 bytes. */
export type WebhookBody = string | Uint8Array;

/**
 * Signatures cover bytes, so a parsed JSON object can never be verified: its re-serialization differs
 * from what was signed (key order, spacing, escapes). Passing one is the classic receiver bug, and a
 * plain-JavaScript caller gets a message naming it instead of Node's generic TypeError.
 */
export function requireRawBody(body: WebhookBody): void {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError(
      'Pass the raw request body (a string or bytes such as a Buffer), not parsed JSON: the signature covers the exact bytes received.',
    );
  }
}
