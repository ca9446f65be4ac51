/** What the agent sets in the options page. Stored by the background only (`background/settings-store.ts`). */
export interface Settings {
  /** Canonical form, see `server-url.ts`. */
  serverUrl: string;
  /** An agent token from `POST /api/agents` (or a shop token). */
  token: string;
  /** Off by default: send the visible messages of the open chat to `POST /api/conversations/messages`. */
  reportMessages: boolean;
}

/** What pages may see of the settings: never the token itself. */
export interface SettingsView {
  serverUrl: string | null;
  hasToken: boolean;
  reportMessages: boolean;
}

/** Where a fresh install points: `npm start` listens there. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';
