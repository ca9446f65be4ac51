/**
 * Runs the function calls of a reply (docs/custom-functions.md#when-the-model-calls-one). Every call id the
 * model sends is answered exactly once, in its order, whatever becomes of it:
 * - unknown names and arguments that are not JSON or fail the function's schema are answered with
 *   the error, and no HTTP call is made (validators.ts compiles each schema once);
 * - a call identical to an earlier one of the reply (same name, same canonical arguments) gets the
 *   earlier answer instead of a second request;
 * - past the reply's call limit or its time for functions, calls are answered "limit reached" and
 *   the reply moves on to its final answer;
 * - consecutive GETs run in parallel; any other method runs alone, after everything before it,
 *   because a write may change what the calls around it see.
 */
import { customFunctionName, inputHazards } from '@parley/contract';
import type { ValidateFunction } from 'ajv';
import type { AppDeps } from '../../app-deps.ts';
import type { ChatMessage, ModelToolCall } from '../../lib/llm/index.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { getFunctionForCall, type FunctionForCall } from '../functions/index.ts';
import { callFunctionEndpoint } from './call-function.ts';
import { outcomeOfHttp, refusedCall, type CallOutcome } from './call-outcome.ts';
import { buildFunctionRequest } from './function-request.ts';
import type { ReplyDeadlines, ReplyLimits } from './limits.ts';
import { validatorFor } from './validators.ts';

export interface ToolCallContext {
  deps: AppDeps;
  shopId: string;
  limits: ReplyLimits;
  deadlines: ReplyDeadlines;
  /** Names the model was offered, for the message about an unknown one. */
  offered: readonly string[];
  /** The shop's request-signing secret in clear (opened from the shop row the reply already read). */
  signingSecret: () => string;
}

/** One call as the agent's list and the execution log show it. */
export interface ExecutedCall {
  name: string;
  /** Parsed when the model sent JSON, else its text. */
  arguments: unknown;
  outcome: CallOutcome;
  at: Date;
}

interface LoadedFunction {
  fn: FunctionForCall;
  validate: ValidateFunction;
}

type Plan =
  | { kind: 'answered'; outcome: CallOutcome }
  | { kind: 'duplicate'; of: Promise<CallOutcome> }
  | { kind: 'http'; loaded: LoadedFunction; args: Record<string, unknown>; key: string };

type ParsedArguments = { ok: true; args: Record<string, unknown> } | { ok: false; problem?: string };

/**
 * `{}` for an empty string: some models send that for a function without parameters. Arguments
 * pass the same boundary check as any caller's input (NUL characters, runaway nesting): the model
 * writes them, and a customer's message can steer the model.
 */
function parseArguments(text: string): ParsedArguments {
  if (text.trim() === '') return { ok: true, args: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const [hazard] = inputHazards(value);
      if (hazard === undefined) return { ok: true, args: value as Record<string, unknown> };
      const at = hazard.path.length > 0 ? hazard.path.join('.') : 'the arguments';
      return { ok: false, problem: `${at} ${hazard.message}` };
    }
  } catch {
    // Reported below like any other non-object.
  }
  return { ok: false };
}

/** A name the model wrote, quoted with its control characters escaped and cut to a readable length. */
const shownName = (name: string) => JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);

/** What the execution log stores of the model's own text: PostgreSQL text holds no U+0000. */
const loggable = (text: string) => text.replaceAll('\u0000', '\uFFFD');

const isMutating = (loaded: LoadedFunction) => loaded.fn.method !== 'GET';

