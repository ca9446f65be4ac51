/**
 * A real OpenAI-compatible Chat Completions server on an ephemeral loopback port. It answers what
 * the test scripted (text, tool calls, usage, an HTTP error), in order, optionally holding a
 * response until the test releases it, and records every request it received, so a test can
 * assert what the model was sent, or that it was sent nothing at all.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

interface ReplyOptions {
  /** Default 10 + 5 = 15; `null` answers without a usage block. */
  usage?: Partial<ScriptedUsage> | null;
  /** Held until `release()`. */
  hold?: boolean;
}

export type ScriptedReply =
  | ({ text: string } & ReplyOptions)
  | ({
      toolCalls: Array<{ id?: string; name: string; arguments: unknown }>;
      text?: string;
    } & ReplyOptions)
  | ({ status: number; body: unknown } & ReplyOptions);

/** What the assistant sent, as parsed JSON. */
export interface RecordedChatRequest {
  model: string;
  messages: Array<{
    role: string;
    content: string | null;
    tool_call_id?: string;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  }>;
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
  tool_choice?: string;
  max_tokens?: number;
}

export interface ScriptedLlm {
  /** What PARLEY_LLM_BASE_URL should be. */
  baseUrl: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: RecordedChatRequest }>;
  /** Queues replies, answered in order. */
  script(...replies: ScriptedReply[]): void;
  /** Answers any request once the queue is empty (without one, such a request gets 500). */
  setFallback(reply: ScriptedReply | undefined): void;
  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<void>;
  /** Lets every held response go. */
  release(): void;
  /** Forgets requests and queued replies (between tests). */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE: ScriptedUsage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

let nextCallId = 1;

/** A promise and its resolver (Promise.withResolvers needs Node 22). */
function newGate(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function completionBody(reply: Exclude<ScriptedReply, { status: number }>): unknown {
  const usage =
    reply.usage === null
      ? undefined
      : (() => {
          const merged = { ...DEFAULT_USAGE, ...reply.usage };
          return reply.usage?.total_tokens === undefined
            ? { ...merged, total_tokens: merged.prompt_tokens + merged.completion_tokens }
            : merged;
        })();
  const toolCalls =
    'toolCalls' in reply
      ? reply.toolCalls.map((call) => ({
          id: call.id ?? `call_${nextCallId++}`,
          type: 'function',
          function: {
            name: call.name,
            arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
          },
        }))
      : undefined;
  return {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: 0,
    model: 'scripted',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls ? 'tool_calls' : 'stop',
      },
    ],
    ...(usage === undefined ? {} : { usage }),
  };
}

export async function startScriptedLlm(): Promise<ScriptedLlm> {
  const queue: ScriptedReply[] = [];
  let fallback: ScriptedReply | undefined;
  let gate = newGate();
  const requests: ScriptedLlm['requests'] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedChatRequest,
      });
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      const reply = queue.shift() ?? fallback;
      const send = () => {
        if (reply === undefined) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'scripted LLM: no reply scripted for this request' } }));
        } else if ('status' in reply) {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(completionBody(reply)));
        }
      };
      if (reply?.hold === true) void gate.promise.then(send);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => queue.push(...replies),
    setFallback: (reply) => {
      fallback = reply;
    },
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    release: () => {
      gate.resolve();
      gate = newGate();
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      fallback = undefined;
    },
    close: async () => {
      gate.resolve();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
