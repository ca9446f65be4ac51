/**
 * "Suggest reply": the open chat's visible messages from its WhatsApp tab, then one call to
 * `POST /api/ai/suggest-reply`. Never retried: every reply is charged in credits, and a failed one
 * may already have been (the server charges what the model used), so trying again is the agent's call.
 */
import { suggestReplyResponse, type ConversationMessage, type SuggestReplyResponse } from '@parley/contract';
import { resolveChatTab } from '../shared/chat-registry.ts';
import { askTab } from '../shared/messages.ts';
import type { Outcome } from '../shared/outcome.ts';
import { keptAlive } from './keep-alive.ts';
import { suggestReplyBody } from './reply-request.ts';
import { callServer, type Connection } from './server-client.ts';

/**
 * The server bounds a reply at 90 s once it holds credits, and may first wait up to 60 s for other
 * replies of the shop to release theirs; past both, something between us and it is stuck.
 */
const SUGGEST_TIMEOUT_MS = 160_000;

export async function suggestReply(
  connection: Connection,
  request: { tabId: number | null; phone: string; instruction: string | null },
): Promise<Outcome<SuggestReplyResponse>> {
  const visible = await visibleMessages(request.tabId, request.phone);
  return keptAlive(
    callServer(connection, {
      method: 'POST',
      path: '/api/ai/suggest-reply',
      body: suggestReplyBody(request.phone, request.instruction, visible),
      schema: suggestReplyResponse,
      timeoutMs: SUGGEST_TIMEOUT_MS,
    }),
  );
}

/** What the tab shows of that chat; none when the tab is gone or shows another chat by now. */
async function visibleMessages(tabId: number | null, phone: string): Promise<ConversationMessage[]> {
  const target = await resolveChatTab(tabId);
  if (target === null) return [];
  try {
    const answer = await askTab(target, 'chat/messages', { phone });
    // A content script of an older version of the extension (not reloaded yet) may not answer this.
    return Array.isArray(answer?.messages) ? answer.messages : [];
  } catch {
    return [];
  }
}
