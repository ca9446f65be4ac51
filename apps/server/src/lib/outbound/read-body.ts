import type { Readable } from 'node:stream';
import { OutboundError } from './errors.ts';

/**
 * Reads a response body up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; otherwise the count is kept while streaming, and leaving the loop early destroys
 * the stream, which aborts the request instead of downloading the rest.
 */
export async function readCappedBody(
  body: Readable,
  declaredLength: string | undefined,
  limit: number,
  from: string,
): Promise<Buffer> {
  const tooLarge = () =>
    new OutboundError(
      'TOO_LARGE',
      `The response from ${from} exceeds the ${limit}-byte limit; the call was aborted.`,
      {
        limit,
      },
    );
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads the first `keep` bytes of a response body and stops there: the rest is never downloaded
 * (leaving the loop destroys the stream). For callers that only keep an excerpt, where a long
 * answer is no reason to refuse the response.
 */
export async function readBodyPrefix(body: Readable, keep: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= keep) break;
  }
  return Buffer.concat(chunks, size).subarray(0, keep);
}
