/**
 * What the content script can read on a WhatsApp Web page, reported with every change of chat so
 * the panel can say when messages cannot be read and the options page can show what broke after a
 * WhatsApp update ("What Parley sees on this page").
 */

/** WhatsApp's own modules: read, still loading (its module graph has not settled), or not found. */
export type StoreReach = 'reachable' | 'waiting' | 'unreachable';

/**
 * Where the open chat's messages are read from: WhatsApp's store, or the markup in the row format
 * of before 2026 (`<fromMe>_<chat>_<id>`) or of 2026 (bare message ids), `markup_empty` when the
 * chat shows no message rows; `none` when there are rows and neither reader understands them;
 * null with no chat open.
 */
export type MessageFormat = 'store' | 'markup_legacy' | 'markup_2026' | 'markup_empty' | 'none';

export interface PageStatus {
  store: StoreReach;
  messages: MessageFormat | null;
  /** When the chat or this status last changed (ISO 8601). */
  detectedAt: string;
}

/** Whether message reporting and the AI reply's conversation can work for the open chat. */
export const messagesReadable = (status: PageStatus | null): boolean => status?.messages !== 'none';
