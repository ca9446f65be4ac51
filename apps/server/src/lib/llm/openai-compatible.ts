/**
 * The LlmProvider for any OpenAI-compatible Chat Completions API (OpenAI, Azure-style proxies,
 * vLLM, Ollama, LM Studio...). Only the common subset is sent: model, messages, tools, max_tokens.
 */
import { z } from 'zod';
import type { OutboundHttp } from '../outbound/index.ts';
import { badResponse, providerError } from './errors.ts';
import { createServerTransport, createShopTransport, type LlmTransport } from './transport.ts';
import type { ChatRequest, ChatResult, LlmProvider, LlmTarget, ModelToolCall, Usage } from './types.ts';

const toolCall = z.object({
  id: z.string().min(1),
  function: z.object({
    name: z.string(),
    // Some servers send the arguments as an object instead of JSON text.
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  }),
});

const completion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z.array(toolCall).nullish(),
        }),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().int().nonnegative(),
      completion_tokens: z.number().int().nonnegative(),
      total_tokens: z.number().int().nonnegative().optional(),
    })
    .nullish(),
});

/** The API's own error message, if its body has the usual `{"error":{"message"}}` shape. */
function apiErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // Not JSON: the start of the text says more than nothing.
  }
  return body.slice(0, 300);
}

/** When an API reports no usage, a reply must still cost something: about 4 characters per token. */
function estimateUsage(requestBody: string, responseBody: string): Usage {
  const prompt = Math.ceil(requestBody.length / 4);
  const completionTokens = Math.ceil(responseBody.length / 4);
  return {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
  };
}

function parseCompletion(requestBody: string, status: number, raw: Buffer, latencyMs: number): ChatResult {
  const text = raw.toString('utf8');
  if (status < 200 || status >= 300) {
    throw providerError(`The model API answered HTTP ${status}: ${apiErrorMessage(text)}`, {
      http_status: status,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badResponse('the body is not JSON');
  }
  const parsed = completion.safeParse(json);
  if (!parsed.success) throw badResponse(parsed.error.issues[0]?.message ?? 'unexpected shape');
  const [choice] = parsed.data.choices;
  const toolCalls: ModelToolCall[] = (choice?.message.tool_calls ?? []).map((call) => ({
    id: call.id,
    type: 'function',
    function: {
      name: call.function.name,
      arguments:
        typeof call.function.arguments === 'string'
          ? call.function.arguments
          : JSON.stringify(call.function.arguments ?? {}),
    },
  }));
  const reported = parsed.data.usage;
  const usage = reported
    ? {
        prompt_tokens: reported.prompt_tokens,
        completion_tokens: reported.completion_tokens,
        total_tokens: reported.total_tokens ?? reported.prompt_tokens + reported.completion_tokens,
      }
    : estimateUsage(requestBody, text);
  return {
    content: choice?.message.content ?? null,
    toolCalls,
    usage,
    usageEstimated: reported == null,
    latencyMs,
  };
}

const chatCompletionsUrl = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '')}/chat/completions`;

export function createLlmProvider(options: { outbound: OutboundHttp }): LlmProvider {
  const transports: Record<LlmTarget['origin'], LlmTransport> = {
    server: createServerTransport(),
    shop: createShopTransport(options.outbound),
  };
  return {
    async chat(target, request: ChatRequest, { timeoutMs }) {
      const body = JSON.stringify({
        model: target.model,
        messages: request.messages,
        ...(request.tools === undefined ? {} : { tools: request.tools, tool_choice: 'auto' }),
        max_tokens: request.maxTokens,
        ...(request.jsonSchema === undefined
          ? {}
          : {
              response_format: { type: 'json_schema', json_schema: { ...request.jsonSchema, strict: true } },
            }),
      });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (target.apiKey !== undefined) headers.authorization = `Bearer ${target.apiKey}`;
      const started = performance.now();
      const response = await transports[target.origin].post({
        url: chatCompletionsUrl(target.baseUrl),
        headers,
        body,
        timeoutMs,
      });
      return parseCompletion(body, response.status, response.body, Math.round(performance.now() - started));
    },
    async close() {
      await Promise.all(Object.values(transports).map((transport) => transport.close()));
    },
  };
}
