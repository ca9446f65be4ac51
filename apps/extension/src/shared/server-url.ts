/** The Parley server URL an agent types in the options page, checked and put in one canonical form. */

export type ServerUrlCheck =
  { ok: true; url: string } | { ok: false; problem: 'empty' | 'invalid' | 'scheme' };

/** Keeps a path prefix (a server behind a reverse proxy) and drops a trailing slash, query and fragment. */
export function normalizeServerUrl(input: string): ServerUrlCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme' };
  url.search = '';
  url.hash = '';
  return { ok: true, url: url.toString().replace(/\/+$/, '') };
}

/**
 * The host permission Chrome needs before the background may call this server (without it, a
 * cross-origin fetch is subject to CORS, which Parley's API does not serve). A pattern without a port
 * matches every port of the host.
 */
export function hostPermissionPattern(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

/** `path` starts with `/api/…` or `/health`; query values are encoded here. */
export function serverEndpoint(serverUrl: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(`${serverUrl}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}