export function createToolCallRunner(ctx: ToolCallContext) {
  const { deps, shopId, limits } = ctx;
  const loaded = new Map<string, Promise<LoadedFunction | undefined>>();
  const answers = new Map<string, Promise<CallOutcome>>();
  const executed: ExecutedCall[] = [];
  let httpCalls = 0;
  let limitReached = false;
  let sendingMs = 0;

  const load = (name: string) => {
    let entry = loaded.get(name);
    if (entry === undefined) {
      // A name no function can have (the model wrote it: a NUL, 10,000 characters) is unknown
      // without asking the database, which could not even compare it.
      entry = customFunctionName.safeParse(name).success
        ? getFunctionForCall(deps, shopId, name).then(
            async (fn) => fn && { fn, validate: await validatorFor(deps, fn) },
          )
        : Promise.resolve(undefined);
      loaded.set(name, entry);
    }
    return entry;
  };

  async function send(fn: FunctionForCall, args: Record<string, unknown>): Promise<CallOutcome> {
    const timeLeft = ctx.deadlines.functions - performance.now();
    if (timeLeft <= 0) {
      return refusedCall(
        'limit_reached',
        'TIME_LIMIT',
        "The reply's time for function calls ran out before this call could start; answer with what you have.",
      );
    }
    const request = buildFunctionRequest(fn, args, {
      secret: ctx.signingSecret(),
      now: deps.clock.now(),
      version: deps.version,
    });
    const cutByDeadline = timeLeft < limits.functionTimeoutMs;
    const result = await callFunctionEndpoint(
      deps,
      request,
      cutByDeadline ? timeLeft : limits.functionTimeoutMs,
    );
    // A timer may fire up to a millisecond before performance.now() reaches the deadline it was set
    // for (libuv counts whole milliseconds), so the clock alone could offer functions once more.
    if (result.status === 'timeout' && cutByDeadline) limitReached = true;
    return outcomeOfHttp(result, limits.functionAnswerMaxChars);
  }

  function plan(call: ModelToolCall, fn: LoadedFunction | undefined, args: ParsedArguments): Plan {
    const { name } = call.function;
    if (fn === undefined) {
      const known = ctx.offered.length > 0 ? ctx.offered.join(', ') : 'none';
      return {
        kind: 'answered',
        outcome: refusedCall(
          'unknown_function',
          'UNKNOWN_FUNCTION',
          `There is no function ${shownName(name)}. Available: ${known}.`,
        ),
      };
    }
    if (!args.ok) {
      return {
        kind: 'answered',
        outcome: refusedCall(
          'invalid_arguments',
          'INVALID_ARGUMENTS',
          args.problem === undefined
            ? 'The arguments are not a JSON object. Call again with a JSON object matching the parameters schema.'
            : `The arguments are refused: ${args.problem}. Call again with plain JSON matching the parameters schema.`,
        ),
      };
    }
    if (!fn.validate(args.args)) {
      const details = (fn.validate.errors ?? []).map((error) => ({
        path: error.instancePath === '' ? '/' : error.instancePath,
        message: error.message ?? 'is invalid',
      }));
      return {
        kind: 'answered',
        outcome: refusedCall(
          'invalid_arguments',
          'INVALID_ARGUMENTS',
          'The arguments do not match the parameters schema; nothing was sent. Fix them and call again.',
          details,
        ),
      };
    }
    const key = `${name}\u0000${canonicalJson(args.args)}`;
    const earlier = answers.get(key);
    if (earlier !== undefined) return { kind: 'duplicate', of: earlier };
    if (httpCalls >= limits.maxToolCalls || performance.now() >= ctx.deadlines.functions) {
      limitReached = true;
      const why =
        httpCalls >= limits.maxToolCalls
          ? `This reply already made ${limits.maxToolCalls} function calls, the most it may`
          : "The reply's time for function calls is up";
      return {
        kind: 'answered',
        outcome: refusedCall(
          'limit_reached',
          'LIMIT_REACHED',
          `${why}; nothing was sent. Answer with what you have.`,
        ),
      };
    }
    httpCalls++;
    return { kind: 'http', loaded: fn, args: args.args, key };
  }

  /** Answers every call of one model step; returns the tool messages in the calls' order. */
  async function runStep(calls: readonly ModelToolCall[]): Promise<ChatMessage[]> {
    const functions = await Promise.all(calls.map((call) => load(call.function.name)));
    const parsed = calls.map((call) => parseArguments(call.function.arguments));
    // What the next GET waits for (the last write), and what the next write waits for (everything).
    let lastWrite: Promise<unknown> = Promise.resolve();
    let sinceWrite: Promise<unknown>[] = [];
    const outcomes = calls.map((call, index): Promise<CallOutcome> => {
      const step = plan(call, functions[index], parsed[index] ?? { ok: false });
      if (step.kind === 'answered') return Promise.resolve(step.outcome);
      if (step.kind === 'duplicate') {
        return step.of.then((original) => ({
          ...original,
          status: 'duplicate',
          httpStatus: null,
          latencyMs: null,
        }));
      }
      const { loaded, args } = step;
      let outcome: Promise<CallOutcome>;
      if (isMutating(loaded)) {
        outcome = Promise.all([lastWrite, ...sinceWrite]).then(() => send(loaded.fn, args));
        lastWrite = outcome;
        sinceWrite = [];
      } else {
        outcome = lastWrite.then(() => send(loaded.fn, args));
        sinceWrite.push(outcome);
      }
      answers.set(step.key, outcome);
      return outcome;
    });
    // The wait for the endpoints: loading and checking the calls above is the reply's own time.
    const sending = performance.now();
    const settled = await Promise.all(outcomes);
    sendingMs += performance.now() - sending;
    const at = deps.clock.now();
    return calls.map((call, index) => {
      const outcome = settled[index] as CallOutcome;
      const args = parsed[index];
      executed.push({
        name: loggable(call.function.name),
        arguments: args?.ok === true ? args.args : loggable(call.function.arguments),
        outcome,
        at,
      });
      return { role: 'tool', tool_call_id: call.id, content: outcome.content };
    });
  }

  return {
    runStep,
    /**
     * True once a call was refused for the reply's call or time limit, or cut off by its time for
     * functions: the next model call is the final one.
     */
    get limitReached() {
      return limitReached;
    },
    get executed(): readonly ExecutedCall[] {
      return executed;
    },
    /** Wall time spent waiting for function endpoints. */
    get sendingMs() {
      return sendingMs;
    },
  };
}

export type ToolCallRunner = ReturnType<typeof createToolCallRunner>;
