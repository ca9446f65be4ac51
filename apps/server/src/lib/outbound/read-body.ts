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
