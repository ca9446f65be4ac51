/**
 * The options page's "check connection": is this a Parley server, and does it accept the token?
 * Two calls, so the message can say which half is wrong.
 */
import { listPanelLinksResponse } from '@parley/contract';
import type { ConnectionReport } from '../shared/messages.ts';
import { fail, succeed, type Outcome } from '../shared/outcome.ts';
import { callServer, type Connection, type ResponseSchema } from './server-client.ts';

const healthAnswer: ResponseSchema<ConnectionReport> = {
  safeParse(value) {
    const { status, version, database } = (value ?? {}) as Record<string, unknown>;
    return status === 'ok' && typeof version === 'string' && typeof database === 'string'
      ? { success: true, data: { version, database } }
      : {
          success: false,
          error: { message: 'GET /health did not answer {"status":"ok",…}: is this a Parley server?' },
        };
  },
};

/**
 * Listing a chat's links needs the same token as the panel and reads nothing from the CRM, so it
 * proves the token without causing a CRM call or a lookup record. The phone is a placeholder.
 */
const PROBE_PHONE = '+34600000000';

export async function checkConnection(connection: Connection): Promise<Outcome<ConnectionReport>> {
  const health = await callServer(
    { ...connection, token: null },
    {
      method: 'GET',
      path: '/health',
      schema: healthAnswer,
      timeoutMs: 8_000,
    },
  );
  if (!health.ok) return health;
  const authenticated = await callServer(connection, {
    method: 'GET',
    path: '/api/panel/links',
    query: { phone: PROBE_PHONE },
    schema: listPanelLinksResponse,
    timeoutMs: 8_000,
  });
  return authenticated.ok ? succeed(health.value) : fail(authenticated.failure);
}
