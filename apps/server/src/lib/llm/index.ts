/** The LlmProvider seam and its OpenAI-compatible implementation. Import from here only. */
export { createLlmProvider } from './openai-compatible.ts';
export type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  ChatTool,
  LlmProvider,
  LlmTarget,
  ModelToolCall,
  Usage,
} from './types.ts';
