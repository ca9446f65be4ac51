/** A Fetch API `Headers` (Hono, Next.js, Deno, Bun, undici): lookups are already case-insensitive. */
interface FetchHeaders {
  get(name: string): string | null;
}

/** Node's `req.headers`, any plain record, or a Fetch `Headers` object. */
export type HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>> | FetchHeaders;

function isFetchHeaders(headers: HeaderInput): headers is FetchHeaders {
  return typeof headers.get === 'function';
}

/**
 * One header's value, looked up case-insensitively. A repeated header arrives as an array and is
 * joined with ", " as RFC 9110 combines field lines, the same thing Node and Fetch do, so the result
 * does not depend on the framework. An empty value counts as absent.
 */
export function readHeader(headers: HeaderInput, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let value: string | readonly string[] | null | undefined;
  if (isFetchHeaders(headers)) {
    value = headers.get(wanted);
  } else {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
    value = key === undefined ? undefined : headers[key];
  }
  const text = typeof value === 'string' ? value : value?.join(', ');
  return text === '' ? undefined : text;
}
