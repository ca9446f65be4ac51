/**
 * The typed messages between the extension's parts. Pages (side panel, options) and the content
 * script ask the background, which owns the network and the token; the background asks a WhatsApp
 * tab's content script to put text into its composer. Each request type has exactly one response type.
 */
import type {
  ConversationMessage,
  CreatePanelLinkRequest,
  CreatePanelLinkResponse,
  CustomerLookupResponse,
  FollowupChangeResponse,
  ListFollowupsResponse,
  PanelSearchKind,
  PanelSearchResponse,
  PostConversationMessagesRequest,
  PostConversationMessagesResponse,
  SuggestReplyResponse,
} from '@parley/contract';
import type { ChatIdentity } from './chat.ts';
import type { Outcome } from './outcome.ts';
import type { PageStatus } from './page-status.ts';
import type { SettingsView } from './settings.ts';

/** What a successful connection check learned about the server. */
export interface ConnectionReport {
  version: string;
  database: string;
}

export interface SettingsInput {
  serverUrl: string;
  /** Null keeps the saved token (the options page never receives it back). */
  token: string | null;
  reportMessages: boolean;
}

export type BackgroundRequests = {
  /**
   * Content script: the chat open in this tab, or what the script can read of the page, changed.
   * Answers whether to report its messages.
   */
  'chat/changed': {
    payload: { chat: ChatIdentity; status: PageStatus };
    response: { reportMessages: boolean };
  };
  /** Content script: messages of the open chat (only sent when reporting is on). */
  'conversation/report': {
    payload: PostConversationMessagesRequest;
    response: Outcome<PostConversationMessagesResponse>;
  };
  'customer/lookup': {
    payload: { phone: string; refresh: boolean };
    response: Outcome<CustomerLookupResponse>;
  };
  'crm/search': {
    payload: { kind: PanelSearchKind; query: string; phone: string | null };
    response: Outcome<PanelSearchResponse>;
  };
  'link/create': { payload: CreatePanelLinkRequest; response: Outcome<CreatePanelLinkResponse> };
  /**
   * Puts text into the composer of a WhatsApp tab (null: the tab whose chat the panel shows) and
   * checks it landed (`not_inserted` otherwise). Never sends.
   */
  'composer/insert': { payload: { tabId: number | null; text: string }; response: Outcome<null> };
  /**
   * A draft reply for the chat with `phone` in that tab (POST /api/ai/suggest-reply), from the
   * messages the tab shows (or, when it shows none, the ones Parley stored). Never sends anything.
   */
  'reply/suggest': {
    payload: { tabId: number | null; phone: string; instruction: string | null };
    response: Outcome<SuggestReplyResponse>;
  };
  /** The shop's due follow-ups in the server's order; with `phone`, that chat's only. */
  'followups/list': { payload: { phone: string | null }; response: Outcome<ListFollowupsResponse> };
  /** The agent sent the follow-up from WhatsApp; Parley itself never sends it. */
  'followup/sent': { payload: { id: string }; response: Outcome<FollowupChangeResponse> };
  'followup/dismiss': { payload: { id: string }; response: Outcome<FollowupChangeResponse> };
  /**
   * Opens a WhatsApp Web URL (a follow-up's chat) in the panel's WhatsApp tab, or the one used last,
   * or a new tab when there is none.
   */
  'chat/open': { payload: { tabId: number | null; url: string }; response: Outcome<null> };
  'settings/read': { payload: null; response: SettingsView };
  'settings/check': { payload: SettingsInput; response: Outcome<ConnectionReport> };
  /** Checks the connection first and saves only when it works. */
  'settings/save': { payload: SettingsInput; response: Outcome<ConnectionReport> };
};

export type TabRequests = {
  'composer/insert': { payload: { text: string }; response: Outcome<null> };
  /** The open chat's text messages (store or markup), when it is the one with `phone`; none otherwise. */
  'chat/messages': { payload: { phone: string }; response: { messages: ConversationMessage[] } };
};

export type RequestType = keyof BackgroundRequests;

type Protocol = Record<string, { payload: unknown; response: unknown }>;

interface Envelope<P extends Protocol, K extends keyof P> {
  type: K;
  payload: P[K]['payload'];
}

export type ResponseOf<P extends Protocol, K extends keyof P> = P[K]['response'];

export function askBackground<K extends RequestType>(
  type: K,
  payload: BackgroundRequests[K]['payload'],
): Promise<ResponseOf<BackgroundRequests, K>> {
  const envelope: Envelope<BackgroundRequests, K> = { type, payload };
  return chrome.runtime.sendMessage(envelope);
}

export function askTab<K extends keyof TabRequests>(
  tabId: number,
  type: K,
  payload: TabRequests[K]['payload'],
): Promise<ResponseOf<TabRequests, K>> {
  const envelope: Envelope<TabRequests, K> = { type, payload };
  return chrome.tabs.sendMessage(tabId, envelope);
}

/** Messages arrive as `unknown`; this checks the envelope's shape and that its type is one of `types`. */
export function isEnvelope<K extends string>(
  message: unknown,
  types: readonly K[],
): message is { type: K; payload: unknown } {
  if (typeof message !== 'object' || message === null || !('payload' in message)) return false;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' && (types as readonly string[]).includes(type);
}
