/**
 * The LlmProvider seam (docs/architecture.md#the-composition-root): one Chat Completions call to an
 * OpenAI-compatible API. The assistant owns the conversation and the tool loop; a provider only
 * sends one request and reports what came back.
 */

export interface ModelToolCall {
  id: string;
  type: 'function';
  /** `arguments` is the JSON text the model wrote; it may be invalid. */
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ModelToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Omitted (not an empty list) when the model may not call functions. */
  tools?: ChatTool[];
  maxTokens: number;
  /**
   * Asks for structured output: the answer's content must be JSON of this schema. Strict mode is a
   * request, not a guarantee (some compatible servers ignore it): callers validate the answer anyway.
   */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatResult {
  content: string | null;
  toolCalls: ModelToolCall[];
  usage: Usage;
  /** True when the API reported no usage and it was estimated from the text sizes. */
  usageEstimated: boolean;
  latencyMs: number;
}

/**
 * Where to send a call. `origin` decides the transport: `server` targets come from the operator's
 * PARLEY_LLM_* and may be a model on the LAN; `shop` targets were given by a shop over MCP and go
 * through the outbound policy like every other user-given URL.
 */
export interface LlmTarget {
  origin: 'server' | 'shop';
  /** Up to and including the version, e.g. https://api.openai.com/v1; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
}

export interface LlmProvider {
  /** Rejects only with an AppError (AI_PROVIDER_ERROR, AI_TIMEOUT, AI_BAD_RESPONSE). */
  chat(target: LlmTarget, request: ChatRequest, options: { timeoutMs: number }): Promise<ChatResult>;
  close(): Promise<void>;
}
