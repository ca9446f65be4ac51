/** The one cookie the console sets, read and written by hand: a name, a value, fixed attributes. */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'parley_console';

export function readSessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * HttpOnly keeps it from scripts, SameSite=Strict from other sites' requests, Secure when the page
 * came over https (an operator's TLS proxy; http on loopback otherwise).
 */
function attributes(request: FastifyRequest, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, ttlMs: number) {
  reply.header('set-cookie', `${SESSION_COOKIE}=${value}; ${attributes(request, Math.floor(ttlMs / 1000))}`);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.header('set-cookie', `${SESSION_COOKIE}=; ${attributes(request, 0)}`);
}
