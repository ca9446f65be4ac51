/**
 * The console's only way to the server: its session (cookie, never readable here), MCP tools/call
 * through /api/mcp, and the agent and admin routes. Every change carries the CSRF header. The
 * answers are the tools' and routes' own, so the page shows their messages unchanged.
 */

export interface SessionInfo {
  kind: 'shop' | 'admin';
  shop: { id: string; name: string; locale: string } | null;
  csrf_token: string;
  expires_at: string;
}

/** A tool's answer: its structured result, or the message of an isError result or protocol error. */
export type ToolOutcome<T = Record<string, unknown>> =
  { ok: true; data: T; text: string } | { ok: false; message: string };

export type RestOutcome<T = Record<string, unknown>> =
  { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

/** The session ended (signed out elsewhere, expired, token rotated): the app shows the sign-in. */
export class SessionEnded extends Error {}

const CSRF_HEADER = 'x-parley-csrf';

export class Api {
  private csrf = '';
  private nextId = 1;

  constructor(private readonly onSessionEnded: () => void) {}

  async session(): Promise<SessionInfo | null> {
    const response = await fetch('/api/console/session', { credentials: 'same-origin' });
    if (response.status === 401) return null;
    const info = (await response.json()) as SessionInfo;
    this.csrf = info.csrf_token;
    return info;
  }

  /** Signs in; on success the server set the cookie. Returns the error message otherwise. */
  async signIn(token: string): Promise<string | null> {
    const response = await fetch('/api/console/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    if (response.status === 204) return null;
    return errorMessage(await readJson(response));
  }

  async signOut(): Promise<void> {
    await fetch('/api/console/session', { method: 'DELETE', headers: { [CSRF_HEADER]: this.csrf } });
    this.csrf = '';
  }

  async tool<T = Record<string, unknown>>(
    name: string,
    args: Record<string, unknown> = {},
  ): Promise<ToolOutcome<T>> {
    const response = await fetch('/api/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': '2025-06-18',
        [CSRF_HEADER]: this.csrf,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: this.nextId++,
        method: 'tools/call',
        params: { name, arguments: args },
      }),
    });
    const body = (await readJson(response)) as {
      result?: { isError?: boolean; structuredContent?: T; content?: Array<{ text?: string }> };
      error?: { message?: string } | { code?: string; message?: string };
    };
    this.checkSession(response.status);
    const text = body.result?.content?.map((item) => item.text ?? '').join('\n') ?? '';
    if (body.result === undefined) return { ok: false, message: errorMessage(body) };
    if (body.result.isError === true) return { ok: false, message: text.replace(/^Error: /, '') };
    return { ok: true, data: body.result.structuredContent as T, text };
  }

  async rest<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<RestOutcome<T>> {
    const headers: Record<string, string> = { [CSRF_HEADER]: this.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    this.checkSession(response.status);
    const json = await readJson(response);
    if (response.ok) return { ok: true, status: response.status, data: json as T };
    const error = (json as { error?: { code?: string } }).error;
    return {
      ok: false,
      status: response.status,
      code: error?.code ?? 'HTTP_' + response.status,
      message: errorMessage(json),
    };
  }

  private checkSession(status: number): void {
    if (status === 401) {
      this.onSessionEnded();
      throw new SessionEnded();
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error: { message: text } };
  }
}

function errorMessage(body: unknown): string {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === 'string' ? error.message : 'The server answered without a message.';
}
