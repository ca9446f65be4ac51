/**
 * Smart Follow-up's calls for the panel: the due follow-ups, and the agent's "sent" and "dismiss".
 * The server only reads and writes its own store here (no CRM, no model), so a short timeout does.
 */
import {
  followupChangeResponse,
  listFollowupsResponse,
  type FollowupChangeResponse,
  type ListFollowupsResponse,
} from '@parley/contract';
import type { Outcome } from '../shared/outcome.ts';
import { callServer, type Connection } from './server-client.ts';

const FOLLOWUP_TIMEOUT_MS = 20_000;

export function listDueFollowups(
  connection: Connection,
  phone: string | null,
): Promise<Outcome<ListFollowupsResponse>> {
  return callServer(connection, {
    method: 'GET',
    path: '/api/followups',
    query: phone === null ? { status: 'due' } : { status: 'due', phone },
    schema: listFollowupsResponse,
    timeoutMs: FOLLOWUP_TIMEOUT_MS,
    retries: 2,
  });
}

/**
 * Retried once on a transient failure only because the server answers a repeated change with the
 * follow-up as it is (marking a sent follow-up sent again changes nothing), so a request whose answer
 * was lost on the way is safe to send again. A conflict (dismissed, cancelled, expired) is never retried.
 */
export function changeFollowup(
  connection: Connection,
  id: string,
  change: 'sent' | 'dismiss',
): Promise<Outcome<FollowupChangeResponse>> {
  return callServer(connection, {
    method: 'POST',
    path: `/api/followups/${encodeURIComponent(id)}/${change}`,
    body: {},
    schema: followupChangeResponse,
    timeoutMs: FOLLOWUP_TIMEOUT_MS,
    retries: 1,
  });
}
